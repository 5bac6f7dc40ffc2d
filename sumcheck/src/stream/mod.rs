//! The streaming prover of `Σ_x f(x) g(x)`: tables are read sequentially in chunks from a
//! [`TableSource`] (memory, or a file) for the first rounds, and the prover switches to the
//! in-memory [`ProductSumcheck`] once the two bound tables fit the memory budget.
//!
//! Round `j < k` (challenges `r = r_0..r_{j-1}` so far), with `m = n - j - 1`:
//!
//! ```text
//!   f(r, X, x') = Σ_{a ∈ {0,1}^j} eq(r, a) · f[a · 2^(m+1) + X · 2^m + x']
//!
//!   for each chunk of x' (fixed size, in parallel):
//!       for each a:  F_X[x'] += eq(r, a) · f[a · 2^(m+1) + X 2^m + x']   (X = 0, 1; same for g)
//!       q0   += Σ F_0 G_0,   q_inf += Σ (F_1 - F_0)(G_1 - G_0)
//! ```
//!
//! Two rounds share a pass when the next one streams too (`StreamProd2::stream_sums2`'s
//! doc: the round-`j+1` sums are quadratic in `r_j`, so the pass keeps their three
//! coefficients). A pass reads both tables once (`2^n` reads, each fused with its eq weight
//! and its conversion to `Fr` into one batch product, [`TableSource::read_scaled`]) and holds
//! `O(chunk)` memory per worker. At the switch (round `k`, the first with
//! `2 · 2^(n-k) · 32 bytes <= budget`) one more pass builds the bound tables
//! `f(r_0..r_{k-1}, x'') = Σ_a eq(r, a) f[a · 2^(n-k) + x'']`, and the rest is the in-memory
//! prover. The round polynomial is the same field polynomial as the in-memory prover's
//! (`[q0, claim - q0]` and the leading coefficient `q_inf`, [`UniPoly::from_evals_and_leading`]),
//! so the transcript and the proof are byte-identical; both go through the one driver
//! [`prove`](crate::prove).
//!
//! Measured (`examples/stream_prod2.rs`, Zen 4 EPYC, 2 shared cores, files of canonical `Fr`
//! in the page cache, in-memory prover reading the same files with the same conversion):
//! `n = 24`, budget 32 MiB: CPU time 3.06 s vs 2.40 s (1.27x), peak RSS 39 MiB vs 1030 MiB;
//! `n = 26` (two 2 GiB files), budget 128 MiB: wall 17.7 / 16.1 s vs 22.0 / 14.7 s (two runs
//! each, 0.80x / 1.10x), CPU 12.7 / 12.4 s vs 14.6 / 11.5 s, peak RSS 136 MiB vs 4102 MiB.

pub mod source;

use kaizen_field::{par, Fr};
use rayon::prelude::*;

use crate::poly::{eq_table, DenseTable};
use crate::product::{ProductStatement, ProductSumcheck};
use crate::prover::SumcheckInstance;
use crate::univariate::UniPoly;

pub use source::{Encoding, FileTable, MappedTable, SmallSlice, StreamError, TableSource};

/// Entries per chunk of a streaming pass (`par::CHUNK`, the crate's one chunk size).
const CHUNK: usize = par::CHUNK;

enum Phase {
    Stream,
    Dense(Box<ProductSumcheck>),
}

/// The streaming prover of `Σ f g` (see the module doc). Same statement, transcript and
/// proof as [`ProductSumcheck`] over [`ProductStatement::prod2`].
pub struct StreamProd2<'a> {
    f: &'a dyn TableSource,
    g: &'a dyn TableSource,
    num_vars: usize,
    budget: usize,
    claim: Fr,
    rs: Vec<Fr>,
    phase: Phase,
    /// The next round's sums from a two-round pass: `[S00, S01, S11, T00, T01, T11]`.
    ahead: Option<[Fr; 6]>,
}

impl core::fmt::Debug for StreamProd2<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StreamProd2")
            .field("num_vars", &self.num_vars)
            .field("budget", &self.budget)
            .field("rounds_bound", &self.rs.len())
            .field("dense", &matches!(self.phase, Phase::Dense(_)))
            .finish()
    }
}

impl<'a> StreamProd2<'a> {
    /// A prover for `Σ f g = claim` keeping at most `budget_bytes` of bound tables in memory
    /// (the in-memory phase starts at the first round where both fit; a budget of 0 streams
    /// every round). Panics if the tables differ in size or are not powers of two.
    pub fn new(
        f: &'a dyn TableSource,
        g: &'a dyn TableSource,
        claim: Fr,
        budget_bytes: usize,
    ) -> Self {
        assert!(
            f.len() == g.len() && f.len().is_power_of_two(),
            "kaizen-sumcheck: StreamProd2 tables of {} and {} entries",
            f.len(),
            g.len()
        );
        Self {
            f,
            g,
            num_vars: f.len().trailing_zeros() as usize,
            budget: budget_bytes,
            claim,
            rs: Vec::new(),
            phase: Phase::Stream,
            ahead: None,
        }
    }

