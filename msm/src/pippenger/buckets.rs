//! Bucket accumulation in batch-affine form, and the running-sum reduction.
//!
//! One window's work ([`window_sum_vartime`]):
//! 1. **Sort.** A counting sort of the non-zero digits by bucket gives, per bucket, the list
//!    of (point index, sign).
//! 2. **Split.** Consecutive buckets are grouped into tasks of about [`TASK_POINTS`] points.
//!    The split depends on the data only, never on the thread count, and tasks are combined
//!    in a fixed order: the result's coordinates are the same for any number of threads.
//! 3. **Tree-sum each bucket in affine form.** The task gathers its points (negated where the
//!    digit is negative), then repeatedly adds adjacent pairs inside every bucket until one
//!    point per bucket is left. All additions of one level share one field inversion
//!    (Montgomery's trick), so an addition costs about 5M + 1S instead of 8M + 2S (XYZZ
//!    mixed addition). There are no bucket conflicts to schedule, since a level only pairs
//!    points that are already side by side.
//! 4. **Reduce.** `sum_b (b + 1) B_b` by the running sum (XYZZ), per task over its buckets
//!    `[b0, b1)`: `sum (b - b0 + 1) B_b + b0 sum B_b`.

use kaizen_field::Fp;
use rayon::prelude::*;

use crate::curve::{Affine, Base, Curve, Xyzz};

/// Points per bucket task: 2^16 affine points are 4 MiB of gathered points, which keeps a
/// task's working set near the L2/L3 boundary of the Zen 4 bench machine while leaving
/// 16 tasks per window at n = 2^20 for load balance.
pub const TASK_POINTS: usize = 1 << 16;

/// The kind of one affine addition `p + q`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `q` is the identity, or `p + q` is the identity (`q = -p`): result without a division.
    TakeP,
    /// `p` is the identity.
    TakeQ,
    /// `p + q = 0`.
    Zero,
    /// `p = q`: tangent slope `3x^2 / 2y`.
    Double,
    /// Chord slope `(yq - yp) / (xq - xp)`.
    Add,
}

#[inline(always)]
fn kind<C: Curve>(p: &Affine<C>, q: &Affine<C>) -> Kind {
    if q.is_identity() {
        Kind::TakeP
    } else if p.is_identity() {
        Kind::TakeQ
    } else if p.x == q.x {
        if p.y == q.y {
            Kind::Double
        } else {
            Kind::Zero
        }
    } else {
        Kind::Add
    }
}

#[inline(always)]
fn denominator<C: Curve>(k: Kind, p: &Affine<C>, q: &Affine<C>) -> Base<C> {
    match k {
        Kind::Add => q.x - p.x,
        Kind::Double => p.y.double(),
        _ => Fp::ONE,
    }
}

/// `out[k] = pts[idx[k]] + pts[idx[k] + 1]` for every `k`, with one shared inversion.
/// `prefix` is scratch of the same length as `idx`. Variable time.
pub(crate) fn batch_add_adjacent_vartime<C: Curve>(
    out: &mut Vec<Affine<C>>,
    prefix: &mut Vec<Base<C>>,
    pts: &[Affine<C>],
    idx: &[u32],
) {
    out.clear();
    out.resize(idx.len(), Affine::IDENTITY);
    prefix.clear();
    prefix.resize(idx.len(), Fp::ZERO);
    let mut acc = Base::<C>::ONE;
    for (pre, &i) in prefix.iter_mut().zip(idx) {
        let (p, q) = (&pts[i as usize], &pts[i as usize + 1]);
        *pre = acc;
        let k = kind(p, q);
        if matches!(k, Kind::Add | Kind::Double) {
            acc *= denominator(k, p, q);
        }
    }
    // acc is a product of non-zero values (distinct x, or y != 0 on odd-order curves).
    let mut inv = acc.inverse().unwrap_or(Fp::ZERO);
    for ((o, pre), &i) in out.iter_mut().zip(prefix.iter()).zip(idx).rev() {
        let (p, q) = (&pts[i as usize], &pts[i as usize + 1]);
        let k = kind(p, q);
        *o = match k {
            Kind::TakeP => *p,
            Kind::TakeQ => *q,
            Kind::Zero => Affine::IDENTITY,
            Kind::Add | Kind::Double => {
                let d = denominator(k, p, q);
                let d_inv = inv * *pre;
                inv *= d;
                let num = if k == Kind::Add {
                    q.y - p.y
                } else {
                    let xx = p.x.square();
                    xx.double() + xx
                };
                let lambda = num * d_inv;
                let x3 = lambda.square() - p.x - q.x;
                let y3 = lambda * (p.x - x3) - p.y;
                Affine::new_unchecked(x3, y3)
            }
        };
    }
}

/// Tree-sums each segment of `pts` (segment lengths in `lens`) down to at most one point.
/// On return `lens[b] <= 1` and `pts` holds the surviving points in segment order.
fn tree_reduce_vartime<C: Curve>(pts: &mut Vec<Affine<C>>, lens: &mut [u32]) {
    let mut idx: Vec<u32> = Vec::new();
    let mut sums: Vec<Affine<C>> = Vec::new();
    let mut prefix: Vec<Base<C>> = Vec::new();
    loop {
        idx.clear();
        let mut start = 0u32;
        for &l in lens.iter() {
            for j in 0..l / 2 {
                idx.push(start + 2 * j);
            }
            start += l;
        }
        if idx.is_empty() {
            return;
        }
        batch_add_adjacent_vartime(&mut sums, &mut prefix, pts, &idx);
        // Compact: bucket b's new segment is its pair sums, then its odd point if any.
        // Writes never pass the read position (new lengths are at most the old ones).
        let (mut read, mut write, mut s) = (0usize, 0usize, 0usize);
        for l in lens.iter_mut() {
            let len = *l as usize;
            let half = len / 2;
            if len % 2 == 1 {
                pts[write + half] = pts[read + len - 1];
            }
            pts[write..write + half].copy_from_slice(&sums[s..s + half]);
            s += half;
            read += len;
            let new_len = len.div_ceil(2);
            write += new_len;
            *l = new_len as u32;
        }
        pts.truncate(write);
    }
}

