//! MSM against arkworks (`ark-bn254`, `ark-grumpkin`) and against `naive_msm`.

mod common;

use common::*;
use kaizen_field::Field;
use kaizen_msm::{
    msm_many_small_vartime, msm_many_vartime, msm_small_vartime, msm_vartime, naive_msm, Affine,
    Bn254, FixedBaseTable, Grumpkin, Projective, Scalar, SmallScalar,
};
use rand_chacha::rand_core::RngCore;
use std::sync::OnceLock;

fn bn_bases() -> &'static [Affine<Bn254>] {
    static B: OnceLock<Vec<Affine<Bn254>>> = OnceLock::new();
    B.get_or_init(|| bases::<Bn254>(1 << 15))
}
fn gr_bases() -> &'static [Affine<Grumpkin>] {
    static B: OnceLock<Vec<Affine<Grumpkin>>> = OnceLock::new();
    B.get_or_init(|| bases::<Grumpkin>(1 << 12))
}

fn check_full<C: ArkCurve>(bases: &[Affine<C>], scalars: &[Scalar<C>], what: &str) {
    let got = msm_vartime(bases, scalars).to_affine();
    let want = ark_msm(bases, scalars);
    assert_eq!(
        got,
        want,
        "{} {what}: n = {} (seed {})",
        <C as kaizen_msm::Curve>::NAME,
        bases.len(),
        seed()
    );
}

fn every_n_up_to_300<C: ArkCurve>(all: &[Affine<C>]) {
    let mut rng = rng(1);
    for n in 0..=300usize {
        let b = &all[..n];
        // Mixed edge and random scalars.
        let s: Vec<Scalar<C>> = (0..n).map(|i| edge_scalar::<C>(&mut rng, i + n)).collect();
        check_full(b, &s, "mixed");
        // Random full-width.
        if n % 3 == 0 {
            let s = random_scalars::<C>(&mut rng, n);
            check_full(b, &s, "random");
        }
    }
}

#[test]
fn bn254_every_n_up_to_300() {
    every_n_up_to_300::<Bn254>(bn_bases());
}

#[test]
fn grumpkin_every_n_up_to_300() {
    every_n_up_to_300::<Grumpkin>(gr_bases());
}

fn powers_of_two<C: ArkCurve>(all: &[Affine<C>], max_log: u32) {
    let mut rng = rng(2);
    for k in 0..=max_log {
        let n = 1usize << k;
        let b = &all[..n];
        check_full(b, &random_scalars::<C>(&mut rng, n), "random 2^k");
        let s: Vec<Scalar<C>> = (0..n).map(|i| edge_scalar::<C>(&mut rng, i)).collect();
        check_full(b, &s, "mixed 2^k");
    }
}

#[test]
fn bn254_powers_of_two() {
    powers_of_two::<Bn254>(bn_bases(), 15);
}

#[test]
fn grumpkin_powers_of_two() {
    powers_of_two::<Grumpkin>(gr_bases(), 12);
}

fn constant_scalars<C: ArkCurve>(all: &[Affine<C>]) {
    let mut rng = rng(3);
    let two = Scalar::<C>::from_u64(2);
    let consts = [
        Scalar::<C>::ZERO,
        Scalar::<C>::ONE,
        -Scalar::<C>::ONE, // p - 1
        -two,
        two.inverse().expect("2 invertible"),
        Scalar::<C>::random(&mut rng), // all equal
    ];
    for n in [1usize, 2, 7, 64, 1000, 4096] {
        for c in &consts {
            check_full(&all[..n], &vec![*c; n], "constant");
        }
    }
}

#[test]
fn bn254_constant_scalars() {
    constant_scalars::<Bn254>(bn_bases());
}

#[test]
fn grumpkin_constant_scalars() {
    constant_scalars::<Grumpkin>(gr_bases());
}

fn repeated_and_identity_bases<C: ArkCurve>(all: &[Affine<C>]) {
    let mut rng = rng(4);
    let g = all[0];
    for n in [1usize, 2, 3, 10, 100, 2000] {
        // Same base everywhere, random and equal scalars (every bucket sum doubles).
        let b = vec![g; n];
        check_full(&b, &random_scalars::<C>(&mut rng, n), "repeated base");
        check_full(
            &b,
            &vec![Scalar::<C>::from_u64(5); n],
            "repeated base, equal scalars",
        );
        // P and -P alternating with equal scalars: pairs cancel in the buckets.
        let b: Vec<_> = (0..n)
            .map(|i| if i % 2 == 0 { g } else { g.neg() })
            .collect();
        check_full(&b, &vec![Scalar::<C>::from_u64(3); n], "P, -P");
        // Identity bases mixed in.
        let b: Vec<_> = (0..n)
            .map(|i| {
                if i % 3 == 0 {
                    Affine::IDENTITY
                } else {
                    all[i % 5]
                }
            })
            .collect();
        check_full(&b, &random_scalars::<C>(&mut rng, n), "identity bases");
        let small: Vec<i16> = (0..n).map(|_| rng.next_u32() as i16).collect();
        let s: Vec<_> = small
            .iter()
            .map(|&v| Scalar::<C>::from_i64(v as i64))
            .collect();
        assert_eq!(
            msm_small_vartime(&b, &small).to_affine(),
            ark_msm(&b, &s),
            "identity bases, i16 (seed {})",
            seed()
        );
    }
}

