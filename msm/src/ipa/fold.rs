//! The generator fold of one IPA round, `G'_i = G_L[i] + x G_R[i]` for every `i`, with one
//! challenge `x = k1 + k2 lambda` (`k1`, `k2 < 2^64`, see [`super::RoundChallenge`]) shared
//! by all points.
//!
//! ## Shared-scalar chain in batch-affine form
//!
//! `x P = k1 P + k2 phi(P)` (GLV endomorphism, `phi(x, y) = (beta x, y)`). Both 64-bit
//! halves are written in width-4 NAF (digits `0, ±1, ±3, ±5, ±7`, at most one non-zero digit
//! in any 4 consecutive positions), and every point runs the SAME left-to-right chain:
//!
//! ```text
//! table  T_j = (2j + 1) P, j = 0..3          (1 doubling + 3 additions; phi(T_j) = (beta x, y))
//! acc    = digit at the top position          (a table entry, no operation)
//! for pos = top - 1 .. 0:  acc = 2 acc;  acc += ±T[d1(pos)];  acc += ±phi(T)[d2(pos)]
//! G'     = acc + G_L
//! ```
//!
//! About 64 doublings and 2 * 64 / 5 ≈ 26 additions per point. Because the sequence of
//! operations is the same for all points, each step is one batch over a chunk of
//! [`FOLD_CHUNK`] points in structure-of-arrays form: the slope denominators are inverted
//! by Montgomery's trick in [`CHAIN_LANES`] interleaved chains (3M per entry plus one
//! inversion per chunk step), then `kaizen_field::batch::slope_step` finishes the affine
//! addition (3M) on the SIMD backend:
//!
//! ```text
//! doubling:      den = y,          num = x^2,        x3 = l^2 - 2 x,       l = (3/2) num / den
//! add  +Q:       den = xQ - x,     num = yQ - y,     x3 = l^2 - (x + xQ),  l = num / den
//! add  -Q:       den = x - xQ,     num = yQ + y      (the slope of -Q, sign moved to den)
//! both:          y3 = l (x - x3) - y
//! ```
//!
//! A zero denominator (an identity input, or `acc = ±Q`: impossible for non-identity
//! points, since `acc` and `Q` are `c1 P + c2 phi(P)` with `|c1|, |c2| < 2^66`, and two such
//! combinations are equal only if the coefficients are, the lattice of `(c1, c2)` with
//! `c1 + c2 lambda = 0 mod r` having no non-zero vector shorter than `2^126`) sends the whole
//! chunk to the projective fallback. Both paths produce exact affine coordinates, so the
//! output does not depend on chunking or on the thread count.

use kaizen_field::{batch, Field, Fp, FpParams};
use rayon::prelude::*;

use crate::curve::{Affine, Base, Curve, Projective, Scalar};
use crate::pippenger::affine_batch::{invert_lanes, CHAIN_LANES};

/// Points per chunk: each chunk keeps 640 bytes per point in flight (accumulator and its
/// successor, the 4-entry table and its `phi` x-coordinates, 4 scratch arrays), so 1024
/// points stay in the 1 MiB L2 of the Zen 4 bench machine (not tuned further: measuring
/// needs a quiet machine, see the IPA module doc).
pub const FOLD_CHUNK: usize = 1024;

/// NAF width: table of the 4 odd multiples `P, 3P, 5P, 7P`.
const NAF_WIDTH: u32 = 4;
/// Table entries `2^(NAF_WIDTH - 2)`.
const TABLE: usize = 1 << (NAF_WIDTH - 2);
/// Digit positions of a 64-bit NAF (a NAF may be one digit longer than the integer).
const DIGITS: usize = 65;

/// Width-4 NAF of `k`, least significant digit first.
fn naf(k: u64) -> [i8; DIGITS] {
    let mut out = [0i8; DIGITS];
    let mut k = k as u128;
    let mut pos = 0;
    while k != 0 {
        if k & 1 == 1 {
            let m = (k & ((1 << NAF_WIDTH) - 1)) as i8;
            let d = if m >= 1 << (NAF_WIDTH - 1) {
                m - (1 << NAF_WIDTH)
            } else {
                m
            };
            out[pos] = d;
            k = k.wrapping_sub(d as i128 as u128);
        }
        k >>= 1;
        pos += 1;
    }
    out
}

