//! Product sumchecks: claims `Σ_x eq(w, x) · Σ_t c_t Π_{j ∈ S_t} f_j(x)` with up to
//! [`MAX_FACTORS`] factors per term and an optional eq factor.
//!
//! The eq factor is never materialised: [`SplitEq`] keeps `O(2^(n/2))` entries and the round
//! polynomial is `s(X) = scalar · eq(w_i, X) · q(X)` (Gruen), so the prover evaluates `q` at
//! `deg q` points instead of `s` at `deg q + 2`, and gets `q(1)` from the claim.
//!
//! Evaluation points of `q` per round: `0, 2, 3, .., deg q - 1` and `∞` (the leading
//! coefficient `Π_j (f_j(1) - f_j(0))`); `q(1)` follows from `s(0) + s(1) = claim`. Each pair of
//! table entries `(lo, hi)` gives `f(t) = lo + t (hi - lo)` by additions only.

use kaizen_field::{batch, par, Fr};
use rayon::prelude::*;

use crate::poly::{eq::eq1, eq_table, DenseTable, SplitEq};
use crate::prod2::{bind_and_sum, prod2_sums};
use crate::proof::ProductProof;
use crate::prover::{prove, SumcheckInstance};
use crate::transcript::Transcript;
use crate::univariate::UniPoly;
use crate::{LABEL_EQ_POINT, LABEL_FACTOR_EVALS, LABEL_STATEMENT, LABEL_TERM_COEFFS, MAX_FACTORS};

/// One term `c · Π_{j ∈ factors} f_j`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The coefficient `c`.
    pub coeff: Fr,
    /// Indices of the factors (1 to [`MAX_FACTORS`], repeats allowed).
    pub factors: Vec<usize>,
}

/// The public statement of a product sumcheck (everything but the claim and the tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductStatement {
    /// Number of variables (rounds).
    pub num_vars: usize,
    /// Number of factor tables.
    pub num_factors: usize,
    /// The terms of the sum.
    pub terms: Vec<Term>,
    /// `w` of the eq factor, if any (`w.len() == num_vars`).
    pub eq_point: Option<Vec<Fr>>,
}

impl ProductStatement {
    /// `Σ_x f_0(x) f_1(x)`.
    pub fn prod2(num_vars: usize) -> Self {
        Self {
            num_vars,
            num_factors: 2,
            terms: vec![Term {
                coeff: Fr::ONE,
                factors: vec![0, 1],
            }],
            eq_point: None,
        }
    }

    /// `Σ_x eq(w, x) Π_{j<k} f_j(x)`.
    pub fn eq_prod(w: Vec<Fr>, k: usize) -> Self {
        Self {
            num_vars: w.len(),
            num_factors: k,
            terms: vec![Term {
                coeff: Fr::ONE,
                factors: (0..k).collect(),
            }],
            eq_point: Some(w),
        }
    }

    /// Largest number of factors in a term (the degree of `q`).
    pub fn max_factors(&self) -> usize {
        self.terms
            .iter()
            .map(|t| t.factors.len())
            .max()
            .unwrap_or(0)
    }

    /// Degree bound of the round polynomials.
    pub fn degree(&self) -> usize {
        self.max_factors() + usize::from(self.eq_point.is_some())
    }

    /// `Σ_t c_t Π_j evals[j]` times `eq(w, point)`; `None` if a term names a factor outside
    /// `evals` or the eq point's length differs from `point`'s.
    pub fn combine(&self, evals: &[Fr], point: &[Fr]) -> Option<Fr> {
        let mut sum = Fr::ZERO;
        for t in &self.terms {
            let mut p = t.coeff;
            for j in &t.factors {
                p *= *evals.get(*j)?;
            }
            sum += p;
        }
        match &self.eq_point {
            Some(w) if w.len() == point.len() => Some(
                sum * w
                    .iter()
                    .zip(point)
                    .map(|(a, b)| eq1(*a, *b))
                    .product::<Fr>(),
            ),
            Some(_) => None,
            None => Some(sum),
        }
    }

