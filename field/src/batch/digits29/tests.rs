//! The test body both radix-2^29 backends run: every kernel against `portable.rs`, element for
//! element: edge values (0, 1, p - 1, p - 2 both as field values and as raw Montgomery limbs,
//! carry-heavy limb patterns) and random values, all lengths 0..=20 and 1000, Fr and Fq, at
//! unaligned offsets. A backend's test module passes its safe kernels as a [`Kernels`] table.

use super::super::portable;
use crate::backend::Backend;
use crate::fp::{Fp, FpParams};
use crate::{Field, Fq, FqParams, Fr, FrParams};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

type Binary<P> = fn(&mut [Fp<P>], &[Fp<P>], &[Fp<P>]);
type Scalar<P> = fn(&mut [Fp<P>], &[Fp<P>], Fp<P>);
type Sum<P> = fn(&[Fp<P>], &[Fp<P>]) -> Fp<P>;
type Fold<P> = fn(&mut [Fp<P>], &[Fp<P>], &[Fp<P>], Fp<P>);
type EqStep<P> = fn(&mut [Fp<P>], &mut [Fp<P>], Fp<P>);

/// A backend's safe kernels for field `P` (the portable signatures).
pub(in crate::batch) struct Kernels<P> {
    pub mul: Binary<P>,
    pub mul_assign: fn(&mut [Fp<P>], &[Fp<P>]),
    pub add: Binary<P>,
    pub sub: Binary<P>,
    pub scale: Scalar<P>,
    pub mul_add: Binary<P>,
    pub inner_product: Sum<P>,
    pub fold: Fold<P>,
    pub fold_in_place: Scalar<P>,
    pub eq_step: EqStep<P>,
}

/// True (with a note on stderr) when `backend` cannot run here and the test is skipped.
pub(in crate::batch) fn unavailable(backend: Backend) -> bool {
    if backend.is_available() {
        return false;
    }
    eprintln!("{backend} not available: skipped");
    true
}

/// The seed: `KAIZEN_TEST_SEED` if set, else the backend's `default`.
pub(in crate::batch) fn seed(default: u64) -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Edge values: field 0, 1, -1, -2; raw limbs 1, p - 1, p - 2, 2^253 - 1, p - 2^64 and a
/// value with all low limbs saturated.
fn edges<P: FpParams>() -> Vec<Fp<P>> {
    let p = P::MODULUS;
    let raw = |l: [u64; 4]| Fp::<P>::from_mont_limbs(l);
    vec![
        Fp::ZERO,
        Fp::ONE,
        -Fp::ONE,
        -Fp::ONE - Fp::ONE,
        raw([1, 0, 0, 0]),
        raw([p[0] - 1, p[1], p[2], p[3]]),
        raw([p[0] - 2, p[1], p[2], p[3]]),
        raw([u64::MAX, u64::MAX, u64::MAX, (1 << 61) - 1]),
        raw([p[0], p[1] - 1, p[2], p[3]]),
        raw([u64::MAX, u64::MAX, u64::MAX, p[3] - 1]),
    ]
}

fn values<P: FpParams>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fp<P>> {
    let e = edges::<P>();
    (0..n)
        .map(|_| {
            let k = rng.next_u32() as usize % (2 * e.len());
            if k < e.len() {
                e[k]
            } else {
                Fp::random(rng)
            }
        })
        .collect()
}

fn lengths() -> impl Iterator<Item = usize> {
    (0..=20).chain([1000])
}

/// Every kernel of `k` against `portable.rs` over [`lengths`], offsets 0 and 1.
pub(in crate::batch) fn check<P: FpParams>(k: &Kernels<P>, seed: u64) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    for n in lengths() {
        for off in [0usize, 1] {
            let a = values::<P>(&mut rng, n + off);
            let b = values::<P>(&mut rng, n + off);
            let o = values::<P>(&mut rng, n + off);
            let (a, b) = (&a[off..], &b[off..]);
            let e = edges::<P>();
            let r = if n < e.len() {
                e[n]
            } else {
                Fp::random(&mut rng)
            };
            let ctx = format!("{} n={n} off={off} seed={seed}", P::NAME);

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::mul(&mut want[off..], a, b);
            (k.mul)(&mut got[off..], a, b);
            assert_eq!(want, got, "mul {ctx}");

            let (mut want, mut got) = (a.to_vec(), a.to_vec());
            portable::mul_assign(&mut want, b);
            (k.mul_assign)(&mut got, b);
            assert_eq!(want, got, "mul_assign {ctx}");

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::add(&mut want[off..], a, b);
            (k.add)(&mut got[off..], a, b);
            assert_eq!(want, got, "add {ctx}");

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::sub(&mut want[off..], a, b);
            (k.sub)(&mut got[off..], a, b);
            assert_eq!(want, got, "sub {ctx}");

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::scale(&mut want[off..], a, r);
            (k.scale)(&mut got[off..], a, r);
            assert_eq!(want, got, "scale {ctx}");

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::mul_add(&mut want[off..], a, b);
            (k.mul_add)(&mut got[off..], a, b);
            assert_eq!(want, got, "mul_add {ctx}");

            assert_eq!(
                portable::inner_product(a, b),
                (k.inner_product)(a, b),
                "inner_product {ctx}"
            );

            let (mut want, mut got) = (o.clone(), o.clone());
            portable::fold(&mut want[off..], a, b, r);
            (k.fold)(&mut got[off..], a, b, r);
            assert_eq!(want, got, "fold {ctx}");

            let (mut want, mut got) = (a.to_vec(), a.to_vec());
            portable::fold_in_place(&mut want, b, r);
            (k.fold_in_place)(&mut got, b, r);
            assert_eq!(want, got, "fold_in_place {ctx}");

            let (mut wl, mut gl) = (a.to_vec(), a.to_vec());
            let (mut wh, mut gh) = (b.to_vec(), b.to_vec());
            portable::eq_step(&mut wl, &mut wh, r);
            (k.eq_step)(&mut gl, &mut gh, r);
            assert_eq!(wl, gl, "eq_step lo {ctx}");
            assert_eq!(wh, gh, "eq_step hi {ctx}");
        }
    }
}

