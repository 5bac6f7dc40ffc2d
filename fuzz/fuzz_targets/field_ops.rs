//! Every scalar operation of Fr and Fq, on the asm and portable paths, against a simple
//! big-integer reference (num-bigint). Input: two 32-byte integers (reduced mod p) and an
//! op selector.
#![no_main]

use kaizen_field::{backend::set_scalar_asm, Field, Fq, Fr, PrimeField};
use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;

fn modulus<F: PrimeField>() -> BigUint {
    let bytes: Vec<u8> = F::MODULUS.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

fn to_big<F: PrimeField>(x: &F) -> BigUint {
    BigUint::from_bytes_le(&x.to_bytes())
}

fn check<F: PrimeField>(a_bytes: &[u8; 32], b_bytes: &[u8; 32], op: u8) {
    let p = modulus::<F>();
    let a_big = BigUint::from_bytes_le(a_bytes) % &p;
    let b_big = BigUint::from_bytes_le(b_bytes) % &p;
    let enc = |v: &BigUint| {
        let mut out = [0u8; 32];
        let le = v.to_bytes_le();
        out[..le.len()].copy_from_slice(&le);
        F::from_bytes(&out).expect("reduced value decodes")
    };
    let (a, b) = (enc(&a_big), enc(&b_big));
    for asm in [false, true] {
        if asm && set_scalar_asm(true).is_err() {
            continue;
        }
        if !asm {
            set_scalar_asm(false).expect("portable always available");
        }
        let (got, want) = match op % 7 {
            0 => (a * b, (&a_big * &b_big) % &p),
            1 => (a + b, (&a_big + &b_big) % &p),
            2 => (a - b, (&a_big + &p - &b_big) % &p),
            3 => (a.square(), (&a_big * &a_big) % &p),
            4 => (-a, (&p - &a_big) % &p),
            5 => (a.double(), (&a_big * 2u32) % &p),
            _ => match a.inverse() {
                Some(inv) => (inv, a_big.modpow(&(&p - 2u32), &p)),
                None => {
                    assert_eq!(a_big, BigUint::from(0u32));
                    continue;
                }
            },
        };
        assert_eq!(to_big(&got), want, "op {} asm {asm}", op % 7);
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 65 {
        return;
    }
    let a: [u8; 32] = data[..32].try_into().unwrap();
    let b: [u8; 32] = data[32..64].try_into().unwrap();
    check::<Fr>(&a, &b, data[64]);
    check::<Fq>(&a, &b, data[64]);
});
