//! Decoding arbitrary bytes never panics; it accepts exactly the integers below p, and an
//! accepted encoding round-trips.
#![no_main]

use kaizen_field::{Fq, Fr, PrimeField};
use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;

fn check<F: PrimeField>(bytes: &[u8; 32]) {
    let p_bytes: Vec<u8> = F::MODULUS.iter().flat_map(|l| l.to_le_bytes()).collect();
    let below_p = BigUint::from_bytes_le(bytes) < BigUint::from_bytes_le(&p_bytes);
    match F::from_bytes(bytes) {
        Ok(x) => {
            assert!(below_p);
            assert_eq!(&x.to_bytes(), bytes);
        }
        Err(_) => assert!(!below_p),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 32 {
        return;
    }
    let b: [u8; 32] = data[..32].try_into().unwrap();
    check::<Fr>(&b);
    check::<Fq>(&b);
    if data.len() >= 64 {
        let w: [u8; 64] = data[..64].try_into().unwrap();
        let _ = Fr::from_bytes_wide(&w);
    }
});