/// Running sum over buckets `B_0 .. B_{k-1}` (multipliers `1 .. k`): returns
/// `(sum_b (b + 1) B_b, sum_b B_b)`. `None` entries are empty buckets.
fn running_sum_vartime<C: Curve>(
    buckets: impl DoubleEndedIterator<Item = Option<Affine<C>>>,
) -> (Xyzz<C>, Xyzz<C>) {
    let mut running = Xyzz::IDENTITY;
    let mut total = Xyzz::IDENTITY;
    for b in buckets.rev() {
        if let Some(p) = b {
            running = running.add_affine(&p);
        }
        total = total.add_xyzz(&running);
    }
    (total, running)
}

/// One bucket task over buckets `[b0, b1)`: gather, tree-sum, reduce.
fn task_vartime<C: Curve>(
    points: &[Affine<C>],
    order: &[u32],
    offsets: &[u32],
    b0: usize,
    b1: usize,
) -> Xyzz<C> {
    let lo = offsets[b0] as usize;
    let hi = offsets[b1] as usize;
    let mut pts: Vec<Affine<C>> = order[lo..hi]
        .iter()
        .map(|&e| {
            let p = points[(e >> 1) as usize];
            if e & 1 == 1 {
                p.neg()
            } else {
                p
            }
        })
        .collect();
    let mut lens: Vec<u32> = offsets[b0..=b1].windows(2).map(|w| w[1] - w[0]).collect();
    tree_reduce_vartime(&mut pts, &mut lens);
    let mut it = pts.iter();
    let sums: Vec<Option<Affine<C>>> = lens
        .iter()
        .map(|&l| if l == 1 { it.next().copied() } else { None })
        .collect();
    let (total, sum) = running_sum_vartime(sums.into_iter());
    total.add_xyzz(&sum.mul_u64_vartime(b0 as u64))
}

/// `sum_j d_j P_{i_j}` for one window: `item(j)` gives the point index and bucket code of
/// item `j` (code 0: skip; else `|d| << 1 | sign`, `|d| <= buckets`). See the module doc.
pub(crate) fn window_sum_vartime<C: Curve>(
    points: &[Affine<C>],
    items: usize,
    buckets: usize,
    item: impl Fn(usize) -> (usize, u32) + Sync,
) -> Xyzz<C> {
    if buckets == 0 || items == 0 {
        return Xyzz::IDENTITY;
    }
    assert!(points.len() < 1 << 31, "msm: at most 2^31 points");
    // 1. Counting sort by bucket.
    let mut codes: Vec<(u32, u32)> = Vec::with_capacity(items);
    let mut offsets = vec![0u32; buckets + 1];
    for j in 0..items {
        let (i, code) = item(j);
        if code != 0 {
            let b = (code >> 1) as usize - 1;
            offsets[b + 1] += 1;
            codes.push(((i as u32) << 1 | (code & 1), b as u32));
        }
    }
    for b in 0..buckets {
        offsets[b + 1] += offsets[b];
    }
    let mut cursor = offsets.clone();
    let mut order = vec![0u32; codes.len()];
    for &(e, b) in &codes {
        let c = &mut cursor[b as usize];
        order[*c as usize] = e;
        *c += 1;
    }
    drop(codes);
    // 2. Split into tasks of about TASK_POINTS points (data-dependent, thread-independent).
    let mut ranges = Vec::new();
    let mut b0 = 0;
    for b in 0..buckets {
        if (offsets[b + 1] - offsets[b0]) as usize >= TASK_POINTS {
            ranges.push((b0, b + 1));
            b0 = b + 1;
        }
    }
    if b0 < buckets {
        ranges.push((b0, buckets));
    }
    // 3-4. Tasks in parallel, combined in order.
    let parts: Vec<Xyzz<C>> = ranges
        .par_iter()
        .map(|&(b0, b1)| task_vartime(points, &order, &offsets, b0, b1))
        .collect();
    parts.iter().fold(Xyzz::IDENTITY, |acc, p| acc.add_xyzz(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bn254, G1Affine, G1Projective};

    #[test]
    fn batch_add_handles_every_kind() {
        let g = G1Affine::generator();
        let g2 = g.to_projective().double().to_affine();
        let id = G1Affine::IDENTITY;
        let pts = vec![g, g, g, g.neg(), id, g2, g2, id, id, id, g, g2];
        let idx: Vec<u32> = (0..pts.len() as u32 - 1).collect();
        let mut out = Vec::new();
        let mut pre = Vec::new();
        batch_add_adjacent_vartime::<Bn254>(&mut out, &mut pre, &pts, &idx);
        for (k, &i) in idx.iter().enumerate() {
            let want =
                (pts[i as usize].to_projective() + pts[i as usize + 1].to_projective()).to_affine();
            assert_eq!(out[k], want, "pair {i}");
        }
        let _ = G1Projective::IDENTITY;
    }
}
