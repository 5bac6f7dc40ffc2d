//! Every batch kernel on every available backend against the portable backend, element for
//! element (AVX-512 IFMA, AVX2, NEON: whichever this CPU runs), on both BN254 fields.
//!
//! Inputs mix random elements with edge values (Montgomery limbs 0, 1, p-1, p-2, the field's
//! 0, 1, -1, -2, all-ones patterns just below p and at 52- and 64-bit limb boundaries) so that
//! edge values land in every SIMD lane position; lengths 0..=67 cover empty, partial and full
//! vectors of every width, and one large odd length takes the parallel split.
//!
//! Seed: a constant, overridden by `KAIZEN_TEST_SEED`, printed in every failure message.

use kaizen_field::batch;
use kaizen_field::par::THRESHOLD;
use kaizen_field::testing::test_seed;
use kaizen_field::{Backend, Field, Fp, FpParams, Fq, FqParams, Fr, FrParams, SmallInt};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x6b61_697a_656e_0002)
}

/// Lengths tested: every length up to 67 (0, 1, W-1, W, W+1 for W = 4, 8, 16, 32, 64) and one
/// odd length above the parallel threshold.
fn lengths() -> impl Iterator<Item = usize> {
    (0..=67).chain([THRESHOLD + 4099])
}

fn sub_small(x: [u64; 4], k: u64) -> [u64; 4] {
    let (l0, b) = x[0].overflowing_sub(k);
    let (l1, b1) = x[1].overflowing_sub(b as u64);
    let (l2, b2) = x[2].overflowing_sub(b1 as u64);
    [l0, l1, l2, x[3] - b2 as u64]
}

/// Edge elements of the field `P`, as raw Montgomery limbs (what the kernels see) and as
/// field values.
fn edges<P: FpParams>() -> Vec<Fp<P>> {
    let p = P::MODULUS;
    let m = |l: [u64; 4]| Fp::<P>::from_mont_limbs(l);
    let mut v = vec![
        m([0; 4]),
        m([1, 0, 0, 0]),
        m(sub_small(p, 1)),
        m(sub_small(p, 2)),
        Fp::<P>::ZERO,
        Fp::<P>::ONE,
        -Fp::<P>::ONE,
        -Fp::<P>::from_u64(2),
        // Many high bits: all ones below the top limb of p.
        m([u64::MAX, u64::MAX, u64::MAX, p[3] - 1]),
        m([u64::MAX, u64::MAX, p[2] - 1, p[3]]),
        // All ones up to a 52-bit / 64-bit limb boundary.
        m([u64::MAX, 0, 0, 0]),
        m([u64::MAX, (1 << 40) - 1, 0, 0]),
        m([u64::MAX, u64::MAX, (1 << 28) - 1, 0]),
        m([u64::MAX, u64::MAX, u64::MAX, (1 << 16) - 1]),
        m([(1 << 52) - 1, 0, 0, 0]),
        m([0, 0, 0, 1 << 60]),
        m([0, 0, 1 << 63, p[3]]),
    ];
    // 2^k - 1 for k up to 253 (all below p).
    for k in [100usize, 156, 200, 208, 220, 240, 250, 253] {
        let mut l = [0u64; 4];
        for (i, limb) in l.iter_mut().enumerate() {
            let bits = k.saturating_sub(64 * i).min(64);
            *limb = if bits == 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            };
        }
        v.push(m(l));
    }
    v
}

/// A vector of `len` elements: random, with edge values sprinkled in (about a third).
fn vector<P: FpParams>(rng: &mut ChaCha20Rng, len: usize) -> Vec<Fp<P>> {
    let e = edges::<P>();
    (0..len)
        .map(|_| {
            if rng.next_u32().is_multiple_of(3) {
                e[rng.next_u32() as usize % e.len()]
            } else {
                Fp::random(rng)
            }
        })
        .collect()
}

struct Ctx {
    seed: u64,
    backend: Backend,
    field: &'static str,
}

