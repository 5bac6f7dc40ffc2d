//! Round kernels of the two-factor sumcheck `Σ_x a(x) b(x)` (the bind of the top variable and
//! the next round's sums), parallel over fixed chunks.
//!
//! With a table's halves `lo`, `hi`, the round polynomial `Σ_j (a_lo + X (a_hi − a_lo))
//! (b_lo + X (b_hi − b_lo))` is known from `s(0) = Σ a_lo b_lo` and its leading coefficient
//! `Σ (a_hi − a_lo)(b_hi − b_lo)` ([`prod2_sums`]; `s(1)` follows from the claim).
//!
//! [`bind_prod2_sums`] fuses the bind of round `i` with the sums of round `i + 1`. With the
//! table split in quarters `t = [q0 | q1 | q2 | q3]`, binding the top variable to `r` gives
//! `t' = [q0 + r (q2 − q0) | q1 + r (q3 − q1)]`, and round `i + 1` pairs `t'`'s two halves:
//!
//! ```text
//!   t  = [ q0 | q1 | q2 | q3 ]          (one pass reads all four quarters)
//!   t' = [ q0' | q1' ]                 q0' = q0 + r (q2 - q0), q1' = q1 + r (q3 - q1)
//!   sums of round i+1: Σ a0' b0',  Σ (a1' - a0') (b1' - b0')
//! ```
//!
//! so one memory pass over each table per round binds it and sums it. The bound values are
//! written in place into the low half (the caller drops the high half).
//!
//! Backends: AVX-512 IFMA has one fused kernel (`avx512::sums`); the others fold each chunk
//! with their `fold_in_place` and sum it with the portable loop while it is in cache. Sums are
//! exact field values, so every backend and thread count gives the same result.

use rayon::prelude::*;

use super::{checked, portable, same_len};
use crate::backend::{backend, Backend};
use crate::fp::{Fp, FpParams};
use crate::par;

/// Elements per sub-chunk of the non-fused path: 8 slices x 1024 x 32 B = 256 KiB, so the
/// folded values are still in L2 when they are summed.
const FOLD_THEN_SUM: usize = 1 << 10;

fn add_pair<P: FpParams>(x: (Fp<P>, Fp<P>), y: (Fp<P>, Fp<P>)) -> (Fp<P>, Fp<P>) {
    (x.0 + y.0, x.1 + y.1)
}

/// `(Σ a_lo[i] b_lo[i], Σ (a_hi[i] − a_lo[i]) (b_hi[i] − b_lo[i]))`. Lengths must match.
pub fn prod2_sums<P: FpParams>(
    a_lo: &[Fp<P>],
    a_hi: &[Fp<P>],
    b_lo: &[Fp<P>],
    b_hi: &[Fp<P>],
) -> (Fp<P>, Fp<P>) {
    prod2_sums_with(backend(), a_lo, a_hi, b_lo, b_hi)
}

/// [`prod2_sums`] on a given backend.
pub fn prod2_sums_with<P: FpParams>(
    be: Backend,
    a_lo: &[Fp<P>],
    a_hi: &[Fp<P>],
    b_lo: &[Fp<P>],
    b_hi: &[Fp<P>],
) -> (Fp<P>, Fp<P>) {
    let n = a_lo.len();
    for (what, len) in [
        ("a_hi", a_hi.len()),
        ("b_lo", b_lo.len()),
        ("b_hi", b_hi.len()),
    ] {
        same_len(what, n, len);
    }
    let be = checked(be);
    let run = |al: &[Fp<P>], ah: &[Fp<P>], bl: &[Fp<P>], bh: &[Fp<P>]| match be {
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => super::avx512::prod2_sums(al, ah, bl, bh),
        _ => portable::prod2_sums(al, ah, bl, bh),
    };
    if par::worth_splitting(n) {
        a_lo.par_chunks(par::CHUNK)
            .zip(a_hi.par_chunks(par::CHUNK))
            .zip(b_lo.par_chunks(par::CHUNK))
            .zip(b_hi.par_chunks(par::CHUNK))
            .map(|(((al, ah), bl), bh)| run(al, ah, bl, bh))
            .reduce(|| (Fp::ZERO, Fp::ZERO), add_pair)
    } else {
        run(a_lo, a_hi, b_lo, b_hi)
    }
}

/// Binds the top variable of `a` and `b` to `r` in place (the low half of each becomes the
/// bound table; the caller drops the high half) and returns [`prod2_sums`] of the bound
/// tables' halves (see the module doc). Lengths must match and be multiples of 4.
pub fn bind_prod2_sums<P: FpParams>(a: &mut [Fp<P>], b: &mut [Fp<P>], r: Fp<P>) -> (Fp<P>, Fp<P>) {
    bind_prod2_sums_with(backend(), a, b, r)
}