/// `out[i] = left[i] + x right[i]` with `x = k1 + k2 lambda` (module doc). All three slices
/// have the same length (caller bug otherwise). Variable time (public challenge).
pub fn fold_generators_vartime<C: Curve>(
    out: &mut [Affine<C>],
    left: &[Affine<C>],
    right: &[Affine<C>],
    k1: u64,
    k2: u64,
) {
    assert!(
        out.len() == left.len() && left.len() == right.len(),
        "fold: {} outputs, {} + {} inputs",
        out.len(),
        left.len(),
        right.len()
    );
    let digits = [naf(k1), naf(k2)];
    out.par_chunks_mut(FOLD_CHUNK)
        .zip(left.par_chunks(FOLD_CHUNK))
        .zip(right.par_chunks(FOLD_CHUNK))
        .for_each_init(Chunk::<C>::new, |chunk, ((o, l), r)| {
            if chunk.fold(o, l, r, &digits).is_none() {
                fallback(o, l, r, k1, k2);
            }
        });
}

/// The projective route for a chunk with an exceptional case.
fn fallback<C: Curve>(
    out: &mut [Affine<C>],
    left: &[Affine<C>],
    right: &[Affine<C>],
    k1: u64,
    k2: u64,
) {
    let x = Scalar::<C>::from_u64(k1) + Scalar::<C>::from_u64(k2) * C::ENDO_LAMBDA;
    let proj: Vec<Projective<C>> = left
        .iter()
        .zip(right)
        .map(|(l, r)| r.to_projective().mul_vartime(&x) + *l)
        .collect();
    out.copy_from_slice(&Projective::batch_to_affine(&proj));
}

/// One chunk's arrays (allocated once per rayon worker).
struct Chunk<C: Curve> {
    /// Accumulator and the next accumulator (swapped after every step).
    ax: Vec<Base<C>>,
    ay: Vec<Base<C>>,
    bx: Vec<Base<C>>,
    by: Vec<Base<C>>,
    /// Table `T_j = (2j + 1) P` and `beta x(T_j)`.
    tx: Vec<Vec<Base<C>>>,
    ty: Vec<Vec<Base<C>>>,
    tphi: Vec<Vec<Base<C>>>,
    den: Vec<Base<C>>,
    num: Vec<Base<C>>,
    sum_x: Vec<Base<C>>,
    dinv: Vec<Base<C>>,
    inv: Vec<Base<C>>,
    lane_scratch: Vec<Base<C>>,
    /// `3 / 2` in the base field (the doubling slope's constant).
    three_halves: Base<C>,
}

/// An operand of an addition step: table entry `j`, on `P` or on `phi(P)`, with a sign.
#[derive(Clone, Copy)]
struct Operand {
    entry: usize,
    phi: bool,
    neg: bool,
}

impl Operand {
    fn from_digit(d: i8, phi: bool) -> Option<Self> {
        (d != 0).then(|| Self {
            entry: (d.unsigned_abs() as usize) / 2,
            phi,
            neg: d < 0,
        })
    }
}

impl<C: Curve> Chunk<C> {
    fn new() -> Self {
        let v = || vec![Fp::ZERO; FOLD_CHUNK];
        Self {
            ax: v(),
            ay: v(),
            bx: v(),
            by: v(),
            tx: (0..TABLE).map(|_| v()).collect(),
            ty: (0..TABLE).map(|_| v()).collect(),
            tphi: (0..TABLE).map(|_| v()).collect(),
            den: v(),
            num: v(),
            sum_x: v(),
            dinv: v(),
            inv: vec![Fp::ZERO; CHAIN_LANES],
            lane_scratch: vec![Fp::ZERO; CHAIN_LANES],
            // 2 is invertible in an odd-characteristic field.
            three_halves: Base::<C>::from_u64(3)
                * Base::<C>::from_u64(2).inverse().unwrap_or(Fp::ZERO),
        }
    }