impl Ctx {
    #[track_caller]
    fn same<P: FpParams>(&self, kernel: &str, len: usize, got: &[Fp<P>], want: &[Fp<P>]) {
        assert_eq!(got.len(), want.len());
        if let Some(i) = (0..got.len()).find(|&i| got[i] != want[i]) {
            panic!(
                "{kernel} on {} differs from portable ({}, len {len}, index {i}): got {:?} \
                 (Montgomery limbs {:x?}), want {:?} ({:x?}); seed {} (KAIZEN_TEST_SEED)",
                self.backend,
                self.field,
                got[i],
                got[i].mont_limbs(),
                want[i],
                want[i].mont_limbs(),
                self.seed
            );
        }
    }
}

/// Runs every binary / ternary kernel on `(a, b, c)` with scalar `r` on `be` and portable.
fn check_kernels<P: FpParams>(cx: &Ctx, a: &[Fp<P>], b: &[Fp<P>], c: &[Fp<P>], r: Fp<P>) {
    let be = cx.backend;
    let port = Backend::Portable;
    let n = a.len();
    let mut got = vec![Fp::<P>::ZERO; n];
    let mut want = vec![Fp::<P>::ZERO; n];

    batch::mul_with(be, &mut got, a, b);
    batch::mul_with(port, &mut want, a, b);
    cx.same("mul", n, &got, &want);

    got.copy_from_slice(a);
    want.copy_from_slice(a);
    batch::mul_assign_with(be, &mut got, b);
    batch::mul_assign_with(port, &mut want, b);
    cx.same("mul_assign", n, &got, &want);

    batch::add_with(be, &mut got, a, b);
    batch::add_with(port, &mut want, a, b);
    cx.same("add", n, &got, &want);

    batch::sub_with(be, &mut got, a, b);
    batch::sub_with(port, &mut want, a, b);
    cx.same("sub", n, &got, &want);

    batch::scale_with(be, &mut got, a, r);
    batch::scale_with(port, &mut want, a, r);
    cx.same("scale", n, &got, &want);

    got.copy_from_slice(c);
    want.copy_from_slice(c);
    batch::mul_add_with(be, &mut got, a, b);
    batch::mul_add_with(port, &mut want, a, b);
    cx.same("mul_add", n, &got, &want);

    let ip = batch::inner_product_with(be, a, b);
    let ip_want = batch::inner_product_with(port, a, b);
    cx.same("inner_product", n, &[ip], &[ip_want]);
    // Independent reference for the reduction (not just "same as portable").
    let direct: Fp<P> = a.iter().zip(b).map(|(x, y)| *x * *y).sum();
    cx.same("inner_product vs scalar sum", n, &[ip], &[direct]);

    batch::fold_with(be, &mut got, a, b, r);
    batch::fold_with(port, &mut want, a, b, r);
    cx.same("fold", n, &got, &want);

    got.copy_from_slice(a);
    want.copy_from_slice(a);
    batch::fold_in_place_with(be, &mut got, b, r);
    batch::fold_in_place_with(port, &mut want, b, r);
    cx.same("fold_in_place", n, &got, &want);

    // slope_step with (num, dinv, sum_x, x1, y1) = (a, b, c, b, a).
    let (mut gx, mut gy) = (vec![Fp::<P>::ZERO; n], vec![Fp::<P>::ZERO; n]);
    let (mut wx, mut wy) = (vec![Fp::<P>::ZERO; n], vec![Fp::<P>::ZERO; n]);
    batch::slope_step_with(be, &mut gx, &mut gy, a, b, c, b, a);
    batch::slope_step_with(port, &mut wx, &mut wy, a, b, c, b, a);
    cx.same("slope_step (x3)", n, &gx, &wx);
    cx.same("slope_step (y3)", n, &gy, &wy);
    // Independent reference for the portable loop.
    for i in 0..n {
        let l = a[i] * b[i];
        let x = l * l - c[i];
        cx.same(
            "slope_step vs formula",
            n,
            &[wx[i], wy[i]],
            &[x, l * (b[i] - x) - a[i]],
        );
    }

    let mut got_lo = a.to_vec();
    let mut want_lo = a.to_vec();
    let mut got_hi = c.to_vec();
    let mut want_hi = c.to_vec();
    batch::portable::eq_step(&mut want_lo, &mut want_hi, r);
    eq_step_with(be, &mut got_lo, &mut got_hi, r);
    cx.same("eq_step (lo)", n, &got_lo, &want_lo);
    cx.same("eq_step (hi)", n, &got_hi, &want_hi);
}

