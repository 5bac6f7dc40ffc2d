//! The two-factor fast path of the product sumcheck, `Σ_x f(x) g(x)` without eq.
//!
//! Round polynomial `s(X) = Σ_j (f_lo + X (f_hi − f_lo))(g_lo + X (g_hi − g_lo))`, sent as
//! `s(0) = Σ f_lo g_lo` and its leading coefficient `Σ (f_hi − f_lo)(g_hi − g_lo)` (`s(1)` is
//! implied by the claim). Both sums accumulate unreduced 512-bit products ([`WideAcc`]).
//!
//! [`bind_and_sum`] fuses the bind of round `i` with the sums of round `i + 1`: with
//! `h = |f| / 2` and `q = h / 2`, the bound table is `f'[j] = f[j] + r (f[j + h] − f[j])`, and
//! round `i + 1` pairs `f'[j]` with `f'[j + q]`, which come from the four quarters
//! `f[j], f[j + q], f[j + h], f[j + h + q]`. One pass over fixed-size chunks of the four
//! quarters folds them with the field's `fold_in_place` kernel (SIMD) and sums the products
//! while the folded chunk is still in cache: one memory pass per round instead of two.
//! The results equal `bind_top` followed by [`prod2_sums`] exactly (field arithmetic is
//! exact, so chunking changes nothing), whatever the thread count.

use kaizen_field::{batch, par, Fr};
use rayon::prelude::*;

/// Deferred-reduction sums of products over `Fr`.
type WideAcc = kaizen_field::wide::WideAcc<kaizen_field::FrParams>;
use crate::poly::DenseTable;

/// Pairs per chunk of the fused pass: 4 quarters x 2 tables x 1024 x 32 B = 256 KiB, so a
/// chunk's folded values are still in L2 when they are summed.
const FUSED_CHUNK: usize = 1 << 10;

/// `(Σ_j a_lo b_lo, Σ_j (a_hi − a_lo)(b_hi − b_lo))` over aligned slices of equal length.
fn sums_of(a_lo: &[Fr], a_hi: &[Fr], b_lo: &[Fr], b_hi: &[Fr]) -> (WideAcc, WideAcc) {
    let mut s0 = WideAcc::ZERO;
    let mut lead = WideAcc::ZERO;
    for (((l, h), m), k) in a_lo.iter().zip(a_hi).zip(b_lo).zip(b_hi) {
        s0.add_product(l, m);
        lead.add_product(&(*h - *l), &(*k - *m));
    }
    (s0, lead)
}

fn reduce_pair((a, b): (WideAcc, WideAcc)) -> (Fr, Fr) {
    (a.reduce(), b.reduce())
}

