//! The mask polynomial `g(x) = a_0 + Σ_i g_i(x_i)` and its round polynomials in closed form.
//!
//! Coefficient layout (`n` variables, degree `d`, `n·d + 1` coefficients):
//!
//! ```text
//!   coeffs = [ a_0 | g_{0,1} .. g_{0,d} | g_{1,1} .. g_{1,d} | .. | g_{n-1,1} .. g_{n-1,d} ]
//!   g_i(X) = Σ_{k=1..d} g_{i,k} X^k          (no constant term: every constant is a_0)
//!   basis(r) = [ 1 | r_0 .. r_0^d | r_1 .. r_1^d | .. ]     so  g(r) = <coeffs, basis(r)>
//! ```
//!
//! Round polynomials (variables `x_0 .. x_{i-1}` bound to `r_0 .. r_{i-1}`, `m = n - 1 - i`
//! free variables after `x_i`):
//!
//! ```text
//!   s_i(X) = Σ_{x_{>i} ∈ {0,1}^m} g(r_{<i}, X, x_{>i})
//!          = 2^m (a_0 + Σ_{k<i} g_k(r_k) + g_i(X)) + 2^(m-1) Σ_{k>i} g_k(1)
//! ```
//!
//! (each `g_k`, `k > i`, is 0 on half of the cube and `g_k(1)` on the other half). So a round
//! costs `O(d)` field operations: no `2^n` table of `g` is ever built. The sum over the whole
//! cube is `G = s_0(0) + s_0(1) = 2^n a_0 + 2^(n-1) Σ_k g_k(1)`.

use kaizen_field::{Field, Fr};

use crate::prover::SumcheckInstance;
use crate::univariate::UniPoly;

/// A mask `g(x) = a_0 + Σ_i g_i(x_i)` of per-variable degree `d` (layout: module doc).
#[derive(Clone, PartialEq, Eq)]
pub struct MaskPolynomial {
    num_vars: usize,
    degree: usize,
    coeffs: Vec<Fr>,
}

impl core::fmt::Debug for MaskPolynomial {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The coefficients are the prover's secret randomness.
        write!(
            f,
            "MaskPolynomial {{ num_vars: {}, degree: {}, coeffs: <secret> }}",
            self.num_vars, self.degree
        )
    }
}

/// `2^m` in the field.
pub(crate) fn pow2(m: usize) -> Fr {
    Fr::from_u64(2).pow(&[m as u64])
}

/// Number of coefficients of a mask over `num_vars` variables of degree `degree`: `n·d + 1`.
pub fn mask_len(num_vars: usize, degree: usize) -> usize {
    num_vars * degree + 1
}

/// `basis(r) = [1 | r_0 .. r_0^d | r_1 .. r_1^d | ..]`: the public vector with
/// `g(r) = <coeffs, basis(r)>` for every mask of degree `degree` (module doc).
pub fn mask_basis(point: &[Fr], degree: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(mask_len(point.len(), degree));
    out.push(Fr::ONE);
    for r in point {
        let mut p = Fr::ONE;
        for _ in 0..degree {
            p *= *r;
            out.push(p);
        }
    }
    out
}

impl MaskPolynomial {
    /// Wraps `n·d + 1` coefficients (layout: module doc). Panics (caller bug) on another
    /// length or `degree == 0`.
    pub fn from_coeffs(num_vars: usize, degree: usize, coeffs: Vec<Fr>) -> Self {
        assert!(
            degree >= 1 && coeffs.len() == mask_len(num_vars, degree),
            "kaizen-sumcheck: mask of {} coefficients for n = {num_vars}, d = {degree}",
            coeffs.len()
        );
        Self {
            num_vars,
            degree,
            coeffs,
        }
    }

    /// A mask whose coefficients are drawn in layout order from `next` (e.g.
    /// `|| Fr::random(&mut chacha)`): the same stream gives the same mask.
    pub fn sample(num_vars: usize, degree: usize, mut next: impl FnMut() -> Fr) -> Self {
        let coeffs = (0..mask_len(num_vars, degree)).map(|_| next()).collect();
        Self::from_coeffs(num_vars, degree, coeffs)
    }

    /// Number of variables `n`.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Per-variable degree `d`.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The coefficients (layout: module doc).
    pub fn coeffs(&self) -> &[Fr] {
        &self.coeffs
    }