    /// Absorbs the statement (the first thing either side does).
    pub fn absorb<T: Transcript>(&self, transcript: &mut T) {
        transcript.absorb_u64(LABEL_STATEMENT, self.num_vars as u64);
        transcript.absorb_u64(LABEL_STATEMENT, self.num_factors as u64);
        transcript.absorb_u64(LABEL_STATEMENT, self.terms.len() as u64);
        for t in &self.terms {
            transcript.absorb_fr(LABEL_TERM_COEFFS, &t.coeff);
            let idx: Vec<u8> = t
                .factors
                .iter()
                .flat_map(|j| (*j as u64).to_le_bytes())
                .collect();
            transcript.absorb_bytes(LABEL_TERM_COEFFS, &idx);
        }
        match &self.eq_point {
            Some(w) => transcript.absorb_frs(LABEL_EQ_POINT, w),
            // "no eq factor" is absorbed explicitly so it differs from an empty point.
            None => transcript.absorb_bytes(LABEL_EQ_POINT, b"none"),
        }
    }

    fn assert_valid(&self, tables: &[DenseTable]) {
        assert_eq!(
            tables.len(),
            self.num_factors,
            "kaizen-sumcheck: {} tables for {} factors",
            tables.len(),
            self.num_factors
        );
        for (i, t) in tables.iter().enumerate() {
            assert_eq!(
                t.num_vars(),
                self.num_vars,
                "kaizen-sumcheck: table {i} has {} variables, the statement {}",
                t.num_vars(),
                self.num_vars
            );
        }
        for (i, t) in self.terms.iter().enumerate() {
            assert!(
                !t.factors.is_empty()
                    && t.factors.len() <= MAX_FACTORS
                    && t.factors.iter().all(|j| *j < self.num_factors),
                "kaizen-sumcheck: term {i} is invalid"
            );
        }
        if let Some(w) = &self.eq_point {
            assert_eq!(w.len(), self.num_vars, "kaizen-sumcheck: eq point length");
        }
    }
}

/// `Σ_x eq(w, x) Σ_t c_t Π f_j(x)` computed directly (for setting up claims and for tests).
pub fn claimed_sum(statement: &ProductStatement, tables: &[DenseTable]) -> Fr {
    statement.assert_valid(tables);
    let n = statement.num_vars;
    let (e_hi, e_lo) = match &statement.eq_point {
        Some(w) => (eq_table(&w[..n / 2]), eq_table(&w[n / 2..])),
        None => (vec![Fr::ONE], vec![Fr::ONE; 1 << n]),
    };
    let lo_len = e_lo.len();
    let mut total = Fr::ZERO;
    for (h, eh) in e_hi.iter().enumerate() {
        let mut row = Fr::ZERO;
        for (l, el) in e_lo.iter().enumerate() {
            let x = h * lo_len + l;
            let v: Fr = statement
                .terms
                .iter()
                .map(|t| {
                    t.factors
                        .iter()
                        .fold(t.coeff, |p, j| p * tables[*j].evals()[x])
                })
                .sum();
            row += *el * v;
        }
        total += *eh * row;
    }
    total
}

/// Sentinel for the point at infinity in evaluation-point lists.
const INF: usize = usize::MAX;

/// The in-memory prover of a [`ProductStatement`].
#[derive(Debug, Clone)]
pub struct ProductSumcheck {
    terms: Vec<Term>,
    tables: Vec<DenseTable>,
    eq: Option<SplitEq>,
    claim: Fr,
    num_vars: usize,
    q_degree: usize,
    /// The next round's prod2 sums, computed by the fused bind of the last challenge.
    next_prod2: Option<(Fr, Fr)>,
}

impl ProductSumcheck {
    /// A prover for `statement` over `tables` whose sum is `claim` (not checked here; the
    /// debug self-check of the driver catches a wrong claim in round 0).
    pub fn new(statement: &ProductStatement, tables: Vec<DenseTable>, claim: Fr) -> Self {
        statement.assert_valid(&tables);
        Self {
            terms: statement.terms.clone(),
            tables,
            eq: statement.eq_point.as_deref().map(SplitEq::new),
            claim,
            num_vars: statement.num_vars,
            q_degree: statement.max_factors(),
            next_prod2: None,
        }
    }