/// `[Σ e Π_k lo_k, Σ e Π_k (2 hi_k − lo_k), Σ e Π_k (hi_k − lo_k)]` over three factors: the
/// values at `X = 0, 2, ∞` (leading coefficient) of `Σ_j e[j] Π_k (lo_k[j] + X (hi_k[j] −
/// lo_k[j]))`, the round sums of an eq-weighted three-factor sumcheck. Lengths must match.
pub fn eq_prod3_sums<P: FpParams>(e: &[Fp<P>], lo: [&[Fp<P>]; 3], hi: [&[Fp<P>]; 3]) -> [Fp<P>; 3] {
    eq_prod3_sums_with(backend(), e, lo, hi)
}

/// [`eq_prod3_sums`] on a given backend.
pub fn eq_prod3_sums_with<P: FpParams>(
    be: Backend,
    e: &[Fp<P>],
    lo: [&[Fp<P>]; 3],
    hi: [&[Fp<P>]; 3],
) -> [Fp<P>; 3] {
    for s in lo.iter().chain(&hi) {
        same_len("eq_prod3_sums", e.len(), s.len());
    }
    let be = checked(be);
    let run = |range: core::ops::Range<usize>| {
        let lo = lo.map(|s| &s[range.clone()]);
        let hi = hi.map(|s| &s[range.clone()]);
        let e = &e[range];
        match be {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => super::avx512::eq_prod3_sums(e, lo, hi),
            _ => portable::eq_prod3_sums(e, lo, hi),
        }
    };
    let add3 = |x: [Fp<P>; 3], y: [Fp<P>; 3]| [x[0] + y[0], x[1] + y[1], x[2] + y[2]];
    let n = e.len();
    if par::worth_splitting(n) {
        (0..n.div_ceil(par::CHUNK))
            .into_par_iter()
            .map(|c| run(c * par::CHUNK..(c * par::CHUNK + par::CHUNK).min(n)))
            .reduce(|| [Fp::ZERO; 3], add3)
    } else {
        run(0..n)
    }
}

/// A table's quarters `[q0, q1]` (bound in place) and `[q2, q3]` (read).
type Quarters<'a, P> = ([&'a mut [Fp<P>]; 2], [&'a [Fp<P>]; 2]);

/// The four quarters of a table.
fn quarters<P: FpParams>(t: &mut [Fp<P>]) -> Quarters<'_, P> {
    let q = t.len() / 4;
    let (lo, hi) = t.split_at_mut(2 * q);
    let (q0, q1) = lo.split_at_mut(q);
    let (q2, q3) = hi.split_at(q);
    ([q0, q1], [q2, q3])
}

/// [`bind_prod2_sums`] on a given backend.
pub fn bind_prod2_sums_with<P: FpParams>(
    be: Backend,
    a: &mut [Fp<P>],
    b: &mut [Fp<P>],
    r: Fp<P>,
) -> (Fp<P>, Fp<P>) {
    same_len("bind_prod2_sums", a.len(), b.len());
    assert!(
        a.len().is_multiple_of(4),
        "kaizen-field: bind_prod2_sums: length {} is not a multiple of 4",
        a.len()
    );
    let be = checked(be);
    let q = a.len() / 4;
    let ([a0, a1], [a2, a3]) = quarters(a);
    let ([b0, b1], [b2, b3]) = quarters(b);
    let run = |lo: [&mut [Fp<P>]; 4], hi: [&[Fp<P>]; 4]| match be {
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => super::avx512::bind_prod2_sums(lo, hi, r),
        _ => fold_then_sum(be, lo, hi, r),
    };
    if par::worth_splitting(q) {
        let lo = a0
            .par_chunks_mut(par::CHUNK)
            .zip(a1.par_chunks_mut(par::CHUNK))
            .zip(b0.par_chunks_mut(par::CHUNK))
            .zip(b1.par_chunks_mut(par::CHUNK));
        let hi = a2
            .par_chunks(par::CHUNK)
            .zip(a3.par_chunks(par::CHUNK))
            .zip(b2.par_chunks(par::CHUNK))
            .zip(b3.par_chunks(par::CHUNK));
        lo.zip(hi)
            .map(|((((x0, x1), y0), y1), (((x2, x3), y2), y3))| {
                run([x0, x1, y0, y1], [x2, x3, y2, y3])
            })
            .reduce(|| (Fp::ZERO, Fp::ZERO), add_pair)
    } else {
        run([a0, a1, b0, b1], [a2, a3, b2, b3])
    }
}

