//! The sumcheck-family verifiers on mutated honest proofs: decoding and verifying arbitrary
//! variations of a valid product-sumcheck, GKR or LogUp proof MUST never panic, and a proof
//! that verifies MUST be byte-identical to the honest one (each statement has one canonical
//! accepting proof up to a Fiat–Shamir collision).
//!
//! Input: byte 0 picks the protocol, byte 1 how to resize (keep, truncate, extend), then
//! triples `(offset u16 LE, xor u8)` applied to the honest encoding.
#![no_main]

use std::sync::OnceLock;

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{decode_gkr_proof, Circuit, GkrWitness, Layer};
use kaizen_sumcheck::logup::{decode_logup_proof, multiplicities, LookupTable};
use kaizen_sumcheck::{
    claimed_sum, decode_product_proof, prove_gkr, prove_logup, prove_product, verify_gkr,
    verify_logup, verify_product, DenseTable, EvaluationClaim, ProductStatement,
    Sha256Transcript, Transcript,
};
use libfuzzer_sys::fuzz_target;

const PROTOCOL: &[u8] = b"kaizen/fuzz/sumcheck";

/// A deterministic pseudo-random table (splitmix64 of the index).
fn table(n: usize, salt: u64) -> Vec<Fr> {
    (0..1u64 << n)
        .map(|i| {
            let mut z = (i ^ salt.rotate_left(32)).wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Fr::from_u64(z ^ (z >> 31))
        })
        .collect()
}

struct Honest {
    product: (ProductStatement, Fr, Vec<u8>),
    gkr: (Circuit, Vec<EvaluationClaim>, Vec<u8>),
    logup: (LookupTable, usize, Vec<u8>),
}

fn honest() -> &'static Honest {
    static HONEST: OnceLock<Honest> = OnceLock::new();
    HONEST.get_or_init(|| {
        let n = 5;
        let st = ProductStatement::eq_prod(table(n, 1)[..n].to_vec(), 3);
        let tables: Vec<DenseTable> = (0..3).map(|j| DenseTable::new(table(n, 10 + j))).collect();
        let claim = claimed_sum(&st, &tables);
        let (proof, _) = prove_product(&st, tables, claim, &mut Sha256Transcript::new(PROTOCOL));
        let product = (st, claim, proof.to_bytes());

        let circuit = Circuit {
            layers: vec![
                Layer::MatMul {
                    rows: 1,
                    inner: 2,
                    cols: 2,
                },
                Layer::Hadamard { vars: 3 },
            ],
        };
        let w = GkrWitness {
            input: table(3, 20),
            aux: vec![table(4, 21), table(3, 22)],
        };
        let out = DenseTable::new(circuit.forward(&w).last().cloned().unwrap_or_default());
        let point = table(3, 23)[..3].to_vec();
        let claims = vec![EvaluationClaim {
            value: out.evaluate(&point),
            point,
        }];
        let (proof, _) = prove_gkr(&circuit, &w, &claims, &mut Sha256Transcript::new(PROTOCOL));
        let gkr = (circuit, claims, proof.to_bytes());

        let lookup = LookupTable::range(3);
        let witness: Vec<Fr> = (0..16u64).map(|i| Fr::from_u64((i * 5) % 8)).collect();
        let m = multiplicities(&lookup, &witness).unwrap_or_default();
        let (proof, _) = prove_logup(&lookup, &witness, &m, &mut Sha256Transcript::new(PROTOCOL));
        let logup = (lookup, 4, proof.to_bytes());
        Honest {
            product,
            gkr,
            logup,
        }
    })
}

fn mutate(honest: &[u8], data: &[u8]) -> Vec<u8> {
    let mut bytes = honest.to_vec();
    match data.first().map(|b| b % 3) {
        Some(1) => bytes.truncate(usize::from(data.get(1).copied().unwrap_or(0)) * 7 % (honest.len() + 1)),
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
    bytes
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let h = honest();
    let t = || Sha256Transcript::new(PROTOCOL);
    match which % 3 {
        0 => {
            let (st, claim, honest) = &h.product;
            let bytes = mutate(honest, rest);
            if let Ok(p) = decode_product_proof(&bytes) {
                if verify_product(st, *claim, &p, &mut t()).is_ok() {
                    assert_eq!(&bytes, honest, "a mutated product proof verified");
                }
            }
        }
        1 => {
            let (circuit, claims, honest) = &h.gkr;
            let bytes = mutate(honest, rest);
            if let Ok(p) = decode_gkr_proof(&bytes) {
                if verify_gkr(circuit, claims, &p, &mut t()).is_ok() {
                    assert_eq!(&bytes, honest, "a mutated GKR proof verified");
                }
            }
        }
        _ => {
            let (table, n, honest) = &h.logup;
            let bytes = mutate(honest, rest);
            if let Ok(p) = decode_logup_proof(&bytes) {
                if verify_logup(table, *n, &p, &mut t()).is_ok() {
                    assert_eq!(&bytes, honest, "a mutated LogUp proof verified");
                }
            }
        }
    }
});