/// `eq_step` has no `*_with` form (it is reached through `eq_expand`); call the backend's
/// module directly (each module's wrappers check the CPU themselves).
fn eq_step_with<P: FpParams>(be: Backend, lo: &mut [Fp<P>], hi: &mut [Fp<P>], r: Fp<P>) {
    match be {
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => batch::avx512::eq_step(lo, hi, r),
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => batch::avx2::eq_step(lo, hi, r),
        #[cfg(target_arch = "aarch64")]
        Backend::Neon => batch::neon::eq_step(lo, hi, r),
        _ => batch::portable::eq_step(lo, hi, r),
    }
}

fn check_small<P: FpParams, S: SmallInt + core::fmt::Debug>(
    cx: &Ctx,
    rng: &mut ChaCha20Rng,
    edge: &[S],
    from_bits: impl Fn(u64) -> S,
) {
    for len in lengths() {
        let b = vector::<P>(rng, len);
        let small: Vec<S> = (0..len)
            .map(|_| {
                if rng.next_u32().is_multiple_of(3) {
                    edge[rng.next_u32() as usize % edge.len()]
                } else {
                    from_bits(rng.next_u64())
                }
            })
            .collect();
        let mut got = vec![Fp::<P>::ZERO; len];
        let mut want = vec![Fp::<P>::ZERO; len];
        batch::mul_small_with(cx.backend, &mut got, &small, &b);
        batch::mul_small_with(Backend::Portable, &mut want, &small, &b);
        let kernel = format!(
            "mul_small<{}{}>",
            if S::SIGNED { "i" } else { "u" },
            S::BITS
        );
        cx.same(&kernel, len, &got, &want);
        // Independent reference.
        for (i, (s, y)) in small.iter().zip(&b).enumerate() {
            assert_eq!(
                got[i],
                *y * <Fp<P> as Field>::from_i64(s.to_i64()),
                "{kernel} on {} vs from_i64 ({}, len {len}, index {i}, small {s:?}); seed {}",
                cx.backend,
                cx.field,
                cx.seed
            );
        }
    }
}

fn check_field<P: FpParams>(backend: Backend) {
    let seed = seed();
    let cx = Ctx {
        seed,
        backend,
        field: P::NAME,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ (P::NAME.len() as u64) << 32 ^ P::MODULUS[0]);
    let e = edges::<P>();

    // Random vectors with edge values in random lanes, every length.
    for len in lengths() {
        let a = vector::<P>(&mut rng, len);
        let b = vector::<P>(&mut rng, len);
        let c = vector::<P>(&mut rng, len);
        let r = vector::<P>(&mut rng, 1)[0];
        check_kernels(&cx, &a, &b, &c, r);
    }
    // Every pair of edge values, with every edge value as the scalar.
    let a: Vec<Fp<P>> = e.iter().flat_map(|x| e.iter().map(move |_| *x)).collect();
    let b: Vec<Fp<P>> = e.iter().flat_map(|_| e.iter().copied()).collect();
    let c: Vec<Fp<P>> = b.iter().rev().copied().collect();
    for r in &e {
        check_kernels(&cx, &a, &b, &c, *r);
    }

    // Small integers, with MIN / MAX.
    check_small::<P, i8>(&cx, &mut rng, &[i8::MIN, i8::MAX, 0, 1, -1], |x| x as i8);
    check_small::<P, i16>(&cx, &mut rng, &[i16::MIN, i16::MAX, 0, 1, -1], |x| x as i16);
    check_small::<P, i32>(&cx, &mut rng, &[i32::MIN, i32::MAX, 0, 1, -1], |x| x as i32);
    check_small::<P, u8>(&cx, &mut rng, &[u8::MIN, u8::MAX, 1], |x| x as u8);
    check_small::<P, u16>(&cx, &mut rng, &[u16::MIN, u16::MAX, 1], |x| x as u16);
    check_small::<P, u32>(&cx, &mut rng, &[u32::MIN, u32::MAX, 1], |x| x as u32);

    // eq_expand against the product formula, point[0] the most significant index bit.
    for k in 0..=12usize {
        let point = vector::<P>(&mut rng, k);
        let s = vector::<P>(&mut rng, 1)[0];
        let mut got = vec![Fp::<P>::ZERO; 1 << k];
        batch::eq_expand_with(backend, &mut got, &point, s);
        let want: Vec<Fp<P>> = (0..1usize << k)
            .map(|x| {
                point.iter().enumerate().fold(s, |acc, (i, r)| {
                    let bit = (x >> (k - 1 - i)) & 1 == 1;
                    acc * if bit { *r } else { Fp::<P>::ONE - *r }
                })
            })
            .collect();
        cx.same(&format!("eq_expand k={k}"), 1 << k, &got, &want);
    }
}