/// `(s(0), leading coefficient)` of the round polynomial of `Σ f g` (see the module doc).
pub(crate) fn prod2_sums(f: &[Fr], g: &[Fr]) -> (Fr, Fr) {
    let half = f.len() / 2;
    let (f0, f1) = f.split_at(half);
    let (g0, g1) = g.split_at(half);
    let chunk = |c: usize| {
        let s = c * par::CHUNK;
        let e = (s + par::CHUNK).min(half);
        sums_of(&f0[s..e], &f1[s..e], &g0[s..e], &g1[s..e])
    };
    let chunks = half.div_ceil(par::CHUNK);
    if par::worth_splitting(half) {
        (0..chunks)
            .into_par_iter()
            .map(|c| reduce_pair(chunk(c)))
            .reduce(|| (Fr::ZERO, Fr::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
    } else {
        reduce_pair(
            (0..chunks)
                .map(chunk)
                .fold((WideAcc::ZERO, WideAcc::ZERO), |a, b| {
                    (a.0.merge(b.0), a.1.merge(b.1))
                }),
        )
    }
}

/// One chunk of the four quarters of a table (two bound in place, two read).
type QuarterChunk<'a> = (((&'a mut [Fr], &'a mut [Fr]), &'a [Fr]), &'a [Fr]);

/// The four quarters of a table: `([0, q), [q, h), [h, h + q), [h + q, 2h))`.
fn quarters(t: &mut [Fr]) -> (&mut [Fr], &mut [Fr], &[Fr], &[Fr]) {
    let h = t.len() / 2;
    let q = h / 2;
    let (lo, hi) = t.split_at_mut(h);
    let (q0, q1) = lo.split_at_mut(q);
    let (q2, q3) = hi.split_at(q);
    (q0, q1, q2, q3)
}

/// Binds the top variable of `f` and `g` to `r` and returns the next round's sums
/// ([`prod2_sums`] of the bound tables), in one pass. Both tables need at least 2 variables
/// (so that the bound tables still have a round); equal sizes.
pub(crate) fn bind_and_sum(f: &mut DenseTable, g: &mut DenseTable, r: Fr) -> (Fr, Fr) {
    assert!(
        f.num_vars() >= 2 && f.num_vars() == g.num_vars(),
        "kaizen-sumcheck: bind_and_sum on tables of {} and {} variables",
        f.num_vars(),
        g.num_vars()
    );
    let q = f.len() / 4;
    let sums = {
        let (f0, f1, f2, f3) = quarters(f.evals_mut());
        let (g0, g1, g2, g3) = quarters(g.evals_mut());
        // Per chunk: f0 += r (f2 - f0), f1 += r (f3 - f1) (the bound table's low and high
        // halves), same for g, then the sums of the bound pair (f0, f1) x (g0, g1).
        let chunk =
            |((((f0, f1), f2), f3), (((g0, g1), g2), g3)): (QuarterChunk<'_>, QuarterChunk<'_>)| {
                batch::fold_in_place(f0, f2, r);
                batch::fold_in_place(f1, f3, r);
                batch::fold_in_place(g0, g2, r);
                batch::fold_in_place(g1, g3, r);
                sums_of(f0, f1, g0, g1)
            };
        let fq = f0
            .par_chunks_mut(FUSED_CHUNK)
            .zip(f1.par_chunks_mut(FUSED_CHUNK))
            .zip(f2.par_chunks(FUSED_CHUNK))
            .zip(f3.par_chunks(FUSED_CHUNK));
        let gq = g0
            .par_chunks_mut(FUSED_CHUNK)
            .zip(g1.par_chunks_mut(FUSED_CHUNK))
            .zip(g2.par_chunks(FUSED_CHUNK))
            .zip(g3.par_chunks(FUSED_CHUNK));
        if par::worth_splitting(q) {
            fq.zip(gq)
                .map(|c| reduce_pair(chunk(c)))
                .reduce(|| (Fr::ZERO, Fr::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
        } else {
            // Small tables: one thread, one reduction.
            let mut acc = (WideAcc::ZERO, WideAcc::ZERO);
            for c in fq.zip(gq).collect::<Vec<_>>() {
                let s = chunk(c);
                acc = (acc.0.merge(s.0), acc.1.merge(s.1));
            }
            reduce_pair(acc)
        }
    };
    f.truncate_to_low_half();
    g.truncate_to_low_half();
    sums
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaizen_field::Field;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn fused_bind_equals_bind_then_sum() {
        let mut rng = ChaCha20Rng::seed_from_u64(17);
        for n in [2usize, 3, 5, 11, 13, 16] {
            let f: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut rng)).collect();
            let g: Vec<Fr> = (0..1 << n).map(|_| Fr::random(&mut rng)).collect();
            let r = Fr::random(&mut rng);
            let (mut f1, mut g1) = (DenseTable::new(f.clone()), DenseTable::new(g.clone()));
            let fused = bind_and_sum(&mut f1, &mut g1, r);
            let (mut f2, mut g2) = (DenseTable::new(f), DenseTable::new(g));
            f2.bind_top(r);
            g2.bind_top(r);
            assert_eq!(f1, f2, "n = {n}");
            assert_eq!(g1, g2, "n = {n}");
            assert_eq!(fused, prod2_sums(f2.evals(), g2.evals()), "n = {n}");
        }
    }
}
