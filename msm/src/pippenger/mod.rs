//! Variable-base multi-scalar multiplication: Pippenger's bucket method with signed digits.
//!
//! | module | contents |
//! |---|---|
//! | [`window`] | [`window::Plan`]: window width from n and the real bit width; signed digits |
//! | [`affine_batch`] | many affine additions at once: SoA, batch kernels, one inversion per batch |
//! | [`buckets`] | counting sort, per-bucket tree sums (batch-affine), running-sum reduction, tasks |
//! | [`local`] | few buckets (i8 data): chunks read the bases in order and sum per bucket in cache |
//! | [`reduce`] | `sum_b (b + 1) S_b`: XYZZ running sum, or batch-affine running sums per segment |
//! | [`small`] | entry points for `i8 .. i64`, `u8 .. u64` scalars; [`SmallScalar`] |
//!
//! Full field scalars are first read as signed: `s > (r-1)/2` is the small negative `s - r`
//! when that fits 64 bits, so `-1`, `p-1` and negative fixed-point values cost their real width.
//! Wider scalars are split by GLV (`glv.rs`) into two halves below `2^127` over the bases `P`
//! and `phi(P)`. Windows run in parallel and each window's bucket tasks in parallel (rayon);
//! the split into tasks depends on the data only and partial results are combined in a fixed
//! order, so the output (its coordinates, not just the group element) is the same whatever the
//! thread count.
//!
//! Everything here is variable time (`_vartime`): never call it with secret scalars.
//! [`naive_msm`] is the reference the tests compare against.

pub mod affine_batch;
pub mod buckets;
pub mod local;
pub mod reduce;
pub mod small;
pub mod window;

pub use small::{msm_many_small_vartime, msm_small_vartime, SmallScalar};

use kaizen_field::PrimeField;
use rayon::prelude::*;

use crate::curve::{Affine, Curve, Projective, Scalar, Xyzz};
use crate::glv::decompose_limbs;
use crate::MsmError;
use window::Plan;

pub(crate) fn same_len(bases: usize, scalars: usize) {
    assert_eq!(
        bases, scalars,
        "msm: {bases} bases but {scalars} scalars (lengths must match)"
    );
}

/// The driver shared by every entry point: items `0..items` with `item(j) = (point index,
/// magnitude, negative)`, magnitudes at most `max_mag < 2^127`.
pub(crate) fn msm_core_vartime<C: Curve>(
    points: &[Affine<C>],
    items: usize,
    max_mag: u128,
    item: impl Fn(usize) -> (usize, u128, bool) + Sync,
) -> Projective<C> {
    if items == 0 || max_mag == 0 {
        return Projective::IDENTITY;
    }
    let plan = Plan::choose(items, max_mag);
    let windows: Vec<Xyzz<C>> = (0..plan.windows)
        .into_par_iter()
        .map(|w| {
            buckets::window_sum_vartime(points, items, plan.buckets(w), |j| {
                let (i, m, neg) = item(j);
                (i, plan.code(m, neg, w))
            })
        })
        .collect();
    combine_windows(&windows, plan.c).to_projective()
}

/// Horner over windows: `sum_w 2^(c w) W_w`.
pub(crate) fn combine_windows<C: Curve>(windows: &[Xyzz<C>], c: u32) -> Xyzz<C> {
    let mut acc = Xyzz::IDENTITY;
    for win in windows.iter().rev() {
        for _ in 0..c {
            acc = acc.double();
        }
        acc = acc.add_xyzz(win);
    }
    acc
}

/// A full scalar read as a signed 64-bit value when it is one: `Some((|s|, s < 0))`.
#[inline]
pub(crate) fn as_small<C: Curve>(k: &[u64; 4]) -> Option<(u64, bool)> {
    if k[1] == 0 && k[2] == 0 && k[3] == 0 {
        return Some((k[0], false));
    }
    // r - k, compared against 2^64.
    let r = <Scalar<C> as PrimeField>::MODULUS;
    let mut d = [0u64; 4];
    let mut borrow = 0u64;
    for i in 0..4 {
        let (t, b1) = r[i].overflowing_sub(k[i]);
        let (t, b2) = t.overflowing_sub(borrow);
        d[i] = t;
        borrow = (b1 | b2) as u64;
    }
    (d[1] == 0 && d[2] == 0 && d[3] == 0).then_some((d[0], true))
}

/// Bases `[P_0, phi(P_0), P_1, phi(P_1), ..]` for the GLV path.
pub(crate) fn endo_table<C: Curve>(bases: &[Affine<C>]) -> Vec<Affine<C>> {
    let mut out = vec![Affine::IDENTITY; 2 * bases.len()];
    out.par_chunks_mut(2 * 4096)
        .zip(bases.par_chunks(4096))
        .for_each(|(o, b)| {
            for (pair, p) in o.chunks_exact_mut(2).zip(b) {
                pair[0] = *p;
                pair[1] = p.endo();
            }
        });
    out
}

/// The signed (magnitude, sign) items of full scalars and whether GLV is needed.
enum Prepared {
    /// Every scalar is a signed 64-bit value.
    Small(Vec<(u64, bool)>, u64),
    /// GLV halves, item `2i` on `P_i`, `2i + 1` on `phi(P_i)`.
    Glv(Vec<(u128, bool)>, u128),
}

