//! Differential tests against `ark-bn254` (dev-dependency only), edge values, algebraic laws,
//! and the scalar asm path against the portable path.
//!
//! Seeds: a constant default, overridden by `KAIZEN_TEST_SEED`; every assertion message
//! prints the seed. The suite also runs under `KAIZEN_SIMD=portable`.

use kaizen_field::testing::test_seed;
use std::sync::RwLock;

use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use kaizen_field::backend;
use kaizen_field::{Field, Fp, FpParams, Fq, FqParams, Fr, FrParams, PrimeField};
use num_bigint::BigUint;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Random values per field and operation.
const N: usize = 100_000;

/// Tests take a read lock; the test that flips the scalar asm path takes the write lock, so
/// a `KAIZEN_SIMD=portable` run stays portable everywhere else.
static ASM_SWITCH: RwLock<()> = RwLock::new(());

fn seed() -> u64 {
    test_seed(0x6b61_697a_656e)
}

fn to_ark<P: FpParams, A: ArkPrimeField>(x: &Fp<P>) -> A {
    A::from_le_bytes_mod_order(&x.to_bytes())
}

fn from_ark<P: FpParams, A: ArkPrimeField>(x: &A) -> Fp<P> {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&x.into_bigint().to_bytes_le());
    Fp::<P>::from_bytes(&bytes).expect("arkworks output is canonical")
}

fn le_bytes(x: &BigUint) -> [u8; 32] {
    let v = x.to_bytes_le();
    let mut out = [0u8; 32];
    out[..v.len()].copy_from_slice(&v);
    out
}

fn modulus<P: FpParams>() -> BigUint {
    let mut b = [0u8; 32];
    for (chunk, limb) in b.chunks_exact_mut(8).zip(P::MODULUS.iter()) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    BigUint::from_bytes_le(&b)
}

/// 0, 1, 2, p-1, p-2, (p-1)/2, (p+1)/2, 2^k (k < 254), and all-ones patterns below p.
fn edge_values<P: FpParams>() -> Vec<Fp<P>> {
    let p = modulus::<P>();
    let one = BigUint::from(1u32);
    let mut ints: Vec<BigUint> = vec![
        BigUint::from(0u32),
        one.clone(),
        BigUint::from(2u32),
        &p - 1u32,
        &p - 2u32,
        (&p - 1u32) >> 1,
        (&p + 1u32) >> 1,
    ];
    for k in 0..254 {
        ints.push(&one << k);
        ints.push((&one << k) - 1u32);
    }
    ints.into_iter()
        .filter(|x| x < &p)
        .map(|x| Fp::<P>::from_bytes(&le_bytes(&x)).expect("edge value below p"))
        .collect()
}

/// Random elements, a third of them carry-heavy (limbs all-ones / all-zeros).
fn random_values<P: FpParams>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fp<P>> {
    (0..n)
        .map(|i| {
            if i % 3 == 2 {
                let mut limbs = [0u64; 4];
                for l in limbs.iter_mut() {
                    *l = match rng.next_u32() % 3 {
                        0 => u64::MAX,
                        1 => 0,
                        _ => rng.next_u64(),
                    };
                }
                limbs[3] &= P::MODULUS[3];
                Fp::<P>::from_canonical_limbs(limbs).unwrap_or(Fp::<P>::ONE)
            } else {
                Fp::<P>::random(rng)
            }
        })
        .collect()
}

