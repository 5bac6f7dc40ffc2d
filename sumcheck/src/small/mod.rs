//! Small-value sumcheck (Bagad, Domb, Thaler, "The Sum-Check Protocol over Fields of Small
//! Characteristic" / "Speeding Up Sum-Check Proving", ePrint 2025/1117, the small-value
//! optimisation): when the factors are small integers, the first rounds run in integer
//! arithmetic and the tables are only turned into field elements once, after several
//! challenges.
//!
//! For `Σ_x f(x) g(x)` and round `k` (challenges `r_0..r_{k-1}` so far), multilinearity gives
//! `f(r, X, x') = Σ_{a ∈ {0,1}^k} eq(r, a) f(a, X, x')`, so
//!
//! ```text
//!   s_k(X) = Σ_{a,b ∈ {0,1}^k} eq(r, a) eq(r, b) · A_k[a][b](X),
//!   A_k[a][b](X) = Σ_{x'} f(a, X, x') g(b, X, x')          (integers, X ∈ {0, ∞})
//! ```
//!
//! `A_k` costs `2 · 4^k · 2^(n-k-1)` integer products (a few passes of cheap, vectorisable
//! integer work for `k < 4`) and only `4^k` field operations. After `k0` rounds both tables
//! are bound in one go, `f(r_0..r_{k0-1}, x'') = Σ_a eq(r, a) f(a, x'')`, with one reduction
//! per entry ([`SmallTable::bind_prefix`]), and the remaining rounds run on the dense prover
//! ([`ProductSumcheck`]) over `2^(n-k0)` entries.
//!
//! Integer bounds: products of two values of `S::BITS <= 16` bits (or of their differences,
//! `S::BITS + 1` bits) fit `i64` over a chunk of `par::CHUNK` pairs; wider types use `i128`.
//! Sums across chunks are `i128`.

use kaizen_field::{par, Field, Fr, SmallInt};
use rayon::prelude::*;

use crate::poly::{eq_table, SmallTable};
use crate::product::{ProductStatement, ProductSumcheck};
use crate::prover::SumcheckInstance;
use crate::univariate::UniPoly;

#[derive(Debug, Clone)]
enum Phase<S: SmallInt> {
    Small {
        f: SmallTable<S>,
        g: SmallTable<S>,
        rs: Vec<Fr>,
    },
    Dense(ProductSumcheck),
}

/// The prover of `Σ_x f(x) g(x)` over small-integer tables (see the module doc). Same
/// statement, transcript and proof as [`ProductSumcheck`] over [`ProductStatement::prod2`].
#[derive(Debug, Clone)]
pub struct SmallProd2<S: SmallInt> {
    phase: Phase<S>,
    num_vars: usize,
    small_rounds: usize,
    claim: Fr,
    last: Option<UniPoly>,
}

/// Integer rounds before switching to the field, by input width. NOT yet tuned by a sweep:
/// chosen from the cost model in the module doc (round k costs 2^k integer products per
/// entry; the switch costs 2^k0 small multiply-adds per remaining entry). To be set from a
/// `sumcheck.prod2_i8` sweep of k0 on a quiet machine.
pub fn default_small_rounds<S: SmallInt>() -> usize {
    match S::BITS {
        0..=8 => 4,
        9..=16 => 3,
        _ => 2,
    }
}

impl<S: SmallInt> SmallProd2<S> {
    /// A prover for `Σ f g = claim` with the default number of integer rounds.
    pub fn new(f: SmallTable<S>, g: SmallTable<S>, claim: Fr) -> Self {
        Self::with_small_rounds(f, g, claim, default_small_rounds::<S>())
    }

    /// As [`new`](Self::new) with `k0` integer rounds (clamped to `1..=num_vars`).
    pub fn with_small_rounds(f: SmallTable<S>, g: SmallTable<S>, claim: Fr, k0: usize) -> Self {
        assert_eq!(
            f.num_vars(),
            g.num_vars(),
            "kaizen-sumcheck: SmallProd2 tables differ in size"
        );
        let num_vars = f.num_vars();
        Self {
            phase: Phase::Small {
                f,
                g,
                rs: Vec::new(),
            },
            num_vars,
            small_rounds: k0.clamp(1, num_vars.max(1)),
            claim,
            last: None,
        }
    }

    /// `Σ_x f(x) g(x)` in integers (to set up claims).
    pub fn sum(f: &SmallTable<S>, g: &SmallTable<S>) -> Fr {
        let (a, b) = (f.values(), g.values());
        let total: i128 = a
            .chunks(par::CHUNK)
            .zip(b.chunks(par::CHUNK))
            .map(|(x, y)| dot(x, y))
            .sum();
        Fr::from_i128(total)
    }
}

/// `Σ a_i b_i` (exact; `a.len() <= par::CHUNK` keeps the `i64` path exact).
#[inline]
fn dot<S: SmallInt>(a: &[S], b: &[S]) -> i128 {
    if S::BITS <= 16 {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.to_i64() * y.to_i64())
            .sum::<i64>() as i128
    } else {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.to_i64() as i128 * y.to_i64() as i128)
            .sum()
    }
}

