//! The bucket phase for few buckets (at most [`MAX_BUCKETS`], e.g. `i8` data: 128 buckets):
//! chunks that read the bases in order.
//!
//! With few buckets every chunk of [`CHUNK`] consecutive items holds many points per bucket,
//! so each chunk is summed on its own:
//! 1. read the chunk's bases sequentially (hardware-prefetched) and counting-sort them,
//!    signed, into a chunk-local buffer that stays in cache;
//! 2. tree-sum each bucket in batch-affine form (`buckets.rs`), giving one partial sum per
//!    bucket and chunk;
//! 3. tree-sum the partials of each bucket across chunks (bucket-major), then the running
//!    sum over buckets.
//!
//! The global path instead sorts all items by bucket and then reads the bases in bucket
//! order, one cache miss per point. Both give the same result: a bucket's sum in affine
//! coordinates is the group element itself, whatever the order of additions, and only the
//! final running sum (the same here and there for one task) has a representation to fix.

use rayon::prelude::*;

use super::buckets::{bucket_sums, tree_reduce_vartime, Scratch};
use super::reduce::weighted_sum_vartime;
use crate::curve::{Affine, Curve, Xyzz};

/// Items per chunk: 2^13 points are 512 KiB, which with the tree's buffers stays in the
/// 1 MiB L2 of the Zen 4 bench machine.
pub const CHUNK: usize = 1 << 13;

/// Most buckets for the chunked path: a chunk then holds at least 16 points per bucket on
/// average, so the partials (one per bucket and chunk) add at most 1/16 to the additions.
pub const MAX_BUCKETS: usize = CHUNK / 16;

/// Whether a window of `buckets` buckets takes the chunked path.
///
/// Tried and dropped: chunks of `8 buckets` items for every window (i16 data: 2^18-item
/// chunks, sorted into a 16 MiB chunk buffer, then 4 partials per bucket). On one thread at
/// n = 2^20 it took 115-124 ms of CPU against 104-108 ms for the global path: random writes
/// into a buffer beyond L2 cost what the random reads of the bases cost, plus the partials.
pub(super) fn worth_it(buckets: usize) -> bool {
    buckets <= MAX_BUCKETS
}

/// Per-worker buffers of the chunked path.
struct ChunkScratch<C: Curve> {
    tree: Scratch<C>,
    sorted: Vec<Affine<C>>,
    codes: Vec<(u32, u32)>,
    offsets: Vec<u32>,
}

impl<C: Curve> ChunkScratch<C> {
    fn new() -> Self {
        Self {
            tree: Scratch::new(),
            sorted: Vec::new(),
            codes: Vec::new(),
            offsets: Vec::new(),
        }
    }
}

/// The sum of each bucket over items `range` (identity for an empty bucket).
fn chunk_sums_vartime<C: Curve>(
    s: &mut ChunkScratch<C>,
    points: &[Affine<C>],
    range: core::ops::Range<usize>,
    buckets: usize,
    item: &(impl Fn(usize) -> (usize, u32) + Sync),
) -> Vec<Affine<C>> {
    s.codes.clear();
    s.offsets.clear();
    s.offsets.resize(buckets + 1, 0);
    for j in range {
        let (i, code) = item(j);
        if code != 0 {
            let b = (code >> 1) - 1;
            s.offsets[b as usize + 1] += 1;
            s.codes.push((i as u32, code));
        }
    }
    for b in 0..buckets {
        s.offsets[b + 1] += s.offsets[b];
    }
    s.sorted.clear();
    s.sorted.resize(s.codes.len(), Affine::IDENTITY);
    let mut lens: Vec<u32> = s.offsets.windows(2).map(|w| w[1] - w[0]).collect();
    // Cursor per bucket: reuse offsets[..buckets] (each ends at its bucket's end).
    for &(i, code) in &s.codes {
        let c = &mut s.offsets[((code >> 1) - 1) as usize];
        let p = points[i as usize];
        s.sorted[*c as usize] = if code & 1 == 1 { p.neg() } else { p };
        *c += 1;
    }
    let pts = tree_reduce_vartime(&mut s.tree, s.sorted.as_slice(), &mut lens);
    let sums = bucket_sums(&pts, &lens);
    s.tree.a = pts;
    sums
}

/// [`super::buckets::window_sum_vartime`] for at most [`MAX_BUCKETS`] buckets (module doc).
pub(super) fn window_sum_local_vartime<C: Curve>(
    points: &[Affine<C>],
    items: usize,
    buckets: usize,
    item: impl Fn(usize) -> (usize, u32) + Sync,
) -> Xyzz<C> {
    let chunks: Vec<Vec<Affine<C>>> = (0..items.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(ChunkScratch::new, |s, c| {
            let range = c * CHUNK..((c + 1) * CHUNK).min(items);
            chunk_sums_vartime(s, points, range, buckets, &item)
        })
        .collect();
    // Bucket-major partials: bucket b's are entries [b nc, (b + 1) nc).
    let nc = chunks.len();
    let mut partials = vec![Affine::IDENTITY; buckets * nc];
    for (c, sums) in chunks.iter().enumerate() {
        for (b, p) in sums.iter().enumerate() {
            partials[b * nc + c] = *p;
        }
    }
    let mut lens = vec![nc as u32; buckets];
    let mut scratch = Scratch::new();
    let sums = tree_reduce_vartime(&mut scratch, partials.as_slice(), &mut lens);
    weighted_sum_vartime(&sums)
}