fn ops_match<P: FpParams, A: ArkPrimeField>(a: &Fp<P>, b: &Fp<P>, s: u64, what: &str) {
    let (aa, bb): (A, A) = (to_ark(a), to_ark(b));
    let m = |op: &str| format!("{op} on {what}: a={a:?} b={b:?}, seed {s}");
    assert_eq!(to_ark::<P, A>(&(*a * *b)), aa * bb, "{}", m("mul"));
    assert_eq!(to_ark::<P, A>(&(*a + *b)), aa + bb, "{}", m("add"));
    assert_eq!(to_ark::<P, A>(&(*a - *b)), aa - bb, "{}", m("sub"));
    assert_eq!(to_ark::<P, A>(&a.square()), aa.square(), "{}", m("square"));
    assert_eq!(to_ark::<P, A>(&(-*a)), -aa, "{}", m("neg"));
    assert_eq!(to_ark::<P, A>(&a.double()), aa.double(), "{}", m("double"));
    assert_eq!(
        a.inverse().map(|x| to_ark::<P, A>(&x)),
        aa.inverse(),
        "{}",
        m("inverse")
    );
    // to_bytes / from_bytes round trip against arkworks' canonical encoding.
    assert_eq!(
        a.to_bytes().to_vec(),
        aa.into_bigint().to_bytes_le(),
        "{}",
        m("to_bytes")
    );
    assert_eq!(from_ark::<P, A>(&aa), *a, "{}", m("from_bytes"));
}

fn random_ops<P: FpParams, A: ArkPrimeField>(salt: u64) {
    let _g = ASM_SWITCH.read().unwrap_or_else(|e| e.into_inner());
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ salt);
    let xs = random_values::<P>(&mut rng, N + 1);
    for (i, w) in xs.windows(2).enumerate() {
        ops_match::<P, A>(&w[0], &w[1], s, &format!("random pair {i}"));
    }
    for i in 0..N {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        assert_eq!(
            to_ark::<P, A>(&Fp::<P>::from_bytes_wide(&wide)),
            A::from_le_bytes_mod_order(&wide),
            "from_bytes_wide {i}, seed {s}"
        );
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        let want = BigUint::from_bytes_le(&bytes) < modulus::<P>();
        assert_eq!(
            Fp::<P>::from_bytes(&bytes).is_ok(),
            want,
            "from_bytes acceptance {bytes:x?}, seed {s}"
        );
    }
}

#[test]
fn fr_random_ops_match_arkworks() {
    random_ops::<FrParams, ark_bn254::Fr>(0x11);
}

#[test]
fn fq_random_ops_match_arkworks() {
    random_ops::<FqParams, ark_bn254::Fq>(0x22);
}

fn edge_ops<P: FpParams, A: ArkPrimeField>() {
    let _g = ASM_SWITCH.read().unwrap_or_else(|e| e.into_inner());
    let s = seed();
    let edges = edge_values::<P>();
    for a in &edges {
        for b in &edges {
            ops_match::<P, A>(a, b, s, "edge values");
        }
    }
}

#[test]
fn fr_edge_ops_match_arkworks() {
    edge_ops::<FrParams, ark_bn254::Fr>();
}

#[test]
fn fq_edge_ops_match_arkworks() {
    edge_ops::<FqParams, ark_bn254::Fq>();
}

fn decoding_edges<P: FpParams>() {
    let s = seed();
    let p = modulus::<P>();
    let one = BigUint::from(1u32);
    let max = (&one << 256usize) - 1u32;
    for bad in [
        p.clone(),
        &p + 1u32,
        &p + 2u32,
        (&one << 255usize),
        max.clone(),
        &max - 1u32,
    ] {
        assert!(
            Fp::<P>::from_bytes(&le_bytes(&bad)).is_err(),
            "{} accepted {bad:x}, seed {s}",
            P::NAME
        );
    }
    for k in 0..256 {
        let x = &one << k;
        assert_eq!(
            Fp::<P>::from_bytes(&le_bytes(&x)).is_ok(),
            x < p,
            "2^{k}, seed {s}"
        );
    }
    let pm1 = Fp::<P>::from_bytes(&le_bytes(&(&p - 1u32))).expect("p-1 is canonical");
    assert_eq!(pm1, -Fp::<P>::ONE, "p-1 decodes to -1, seed {s}");
    assert_eq!(
        pm1.to_bytes(),
        le_bytes(&(&p - 1u32)),
        "p-1 round trip, seed {s}"
    );
    // from_bytes_wide of the extreme 512-bit values.
    let wide_max = [0xffu8; 64];
    let want = ((&one << 512usize) - 1u32) % &p;
    assert_eq!(
        Fp::<P>::from_bytes_wide(&wide_max).to_bytes(),
        le_bytes(&want),
        "wide 2^512-1, seed {s}"
    );
}