    /// `g_{i,1} .. g_{i,d}`.
    fn univariate(&self, i: usize) -> &[Fr] {
        let start = 1 + i * self.degree;
        &self.coeffs[start..start + self.degree]
    }

    /// `g_i(x) = x (g_{i,1} + x (g_{i,2} + ..))` by Horner's rule.
    fn univariate_at(&self, i: usize, x: Fr) -> Fr {
        self.univariate(i)
            .iter()
            .rev()
            .fold(Fr::ZERO, |acc, c| (acc + *c) * x)
    }

    /// `G = Σ_{x ∈ {0,1}^n} g(x) = 2^n a_0 + 2^(n-1) Σ_i g_i(1)`.
    pub fn sum_over_cube(&self) -> Fr {
        let a0 = self.coeffs[0];
        if self.num_vars == 0 {
            return a0;
        }
        let ones: Fr = self.coeffs[1..].iter().copied().sum();
        pow2(self.num_vars) * a0 + pow2(self.num_vars - 1) * ones
    }

    /// `g(point)`.
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        assert_eq!(
            point.len(),
            self.num_vars,
            "kaizen-sumcheck: mask point length"
        );
        self.coeffs[0]
            + (0..self.num_vars)
                .map(|i| self.univariate_at(i, point[i]))
                .sum::<Fr>()
    }
}

/// The mask's round polynomials, one round at a time (formula: module doc).
#[derive(Debug, Clone)]
struct MaskRounds<'a> {
    mask: &'a MaskPolynomial,
    /// `Σ_{k<i} g_k(r_k)` over the rounds bound so far.
    bound: Fr,
    /// `tails[i] = Σ_{k>i} g_k(1)`.
    tails: Vec<Fr>,
}

impl<'a> MaskRounds<'a> {
    fn new(mask: &'a MaskPolynomial) -> Self {
        let n = mask.num_vars;
        let mut tails = vec![Fr::ZERO; n];
        for i in (0..n.saturating_sub(1)).rev() {
            tails[i] = tails[i + 1] + mask.univariate(i + 1).iter().copied().sum::<Fr>();
        }
        Self {
            mask,
            bound: Fr::ZERO,
            tails,
        }
    }

    /// `s_i(X) = 2^m (a_0 + bound + g_i(X)) + 2^(m-1) tail_i`, `m = n - 1 - i`.
    fn round_poly(&self, i: usize) -> UniPoly {
        let m = self.mask.num_vars - 1 - i;
        let scale = pow2(m);
        let tail = if m == 0 {
            Fr::ZERO
        } else {
            pow2(m - 1) * self.tails[i]
        };
        let mut coeffs = Vec::with_capacity(self.mask.degree + 1);
        coeffs.push(scale * (self.mask.coeffs[0] + self.bound) + tail);
        coeffs.extend(self.mask.univariate(i).iter().map(|c| scale * *c));
        UniPoly { coeffs }
    }

    fn bind(&mut self, i: usize, r: Fr) {
        self.bound += self.mask.univariate_at(i, r);
    }
}

/// `a + s b`, coefficient-wise (lengths may differ).
fn add_scaled(a: &UniPoly, s: Fr, b: &UniPoly) -> UniPoly {
    let len = a.coeffs.len().max(b.coeffs.len());
    let coeffs = (0..len)
        .map(|k| {
            let x = a.coeffs.get(k).copied().unwrap_or(Fr::ZERO);
            let y = b.coeffs.get(k).copied().unwrap_or(Fr::ZERO);
            x + s * y
        })
        .collect();
    UniPoly { coeffs }
}

/// The instance `f + ρ g` over any instance `f`: the sumcheck driver runs it unchanged.
///
/// The inner instance is asked for its own message with its own claim (tracked here as
/// `s^f_{i-1}(r_{i-1})`), so provers that derive a point from the claim (Gruen's `q(1)`) keep
/// working; the mask's message is added in closed form.
#[derive(Debug)]
pub(crate) struct Masked<'a, I: SumcheckInstance + ?Sized> {
    inner: &'a mut I,
    rounds: MaskRounds<'a>,
    rho: Fr,
    mask_sum: Fr,
    /// The claim the inner instance's next message sums to.
    inner_claim: Fr,
    /// The inner instance's message of the current round (until its challenge arrives).
    inner_message: Option<UniPoly>,
}