    /// The tables (bound so far).
    pub fn tables(&self) -> &[DenseTable] {
        &self.tables
    }

    /// Whether this instance takes the two-factor, no-eq fast path.
    fn is_prod2(&self) -> bool {
        self.eq.is_none() && self.terms.len() == 1 && self.terms[0].factors.len() == 2
    }

    /// The two distinct tables of a prod2 instance, mutably (None when both factors are the
    /// same table or other tables ride along: those bind one by one).
    fn prod2_pair(&mut self) -> Option<(&mut DenseTable, &mut DenseTable)> {
        if !self.is_prod2()
            || self.tables.len() != 2
            || self.terms[0].factors[0] == self.terms[0].factors[1]
        {
            return None;
        }
        let (a, b) = self.tables.split_at_mut(1);
        let (f, g) = (&mut a[0], &mut b[0]);
        Some(if self.terms[0].factors[0] == 0 {
            (f, g)
        } else {
            (g, f)
        })
    }
}

impl SumcheckInstance for ProductSumcheck {
    fn num_rounds(&self) -> usize {
        self.num_vars
    }

    fn degree(&self) -> usize {
        self.q_degree + usize::from(self.eq.is_some())
    }

    fn input_claim(&self) -> Fr {
        self.claim
    }

    fn compute_message(&mut self, _round: usize, claim: Fr) -> UniPoly {
        let d = self.q_degree;
        if self.is_prod2() {
            let t = &self.terms[0];
            let (f, g) = (
                self.tables[t.factors[0]].evals(),
                self.tables[t.factors[1]].evals(),
            );
            let (q0, qinf) = self.next_prod2.take().unwrap_or_else(|| prod2_sums(f, g));
            let (q0, qinf) = (q0 * t.coeff, qinf * t.coeff);
            return UniPoly::from_evals_and_leading(&[q0, claim - q0], qinf);
        }
        let tables: Vec<&[Fr]> = self.tables.iter().map(|t| t.evals()).collect();
        match &self.eq {
            None => {
                // s = q; q(1) = claim - q(0).
                let mut pts: Vec<usize> = (0..d).filter(|t| *t != 1).collect();
                pts.push(INF);
                let v = round_sums(&tables, &self.terms, &pts, d, None);
                let mut evals = Vec::with_capacity(d);
                evals.push(v[0]);
                if d > 1 {
                    evals.push(claim - v[0]);
                    evals.extend_from_slice(&v[1..d - 1]);
                }
                UniPoly::from_evals_and_leading(&evals, v[pts.len() - 1])
            }
            Some(eq) => {
                let w = eq.current_w();
                let scalar = eq.scalar();
                let (hi, lo) = eq.tables();
                // q(1) from the claim needs scalar · w invertible.
                let inv = (scalar * w).inverse();
                let mut pts: Vec<usize> = (0..d).filter(|t| *t != 1 || inv.is_none()).collect();
                pts.push(INF);
                let v = round_sums(&tables, &self.terms, &pts, d, Some((&hi, &lo)));
                let mut evals = Vec::with_capacity(d);
                match inv {
                    Some(inv) => {
                        evals.push(v[0]);
                        if d > 1 {
                            let q1 = (claim - scalar * (Fr::ONE - w) * v[0]) * inv;
                            evals.push(q1);
                            evals.extend_from_slice(&v[1..d - 1]);
                        }
                    }
                    None => evals.extend_from_slice(&v[..d]),
                }
                let q = UniPoly::from_evals_and_leading(&evals, v[pts.len() - 1]);
                // s(X) = scalar · ((1 - w) + (2w - 1) X) · q(X)
                q.mul_linear(Fr::ONE - w, w.double() - Fr::ONE)
                    .scale(scalar)
            }
        }
    }