#[test]
fn bn254_repeated_and_identity_bases() {
    repeated_and_identity_bases::<Bn254>(bn_bases());
}

#[test]
fn grumpkin_repeated_and_identity_bases() {
    repeated_and_identity_bases::<Grumpkin>(gr_bases());
}

fn small_kind<C: ArkCurve, S: SmallScalar + std::fmt::Debug>(
    all: &[Affine<C>],
    gen: impl Fn(u64) -> S,
    to_i128: impl Fn(S) -> i128,
    name: &str,
) {
    let mut rng = rng(5);
    for n in (0..=300usize).step_by(7).chain([1000, 4096, all.len()]) {
        let b = &all[..n];
        let s: Vec<S> = (0..n).map(|_| gen(rng.next_u64())).collect();
        let f: Vec<Scalar<C>> = s
            .iter()
            .map(|&v| Scalar::<C>::from_i128(to_i128(v)))
            .collect();
        let got = msm_small_vartime(b, &s).to_affine();
        assert_eq!(
            got,
            ark_msm(b, &f),
            "{} {name}: n = {n} (seed {})",
            <C as kaizen_msm::Curve>::NAME,
            seed()
        );
        // The same scalars as field elements take the signed small path of msm_vartime.
        assert_eq!(
            msm_vartime(b, &f).to_affine(),
            got,
            "{name} via field scalars: n = {n}"
        );
    }
}

fn small_all<C: ArkCurve>(all: &[Affine<C>]) {
    small_kind::<C, i8>(all, |r| r as i8, |v| v as i128, "i8");
    small_kind::<C, i8>(
        all,
        |r| -((r % 129) as i16) as i8,
        |v| v as i128,
        "i8 negative",
    );
    small_kind::<C, i16>(all, |r| r as i16, |v| v as i128, "i16");
    small_kind::<C, i32>(all, |r| r as i32, |v| v as i128, "i32");
    small_kind::<C, i64>(all, |r| r as i64, |v| v as i128, "i64");
    small_kind::<C, i64>(
        all,
        |r| if r % 2 == 0 { i64::MIN } else { i64::MAX },
        |v| v as i128,
        "i64 extremes",
    );
    small_kind::<C, u8>(all, |r| r as u8, |v| v as i128, "u8");
    small_kind::<C, u16>(all, |r| r as u16, |v| v as i128, "u16");
    small_kind::<C, u32>(all, |r| r as u32, |v| v as i128, "u32");
    small_kind::<C, u64>(all, |r| r, |v| v as i128, "u64");
    small_kind::<C, u64>(all, |_| u64::MAX, |v| v as i128, "u64 max");
    small_kind::<C, i16>(all, |r| (r % 3) as i16 - 1, |v| v as i128, "i16 in -1..=1");
}

#[test]
fn bn254_small_scalars() {
    small_all::<Bn254>(&bn_bases()[..1 << 13]);
}

#[test]
fn grumpkin_small_scalars() {
    small_all::<Grumpkin>(gr_bases());
}

#[test]
fn bn254_small_many_tasks() {
    // Enough points that one window splits into several bucket tasks (TASK_POINTS = 2^16).
    let all = bn_bases();
    let b: Vec<_> = all
        .iter()
        .chain(all.iter())
        .chain(all.iter())
        .copied()
        .collect();
    let mut rng = rng(6);
    let s: Vec<i8> = (0..b.len()).map(|_| rng.next_u32() as i8).collect();
    let f: Vec<Scalar<Bn254>> = s
        .iter()
        .map(|&v| Scalar::<Bn254>::from_i64(v as i64))
        .collect();
    assert_eq!(
        msm_small_vartime(&b, &s).to_affine(),
        ark_msm(&b, &f),
        "seed {}",
        seed()
    );
}

#[test]
fn bn254_small_chunked_path() {
    // Few buckets (i8, u8, -1..=1) take the chunked path (`pippenger::local`, 2^13 items per
    // chunk): a partial last chunk, repeated bases (so partial sums across chunks double and
    // cancel), against arkworks.
    let all = bn_bases();
    let b: Vec<_> = all.iter().chain(all.iter()).copied().collect();
    let n = b.len() - 123;
    let b = &b[..n];
    let mut rng = rng(10);
    let i8s: Vec<i8> = (0..n).map(|_| rng.next_u32() as i8).collect();
    let u8s: Vec<u8> = (0..n).map(|_| rng.next_u32() as u8).collect();
    let units: Vec<i8> = (0..n).map(|_| (rng.next_u32() % 3) as i8 - 1).collect();
    // Item i and item i + 2^15 share a base: with opposite scalars they cancel exactly.
    let opposite: Vec<i8> = (0..n).map(|i| if i < 1 << 15 { 5 } else { -5 }).collect();
    let field = |v: &[i64]| -> Vec<Scalar<Bn254>> {
        v.iter().map(|&x| Scalar::<Bn254>::from_i64(x)).collect()
    };
    let as_i64 = |v: &[i8]| -> Vec<i64> { v.iter().map(|&x| x as i64).collect() };
    for (name, s) in [("i8", &i8s), ("units", &units), ("opposite", &opposite)] {
        assert_eq!(
            msm_small_vartime(b, s).to_affine(),
            ark_msm(b, &field(&as_i64(s))),
            "{name} (seed {})",
            seed()
        );
    }
    let u: Vec<i64> = u8s.iter().map(|&x| x as i64).collect();
    assert_eq!(
        msm_small_vartime(b, &u8s).to_affine(),
        ark_msm(b, &field(&u)),
        "u8 (seed {})",
        seed()
    );
}

