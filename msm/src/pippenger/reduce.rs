//! The bucket reduction `sum_b (b + 1) S_b` over a window's bucket sums `S_0 .. S_{k-1}`.
//!
//! Small `k`: the running sum in XYZZ (`R += S_b; T += R` from the top bucket down, about
//! 24 multiplications per bucket).
//!
//! Large `k`: the same running sum in batch-affine form. The buckets are cut into segments of
//! [`SEGMENT`] buckets; every segment `s` runs its own running sum, all segments in step, so
//! each step is one [`AffineBatch`] of `R_s += S_{sL+t}` and one of `T_s += R_s` (two affine
//! additions per bucket, about 6 multiplications each in batch kernels). Then, with
//! `L = SEGMENT`,
//!
//! ```text
//! sum_b (b + 1) S_b = sum_s T_s + L sum_s s R_s,
//!   T_s = sum_t (t + 1) S_{sL+t},  R_s = sum_t S_{sL+t}
//! ```
//!
//! and `sum_s s R_s` is a small XYZZ running sum over the segments. Segments are grouped
//! into fixed groups of [`GROUP`] run in parallel; the affine `R_s`, `T_s` are exact, so the
//! result's coordinates depend on `k` only, never on the thread count.

use rayon::prelude::*;

use super::affine_batch::AffineBatch;
use crate::curve::{Affine, Curve, Xyzz};

/// Buckets per segment.
pub const SEGMENT: usize = 16;

/// Segments per parallel group: the batch of one step (1024 additions amortise the shared
/// inversion to a few ns each); 2^15 buckets (i16 data) make two groups.
pub const GROUP: usize = 1024;

/// Fewest buckets for the batch-affine form: below, a step's batch of `k / SEGMENT` entries
/// is too small to amortise its inversion and the XYZZ running sum is used.
pub const MIN_BATCH_BUCKETS: usize = 1024;

/// One group's `R_s` and `T_s` (module doc), in segment order.
struct SegmentSums<C: Curve> {
    r: Vec<Affine<C>>,
    t: Vec<Affine<C>>,
}

/// XYZZ running sum over `S_0 .. S_{k-1}`: `(sum_b (b + 1) S_b, sum_b S_b)`.
fn running_sum_vartime<C: Curve>(sums: &[Affine<C>]) -> (Xyzz<C>, Xyzz<C>) {
    let mut running = Xyzz::IDENTITY;
    let mut total = Xyzz::IDENTITY;
    for s in sums.iter().rev() {
        running = running.add_affine(s);
        total = total.add_xyzz(&running);
    }
    (total, running)
}

/// `sum_b (b + 1) sums[b]` (module doc). Identity entries are empty buckets.
pub(crate) fn weighted_sum_vartime<C: Curve>(sums: &[Affine<C>]) -> Xyzz<C> {
    let k = sums.len();
    if k < MIN_BATCH_BUCKETS {
        return running_sum_vartime(sums).0;
    }
    let segments = k.div_ceil(SEGMENT);
    let groups: Vec<SegmentSums<C>> = (0..segments.div_ceil(GROUP))
        .into_par_iter()
        .map(|g| {
            let first = g * GROUP;
            let count = GROUP.min(segments - first);
            let mut r = vec![Affine::IDENTITY; count];
            let mut t = vec![Affine::IDENTITY; count];
            let mut batch = AffineBatch::new();
            for step in (0..SEGMENT).rev() {
                for (j, seg) in (first..first + count).enumerate() {
                    if let Some(s) = sums.get(seg * SEGMENT + step) {
                        let cur = r[j];
                        batch.add(&mut r, j, &cur, s);
                    }
                }
                batch.flush(&mut r);
                for j in 0..count {
                    let (cur, run) = (t[j], r[j]);
                    batch.add(&mut t, j, &cur, &run);
                }
                batch.flush(&mut t);
            }
            SegmentSums { r, t }
        })
        .collect();
    let r: Vec<Affine<C>> = groups.iter().flat_map(|g| g.r.iter().copied()).collect();
    let t_sum = groups
        .iter()
        .flat_map(|g| g.t.iter())
        .fold(Xyzz::IDENTITY, |acc, p| acc.add_affine(p));
    // sum_{s >= 1} s R_s: the running sum over R_1 .. (multipliers 1 ..).
    let mut weighted = running_sum_vartime(&r[1..]).0;
    for _ in 0..SEGMENT.trailing_zeros() {
        weighted = weighted.double();
    }
    t_sum.add_xyzz(&weighted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bn254, G1Affine, G1Projective};

    /// Both forms against the definition, with empty buckets, equal and opposite sums, and a
    /// partial last segment.
    #[test]
    fn weighted_sum_matches_definition() {
        const _: () = assert!(SEGMENT.is_power_of_two());
        let g = G1Affine::generator().to_projective();
        for k in [
            1usize,
            5,
            1000,
            MIN_BATCH_BUCKETS,
            3 * GROUP * SEGMENT / 2 + 7,
        ] {
            let mut cur = g;
            let sums: Vec<G1Affine> = (0..k)
                .map(|b| {
                    cur = cur.double() + g;
                    match b % 13 {
                        0 => G1Affine::IDENTITY,
                        1 => G1Affine::generator(),
                        2 => G1Affine::generator().neg(),
                        _ => cur.to_affine(),
                    }
                })
                .collect();
            let want = sums
                .iter()
                .enumerate()
                .fold(G1Projective::IDENTITY, |acc, (b, s)| {
                    acc + s.to_projective().mul_limbs_vartime(&[b as u64 + 1])
                });
            let got = weighted_sum_vartime::<Bn254>(&sums).to_projective();
            assert_eq!(got, want, "k = {k}");
        }
    }
}