    fn ingest_challenge(&mut self, r: Fr, _round: usize) {
        if let Some((f, g)) = self.prod2_pair() {
            if f.num_vars() >= 2 {
                // Bind and the next round's sums in one pass (see `crate::prod2`).
                self.next_prod2 = Some(bind_and_sum(f, g, r));
                return;
            }
        }
        for t in &mut self.tables {
            t.bind_top(r);
        }
        if let Some(eq) = &mut self.eq {
            eq.bind(r);
        }
    }

    fn final_claims(&self) -> Vec<Fr> {
        self.tables.iter().map(|t| t.evals()[0]).collect()
    }
}

/// Pair indices per pass of the batch kernels in [`round_sums`]: per factor two scratch slices
/// of 512 x 32 B (the differences and the current evaluation point), so a pass over three
/// factors stays in L2; segments never straddle an `E_lo` row (`SEG` and `|E_lo|` are powers of
/// two).
const SEG: usize = 1 << 9;

/// For every evaluation point `p` in `pts` (finite `t`, ascending, or [`INF`] last):
/// `Σ_t c_t Σ_j E(j) Π_{k ∈ S_t} f_k(p, j)`, with `E(j) = E_hi[j / |E_lo|] E_lo[j % |E_lo|]`
/// when `eq` is given and 1 otherwise. At `INF` only terms with `q_degree` factors count.
///
/// Per segment of pair indices `j` (inside one `E_lo` row), each factor's line
/// `f_k(X, j) = lo + X (hi − lo)` is evaluated with batch kernels: `X = 0, 1` are the table
/// halves themselves, `∞` is `d = hi − lo`, `X = t >= 2` is `hi + (t − 1) d`. A term's
/// segment sum is then `Σ_j E_lo[j] Π_k v_k[j]`: products by `mul` / `mul_assign` and the
/// last factor by `inner_product` (SIMD on every backend), times `E_hi` of the row.
fn round_sums(
    tables: &[&[Fr]],
    terms: &[Term],
    pts: &[usize],
    q_degree: usize,
    eq: Option<(&[Fr], &[Fr])>,
) -> Vec<Fr> {
    let half = tables[0].len() / 2;
    let np = pts.len();
    let nt = terms.len();
    let nk = tables.len();
    let lo_len = eq.map_or(half.max(1), |(_, lo)| lo.len());
    let seg = SEG.min(lo_len);
    // `eq · f_a f_b f_c` at the points 0, 2, ∞ (the eq_prod3 shape) has a fused kernel.
    let eq3 = match (terms, pts) {
        ([t], [0, 2, INF]) if t.factors.len() == 3 && eq.is_some() => {
            Some([t.factors[0], t.factors[1], t.factors[2]])
        }
        _ => None,
    };
    let chunk = |c: usize| -> Vec<Fr> {
        let start = c * par::CHUNK;
        let end = (start + par::CHUNK).min(half);
        let mut total = vec![Fr::ZERO; nt * np];
        // Per factor: differences `d` and the current finite point's values.
        // (The fused eq3 kernel needs no scratch.)
        let scratch = if eq3.is_some() { 0 } else { seg };
        let mut diffs = vec![Fr::ZERO; nk * scratch];
        let mut at = vec![Fr::ZERO; nk * scratch];
        let mut prod = vec![Fr::ZERO; scratch];
        for s in (start..end).step_by(seg) {
            let len = seg.min(end - s);
            let lo = |k: usize| &tables[k][s..s + len];
            let hi = |k: usize| &tables[k][half + s..half + s + len];
            if let (Some(f), Some((hi_t, lo_t))) = (eq3, eq) {
                // The fused kernel: one pass, no scratch (see `batch::eq_prod3_sums`).
                let j = s % lo_len;
                let e_hi = hi_t[s / lo_len];
                let v = batch::eq_prod3_sums(&lo_t[j..j + len], f.map(lo), f.map(hi));
                for (t, x) in total.iter_mut().zip(v) {
                    *t += e_hi * x;
                }
                continue;
            }
            for k in 0..nk {
                batch::sub(&mut diffs[k * seg..k * seg + len], hi(k), lo(k));
            }
            let (e_hi, e_lo) = match eq {
                Some((hi_t, lo_t)) => {
                    let j = s % lo_len;
                    (hi_t[s / lo_len], Some(&lo_t[j..j + len]))
                }
                None => (Fr::ONE, None),
            };
            let mut at_t = 1; // `at` holds the values at X = at_t once at_t >= 2
            for (pi, p) in pts.iter().enumerate() {
                if *p != INF && *p >= 2 {
                    while at_t < *p {
                        for k in 0..nk {
                            let (a, d) =
                                (&mut at[k * seg..k * seg + len], &diffs[k * seg..][..len]);
                            if at_t == 1 {
                                batch::add(a, hi(k), d);
                            } else {
                                // a += d, in place (the kernels take distinct in / out slices).
                                for (x, y) in a.iter_mut().zip(d) {
                                    *x += *y;
                                }
                            }
                        }
                        at_t += 1;
                    }
                }
                let values = |k: usize| -> &[Fr] {
                    match *p {
                        0 => lo(k),
                        1 => hi(k),
                        INF => &diffs[k * seg..k * seg + len],
                        _ => &at[k * seg..k * seg + len],
                    }
                };
                for (ti, term) in terms.iter().enumerate() {
                    if *p == INF && term.factors.len() < q_degree {
                        continue;
                    }
                    let v = term_sum(&term.factors, &values, e_lo, &mut prod[..len]);
                    total[ti * np + pi] += e_hi * v;
                }
            }
        }
        total
    };
    let chunks = half.div_ceil(par::CHUNK);
    let add = |mut a: Vec<Fr>, b: Vec<Fr>| {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
        a
    };
    let sums = if par::worth_splitting(half) {
        (0..chunks)
            .into_par_iter()
            .map(chunk)
            .reduce(|| vec![Fr::ZERO; nt * np], add)
    } else {
        (0..chunks).map(chunk).fold(vec![Fr::ZERO; nt * np], add)
    };
    (0..np)
        .map(|pi| {
            terms
                .iter()
                .enumerate()
                .map(|(ti, t)| t.coeff * sums[ti * np + pi])
                .sum()
        })
        .collect()
}