#[test]
fn naive_agrees_on_small_inputs() {
    let mut rng = rng(7);
    for n in [0usize, 1, 2, 5, 33] {
        let b = &bn_bases()[..n];
        let s: Vec<_> = (0..n).map(|i| edge_scalar::<Bn254>(&mut rng, i)).collect();
        assert_eq!(
            naive_msm(b, &s).to_affine(),
            ark_msm(b, &s),
            "n = {n} (seed {})",
            seed()
        );
        assert_eq!(naive_msm(b, &s), msm_vartime(b, &s));
    }
}

fn many_and_fixed_base<C: ArkCurve>(all: &[Affine<C>]) {
    let mut rng = rng(8);
    for n in [0usize, 1, 3, 100, 1024] {
        let b = &all[..n];
        let sets: Vec<Vec<Scalar<C>>> = (0..4)
            .map(|k| {
                (0..n)
                    .map(|i| edge_scalar::<C>(&mut rng, i * (k + 1) + k))
                    .collect()
            })
            .collect();
        let refs: Vec<&[Scalar<C>]> = sets.iter().map(|s| s.as_slice()).collect();
        let many = msm_many_vartime(b, &refs);
        let table = FixedBaseTable::new(b);
        let fixed = table.msm_many_vartime(&refs);
        for (k, s) in sets.iter().enumerate() {
            let want = ark_msm(b, s);
            assert_eq!(
                many[k].to_affine(),
                want,
                "msm_many n = {n} set {k} (seed {})",
                seed()
            );
            assert_eq!(
                fixed[k].to_affine(),
                want,
                "fixed base n = {n} set {k} (seed {})",
                seed()
            );
        }
        let small: Vec<Vec<i16>> = (0..3)
            .map(|_| (0..n).map(|_| rng.next_u32() as i16).collect())
            .collect();
        let refs: Vec<&[i16]> = small.iter().map(|s| s.as_slice()).collect();
        let many = msm_many_small_vartime(b, &refs);
        for (k, s) in small.iter().enumerate() {
            let f: Vec<_> = s.iter().map(|&v| Scalar::<C>::from_i64(v as i64)).collect();
            let want = ark_msm(b, &f);
            assert_eq!(
                many[k].to_affine(),
                want,
                "many small n = {n} (seed {})",
                seed()
            );
            assert_eq!(
                table.msm_small_vartime(s).to_affine(),
                want,
                "fixed small n = {n}"
            );
        }
    }
    // Other window widths of the table.
    let b = &all[..200];
    let s = random_scalars::<C>(&mut rng, 200);
    let want = ark_msm(b, &s);
    for c in [2u32, 5, 8, 13] {
        assert_eq!(
            FixedBaseTable::with_window(b, c)
                .msm_vartime(&s)
                .to_affine(),
            want,
            "c = {c}"
        );
    }
}

#[test]
fn bn254_many_and_fixed_base() {
    many_and_fixed_base::<Bn254>(bn_bases());
}

#[test]
fn grumpkin_many_and_fixed_base() {
    many_and_fixed_base::<Grumpkin>(gr_bases());
}

#[test]
fn result_does_not_depend_on_thread_count() {
    let all = bn_bases();
    let mut rng = rng(9);
    let full = random_scalars::<Bn254>(&mut rng, all.len());
    let small: Vec<i16> = (0..all.len()).map(|_| rng.next_u32() as i16).collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            (
                msm_vartime(all, &full).to_affine().to_uncompressed(),
                msm_small_vartime(all, &small).to_affine().to_uncompressed(),
                format!("{:?}", msm_vartime(all, &full)),
            )
        })
    };
    assert_eq!(run(1), run(2), "seed {}", seed());
    let _ = Projective::<Bn254>::IDENTITY;
}

#[test]
fn length_mismatch_is_a_typed_error() {
    let b = &bn_bases()[..3];
    let s = vec![Scalar::<Bn254>::ONE; 2];
    assert_eq!(
        kaizen_msm::try_msm_vartime(b, &s),
        Err(kaizen_msm::MsmError::LengthMismatch {
            bases: 3,
            scalars: 2
        })
    );
}