    /// The fast path; `None` on an exceptional case (nothing written to `out` then).
    fn fold(
        &mut self,
        out: &mut [Affine<C>],
        left: &[Affine<C>],
        right: &[Affine<C>],
        digits: &[[i8; DIGITS]; 2],
    ) -> Option<()> {
        let n = out.len();
        if right.iter().chain(left).any(Affine::is_identity) {
            return None;
        }
        let Some(top) = (0..DIGITS)
            .rev()
            .find(|&p| digits[0][p] != 0 || digits[1][p] != 0)
        else {
            out.copy_from_slice(left);
            return Some(());
        };
        // Table: T_0 = P, acc = 2P, T_j = T_{j-1} + 2P.
        for (i, p) in right.iter().enumerate() {
            self.tx[0][i] = p.x;
            self.ty[0][i] = p.y;
            self.ax[i] = p.x;
            self.ay[i] = p.y;
        }
        self.double(n)?;
        for j in 1..TABLE {
            let (done, rest) = self.tx.split_at_mut(j);
            let (ydone, yrest) = self.ty.split_at_mut(j);
            // (ax, ay) = 2P; T_j = 2P + T_{j-1}, computed as acc + T_{j-1} without moving acc.
            sub_den_num(
                &mut self.den[..n],
                &mut self.num[..n],
                &mut self.sum_x[..n],
                (&done[j - 1][..n], &ydone[j - 1][..n]),
                (&self.ax[..n], &self.ay[..n]),
                false,
            );
            invert(
                &mut self.dinv,
                &mut self.den,
                &mut self.inv,
                &mut self.lane_scratch,
                n,
                Fp::ONE,
            )?;
            batch::slope_step(
                &mut rest[0][..n],
                &mut yrest[0][..n],
                &self.num[..n],
                &self.dinv[..n],
                &self.sum_x[..n],
                &self.ax[..n],
                &self.ay[..n],
            );
        }
        for j in 0..TABLE {
            batch::scale(&mut self.tphi[j][..n], &self.tx[j][..n], C::ENDO_BETA);
        }
        // acc = the top digits.
        let first = [
            Operand::from_digit(digits[0][top], false),
            Operand::from_digit(digits[1][top], true),
        ];
        let mut ops = first.iter().flatten();
        let start = ops.next().copied()?;
        let sx = if start.phi {
            &self.tphi[start.entry]
        } else {
            &self.tx[start.entry]
        };
        self.ax[..n].copy_from_slice(&sx[..n]);
        self.ay[..n].copy_from_slice(&self.ty[start.entry][..n]);
        if start.neg {
            self.ay[..n].iter_mut().for_each(|y| *y = -*y);
        }
        for op in ops {
            self.add(*op, n)?;
        }
        for pos in (0..top).rev() {
            self.double(n)?;
            for (half, phi) in [(0, false), (1, true)] {
                if let Some(op) = Operand::from_digit(digits[half][pos], phi) {
                    self.add(op, n)?;
                }
            }
        }
        // G' = acc + G_L: the left points go to the table's first slot (no longer needed).
        for (i, p) in left.iter().enumerate() {
            self.tx[0][i] = p.x;
            self.ty[0][i] = p.y;
        }
        self.add(
            Operand {
                entry: 0,
                phi: false,
                neg: false,
            },
            n,
        )?;
        for (i, o) in out.iter_mut().enumerate() {
            *o = Affine::new_unchecked(self.ax[i], self.ay[i]);
        }
        Some(())
    }

    /// `acc = 2 acc` for the first `n` lanes.
    fn double(&mut self, n: usize) -> Option<()> {
        // lambda = 3 x^2 / (2 y) = x^2 * (3/2) y^-1: num = x^2 (one SIMD squaring), the
        // denominators are the y themselves and the constant 3/2 scales the lane inverses
        // (`invert_lanes`' `scale`: 64 multiplications instead of two additions per point).
        batch::mul(&mut self.num[..n], &self.ax[..n], &self.ax[..n]);
        for (s, x) in self.sum_x[..n].iter_mut().zip(&self.ax[..n]) {
            *s = x.double();
        }
        // ay's entries past n are scratch (padding), never read back as coordinates.
        invert(
            &mut self.dinv,
            &mut self.ay,
            &mut self.inv,
            &mut self.lane_scratch,
            n,
            self.three_halves,
        )?;
        self.slope(n);
        Some(())
    }

    /// `acc += ±Q` for the operand `Q`.
    fn add(&mut self, op: Operand, n: usize) -> Option<()> {
        let x = if op.phi {
            &self.tphi[op.entry]
        } else {
            &self.tx[op.entry]
        };
        sub_den_num(
            &mut self.den[..n],
            &mut self.num[..n],
            &mut self.sum_x[..n],
            (&x[..n], &self.ty[op.entry][..n]),
            (&self.ax[..n], &self.ay[..n]),
            op.neg,
        );
        self.finish(n)
    }

    /// Inverts `den`, applies the slope step to `acc` and swaps in the result.
    fn finish(&mut self, n: usize) -> Option<()> {
        invert(
            &mut self.dinv,
            &mut self.den,
            &mut self.inv,
            &mut self.lane_scratch,
            n,
            Fp::ONE,
        )?;
        self.slope(n);
        Some(())
    }

    /// `acc = (l^2 - sum_x, l (x - x3) - y)` with `l = num dinv` (the result is swapped in).
    fn slope(&mut self, n: usize) {
        batch::slope_step(
            &mut self.bx[..n],
            &mut self.by[..n],
            &self.num[..n],
            &self.dinv[..n],
            &self.sum_x[..n],
            &self.ax[..n],
            &self.ay[..n],
        );
        core::mem::swap(&mut self.ax, &mut self.bx);
        core::mem::swap(&mut self.ay, &mut self.by);
    }
}