    /// Rounds run by streaming so far (the switch round once in memory).
    pub fn streamed_rounds(&self) -> usize {
        self.rs.len()
    }

    /// Whether the bound tables after `bound` challenges fit the budget.
    fn fits(&self, bound: usize) -> bool {
        let entries = 1usize << (self.num_vars - bound);
        entries.saturating_mul(2 * 32) <= self.budget || entries == 1
    }

    /// One pass: `f(r, x'')` for every `x''` (the bound table).
    fn materialise(&self, t: &dyn TableSource, eq: &[Fr]) -> DenseTable {
        let stride = t.len() / eq.len();
        let mut out = vec![Fr::ZERO; stride];
        let fill = |start: usize, chunk: &mut [Fr]| {
            let mut buf = vec![Fr::ZERO; chunk.len()];
            for (a, e) in eq.iter().enumerate() {
                read_axpy(t, a * stride + start, chunk, *e, &mut buf, a == 0);
            }
        };
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| fill(c * CHUNK, chunk));
        DenseTable::new(out)
    }

    /// `(q0, q_inf)` of the current streaming round (see the module doc).
    fn stream_sums(&self, eq: &[Fr]) -> (Fr, Fr) {
        let j = self.rs.len();
        let half = 1usize << (self.num_vars - j - 1);
        let block = half << 1;
        let (f, g) = (self.f, self.g);
        let chunk = |c: usize| -> (Fr, Fr) {
            let start = c * CHUNK;
            let len = CHUNK.min(half - start);
            let mut acc = vec![Fr::ZERO; 4 * len];
            let mut buf = vec![Fr::ZERO; len];
            let (f0, rest) = acc.split_at_mut(len);
            let (f1, rest) = rest.split_at_mut(len);
            let (g0, g1) = rest.split_at_mut(len);
            for (a, e) in eq.iter().enumerate() {
                let base = a * block + start;
                for (t, x, dst) in [
                    (f, 0, &mut *f0),
                    (f, half, &mut *f1),
                    (g, 0, &mut *g0),
                    (g, half, &mut *g1),
                ] {
                    read_axpy(t, base + x, dst, *e, &mut buf, a == 0);
                }
            }
            let mut q0 = kaizen_field::wide::WideAcc::<kaizen_field::FrParams>::ZERO;
            let mut qi = kaizen_field::wide::WideAcc::<kaizen_field::FrParams>::ZERO;
            for i in 0..len {
                q0.add_product(&f0[i], &g0[i]);
                qi.add_product(&(f1[i] - f0[i]), &(g1[i] - g0[i]));
            }
            (q0.reduce(), qi.reduce())
        };
        (0..half.div_ceil(CHUNK))
            .into_par_iter()
            .map(chunk)
            .reduce(|| (Fr::ZERO, Fr::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
    }
}

impl StreamProd2<'_> {
    /// A two-round pass at round `j` (see the module doc): `(q0, q_inf)` of round `j` and the
    /// sums that give round `j + 1`'s once `r_j` is known. With `u = F(0, 0)`, `u' = F(0, 1)`,
    /// `du = F(1, 0) - u`, `du' = F(1, 1) - u'` (`F` bound to `r_0..r_{j-1}`, first index the
    /// round-`j` variable, second the round-`j+1` one; `v, dv` the same for `g`):
    ///
    /// ```text
    ///   q0_j = Σ u v + u' v'                  q_inf_j = Σ du dv + du' dv'
    ///   q0_{j+1}  = S00 + r_j S01 + r_j^2 S11,  S00 = Σ u v, S01 = Σ u dv + du v, S11 = Σ du dv
    ///   q_inf_{j+1} = T00 + r_j T01 + r_j^2 T11 over U = u' - u, dU = du' - du (V, dV for g)
    /// ```
    /// Ten products per four entries of each table instead of two passes' eight: the pass
    /// (reads, conversions, eq weights) is shared.
    fn stream_sums2(&self, eq: &[Fr]) -> (Fr, Fr, [Fr; 6]) {
        type WideAcc = kaizen_field::wide::WideAcc<kaizen_field::FrParams>;
        let j = self.rs.len();
        let quarter = 1usize << (self.num_vars - j - 2);
        let block = quarter << 2;
        let (f, g) = (self.f, self.g);
        let chunk = |c: usize| -> [Fr; 8] {
            let start = c * CHUNK;
            let len = CHUNK.min(quarter - start);
            let mut acc = vec![Fr::ZERO; 8 * len];
            let mut buf = vec![Fr::ZERO; len];
            for (a, e) in eq.iter().enumerate() {
                let base = a * block + start;
                for (slot, dst) in acc.chunks_mut(len).enumerate() {
                    // slot = table (0 f, 1 g) · 4 + b · 2 + X
                    let t = if slot < 4 { f } else { g };
                    read_axpy(t, base + (slot % 4) * quarter, dst, *e, &mut buf, a == 0);
                }
            }
            let mut s = [WideAcc::ZERO; 8];
            for i in 0..len {
                let at = |slot: usize| acc[slot * len + i];
                let (u, u1, w, w1) = (at(0), at(1), at(2), at(3));
                let (v, v1, y, y1) = (at(4), at(5), at(6), at(7));
                let (du, du1, dv, dv1) = (w - u, w1 - u1, y - v, y1 - v1);
                let (uu, vv) = (u1 - u, v1 - v);
                let (duu, dvv) = (du1 - du, dv1 - dv);
                s[0].add_product(&u, &v);
                s[1].add_product(&u1, &v1);
                s[2].add_product(&du, &dv);
                s[3].add_product(&du1, &dv1);
                s[4].add_product(&u, &dv);
                s[4].add_product(&du, &v);
                s[5].add_product(&uu, &vv);
                s[6].add_product(&uu, &dvv);
                s[6].add_product(&duu, &vv);
                s[7].add_product(&duu, &dvv);
            }
            s.map(|a| a.reduce())
        };
        let t = (0..quarter.div_ceil(CHUNK))
            .into_par_iter()
            .map(chunk)
            .reduce(
                || [Fr::ZERO; 8],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                    a
                },
            );
        (
            t[0] + t[1],
            t[2] + t[3],
            [t[0], t[4], t[2], t[5], t[6], t[7]],
        )
    }
}

