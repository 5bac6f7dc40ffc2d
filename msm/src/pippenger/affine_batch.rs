//! Many independent affine additions at once, in structure-of-arrays form on `field`'s batch
//! kernels (AVX-512 IFMA / AVX2 / NEON / portable, chosen at run time).
//!
//! Every entry is an addition `P + Q` of two non-identity points with a finite slope:
//!
//! ```text
//! chord   (xP != xQ):        lambda = (yQ - yP) / (xQ - xP)
//! tangent (P = Q, y != 0):   lambda = 3 xP^2 / (2 yP)
//! both:   x3 = lambda^2 - (xP + xQ),   y3 = lambda (xP - x3) - yP
//! ```
//!
//! so an entry is stored as `(den, num, xP + xQ, xP, yP)` and both cases share one kernel
//! sequence. (`P = -Q` and the identity are the caller's business: they need no slope.)
//!
//! ## One inversion per batch, in `W` interleaved chains
//!
//! Montgomery's trick runs lane-wise over blocks of [`CHAIN_LANES`] denominators, so every
//! product is a batch-kernel call on `W` elements instead of one serial scalar chain:
//!
//! ```text
//! pre_0 = d_0,  pre_b = pre_{b-1} * d_b            (lane-wise, blocks b = 0 .. nb-1)
//! inv   = pre_{nb-1}^-1                            (W scalar inverses, one field inversion)
//! for b = nb-1 .. 1:  d_b^-1 = inv * pre_{b-1};  inv = inv * d_b
//! d_0^-1 = inv
//! ```
//!
//! Cost per entry: 3M for the inversion, then `lambda = num d^-1` (1M), `lambda^2` (1M),
//! `lambda (xP - x3)` (1M) and three subtractions in one fused kernel
//! (`kaizen_field::batch::slope_step`); the results are exact affine coordinates, so they
//! do not depend on how entries are grouped into batches.

use kaizen_field::{batch, Fp, FpParams};

use crate::curve::{Affine, Base, Curve};

/// Lanes of the inversion chains: a multiple of every backend's vector width (8 for IFMA),
/// long enough that the per-call overhead of a batch kernel is small, short enough that the
/// final scalar step (3 W scalar multiplications, about 3 us, and one inversion, about
/// 1.5 us) costs about 2 ns per entry at [`BATCH`] entries.
pub const CHAIN_LANES: usize = 64;

/// Entries per batch: 2048 entries keep the eight 64 KiB coordinate arrays in L2 (1 MiB on
/// the Zen 4 bench machine) while amortising the per-batch scalar step (above).
pub const BATCH: usize = 2048;

/// A batch of pending additions with the output slot of each (see the module doc).
pub(crate) struct AffineBatch<C: Curve> {
    len: usize,
    den: Vec<Base<C>>,
    num: Vec<Base<C>>,
    sum_x: Vec<Base<C>>,
    x1: Vec<Base<C>>,
    y1: Vec<Base<C>>,
    pre: Vec<Base<C>>,
    tmp: Vec<Base<C>>,
    x3: Vec<Base<C>>,
    slot: Vec<u32>,
    lane_scratch: Vec<Base<C>>,
}

impl<C: Curve> AffineBatch<C> {
    /// An empty batch (allocates its arrays once).
    pub(crate) fn new() -> Self {
        let v = || vec![Fp::ZERO; BATCH];
        Self {
            len: 0,
            den: v(),
            num: v(),
            sum_x: v(),
            x1: v(),
            y1: v(),
            pre: v(),
            tmp: v(),
            x3: v(),
            slot: vec![0; BATCH],
            lane_scratch: vec![Fp::ZERO; CHAIN_LANES],
        }
    }

    /// Queues `out[slot] = p + q` for non-identity `p`, `q` with `p != -q`; when the batch is
    /// full it is computed into `out`. Anything else is computed at once (no slope needed).
    #[inline]
    pub(crate) fn add(&mut self, out: &mut [Affine<C>], slot: usize, p: &Affine<C>, q: &Affine<C>) {
        if p.is_identity() {
            out[slot] = *q;
            return;
        }
        if q.is_identity() {
            out[slot] = *p;
            return;
        }
        let k = self.len;
        if p.x != q.x {
            self.den[k] = q.x - p.x;
            self.num[k] = q.y - p.y;
            self.sum_x[k] = p.x + q.x;
        } else if p.y == q.y {
            // Tangent; y != 0 since both curves have odd order.
            let xx = p.x.square();
            self.den[k] = p.y.double();
            self.num[k] = xx.double() + xx;
            self.sum_x[k] = p.x.double();
        } else {
            out[slot] = Affine::IDENTITY;
            return;
        }
        self.x1[k] = p.x;
        self.y1[k] = p.y;
        self.slot[k] = slot as u32;
        self.len = k + 1;
        if self.len == BATCH {
            self.flush(out);
        }
    }