#[test]
fn decoding_rejects_non_canonical() {
    decoding_edges::<FrParams>();
    decoding_edges::<FqParams>();
}

fn laws<P: FpParams>(salt: u64) {
    let _g = ASM_SWITCH.read().unwrap_or_else(|e| e.into_inner());
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ salt);
    let xs = random_values::<P>(&mut rng, 20_000);
    let mut all = edge_values::<P>();
    all.extend(xs);
    for w in all.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        let m = format!("a={a:?} b={b:?} c={c:?}, seed {s}");
        assert_eq!((a * b) * c, a * (b * c), "mul associativity {m}");
        assert_eq!((a + b) + c, a + (b + c), "add associativity {m}");
        assert_eq!(a * b, b * a, "mul commutativity {m}");
        assert_eq!(a * (b + c), a * b + a * c, "distributivity {m}");
        assert_eq!(a - b, a + (-b), "sub is add neg {m}");
        assert_eq!(a.square(), a * a, "square {m}");
        assert_eq!(a.double(), a + a, "double {m}");
        assert_eq!(a * Fp::<P>::ONE, a, "one {m}");
        match a.inverse() {
            None => assert!(a.is_zero(), "only zero has no inverse {m}"),
            Some(ai) => {
                assert_eq!(a * ai, Fp::<P>::ONE, "inverse {m}");
                assert_eq!(ai.inverse(), Some(a), "inverse involution {m}");
            }
        }
        assert_eq!(a.inverse(), a.inverse_fermat(), "inverse vs Fermat {m}");
    }
}

#[test]
fn fr_algebraic_laws() {
    laws::<FrParams>(0x33);
}

#[test]
fn fq_algebraic_laws() {
    laws::<FqParams>(0x44);
}

fn sqrt_legendre<P: FpParams, A: ArkPrimeField>(salt: u64) {
    let _g = ASM_SWITCH.read().unwrap_or_else(|e| e.into_inner());
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ salt);
    let mut xs = random_values::<P>(&mut rng, 3_000);
    xs.extend(edge_values::<P>().into_iter().take(40));
    for a in xs {
        let aa: A = to_ark(&a);
        let m = format!("a={a:?}, seed {s}");
        let ark_leg = if aa.is_zero() {
            0
        } else if aa.legendre().is_qr() {
            1
        } else {
            -1
        };
        assert_eq!(a.legendre(), ark_leg, "legendre {m}");
        match a.sqrt() {
            Some(r) => assert_eq!(r.square(), a, "sqrt {m}"),
            None => assert_eq!(ark_leg, -1, "sqrt missing for a square {m}"),
        }
        let sq = a.square();
        let r = sq.sqrt().expect("a square has a root");
        assert!(r == a || r == -a, "sqrt of a square {m}");
    }
}

#[test]
fn fr_sqrt_legendre_match_arkworks() {
    sqrt_legendre::<FrParams, ark_bn254::Fr>(0x55);
}

#[test]
fn fq_sqrt_legendre_match_arkworks() {
    sqrt_legendre::<FqParams, ark_bn254::Fq>(0x66);
}

/// Runs `f` with the scalar asm path on, then off, and restores the original setting.
fn both_paths<T>(f: impl Fn() -> T) -> Option<(T, T)> {
    let initial = backend::scalar_asm_enabled();
    backend::set_scalar_asm(true).ok()?;
    let with_asm = f();
    backend::set_scalar_asm(false).expect("turning asm off always works");
    let portable = f();
    backend::set_scalar_asm(initial).expect("restoring the initial setting");
    Some((with_asm, portable))
}

