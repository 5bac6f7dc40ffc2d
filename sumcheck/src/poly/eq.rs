//! eq tables and Gruen's split of the eq factor for sumcheck.
//!
//! `eq(w, x) = Π_j (w_j x_j + (1 - w_j)(1 - x_j))`; tables follow the crate's variable order
//! (`w[0]` is the most significant index bit, see the [module doc](super)).

use std::borrow::Cow;

use kaizen_field::{batch, Fr};

/// The table `out[x] = eq(point, x)` for `x` in `{0,1}^k` (via `kaizen_field::batch::eq_expand`).
pub fn eq_table(point: &[Fr]) -> Vec<Fr> {
    let mut out = vec![Fr::ZERO; 1 << point.len()];
    batch::eq_expand(&mut out, point, Fr::ONE);
    out
}

/// `eq(a, b)` in closed form (`a.len() == b.len()`, panics otherwise).
pub fn eq_eval(a: &[Fr], b: &[Fr]) -> Fr {
    assert_eq!(a.len(), b.len(), "kaizen-sumcheck: eq_eval arity");
    a.iter().zip(b).map(|(x, y)| eq1(*x, *y)).product()
}

/// `eq(a, b)` for one variable: `a b + (1 - a)(1 - b) = 1 - a - b + 2ab`.
#[inline]
pub(crate) fn eq1(a: Fr, b: Fr) -> Fr {
    let ab = a * b;
    Fr::ONE - a - b + ab.double()
}

/// The eq factor `eq(w, x)` of a sumcheck over `n` variables, split so that no full
/// `2^n` table is ever built (Gruen, "Some Improvements for the PIOP for ZeroCheck",
/// ePrint 2024/108, section 3; the same layout as Jolt's `GruenSplitEqPolynomial`).
///
/// In round `i` the prover needs `eq(w_{>i}, x')` over the `m = n-1-i` variables after the
/// one being bound. They are split into a high part (recomputed each round, small) and a
/// fixed low part `E_lo = eq(w[n-L..], ·)` built once, `L = (n-1)/2`:
///
/// ```text
///   w = [ w_0 .. w_{i-1} | w_i |  w_{i+1} .. w_{n-L-1}  |  w_{n-L} .. w_{n-1} ]
///         bound: scalar    cur     E_hi (2^(n-L-1-i))        E_lo (2^L, fixed)
///
///   pair index j = j_hi · 2^L + j_lo,   eq(w_{>i}, j) = E_hi[j_hi] · E_lo[j_lo]
///
///   once i + 1 > n - L the high part is empty and E_lo is eq(w[i+1..], ·), rebuilt (it
///   shrinks every round).
/// ```
///
/// The round polynomial is `s(X) = scalar · eq(w_i, X) · q(X)` with
/// `q(X) = Σ_j E_hi[j_hi] E_lo[j_lo] P(X, j)` and `scalar = Π_{k<i} eq(w_k, r_k)`. Memory:
/// `O(2^(n/2))`. Invariant: `round <= n`; `scalar` covers exactly the bound rounds.
#[derive(Debug, Clone)]
pub struct SplitEq {
    w: Vec<Fr>,
    round: usize,
    scalar: Fr,
    lo_vars: usize,
    lo: Vec<Fr>,
}

impl SplitEq {
    /// The split eq for `eq(w, ·)`.
    pub fn new(w: &[Fr]) -> Self {
        let n = w.len();
        let lo_vars = n.saturating_sub(1) / 2;
        Self {
            w: w.to_vec(),
            round: 0,
            scalar: Fr::ONE,
            lo_vars,
            lo: eq_table(&w[n - lo_vars..]),
        }
    }

    /// Number of variables.
    pub fn num_vars(&self) -> usize {
        self.w.len()
    }

    /// Rounds bound so far.
    pub fn round(&self) -> usize {
        self.round
    }

    /// `w_i` of the current round.
    pub fn current_w(&self) -> Fr {
        self.w[self.round]
    }

    /// `Π_{k<i} eq(w_k, r_k)`.
    pub fn scalar(&self) -> Fr {
        self.scalar
    }

    /// `(E_hi, E_lo)` for the current round: `eq(w_{>i}, j) = E_hi[j >> lo_bits] · E_lo[j & mask]`
    /// with `lo_bits = log2(E_lo.len())`.
    pub fn tables(&self) -> (Vec<Fr>, Cow<'_, [Fr]>) {
        let n = self.w.len();
        let i = self.round;
        assert!(
            i < n,
            "kaizen-sumcheck: SplitEq::tables after the last round"
        );
        if i < n - self.lo_vars {
            (
                eq_table(&self.w[i + 1..n - self.lo_vars]),
                Cow::Borrowed(&self.lo),
            )
        } else {
            (vec![Fr::ONE], Cow::Owned(eq_table(&self.w[i + 1..])))
        }
    }

    /// Records the challenge of the current round.
    pub fn bind(&mut self, r: Fr) {
        self.scalar *= eq1(self.w[self.round], r);
        self.round += 1;
    }
}

/// `eq(a, b)`, or `Malformed::PointLength` when the lengths differ (for verifiers).
pub(crate) fn eq_eval_checked(a: &[Fr], b: &[Fr]) -> Result<Fr, crate::Malformed> {
    if a.len() != b.len() {
        return Err(crate::Malformed::PointLength {
            expected: b.len(),
            actual: a.len(),
        });
    }
    Ok(a.iter().zip(b).map(|(x, y)| eq1(*x, *y)).product())
}