/// `Σ_j e[j] Π_{k ∈ factors} values(k)[j]` over one segment (`e = 1` when `None`), with
/// `prod` as scratch of the segment's length.
fn term_sum<'a>(
    factors: &[usize],
    values: &impl Fn(usize) -> &'a [Fr],
    e: Option<&[Fr]>,
    prod: &mut [Fr],
) -> Fr {
    // The running product starts from `e` (or the first factor) and ends in an inner product
    // with the last factor.
    let (first, rest) = match (e, factors.split_first()) {
        (Some(e), _) => (e, factors),
        (None, Some((f0, rest))) => (values(*f0), rest),
        (None, None) => return Fr::ZERO,
    };
    let Some((last, middle)) = rest.split_last() else {
        return first.iter().copied().sum();
    };
    if middle.is_empty() {
        return batch::inner_product(first, values(*last));
    }
    batch::mul(prod, first, values(middle[0]));
    for k in &middle[1..] {
        batch::mul_assign(prod, values(*k));
    }
    batch::inner_product(prod, values(*last))
}

/// Proves a product statement: absorbs the statement, runs the sumcheck, then sends and
/// absorbs every factor's evaluation at the final point. Returns the proof and the point.
pub fn prove_product<T: Transcript>(
    statement: &ProductStatement,
    tables: Vec<DenseTable>,
    claim: Fr,
    transcript: &mut T,
) -> (ProductProof, Vec<Fr>) {
    statement.absorb(transcript);
    let mut inst = ProductSumcheck::new(statement, tables, claim);
    let out = prove(&mut inst, transcript);
    let factor_evals = inst.final_claims();
    transcript.absorb_frs(LABEL_FACTOR_EVALS, &factor_evals);
    (
        ProductProof {
            sumcheck: out.proof,
            factor_evals,
        },
        out.point,
    )
}