fn prepare<C: Curve>(scalars: &[Scalar<C>]) -> Prepared {
    let limbs: Vec<[u64; 4]> = scalars
        .par_chunks(4096)
        .flat_map_iter(|c| c.iter().map(|s| s.to_canonical_limbs()))
        .collect();
    let small: Option<Vec<(u64, bool)>> = limbs.par_iter().map(as_small::<C>).collect();
    if let Some(v) = small {
        let max = v.iter().map(|x| x.0).max().unwrap_or(0);
        return Prepared::Small(v, max);
    }
    let halves: Vec<(u128, bool)> = limbs
        .par_chunks(4096)
        .flat_map_iter(|c| {
            c.iter().flat_map(|k| {
                let s = decompose_limbs::<C>(k);
                [(s.k1, s.neg1), (s.k2, s.neg2)]
            })
        })
        .collect();
    let max = halves.iter().map(|x| x.0).max().unwrap_or(0);
    Prepared::Glv(halves, max)
}

/// Runs a prepared MSM; `table` is [`endo_table`] of the bases (only read on the GLV path).
fn msm_prepared<C: Curve>(
    bases: &[Affine<C>],
    table: &[Affine<C>],
    prepared: &Prepared,
) -> Projective<C> {
    match prepared {
        Prepared::Small(v, max) => msm_core_vartime(bases, v.len(), *max as u128, |i| {
            let (m, neg) = v[i];
            (i, m as u128, neg)
        }),
        Prepared::Glv(h, max) => msm_core_vartime(table, h.len(), *max, |j| {
            let (m, neg) = h[j];
            (j, m, neg)
        }),
    }
}

/// `sum_i s_i P_i` for full scalar-field elements. Lengths must match (a mismatch is a
/// caller bug and panics; see [`try_msm_vartime`] for input of unchecked length). Variable time.
pub fn msm_vartime<C: Curve>(bases: &[Affine<C>], scalars: &[Scalar<C>]) -> Projective<C> {
    same_len(bases.len(), scalars.len());
    let prepared = prepare::<C>(scalars);
    let table = match prepared {
        Prepared::Glv(..) => endo_table(bases),
        Prepared::Small(..) => Vec::new(),
    };
    msm_prepared(bases, &table, &prepared)
}

/// [`msm_vartime`] with a typed error instead of a panic for mismatched lengths.
pub fn try_msm_vartime<C: Curve>(
    bases: &[Affine<C>],
    scalars: &[Scalar<C>],
) -> Result<Projective<C>, MsmError> {
    if bases.len() != scalars.len() {
        return Err(MsmError::LengthMismatch {
            bases: bases.len(),
            scalars: scalars.len(),
        });
    }
    Ok(msm_vartime(bases, scalars))
}

/// Several full-scalar MSMs over the same bases in one call: the GLV base table
/// `[P, phi(P)]` is built once and shared. Every scalar vector must have `bases.len()` entries.
pub fn msm_many_vartime<C: Curve>(
    bases: &[Affine<C>],
    scalar_sets: &[&[Scalar<C>]],
) -> Vec<Projective<C>> {
    for s in scalar_sets {
        same_len(bases.len(), s.len());
    }
    let prepared: Vec<Prepared> = scalar_sets.iter().map(|s| prepare::<C>(s)).collect();
    let table = if prepared.iter().any(|p| matches!(p, Prepared::Glv(..))) {
        endo_table(bases)
    } else {
        Vec::new()
    };
    prepared
        .par_iter()
        .map(|p| msm_prepared(bases, &table, p))
        .collect()
}

/// The reference: `sum_i s_i P_i` by one double-and-add per term. Slow; for tests.
pub fn naive_msm<C: Curve>(bases: &[Affine<C>], scalars: &[Scalar<C>]) -> Projective<C> {
    same_len(bases.len(), scalars.len());
    bases
        .iter()
        .zip(scalars)
        .fold(Projective::IDENTITY, |acc, (p, s)| acc + p.mul_vartime(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generators, Bn254, Grumpkin};
    use kaizen_field::Field;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    /// The raw Jacobian coordinates (not only the group element) agree for 1 and 2 threads.
    fn raw_coordinates_independent_of_threads<C: Curve>() {
        let seed = crate::test_seed();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let n = 1 << 15;
        let bases = generators::<C>(b"threads", n);
        let full: Vec<Scalar<C>> = (0..n).map(|_| Scalar::<C>::random(&mut rng)).collect();
        let small: Vec<i8> = (0..n).map(|_| rng.next_u32() as i8).collect();
        let run = |t: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("thread pool");
            pool.install(|| {
                let a = msm_vartime(&bases, &full);
                let b = msm_small_vartime(&bases, &small);
                [a.x, a.y, a.z, b.x, b.y, b.z]
            })
        };
        assert_eq!(run(1), run(2), "{} (seed {seed})", C::NAME);
    }

    #[test]
    fn bn254_raw_coordinates_independent_of_threads() {
        raw_coordinates_independent_of_threads::<Bn254>();
    }

    #[test]
    fn grumpkin_raw_coordinates_independent_of_threads() {
        raw_coordinates_independent_of_threads::<Grumpkin>();
    }

    #[test]
    fn signed_reading_of_full_scalars() {
        use crate::curve::Scalar;
        let m1 = -Scalar::<Bn254>::ONE;
        assert_eq!(as_small::<Bn254>(&m1.to_canonical_limbs()), Some((1, true)));
        let big = -Scalar::<Bn254>::from_u128(1 << 64);
        assert_eq!(as_small::<Bn254>(&big.to_canonical_limbs()), None);
        let max = -Scalar::<Bn254>::from_u64(u64::MAX);
        assert_eq!(
            as_small::<Bn254>(&max.to_canonical_limbs()),
            Some((u64::MAX, true))
        );
    }
}
