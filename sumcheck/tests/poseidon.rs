//! Poseidon BN254 (t = 3, x^5, R_F = 8, R_P = 57) against published constants and vectors.

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_sumcheck::transcript::poseidon::{hash2, permute, PoseidonParams};

fn fr_hex(s: &str) -> Fr {
    let s = s.trim_start_matches("0x");
    assert_eq!(s.len(), 64);
    let mut bytes = [0u8; 32];
    for i in 0..32 {
        // big-endian hex -> little-endian bytes
        bytes[31 - i] = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    Fr::from_bytes(&bytes).unwrap()
}

#[test]
fn grain_constants_match_published_values() {
    // Published in circomlib (poseidon_constants) and the reference poseidonperm_x5_254_3.
    let p = PoseidonParams::get();
    assert_eq!(p.round_constants.len(), 65);
    let rc = &p.round_constants;
    assert_eq!(
        rc[0][0],
        fr_hex("0x0ee9a592ba9a9518d05986d656f40c2114c4993c11bb29938d21d47304cd8e6e")
    );
    assert_eq!(
        rc[0][1],
        fr_hex("0x00f1445235f2148c5986587169fc1bcd887b08d4d00868df5696fff40956e864")
    );
    assert_eq!(
        rc[0][2],
        fr_hex("0x08dff3487e8ac99e1f29a058d0fa80b930c728730b7ab36ce879f3890ecf73f5")
    );
    assert_eq!(
        rc[1][0],
        fr_hex("0x2f27be690fdaee46c3ce28f7532b13c856c35342c84bda6e20966310fadc01d0")
    );
    assert_eq!(
        rc[64][2],
        fr_hex("0x1da55cc900f0d21f4a3e694391918a1b3c23b2ac773c6b3ef88e2e4228325161")
    );
    assert_eq!(
        p.mds[0][0],
        fr_hex("0x109b7f411ba0e4c9b2b70caf5c36a7b194be7c11ad24378bfedb68592ba8118b")
    );
}

#[test]
fn permutation_matches_reference_vector() {
    // hadeshash test_vectors.txt, poseidonperm_x5_254_3: perm([0, 1, 2]).
    let mut s = [Fr::from_u64(0), Fr::from_u64(1), Fr::from_u64(2)];
    permute(&mut s);
    assert_eq!(
        s[0],
        fr_hex("0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a")
    );
    assert_eq!(
        s[1],
        fr_hex("0x0fca49b798923ab0239de1c9e7a4a9a2210312b6a2f616d18b5a87f9b628ae29")
    );
    assert_eq!(
        s[2],
        fr_hex("0x0e7ae82e40091e63cbd4f16a6d16310b3729d4b6e138fcf54110e2867045a30c")
    );
}

#[test]
fn circomlib_poseidon_1_2() {
    assert_eq!(
        hash2(Fr::from_u64(1), Fr::from_u64(2)),
        fr_hex("0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a")
    );
}
