//! The zero-knowledge product sumcheck (Pedersen mask + IPA opening) on mutated honest proofs:
//! decoding and verifying MUST never panic, and a proof that verifies MUST be byte-identical
//! to the honest one.
//!
//! Input: byte 0 picks how to resize (keep, truncate, extend), then triples
//! `(offset u16 LE, xor u8)` applied to the honest encoding.
#![no_main]

use std::sync::OnceLock;

use kaizen_field::{Field, Fr};
use kaizen_recursion::zk::{
    decode_product_proof, encode_product_proof, prove_product_zk, verify_product_zk, PedersenMask,
};
use kaizen_sumcheck::{claimed_sum, DenseTable, ProductStatement, Sha256Transcript};
use libfuzzer_sys::fuzz_target;

struct Honest {
    params: PedersenMask,
    statement: ProductStatement,
    claim: Fr,
    bytes: Vec<u8>,
}

fn honest() -> &'static Honest {
    static HONEST: OnceLock<Honest> = OnceLock::new();
    HONEST.get_or_init(|| {
        let n = 4;
        let value = |i: u64| Fr::from_u64(i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 3);
        let statement =
            ProductStatement::eq_prod((0..n as u64).map(|i| value(i + 100)).collect(), 2);
        let tables: Vec<DenseTable> = (0..2u64)
            .map(|j| DenseTable::new((0..16).map(|i| value(i + 16 * j)).collect()))
            .collect();
        let claim = claimed_sum(&statement, &tables);
        let params = PedersenMask::setup(n, statement.degree());
        let mut t = params.transcript::<Sha256Transcript>();
        let (proof, _) = prove_product_zk(&params, &statement, tables, claim, [7u8; 32], &mut t);
        let bytes = encode_product_proof(&proof);
        Honest {
            params,
            statement,
            claim,
            bytes,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let h = honest();
    let mut bytes = h.bytes.clone();
    match data.first().map(|b| b % 3) {
        Some(1) => bytes.truncate(usize::from(data.get(1).copied().unwrap_or(0)) * 5 % (h.bytes.len() + 1)),
        Some(2) => bytes.extend_from_slice(data.get(..data.len().min(40)).unwrap_or_default()),
        _ => {}
    }
    for t in data.get(1..).unwrap_or_default().chunks_exact(3) {
        if bytes.is_empty() {
            break;
        }
        let at = usize::from(u16::from_le_bytes([t[0], t[1]])) % bytes.len();
        bytes[at] ^= t[2];
    }
    if let Ok(proof) = decode_product_proof(&bytes) {
        let mut t = h.params.transcript::<Sha256Transcript>();
        if verify_product_zk(&h.params, &h.statement, h.claim, &proof, &mut t).is_ok() {
            assert_eq!(bytes, h.bytes, "a mutated zero-knowledge proof verified");
        }
    }
});
