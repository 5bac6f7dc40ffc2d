//! Bucket accumulation in batch-affine form.
//!
//! One window's work ([`window_sum_vartime`]; windows of at most
//! [`MAX_BUCKETS`](super::local::MAX_BUCKETS) buckets take the chunked path of `local.rs`):
//! 1. **Sort.** A stable counting sort of the non-zero digits by bucket, in parallel over
//!    fixed chunks of [`SORT_CHUNK`] items, gives per bucket the list of (point index, sign).
//! 2. **Split.** Consecutive buckets are grouped into tasks of about [`TASK_POINTS`] points
//!    (data-dependent, never thread-dependent), run in parallel.
//! 3. **Tree-sum each bucket in affine form.** Level by level, adjacent pairs inside every
//!    bucket are added until one point per bucket is left. The first level reads the bases
//!    straight through the sorted entries (negated where the digit is negative), prefetching
//!    [`PREFETCH_AHEAD`] points ahead: these random reads, one cache line per point, are the
//!    one cost the chunked path avoids. The additions go through [`AffineBatch`]: 2048 per
//!    shared inversion, the field work in SIMD batch kernels. There are no bucket conflicts
//!    to schedule, since a level only pairs points that are already side by side.
//! 4. **Reduce.** `sum_b (b + 1) B_b` over all buckets (`reduce.rs`). The affine bucket
//!    sums are exact, so the task split does not show in the result.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::affine_batch::AffineBatch;
use super::reduce::weighted_sum_vartime;
use crate::curve::{Affine, Curve, Xyzz};

/// Points per bucket task: 2^16 affine points are 4 MiB of gathered points, which keeps a
/// task's working set near the L2/L3 boundary of the Zen 4 bench machine while leaving
/// 16 tasks per window at n = 2^20 for load balance.
pub const TASK_POINTS: usize = 1 << 16;

/// Where a level reads its points: the bases through the sorted `(index << 1 | sign)`
/// entries (first level: no gathered copy), or the previous level's output.
pub(super) trait Source<C: Curve> {
    /// Point `j` of the level (bucket order).
    fn fetch(&self, j: usize) -> Affine<C>;
    /// A hint that `fetch(j)` comes soon (default: none; sequential reads need none).
    #[inline(always)]
    fn prefetch(&self, _j: usize) {}
}

/// How many points ahead the first level prefetches its random reads of the bases. Without
/// prefetching, 70% of the first level's samples sat on these loads (`perf`, i16 at 2^20 on
/// the Zen 4 bench VM); with 32 ahead (and `Affine` aligned to its 64-byte line), CPU time
/// of that MSM on one thread fell from about 195 to 120 ms.
pub const PREFETCH_AHEAD: usize = 32;

struct Signed<'a, C: Curve> {
    points: &'a [Affine<C>],
    order: &'a [u32],
}

impl<C: Curve> Source<C> for Signed<'_, C> {
    #[inline(always)]
    fn fetch(&self, j: usize) -> Affine<C> {
        let e = self.order[j];
        let p = self.points[(e >> 1) as usize];
        if e & 1 == 1 {
            p.neg()
        } else {
            p
        }
    }

    #[inline(always)]
    fn prefetch(&self, j: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(&e) = self.order.get(j) {
            use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // One line: `Affine` is 64 bytes aligned to 64 (curve.rs).
            let p: *const Affine<C> = &self.points[(e >> 1) as usize];
            // SAFETY: SSE is part of the x86_64 baseline, and a prefetch never faults nor
            // reads memory architecturally (the address is a valid element anyway).
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = j;
    }
}

impl<C: Curve> Source<C> for [Affine<C>] {
    #[inline(always)]
    fn fetch(&self, j: usize) -> Affine<C> {
        self[j]
    }
}

/// One tree level over every bucket: bucket `b`'s `lens[b]` points (consecutive in `src`)
/// become `ceil(lens[b] / 2)` points in `out` (pair sums, then the odd point). Returns
/// whether any bucket still has more than one point.
fn tree_level_vartime<C: Curve, S: Source<C> + ?Sized>(
    batch: &mut AffineBatch<C>,
    out: &mut Vec<Affine<C>>,
    src: &S,
    lens: &mut [u32],
) -> bool {
    let total: usize = lens.iter().map(|&l| l.div_ceil(2) as usize).sum();
    out.clear();
    out.resize(total, Affine::IDENTITY);
    let (mut read, mut write) = (0usize, 0usize);
    let mut more = false;
    for l in lens.iter_mut() {
        let len = *l as usize;
        for j in 0..len / 2 {
            src.prefetch(read + 2 * j + PREFETCH_AHEAD);
            src.prefetch(read + 2 * j + PREFETCH_AHEAD + 1);
            let (p, q) = (src.fetch(read + 2 * j), src.fetch(read + 2 * j + 1));
            batch.add(out, write + j, &p, &q);
        }
        if len % 2 == 1 {
            src.prefetch(read + len - 1 + PREFETCH_AHEAD);
            out[write + len / 2] = src.fetch(read + len - 1);
        }
        read += len;
        write += len.div_ceil(2);
        *l = len.div_ceil(2) as u32;
        more |= *l > 1;
    }
    batch.flush(out);
    more
}