fn asm_vs_portable<P: FpParams>(salt: u64) {
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ salt);
    let mut xs = edge_values::<P>();
    let edges = xs.len();
    xs.extend(random_values::<P>(&mut rng, N));
    // Edge x edge, then consecutive random pairs; products, squares, inverses, decoding.
    let eval = || {
        let mut out = Vec::with_capacity(4 * xs.len() + edges * edges);
        for a in &xs[..edges] {
            for b in &xs[..edges] {
                out.push(*a * *b);
            }
        }
        for w in xs.windows(2) {
            out.push(w[0] * w[1]);
            out.push(w[0].square());
            out.push(w[0].inverse().unwrap_or(Fp::<P>::ZERO));
            out.push(Fp::<P>::from_bytes(&w[0].to_bytes()).expect("round trip"));
        }
        out
    };
    match both_paths(eval) {
        None => eprintln!("CPU lacks BMI2/ADX: asm path not tested (seed {s})"),
        Some((with_asm, portable)) => {
            assert_eq!(with_asm.len(), portable.len());
            for (i, (x, y)) in with_asm.iter().zip(&portable).enumerate() {
                assert_eq!(x, y, "{} asm vs portable, output {i}, seed {s}", P::NAME);
            }
        }
    }
}

#[test]
fn asm_path_equals_portable_path() {
    let _g = ASM_SWITCH.write().unwrap_or_else(|e| e.into_inner());
    asm_vs_portable::<FrParams>(0x77);
    asm_vs_portable::<FqParams>(0x88);
}

#[test]
fn small_embeddings_match_arkworks() {
    let _g = ASM_SWITCH.read().unwrap_or_else(|e| e.into_inner());
    let s = seed();
    let mut rng = ChaCha20Rng::seed_from_u64(s ^ 0x99);
    let a: Fr = Fr::random(&mut rng);
    for i in 0..N / 10 {
        let v = rng.next_u64() as i64;
        assert_eq!(
            to_ark::<FrParams, ark_bn254::Fr>(&Fr::from_i64(v)),
            ark_bn254::Fr::from(v),
            "from_i64 {v}, seed {s}"
        );
        let w = ((rng.next_u64() as i128) << 64) | rng.next_u64() as i128;
        assert_eq!(
            to_ark::<FrParams, ark_bn254::Fr>(&Fr::from_i128(w)),
            ark_bn254::Fr::from(w),
            "from_i128 {w}, seed {s}"
        );
        let k = if i % 7 == 0 {
            u64::MAX - (i as u64)
        } else {
            rng.next_u64()
        };
        assert_eq!(a.mul_u64(k), a * Fr::from_u64(k), "mul_u64 {k}, seed {s}");
        let b = Fq::random(&mut rng);
        assert_eq!(
            b.mul_u64(k),
            b * Fq::from_u64(k),
            "fq mul_u64 {k}, seed {s}"
        );
        assert_eq!(
            a.mul_small(v),
            a * Fr::from_i64(v),
            "mul_small {v}, seed {s}"
        );
    }
    for k in [0u64, 1, 2, u64::MAX, u64::MAX - 1, 1 << 63] {
        for x in edge_values::<FrParams>() {
            assert_eq!(
                x.mul_u64(k),
                x * Fr::from_u64(k),
                "mul_u64 edge {k}, seed {s}"
            );
        }
    }
    assert_eq!(Fr::ZERO.inverse(), None, "seed {s}");
    assert_eq!(Fq::ZERO.inverse_fermat(), None, "seed {s}");
    assert_eq!((-Fr::ONE).legendre(), 1, "r = 1 mod 4, seed {s}");
    assert_eq!((-Fq::ONE).legendre(), -1, "q = 3 mod 4, seed {s}");
}
