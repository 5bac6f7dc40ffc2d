//! The one parallel shim: fixed-size chunks over rayon, serial below a threshold.
//!
//! Chunks have a fixed length ([`CHUNK`]), never "one per thread", so anything computed or
//! seeded per chunk is the same whatever the thread count. Field addition is associative and
//! commutative exactly, so reductions give identical results in any order.

use rayon::prelude::*;

/// Elements per parallel task. 4096 field elements = 128 KiB per input slice: large enough
/// to amortise rayon's task cost (~1 us) against ~10 us of kernel work, small enough to
/// balance two to sixteen threads.
pub const CHUNK: usize = 1 << 12;

/// Below this many elements kernels run serially on the calling thread.
pub const THRESHOLD: usize = 1 << 14;

/// Whether a slice of `len` elements is worth splitting.
#[inline]
pub fn worth_splitting(len: usize) -> bool {
    len >= THRESHOLD && rayon::current_num_threads() > 1
}

/// `f(out_chunk, in_chunk)` over aligned fixed-size chunks of `out` and `a`.
pub fn zip2<A: Sync, O: Send>(out: &mut [O], a: &[A], f: impl Fn(&mut [O], &[A]) + Sync + Send) {
    debug_assert_eq!(out.len(), a.len());
    if worth_splitting(out.len()) {
        out.par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .for_each(|(o, x)| f(o, x));
    } else {
        f(out, a)
    }
}

/// `f(out_chunk, a_chunk, b_chunk)` over aligned fixed-size chunks.
pub fn zip3<A: Sync, B: Sync, O: Send>(
    out: &mut [O],
    a: &[A],
    b: &[B],
    f: impl Fn(&mut [O], &[A], &[B]) + Sync + Send,
) {
    debug_assert!(out.len() == a.len() && a.len() == b.len());
    if worth_splitting(out.len()) {
        out.par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .zip(b.par_chunks(CHUNK))
            .for_each(|((o, x), y)| f(o, x, y));
    } else {
        f(out, a, b)
    }
}

/// `f(out_chunk)` over fixed-size chunks of `out`.
pub fn each_mut<O: Send>(out: &mut [O], f: impl Fn(&mut [O]) + Sync + Send) {
    if worth_splitting(out.len()) {
        out.par_chunks_mut(CHUNK).for_each(f);
    } else {
        f(out)
    }
}

/// Map fixed-size chunk pairs to values and reduce them with `combine` (which must be
/// associative and commutative for the result not to depend on the split).
pub fn map_reduce2<A: Sync, B: Sync, T: Send + Sync + Copy>(
    a: &[A],
    b: &[B],
    identity: T,
    map: impl Fn(&[A], &[B]) -> T + Sync + Send,
    combine: impl Fn(T, T) -> T + Sync + Send,
) -> T {
    debug_assert_eq!(a.len(), b.len());
    if worth_splitting(a.len()) {
        a.par_chunks(CHUNK)
            .zip(b.par_chunks(CHUNK))
            .map(|(x, y)| map(x, y))
            .reduce(|| identity, &combine)
    } else {
        map(a, b)
    }
}