/// Tree-sums every bucket of one task down to at most one point: on return `lens[b] <= 1`
/// and the returned vector holds the surviving points in bucket order.
pub(super) fn tree_reduce_vartime<C: Curve, S: Source<C> + ?Sized>(
    scratch: &mut Scratch<C>,
    first: &S,
    lens: &mut [u32],
) -> Vec<Affine<C>> {
    let Scratch { batch, a, b } = scratch;
    let mut more = lens.iter().any(|&l| l > 1);
    if !more {
        // Every bucket has at most one point: copy them out.
        let count: usize = lens.iter().map(|&l| l as usize).sum();
        return (0..count).map(|j| first.fetch(j)).collect();
    }
    more = tree_level_vartime(batch, a, first, lens);
    while more {
        more = tree_level_vartime(batch, b, a.as_slice(), lens);
        core::mem::swap(a, b);
    }
    core::mem::take(a)
}

/// Per-worker buffers, reused across the tasks one worker runs (no page faults per task).
pub(super) struct Scratch<C: Curve> {
    batch: AffineBatch<C>,
    /// The tree's ping-pong buffers; `a` is also handed back by the caller after use.
    pub(super) a: Vec<Affine<C>>,
    b: Vec<Affine<C>>,
}

impl<C: Curve> Scratch<C> {
    pub(super) fn new() -> Self {
        Self {
            batch: AffineBatch::new(),
            a: Vec::new(),
            b: Vec::new(),
        }
    }
}

/// One bucket task over buckets `[b0, b1)`: the sum of each (identity when empty).
fn task_vartime<C: Curve>(
    scratch: &mut Scratch<C>,
    points: &[Affine<C>],
    order: &[u32],
    offsets: &[u32],
    b0: usize,
    b1: usize,
) -> Vec<Affine<C>> {
    let lo = offsets[b0] as usize;
    let hi = offsets[b1] as usize;
    let first = Signed {
        points,
        order: &order[lo..hi],
    };
    let mut lens: Vec<u32> = offsets[b0..=b1].windows(2).map(|w| w[1] - w[0]).collect();
    let pts = tree_reduce_vartime(scratch, &first, &mut lens);
    let sums = bucket_sums(&pts, &lens);
    // Hand the buffer back for the next task.
    scratch.a = pts;
    sums
}

/// Spreads the surviving points of a tree (`lens[b] <= 1`) to one entry per bucket.
pub(super) fn bucket_sums<C: Curve>(pts: &[Affine<C>], lens: &[u32]) -> Vec<Affine<C>> {
    let mut it = pts.iter();
    lens.iter()
        .map(|&l| match l {
            1 => it.next().copied().unwrap_or(Affine::IDENTITY),
            _ => Affine::IDENTITY,
        })
        .collect()
}

/// Items per chunk of the parallel counting sort (fixed, so the work split never depends on
/// the thread count; the sort is stable whatever the split anyway).
pub const SORT_CHUNK: usize = 1 << 16;

/// Stable counting sort of the non-zero codes by bucket, in parallel over fixed chunks:
/// returns `order` (entries `point << 1 | sign`, grouped by bucket, item order within a
/// bucket) and `offsets` (bucket `b` is `order[offsets[b]..offsets[b + 1]]`).
///
/// Pass 1 counts per chunk and bucket; the exclusive prefix over (bucket, chunk) gives each
/// chunk its first slot in every bucket; pass 2 writes every chunk's entries there.
fn sort_by_bucket(
    items: usize,
    buckets: usize,
    item: &(impl Fn(usize) -> (usize, u32) + Sync),
) -> (Vec<u32>, Vec<u32>) {
    let chunks = items.div_ceil(SORT_CHUNK);
    let range = |c: usize| c * SORT_CHUNK..((c + 1) * SORT_CHUNK).min(items);
    let mut counts: Vec<Vec<u32>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut k = vec![0u32; buckets];
            for j in range(c) {
                let code = item(j).1;
                if code != 0 {
                    k[(code >> 1) as usize - 1] += 1;
                }
            }
            k
        })
        .collect();
    let mut offsets = vec![0u32; buckets + 1];
    let mut next = 0u32;
    for b in 0..buckets {
        offsets[b] = next;
        for k in counts.iter_mut() {
            let c = k[b];
            k[b] = next;
            next += c;
        }
    }
    offsets[buckets] = next;
    // Slots are disjoint across chunks; relaxed atomic stores are plain stores on x86-64
    // and keep this free of `unsafe`.
    let order: Vec<AtomicU32> = (0..next).map(|_| AtomicU32::new(0)).collect();
    counts.par_iter_mut().enumerate().for_each(|(c, cursor)| {
        for j in range(c) {
            let (i, code) = item(j);
            if code != 0 {
                let slot = &mut cursor[(code >> 1) as usize - 1];
                order[*slot as usize].store((i as u32) << 1 | (code & 1), Ordering::Relaxed);
                *slot += 1;
            }
        }
    });
    let order = order.into_iter().map(AtomicU32::into_inner).collect();
    (order, offsets)
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
    if super::local::worth_it(buckets) {
        return super::local::window_sum_local_vartime(points, items, buckets, item);
    }
    // 1. Counting sort by bucket.
    let (order, offsets) = sort_by_bucket(items, buckets, &item);
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
    // 3. Tasks in parallel; 4. the reduction over all buckets.
    let parts: Vec<Vec<Affine<C>>> = ranges
        .par_iter()
        .map_init(Scratch::new, |scratch, &(b0, b1)| {
            task_vartime(scratch, points, &order, &offsets, b0, b1)
        })
        .collect();
    let sums: Vec<Affine<C>> = parts.into_iter().flatten().collect();
    weighted_sum_vartime(&sums)
}