/// Denominator, numerator and `x + xQ` of `acc + ±Q` (module doc).
fn sub_den_num<F: FpParams>(
    den: &mut [Fp<F>],
    num: &mut [Fp<F>],
    sum_x: &mut [Fp<F>],
    (qx, qy): (&[Fp<F>], &[Fp<F>]),
    (ax, ay): (&[Fp<F>], &[Fp<F>]),
    neg: bool,
) {
    // One pass (three batch calls would each re-read the chunk).
    for i in 0..den.len() {
        let (x, y, qx, qy) = (ax[i], ay[i], qx[i], qy[i]);
        if neg {
            den[i] = x - qx;
            num[i] = qy + y;
        } else {
            den[i] = qx - x;
            num[i] = qy - y;
        }
        sum_x[i] = x + qx;
    }
}

/// `dinv[..n] = scale den[..n]^-1`, `None` if a denominator is zero (`den` is padded with
/// ones in place past `n`).
fn invert<F: FpParams>(
    dinv: &mut [Fp<F>],
    den: &mut [Fp<F>],
    inv: &mut [Fp<F>],
    lane_scratch: &mut [Fp<F>],
    n: usize,
    scale: Fp<F>,
) -> Option<()> {
    if den[..n].iter().any(Field::is_zero) {
        return None;
    }
    let nb = n.div_ceil(CHAIN_LANES);
    den[n..nb * CHAIN_LANES].fill(Fp::ONE);
    invert_lanes(dinv, den, inv, lane_scratch, nb, scale);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generators, Bn254, G1Affine};
    use kaizen_field::Fr;

    #[test]
    fn naf_recomposes() {
        for k in [
            0u64,
            1,
            7,
            8,
            15,
            16,
            0x5555_5555_5555_5555,
            u64::MAX,
            1 << 63,
        ] {
            let d = naf(k);
            let back: i128 = d.iter().enumerate().map(|(p, &d)| (d as i128) << p).sum();
            assert_eq!(back, k as i128, "k = {k:#x}");
            assert!(d.iter().all(|d| d % 2 != 0 || *d == 0), "odd digits");
            for w in d.windows(NAF_WIDTH as usize) {
                assert!(w.iter().filter(|d| **d != 0).count() <= 1, "k = {k:#x}");
            }
        }
    }

    /// The batch chain equals `G_L + x G_R` by projective arithmetic, for several chunk
    /// sizes (partial last chunk and lane block) and challenges (zero halves, all ones).
    #[test]
    fn fold_matches_projective() {
        let n = FOLD_CHUNK + 77;
        let g = generators::<Bn254>(b"fold-test", 2 * n);
        let (left, right) = g.split_at(n);
        for (k1, k2) in [
            (0x1234_5678_9abc_def1u64, 0xfedc_ba98_7654_3211u64),
            (0, 5),
            (u64::MAX, 0),
            (1, 0),
            (0, 0),
        ] {
            let mut out = vec![G1Affine::IDENTITY; n];
            fold_generators_vartime(&mut out, left, right, k1, k2);
            let x = Fr::from_u64(k1) + Fr::from_u64(k2) * Bn254::ENDO_LAMBDA;
            for i in [0, 1, 63, 64, FOLD_CHUNK - 1, FOLD_CHUNK, n - 1] {
                let want = (right[i].to_projective().mul_vartime(&x) + left[i]).to_affine();
                assert_eq!(out[i], want, "i = {i}, k = ({k1:#x}, {k2:#x})");
            }
        }
    }

    /// Identity inputs and `G_L = -x G_R` take the fallback and stay correct.
    #[test]
    fn exceptional_chunks_fall_back() {
        let g = generators::<Bn254>(b"fold-test-2", 8);
        let (k1, k2) = (3u64, 9u64);
        let x = Fr::from_u64(k1) + Fr::from_u64(k2) * Bn254::ENDO_LAMBDA;
        let mut left = g[..4].to_vec();
        let mut right = g[4..].to_vec();
        right[1] = G1Affine::IDENTITY;
        left[2] = right[2].to_projective().mul_vartime(&x).neg().to_affine();
        let mut out = vec![G1Affine::IDENTITY; 4];
        fold_generators_vartime(&mut out, &left, &right, k1, k2);
        for i in 0..4 {
            let want = (right[i].to_projective().mul_vartime(&x) + left[i]).to_affine();
            assert_eq!(out[i], want, "i = {i}");
        }
        assert!(out[2].is_identity());
    }
}
