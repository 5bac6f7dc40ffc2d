//! Golden proof bytes: fixed instances (seeded, independent of `KAIZEN_TEST_SEED`) whose
//! proofs must hash to pinned SHA-256 digests. A change of transcript order, label, encoding
//! or challenge derivation shows up here; if it is intended, bump the protocol version and
//! re-pin (the failure message prints the new digest).

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{Circuit, GkrWitness, Layer};
use kaizen_sumcheck::logup::{multiplicities, LookupTable};
use kaizen_sumcheck::{
    claimed_sum, prove_gkr, prove_logup, prove_product, DenseTable, EvaluationClaim,
    PoseidonTranscript, ProductStatement, Sha256Transcript, Transcript,
};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

const PROTOCOL: &[u8] = b"kaizen/test/golden";

fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x676f_6c64_656e ^ salt)
}

fn vec(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(&mut *rng)).collect()
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn product_proof<T: Transcript>() -> Vec<u8> {
    let mut r = rng(1);
    let n = 8;
    let st = ProductStatement::eq_prod(vec(&mut r, n), 3);
    let tables: Vec<DenseTable> = (0..3)
        .map(|_| DenseTable::new(vec(&mut r, 1 << n)))
        .collect();
    let claim = claimed_sum(&st, &tables);
    prove_product(&st, tables, claim, &mut T::new(PROTOCOL))
        .0
        .to_bytes()
}

/// The two-factor fast path (fused bind + sums), over 2^14 entries so that the parallel
/// chunked pass runs.
fn prod2_proof() -> Vec<u8> {
    let mut r = rng(3);
    let n = 14;
    let st = ProductStatement::prod2(n);
    let tables: Vec<DenseTable> = (0..2)
        .map(|_| DenseTable::new(vec(&mut r, 1 << n)))
        .collect();
    let claim = claimed_sum(&st, &tables);
    prove_product(&st, tables, claim, &mut Sha256Transcript::new(PROTOCOL))
        .0
        .to_bytes()
}

fn gkr_proof() -> Vec<u8> {
    let mut r = rng(2);
    let circuit = Circuit {
        layers: vec![
            Layer::MatMul {
                rows: 2,
                inner: 3,
                cols: 2,
            },
            Layer::Hadamard { vars: 4 },
        ],
    };
    let w = GkrWitness {
        input: vec(&mut r, 1 << 5),
        aux: vec![vec(&mut r, 1 << 5), vec(&mut r, 1 << 4)],
    };
    let out = DenseTable::new(circuit.forward(&w).pop().expect("output"));
    let point = vec(&mut r, 4);
    let claims = [EvaluationClaim {
        value: out.evaluate(&point),
        point,
    }];
    prove_gkr(&circuit, &w, &claims, &mut Sha256Transcript::new(PROTOCOL))
        .0
        .to_bytes()
}

fn logup_proof() -> Vec<u8> {
    let table = LookupTable::range(4);
    let witness: Vec<Fr> = (0..64u64).map(|i| Fr::from_u64((i * 7 + 3) % 16)).collect();
    let m = multiplicities(&table, &witness).expect("in table");
    prove_logup(&table, &witness, &m, &mut Sha256Transcript::new(PROTOCOL))
        .0
        .to_bytes()
}

#[test]
fn proofs_match_their_pinned_digests() {
    let got = [
        ("product/sha256", hex(&product_proof::<Sha256Transcript>())),
        (
            "product/poseidon",
            hex(&product_proof::<PoseidonTranscript>()),
        ),
        ("prod2/sha256", hex(&prod2_proof())),
        ("gkr/sha256", hex(&gkr_proof())),
        ("logup/sha256", hex(&logup_proof())),
    ];
    let pinned = [
        (
            "product/sha256",
            "7c40cf88630da0d607dc4f3a6eb30326640ab05226621580211ef18d95757124",
        ),
        (
            "product/poseidon",
            "00468d091b1a1ae14417d3e1998944bb818352e015863529190b664c5cc7f8b7",
        ),
        (
            "prod2/sha256",
            "13e97027aab55802b59d9f6e1fff6801b853d3da5573345ff88e67b77df0f2c6",
        ),
        (
            "gkr/sha256",
            "e24becf6110f817fd31117c8cd9750e48157f5e504f5d96b022697559bbdc036",
        ),
        (
            "logup/sha256",
            "d3d98d129a0b89de52e3bfcc2f64b630c9376a586214a3351a3f6f53ab9e47ae",
        ),
    ];
    let changed: Vec<String> = got
        .iter()
        .zip(pinned)
        .filter(|((_, g), (_, p))| g != p)
        .map(|((name, g), _)| format!("{name}: now {g}"))
        .collect();
    assert!(
        changed.is_empty(),
        "proof digests changed:\n{}",
        changed.join("\n")
    );
}