#[test]
fn every_backend_matches_portable_fr() {
    eprintln!("backends under test: {:?}", Backend::available());
    for be in Backend::available() {
        check_field::<FrParams>(be);
    }
}

#[test]
fn every_backend_matches_portable_fq() {
    for be in Backend::available() {
        check_field::<FqParams>(be);
    }
}

#[test]
fn batch_inverse_with_zeros() {
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    for len in lengths() {
        let mut v: Vec<Fr> = vector::<FrParams>(&mut rng, len);
        for (i, x) in v.iter_mut().enumerate() {
            if i % 5 == 1 {
                *x = Fr::ZERO;
            }
        }
        let orig = v.clone();
        let mut scratch = vec![Fr::ZERO; len];
        batch::batch_inverse(&mut v, &mut scratch);
        for (i, (x, y)) in v.iter().zip(&orig).enumerate() {
            let want = y.inverse().unwrap_or(Fr::ZERO);
            assert_eq!(*x, want, "batch_inverse len {len} index {i}; seed {seed}");
        }
        let mut w: Vec<Fq> = vector::<FqParams>(&mut rng, len);
        let orig = w.clone();
        let mut scratch = vec![Fq::ZERO; len];
        batch::batch_inverse(&mut w, &mut scratch);
        for (i, (x, y)) in w.iter().zip(&orig).enumerate() {
            assert_eq!(
                *x,
                y.inverse().unwrap_or(Fq::ZERO),
                "batch_inverse fq len {len} index {i}; seed {seed}"
            );
        }
    }
}

/// Runs in a child process with `KAIZEN_SIMD=portable` (see [`kaizen_simd_portable`]); in the
/// parent process (no such variable) it does nothing.
#[test]
fn portable_env_child() {
    if std::env::var("KAIZEN_SIMD").as_deref() != Ok("portable") {
        return;
    }
    assert_eq!(kaizen_field::backend(), Backend::Portable);
    assert!(!kaizen_field::backend::scalar_asm_enabled());
    let seed = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let n = THRESHOLD + 77;
    let a = vector::<FrParams>(&mut rng, n);
    let b = vector::<FrParams>(&mut rng, n);
    let mut got = vec![Fr::ZERO; n];
    batch::mul(&mut got, &a, &b);
    for i in 0..n {
        assert_eq!(got[i], a[i] * b[i], "mul index {i}; seed {seed}");
    }
    let ip = batch::inner_product(&a, &b);
    assert_eq!(ip, got.iter().sum::<Fr>(), "inner_product; seed {seed}");
    let mut f = vec![Fr::ZERO; n];
    batch::fold(&mut f, &a, &b, Fr::from_u64(7));
    for i in 0..n {
        assert_eq!(
            f[i],
            a[i] + Fr::from_u64(7) * (b[i] - a[i]),
            "fold index {i}"
        );
    }
}

#[test]
fn kaizen_simd_portable() {
    if std::env::var("KAIZEN_SIMD").is_ok() {
        return; // already the child, or the whole run is forced
    }
    let exe = std::env::current_exe().expect("test binary path");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "portable_env_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KAIZEN_SIMD", "portable")
        .output()
        .expect("spawn the test binary");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "KAIZEN_SIMD=portable child failed:\n{text}"
    );
    assert!(
        text.contains("1 passed"),
        "child did not run the test:\n{text}"
    );
}