/// Every ordered pair of edge values, through mul, add, sub.
pub(in crate::batch) fn edge_pairs<P: FpParams>(k: &Kernels<P>) {
    let e = edges::<P>();
    let a: Vec<Fp<P>> = e.iter().flat_map(|x| e.iter().map(move |_| *x)).collect();
    let b: Vec<Fp<P>> = e.iter().flat_map(|_| e.iter().copied()).collect();
    let mut want = vec![Fp::ZERO; a.len()];
    let mut got = vec![Fp::ZERO; a.len()];
    portable::mul(&mut want, &a, &b);
    (k.mul)(&mut got, &a, &b);
    assert_eq!(want, got, "mul {}", P::NAME);
    portable::add(&mut want, &a, &b);
    (k.add)(&mut got, &a, &b);
    assert_eq!(want, got, "add {}", P::NAME);
    portable::sub(&mut want, &a, &b);
    (k.sub)(&mut got, &a, &b);
    assert_eq!(want, got, "sub {}", P::NAME);
}

/// Largest lazy digit sums we can afford in a test: 2^16 products of -1 * -1 (Fr) and
/// 2^16 + 3 of -2 * -2 (Fq).
pub(in crate::batch) fn inner_product_of_many_max_values(
    fr: &Kernels<FrParams>,
    fq: &Kernels<FqParams>,
) {
    let a = vec![-Fr::ONE; 1 << 16];
    assert_eq!((fr.inner_product)(&a, &a), portable::inner_product(&a, &a));
    let q = vec![-Fq::ONE - Fq::ONE; (1 << 16) + 3];
    assert_eq!((fq.inner_product)(&q, &q), portable::inner_product(&q, &q));
}

/// Stamps out a backend's test module: the four tests below, each one call to the generic
/// helpers above with the backend's kernels (`super::mul`, ...). Skipped when `$backend` is not
/// available; `$seed` is the default seed (`KAIZEN_TEST_SEED` overrides it).
macro_rules! backend_tests {
    ($backend:expr, $seed:expr) => {
        mod tests {
            use $crate::backend::Backend;
            use $crate::batch::digits29::tests::{self as t, Kernels};
            use $crate::fp::FpParams;
            use $crate::{FqParams, FrParams};

            const BACKEND: Backend = $backend;

            fn kernels<P: FpParams>() -> Kernels<P> {
                Kernels {
                    mul: super::mul,
                    mul_assign: super::mul_assign,
                    add: super::add,
                    sub: super::sub,
                    scale: super::scale,
                    mul_add: super::mul_add,
                    inner_product: super::inner_product,
                    fold: super::fold,
                    fold_in_place: super::fold_in_place,
                    eq_step: super::eq_step,
                }
            }

            #[test]
            fn edge_pairs_all_kernels() {
                if !t::unavailable(BACKEND) {
                    t::edge_pairs(&kernels::<FrParams>());
                    t::edge_pairs(&kernels::<FqParams>());
                }
            }

            #[test]
            fn kernels_match_portable_fr() {
                if !t::unavailable(BACKEND) {
                    t::check(&kernels::<FrParams>(), t::seed($seed));
                }
            }

            #[test]
            fn kernels_match_portable_fq() {
                if !t::unavailable(BACKEND) {
                    t::check(&kernels::<FqParams>(), t::seed($seed) ^ 1);
                }
            }

            #[test]
            fn inner_product_of_many_max_values() {
                if !t::unavailable(BACKEND) {
                    t::inner_product_of_many_max_values(&kernels(), &kernels());
                }
            }
        }
    };
}
pub(in crate::batch) use backend_tests;