/// `dst = e · t[start..]` (`first`) or `dst += e · t[start..]`, the product fused with the
/// source's conversion ([`TableSource::read_scaled`]); `buf` is scratch of `dst`'s length.
fn read_axpy(
    t: &dyn TableSource,
    start: usize,
    dst: &mut [Fr],
    e: Fr,
    buf: &mut [Fr],
    first: bool,
) {
    if first {
        t.read_scaled(start, dst, e);
    } else {
        t.read_scaled(start, buf, e);
        for (d, s) in dst.iter_mut().zip(buf.iter()) {
            *d += *s;
        }
    }
}

impl SumcheckInstance for StreamProd2<'_> {
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
        if matches!(self.phase, Phase::Stream) && self.fits(self.rs.len()) {
            let eq = eq_table(&self.rs);
            let tables = vec![self.materialise(self.f, &eq), self.materialise(self.g, &eq)];
            let st = ProductStatement::prod2(self.num_vars - self.rs.len());
            self.phase = Phase::Dense(Box::new(ProductSumcheck::new(&st, tables, claim)));
        }
        let k = self.rs.len();
        match &mut self.phase {
            // `rs` stops growing at the switch: `k` is the number of streamed rounds.
            Phase::Dense(inner) => inner.compute_message(round - k, claim),
            Phase::Stream => {
                let (q0, qinf) = match self.ahead.take() {
                    // Sums of the previous pass, bound to its second variable now.
                    Some([s00, s01, s11, t00, t01, t11]) => {
                        let r = self.rs[k - 1];
                        (s00 + r * (s01 + r * s11), t00 + r * (t01 + r * t11))
                    }
                    None => {
                        let eq = eq_table(&self.rs);
                        if k + 2 <= self.num_vars && !self.fits(k + 1) {
                            let (q0, qinf, next) = self.stream_sums2(&eq);
                            self.ahead = Some(next);
                            (q0, qinf)
                        } else {
                            self.stream_sums(&eq)
                        }
                    }
                };
                UniPoly::from_evals_and_leading(&[q0, claim - q0], qinf)
            }
        }
    }

    fn ingest_challenge(&mut self, r: Fr, round: usize) {
        match &mut self.phase {
            Phase::Dense(inner) => inner.ingest_challenge(r, round),
            Phase::Stream => self.rs.push(r),
        }
    }

    fn final_claims(&self) -> Vec<Fr> {
        match &self.phase {
            Phase::Dense(inner) => inner.final_claims(),
            // Unreachable after a full run (the last round always fits); report the bound
            // values directly otherwise.
            Phase::Stream => {
                let eq = eq_table(&self.rs);
                vec![
                    self.materialise(self.f, &eq).evals()[0],
                    self.materialise(self.g, &eq).evals()[0],
                ]
            }
        }
    }
}
