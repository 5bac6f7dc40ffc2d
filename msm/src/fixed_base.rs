//! Fixed-base MSM: precomputed tables for many MSMs over the same bases (committing many
//! vectors to the same generators).
//!
//! For bases `P_0 .. P_{n-1}` the table holds `2^(c w) V_j` for every GLV base
//! `V_{2i} = P_i`, `V_{2i+1} = phi(P_i)` and every window `w < W`, in affine form
//! (`entries[j W + w]`). An MSM then puts the digit of window `w` of scalar half `j` straight
//! into one shared set of buckets with the point `2^(c w) V_j`: every window lands in the same
//! buckets, so there is one bucket reduction instead of `W` and no doublings between windows.
//! Cost per MSM: about `2 n W` batch-affine additions plus one reduction of `2^(c-1)`
//! buckets; memory: `2 n W` points of 64 bytes.

use kaizen_field::PrimeField;
use rayon::prelude::*;

use crate::curve::{Affine, Curve, Projective, Scalar};
use crate::glv::decompose_limbs;
use crate::pippenger::buckets::window_sum_vartime;
use crate::pippenger::same_len;
use crate::pippenger::small::{max_magnitude, SmallScalar};
use crate::pippenger::window::{Plan, BUCKET_COST};

/// Largest GLV half: magnitudes are below `2^127`.
const GLV_MAX: u128 = (1u128 << 127) - 1;

/// Precomputed multiples of fixed bases (see the module doc).
#[derive(Debug, Clone)]
pub struct FixedBaseTable<C: Curve> {
    n: usize,
    c: u32,
    windows: u32,
    entries: Vec<Affine<C>>,
}

impl<C: Curve> FixedBaseTable<C> {
    /// Builds the table for `bases`, choosing the window width that minimises the per-MSM
    /// cost `2 n W + BUCKET_COST 2^(c-1)` for full-width scalars.
    pub fn new(bases: &[Affine<C>]) -> Self {
        let items = 2 * bases.len() as u64;
        let c = (4..=20u32)
            .min_by_key(|&c| {
                let p = Plan::with_c(c, GLV_MAX);
                items * p.windows as u64 + BUCKET_COST * p.low_buckets as u64
            })
            .unwrap_or(16);
        Self::with_window(bases, c)
    }

    /// Builds the table with a given window width `c` (2..=20).
    pub fn with_window(bases: &[Affine<C>], c: u32) -> Self {
        assert!(
            (2..=20).contains(&c),
            "fixed-base window width {c} out of 2..=20"
        );
        let windows = Plan::with_c(c, GLV_MAX).windows;
        let w = windows as usize;
        let mut proj = vec![Projective::<C>::IDENTITY; 2 * bases.len() * w];
        proj.par_chunks_mut(2 * w)
            .zip(bases.par_iter())
            .for_each(|(out, p)| {
                for (half, v) in out.chunks_exact_mut(w).zip([*p, p.endo()]) {
                    let mut cur = v.to_projective();
                    for slot in half.iter_mut() {
                        *slot = cur;
                        for _ in 0..c {
                            cur = cur.double();
                        }
                    }
                }
            });
        let entries = proj
            .par_chunks(1 << 14)
            .flat_map_iter(Projective::batch_to_affine)
            .collect();
        Self {
            n: bases.len(),
            c,
            windows,
            entries,
        }
    }

    /// Number of bases.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the table has no bases.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Window width.
    pub fn window(&self) -> u32 {
        self.c
    }

    /// `sum_i s_i P_i` for full scalars (`scalars.len()` must equal [`Self::len`]).
    /// Variable time.
    pub fn msm_vartime(&self, scalars: &[Scalar<C>]) -> Projective<C> {
        same_len(self.n, scalars.len());
        let halves: Vec<(u128, bool)> = scalars
            .par_chunks(4096)
            .flat_map_iter(|c| {
                c.iter().flat_map(|k| {
                    let s = decompose_limbs::<C>(&k.to_canonical_limbs());
                    [(s.k1, s.neg1), (s.k2, s.neg2)]
                })
            })
            .collect();
        let max = halves.iter().map(|h| h.0).max().unwrap_or(0);
        self.run(halves.len(), max, |j| {
            let (m, neg) = halves[j];
            (j, m, neg)
        })
    }

    /// `sum_i s_i P_i` for small integer scalars (only the `P_i` half of the table is read).
    pub fn msm_small_vartime<S: SmallScalar>(&self, scalars: &[S]) -> Projective<C> {
        same_len(self.n, scalars.len());
        let max = max_magnitude(scalars) as u128;
        self.run(scalars.len(), max, |i| {
            let (m, neg) = scalars[i].split();
            (2 * i, m as u128, neg)
        })
    }

    /// Several full-scalar MSMs over the table's bases.
    pub fn msm_many_vartime(&self, scalar_sets: &[&[Scalar<C>]]) -> Vec<Projective<C>> {
        scalar_sets
            .par_iter()
            .map(|s| self.msm_vartime(s))
            .collect()
    }

    /// Items `0..count` with `item(t) = (virtual base j, magnitude, sign)`.
    fn run(
        &self,
        count: usize,
        max_mag: u128,
        item: impl Fn(usize) -> (usize, u128, bool) + Sync,
    ) -> Projective<C> {
        if count == 0 || max_mag == 0 {
            return Projective::IDENTITY;
        }
        let plan = Plan::with_c(self.c, max_mag);
        debug_assert!(plan.windows <= self.windows);
        let used = plan.windows as usize;
        let tw = self.windows as usize;
        let buckets = if plan.windows == 1 {
            plan.top_buckets
        } else {
            plan.low_buckets.max(plan.top_buckets)
        };
        window_sum_vartime(&self.entries, count * used, buckets, |t| {
            let (k, w) = (t / used, t % used);
            let (j, m, neg) = item(k);
            (j * tw + w, plan.code(m, neg, w as u32))
        })
        .to_projective()
    }
}