/// `Σ (a1_i - a0_i)(b1_i - b0_i)` (exact, as [`dot`]).
#[inline]
fn dot_diff<S: SmallInt>(a0: &[S], a1: &[S], b0: &[S], b1: &[S]) -> i128 {
    let it = a0.iter().zip(a1).zip(b0.iter().zip(b1));
    if S::BITS <= 16 {
        it.map(|((x0, x1), (y0, y1))| (x1.to_i64() - x0.to_i64()) * (y1.to_i64() - y0.to_i64()))
            .sum::<i64>() as i128
    } else {
        it.map(|((x0, x1), (y0, y1))| {
            (x1.to_i64() - x0.to_i64()) as i128 * (y1.to_i64() - y0.to_i64()) as i128
        })
        .sum()
    }
}

/// `A_k[a][b](0)` and `A_k[a][b](∞)` for `a, b < 2^k`, laid out `[(a * 2^k + b) * 2 + {0, 1}]`.
fn accumulators<S: SmallInt>(f: &[S], g: &[S], k: usize) -> Vec<i128> {
    let n_prefix = 1usize << k;
    let block = f.len() >> k; // entries per prefix a: (X, x')
    let m = block / 2; // |x'|
    let len = 2 * n_prefix * n_prefix;
    let chunk = |c: usize| -> Vec<i128> {
        let s = c * par::CHUNK;
        let e = (s + par::CHUNK).min(m);
        let mut acc = vec![0i128; len];
        for a in 0..n_prefix {
            let fa0 = &f[a * block + s..a * block + e];
            let fa1 = &f[a * block + m + s..a * block + m + e];
            for b in 0..n_prefix {
                let gb0 = &g[b * block + s..b * block + e];
                let gb1 = &g[b * block + m + s..b * block + m + e];
                let i = (a * n_prefix + b) * 2;
                acc[i] += dot(fa0, gb0);
                acc[i + 1] += dot_diff(fa0, fa1, gb0, gb1);
            }
        }
        acc
    };
    let add = |mut x: Vec<i128>, y: Vec<i128>| {
        for (a, b) in x.iter_mut().zip(y) {
            *a += b;
        }
        x
    };
    let chunks = m.div_ceil(par::CHUNK);
    if par::worth_splitting(m) {
        (0..chunks)
            .into_par_iter()
            .map(chunk)
            .reduce(|| vec![0i128; len], add)
    } else {
        (0..chunks).map(chunk).fold(vec![0i128; len], add)
    }
}

impl<S: SmallInt> SumcheckInstance for SmallProd2<S> {
    fn num_rounds(&self) -> usize {
        self.num_vars
    }

    fn degree(&self) -> usize {
        2
    }

    fn input_claim(&self) -> Fr {
        self.claim
    }

    fn compute_message(&mut self, round: usize, claim: Fr) -> UniPoly {
        let s = match &mut self.phase {
            Phase::Small { f, g, rs } => {
                let k = rs.len();
                debug_assert_eq!(k, round);
                let acc = accumulators(f.values(), g.values(), k);
                let w = eq_table(rs);
                let n_prefix = w.len();
                let (mut s0, mut sinf) = (Fr::ZERO, Fr::ZERO);
                for (a, wa) in w.iter().enumerate() {
                    let (mut r0, mut rinf) = (Fr::ZERO, Fr::ZERO);
                    for (b, wb) in w.iter().enumerate() {
                        let i = (a * n_prefix + b) * 2;
                        r0 += *wb * Fr::from_i128(acc[i]);
                        rinf += *wb * Fr::from_i128(acc[i + 1]);
                    }
                    s0 += *wa * r0;
                    sinf += *wa * rinf;
                }
                UniPoly::from_evals_and_leading(&[s0, claim - s0], sinf)
            }
            Phase::Dense(inner) => inner.compute_message(round - self.small_rounds, claim),
        };
        self.last = Some(s.clone());
        s
    }

    fn ingest_challenge(&mut self, r: Fr, round: usize) {
        let next_claim = self
            .last
            .take()
            .map(|s| s.evaluate(r))
            .expect("kaizen-sumcheck: ingest_challenge before compute_message");
        match &mut self.phase {
            Phase::Small { f, g, rs } => {
                rs.push(r);
                if rs.len() == self.small_rounds {
                    let (fd, gd) = (f.bind_prefix(rs), g.bind_prefix(rs));
                    let st = ProductStatement::prod2(self.num_vars - self.small_rounds);
                    self.phase = Phase::Dense(ProductSumcheck::new(&st, vec![fd, gd], next_claim));
                }
            }
            Phase::Dense(inner) => inner.ingest_challenge(r, round - self.small_rounds),
        }
    }

    fn final_claims(&self) -> Vec<Fr> {
        match &self.phase {
            Phase::Dense(inner) => inner.final_claims(),
            Phase::Small { .. } => panic!("kaizen-sumcheck: final_claims before the last round"),
        }
    }
}