    /// Computes every queued addition into `out` and empties the batch.
    pub(crate) fn flush(&mut self, out: &mut [Affine<C>]) {
        let m = self.len;
        if m == 0 {
            return;
        }
        self.len = 0;
        let w = CHAIN_LANES;
        let nb = m.div_ceil(w);
        // Padding lanes get denominator 1 so every chain product stays invertible.
        self.den[m..nb * w].fill(Fp::ONE);
        self.invert_denominators(nb);
        let n = m;
        // lambda = num / den, x3 = lambda^2 - (xP + xQ), y3 = lambda (xP - x3) - yP, fused;
        // x3 into `x3`, y3 into `tmp`.
        batch::slope_step(
            &mut self.x3[..n],
            &mut self.tmp[..n],
            &self.num[..n],
            &self.pre[..n],
            &self.sum_x[..n],
            &self.x1[..n],
            &self.y1[..n],
        );
        for k in 0..n {
            out[self.slot[k] as usize] = Affine::new_unchecked(self.x3[k], self.tmp[k]);
        }
    }

    /// `pre[..nb W] = den^-1` lane-wise (module doc); `den` is left intact.
    fn invert_denominators(&mut self, nb: usize) {
        invert_lanes(
            &mut self.pre,
            &self.den,
            &mut self.tmp[..CHAIN_LANES],
            &mut self.lane_scratch,
            nb,
            Fp::ONE,
        );
    }
}

/// `out[..nb W] = scale den[..nb W]^-1` by [`CHAIN_LANES`] interleaved Montgomery chains
/// (module doc), `W = CHAIN_LANES`; every `den` entry must be non-zero (pad with ones).
/// `inv` and `lane_scratch` are `W`-entry scratch; `den` is left intact. `scale` multiplies
/// the `W` chain inverses before the backward pass, which scales every output (each output is
/// a chain inverse times products of denominators): `W` multiplications for all entries.
pub(crate) fn invert_lanes<P: FpParams>(
    out: &mut [Fp<P>],
    den: &[Fp<P>],
    inv: &mut [Fp<P>],
    lane_scratch: &mut [Fp<P>],
    nb: usize,
    scale: Fp<P>,
) {
    let w = CHAIN_LANES;
    out[..w].copy_from_slice(&den[..w]);
    for b in 1..nb {
        let (done, rest) = out.split_at_mut(b * w);
        batch::mul(
            &mut rest[..w],
            &done[(b - 1) * w..],
            &den[b * w..(b + 1) * w],
        );
    }
    // inv = (product of each lane's chain)^-1.
    inv.copy_from_slice(&out[(nb - 1) * w..nb * w]);
    batch::batch_inverse(inv, lane_scratch);
    if scale != Fp::ONE {
        inv.iter_mut().for_each(|v| *v *= scale);
    }
    for b in (1..nb).rev() {
        let (done, rest) = out.split_at_mut(b * w);
        batch::mul(&mut rest[..w], inv, &done[(b - 1) * w..]);
        batch::mul_assign(inv, &den[b * w..(b + 1) * w]);
    }
    out[..w].copy_from_slice(inv);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bn254, G1Affine};

    /// Every kind of pair, across several batches and a partial last chain block, against
    /// projective addition.
    #[test]
    fn batch_matches_projective_addition() {
        let g = G1Affine::generator().to_projective();
        let mut pts = Vec::new();
        let mut cur = g;
        for _ in 0..700 {
            pts.push(cur.to_affine());
            cur = cur.double() + g;
        }
        let id = G1Affine::IDENTITY;
        let mut pairs: Vec<(G1Affine, G1Affine)> = Vec::new();
        for i in 0..(2 * BATCH + 77) {
            let p = pts[i % pts.len()];
            let q = pts[(i * 7 + 3) % pts.len()];
            pairs.push(match i % 11 {
                0 => (p, p),
                1 => (p, p.neg()),
                2 => (id, q),
                3 => (p, id),
                4 => (id, id),
                _ => (p, q),
            });
        }
        let mut out = vec![id; pairs.len()];
        let mut batch = AffineBatch::<Bn254>::new();
        for (k, (p, q)) in pairs.iter().enumerate() {
            batch.add(&mut out, k, p, q);
        }
        batch.flush(&mut out);
        for (k, (p, q)) in pairs.iter().enumerate() {
            let want = (p.to_projective() + q.to_projective()).to_affine();
            assert_eq!(out[k], want, "pair {k}");
        }
    }
}