/// The non-fused path: per sub-chunk, the backend's `fold_in_place` on the four pairs, then
/// the portable sums while the folded values are in cache.
fn fold_then_sum<P: FpParams>(
    be: Backend,
    lo: [&mut [Fp<P>]; 4],
    hi: [&[Fp<P>]; 4],
    r: Fp<P>,
) -> (Fp<P>, Fp<P>) {
    let [a0, a1, b0, b1] = lo;
    let [a2, a3, b2, b3] = hi;
    let mut sums = (Fp::ZERO, Fp::ZERO);
    let sub = FOLD_THEN_SUM;
    for (((((((x0, x1), y0), y1), x2), x3), y2), y3) in a0
        .chunks_mut(sub)
        .zip(a1.chunks_mut(sub))
        .zip(b0.chunks_mut(sub))
        .zip(b1.chunks_mut(sub))
        .zip(a2.chunks(sub))
        .zip(a3.chunks(sub))
        .zip(b2.chunks(sub))
        .zip(b3.chunks(sub))
    {
        for (l, h) in [
            (&mut *x0, x2),
            (&mut *x1, x3),
            (&mut *y0, y2),
            (&mut *y1, y3),
        ] {
            super::fold_in_place_with(be, l, h, r);
        }
        sums = add_pair(sums, portable::prod2_sums(x0, x1, y0, y1));
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Field;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// Random elements with edge values (0, 1, -1, raw limbs p - 1) in varying lanes.
    fn vector<P: FpParams>(rng: &mut ChaCha20Rng, len: usize) -> Vec<Fp<P>> {
        let mut p1 = P::MODULUS;
        p1[0] -= 1;
        let edges = [Fp::ZERO, Fp::ONE, -Fp::ONE, Fp::from_mont_limbs(p1)];
        (0..len)
            .map(|i| match i % 7 {
                3 => edges[(i / 7) % edges.len()],
                _ => Fp::random(&mut *rng),
            })
            .collect()
    }

    /// The definition, with plain field arithmetic.
    fn naive<P: FpParams>(a: &[Fp<P>], b: &[Fp<P>]) -> (Fp<P>, Fp<P>) {
        let h = a.len() / 2;
        let mut s = (Fp::ZERO, Fp::ZERO);
        for i in 0..h {
            s.0 += a[i] * b[i];
            s.1 += (a[i + h] - a[i]) * (b[i + h] - b[i]);
        }
        s
    }

    fn check<P: FpParams>(seed: u64) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let lens = (0..=40).map(|q| 4 * q).chain([4 * (par::THRESHOLD + 4099)]);
        for len in lens {
            let (a, b) = (vector::<P>(&mut rng, len), vector::<P>(&mut rng, len));
            let r = Fp::random(&mut rng);
            let h = len / 2;
            let want = naive(&a, &b);
            // The fused bind against fold-then-naive-sums.
            let mut a_bound = a[..h].to_vec();
            portable::fold_in_place(&mut a_bound, &a[h..], r);
            let mut b_bound = b[..h].to_vec();
            portable::fold_in_place(&mut b_bound, &b[h..], r);
            let want_next = naive(&a_bound, &b_bound);
            for be in Backend::available() {
                let msg = format!("{} len {len} backend {be} seed {seed}", P::NAME);
                let got = prod2_sums_with(be, &a[..h], &a[h..], &b[..h], &b[h..]);
                assert_eq!(got, want, "prod2_sums {msg}");
                let (mut a1, mut b1) = (a.clone(), b.clone());
                let next = bind_prod2_sums_with(be, &mut a1, &mut b1, r);
                assert_eq!(next, want_next, "bind_prod2_sums sums {msg}");
                assert_eq!(&a1[..h], &a_bound[..], "bind_prod2_sums table a {msg}");
                assert_eq!(&b1[..h], &b_bound[..], "bind_prod2_sums table b {msg}");
                assert_eq!(&a1[h..], &a[h..], "bind_prod2_sums high half {msg}");
            }
        }
    }

    fn check_eq3<P: FpParams>(seed: u64) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 3);
        for len in (0..=40).chain([par::THRESHOLD + 4099]) {
            let v: Vec<Vec<Fp<P>>> = (0..7).map(|_| vector::<P>(&mut rng, len)).collect();
            let (e, lo, hi) = (&v[0], [&v[1][..], &v[2], &v[3]], [&v[4][..], &v[5], &v[6]]);
            let mut want = [Fp::<P>::ZERO; 3];
            for j in 0..len {
                let at = |t: Fp<P>| -> Fp<P> {
                    (0..3)
                        .map(|k| lo[k][j] + t * (hi[k][j] - lo[k][j]))
                        .product()
                };
                let lead: Fp<P> = (0..3).map(|k| hi[k][j] - lo[k][j]).product();
                want[0] += e[j] * at(Fp::ZERO);
                want[1] += e[j] * at(Fp::from_u64(2));
                want[2] += e[j] * lead;
            }
            for be in Backend::available() {
                let got = eq_prod3_sums_with(be, e, lo, hi);
                assert_eq!(got, want, "{} len {len} backend {be} seed {seed}", P::NAME);
            }
        }
    }

    #[test]
    fn eq_prod3_kernel_matches_the_definition_on_every_backend() {
        let seed = std::env::var("KAIZEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x0065_7133);
        check_eq3::<crate::FrParams>(seed);
        check_eq3::<crate::FqParams>(seed);
    }

    #[test]
    fn prod2_kernels_match_the_definition_on_every_backend() {
        let seed = std::env::var("KAIZEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x0070_726f_6432);
        check::<crate::FrParams>(seed);
        check::<crate::FqParams>(seed);
    }
}