impl<'a, I: SumcheckInstance + ?Sized> Masked<'a, I> {
    /// `inner + rho · mask`; the mask's shape must match the instance's (caller bug otherwise).
    pub(crate) fn new(inner: &'a mut I, mask: &'a MaskPolynomial, rho: Fr) -> Self {
        assert!(
            mask.num_vars == inner.num_rounds() && mask.degree == inner.degree(),
            "kaizen-sumcheck: mask shape (n = {}, d = {}) for an instance with n = {}, d = {}",
            mask.num_vars,
            mask.degree,
            inner.num_rounds(),
            inner.degree()
        );
        let inner_claim = inner.input_claim();
        Self {
            inner,
            rounds: MaskRounds::new(mask),
            rho,
            mask_sum: mask.sum_over_cube(),
            inner_claim,
            inner_message: None,
        }
    }
}

impl<I: SumcheckInstance + ?Sized> SumcheckInstance for Masked<'_, I> {
    fn num_rounds(&self) -> usize {
        self.inner.num_rounds()
    }

    fn degree(&self) -> usize {
        self.inner.degree()
    }

    fn input_claim(&self) -> Fr {
        self.inner.input_claim() + self.rho * self.mask_sum
    }

    fn compute_message(&mut self, round: usize, _previous_claim: Fr) -> UniPoly {
        let f = self.inner.compute_message(round, self.inner_claim);
        let s = add_scaled(&f, self.rho, &self.rounds.round_poly(round));
        self.inner_message = Some(f);
        s
    }

    fn ingest_challenge(&mut self, r: Fr, round: usize) {
        let f = self
            .inner_message
            .take()
            .expect("kaizen-sumcheck: challenge before the round's message");
        self.inner_claim = f.evaluate(r);
        self.inner.ingest_challenge(r, round);
        self.rounds.bind(round, r);
    }

    fn final_claims(&self) -> Vec<Fr> {
        self.inner.final_claims()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// The Boolean point of index `x` over `k` variables (`x_0` the most significant bit).
    fn bits(x: usize, k: usize) -> Vec<Fr> {
        (0..k)
            .map(|j| Fr::from_u64(((x >> (k - 1 - j)) & 1) as u64))
            .collect()
    }

    /// `Σ_{x ∈ {0,1}^k} g(prefix, x)` from the definition of `g`.
    fn direct_sum(mask: &MaskPolynomial, prefix: &[Fr]) -> Fr {
        let k = mask.num_vars - prefix.len();
        (0..1usize << k)
            .map(|x| {
                let mut p = prefix.to_vec();
                p.extend(bits(x, k));
                mask.evaluate(&p)
            })
            .sum()
    }

    #[test]
    fn closed_forms_match_the_definition() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for (n, d) in [(0usize, 2usize), (1, 1), (3, 2), (5, 3), (6, 5)] {
            let mask = MaskPolynomial::sample(n, d, || Fr::random(&mut rng));
            assert_eq!(mask.sum_over_cube(), direct_sum(&mask, &[]), "n {n} d {d}");
            let point: Vec<Fr> = (0..n).map(|_| Fr::random(&mut rng)).collect();
            let basis = mask_basis(&point, d);
            assert_eq!(basis.len(), mask_len(n, d));
            let via_basis: Fr = basis.iter().zip(mask.coeffs()).map(|(b, c)| *b * *c).sum();
            assert_eq!(mask.evaluate(&point), via_basis, "n {n} d {d}");
            // s_i at d + 1 points determines it (degree d).
            let mut rounds = MaskRounds::new(&mask);
            for i in 0..n {
                let s = rounds.round_poly(i);
                assert_eq!(s.coeffs.len(), d + 1);
                for t in 0..=d as u64 {
                    let mut prefix = point[..i].to_vec();
                    prefix.push(Fr::from_u64(t));
                    assert_eq!(
                        s.evaluate(Fr::from_u64(t)),
                        direct_sum(&mask, &prefix),
                        "n {n} d {d} round {i} at {t}"
                    );
                }
                rounds.bind(i, point[i]);
            }
        }
    }
}
