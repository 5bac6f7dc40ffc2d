//! LogUp lookups: honest witnesses accepted (claims checked against the witness and the
//! multiplicities), a value outside the table and wrong multiplicities rejected at the root,
//! every round message, evaluation and root of a proof tampered in turn rejected.

mod common;

use common::*;
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::logup::{
    multiplicities, FracLayerProof, LogupClaims, LogupProof, LookupTable, NotInTable,
};
use kaizen_sumcheck::{
    prove_logup, verify_logup, Check, DenseTable, Malformed, Sha256Transcript, Transcript,
    VerifyError,
};
use rand_chacha::rand_core::RngCore;

const PROTOCOL: &[u8] = b"kaizen/test/logup";

fn prove(table: &LookupTable, witness: &[Fr], m: &[u64]) -> (LogupProof, LogupClaims) {
    prove_logup(table, witness, m, &mut Sha256Transcript::new(PROTOCOL))
}

fn verify(table: &LookupTable, n: usize, proof: &LogupProof) -> Result<LogupClaims, VerifyError> {
    verify_logup(table, n, proof, &mut Sha256Transcript::new(PROTOCOL))
}

fn range_witness(n: usize, bits: u32, salt: u64) -> Vec<Fr> {
    let mut rng = rng(salt);
    (0..1usize << n)
        .map(|_| Fr::from_u64(u64::from(rng.next_u32() >> (32 - bits))))
        .collect()
}

fn check_claims(witness: &[Fr], m: &[u64], claims: &LogupClaims) {
    let w = DenseTable::new(witness.to_vec());
    assert_eq!(
        w.evaluate(&claims.witness.point),
        claims.witness.value,
        "seed {}",
        seed()
    );
    let m = DenseTable::new(m.iter().map(|v| Fr::from_u64(*v)).collect());
    assert_eq!(
        m.evaluate(&claims.multiplicities.point),
        claims.multiplicities.value,
        "seed {}",
        seed()
    );
}

fn rejected(err: VerifyError) -> (Check, usize) {
    match err {
        VerifyError::Rejected { check, round, .. } => (check, round),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn rejected_in_layer(err: VerifyError) -> (usize, Check) {
    match err {
        VerifyError::InLayer { layer, error } => match *error {
            VerifyError::Rejected { check, .. } => (layer, check),
            other => panic!("expected a rejection in layer {layer}, got {other:?}"),
        },
        other => panic!("expected InLayer, got {other:?}"),
    }
}

#[test]
fn honest_range_lookups_are_accepted() {
    for (n, bits) in [(0usize, 1u32), (1, 4), (6, 4), (10, 8), (3, 16)] {
        let table = LookupTable::range(bits as usize);
        let witness = range_witness(n, bits, 0x10 + n as u64);
        let m = multiplicities(&table, &witness).expect("in range");
        assert_eq!(m.iter().sum::<u64>(), 1 << n);
        let (proof, prover_claims) = prove(&table, &witness, &m);
        let claims = verify(&table, n, &proof)
            .unwrap_or_else(|e| panic!("n {n} bits {bits} rejected (seed {}): {e}", seed()));
        assert_eq!(claims, prover_claims);
        check_claims(&witness, &m, &claims);
    }
}

#[test]
fn honest_custom_table_lookups_are_accepted() {
    let mut r = rng(0x21);
    // An "exp-like" table of 64 arbitrary field elements, one repeated.
    let mut rows = rand_vec(&mut r, 64);
    rows[63] = rows[5];
    let table = LookupTable::Custom(rows.clone());
    let witness: Vec<Fr> = (0..512)
        .map(|_| rows[(r.next_u32() % 64) as usize])
        .collect();
    let m = multiplicities(&table, &witness).expect("rows of the table");
    assert_eq!(m[63], 0, "a repeated row takes no multiplicity");
    let (proof, _) = prove(&table, &witness, &m);
    let claims = verify(&table, 9, &proof).expect("honest custom lookup");
    check_claims(&witness, &m, &claims);
    // The same proof against another table: different statement, different challenges, so
    // the first layer with a round (layer 1) fails.
    let mut other = rows;
    other[0] += Fr::ONE;
    let err = verify(&LookupTable::Custom(other), 9, &proof).expect_err("other table");
    assert_eq!(rejected_in_layer(err), (1, Check::LayerEvaluation));
}

#[test]
fn value_outside_the_table_is_rejected() {
    let table = LookupTable::range(4);
    let mut witness = range_witness(6, 4, 0x31);
    witness[17] = Fr::from_u64(16);
    assert_eq!(
        multiplicities(&table, &witness),
        Err(NotInTable { index: 17 })
    );
    // A cheating prover: counts everything else, and puts the stray entry's count on row 15
    // (the closest row) or on row 0.
    witness[17] = Fr::ZERO;
    let mut m = multiplicities(&table, &witness).expect("in range");
    witness[17] = Fr::from_u64(16);
    m[0] -= 1;
    for row in [15usize, 0] {
        let mut cheat = m.clone();
        cheat[row] += 1;
        let (proof, _) = prove(&table, &witness, &cheat);
        assert_eq!(
            rejected(verify(&table, 6, &proof).expect_err("16 in [0,16)")),
            (Check::LookupRoot, 0)
        );
    }
    // A negative value (p - 1) is outside too.
    witness[17] = -Fr::ONE;
    assert_eq!(
        multiplicities(&table, &witness),
        Err(NotInTable { index: 17 })
    );
    let (proof, _) = prove(&table, &witness, &m);
    assert_eq!(
        rejected(verify(&table, 6, &proof).expect_err("-1")),
        (Check::LookupRoot, 0)
    );
}

#[test]
fn wrong_multiplicities_are_rejected() {
    let table = LookupTable::range(5);
    let witness = range_witness(8, 5, 0x41);
    let m = multiplicities(&table, &witness).expect("in range");
    let moved = m.iter().position(|c| *c > 0).expect("some row used");
    let mut one_moved = m.clone();
    one_moved[moved] -= 1;
    one_moved[(moved + 1) % 32] += 1;
    let mut one_more = m.clone();
    one_more[3] += 1;
    let mut all_zero = m.clone();
    all_zero.iter_mut().for_each(|c| *c = 0);
    for bad in [one_moved, one_more, all_zero] {
        let (proof, _) = prove(&table, &witness, &bad);
        let err = verify(&table, 8, &proof).expect_err("wrong multiplicities accepted");
        assert_eq!(rejected(err), (Check::LookupRoot, 0));
    }
}

fn layers_mut(p: &mut LogupProof, tree: usize) -> &mut Vec<FracLayerProof> {
    if tree == 0 {
        &mut p.witness_layers
    } else {
        &mut p.table_layers
    }
}

#[test]
fn tampered_proofs_are_rejected() {
    let (n, k) = (5usize, 3usize);
    let table = LookupTable::range(k);
    let witness = range_witness(n, k as u32, 0x51);
    let m = multiplicities(&table, &witness).expect("in range");
    let (proof, _) = prove(&table, &witness, &m);
    // Every coefficient of every round of both trees.
    let mut tried = 0;
    for tree in 0..2 {
        let depth = layers_mut(&mut proof.clone(), tree).len();
        for l in 0..depth {
            let offset = if tree == 0 { 0 } else { n };
            let rounds = layers_mut(&mut proof.clone(), tree)[l]
                .sumcheck
                .rounds
                .len();
            for round in 0..rounds {
                for c in 0..3 {
                    let mut bad = proof.clone();
                    layers_mut(&mut bad, tree)[l].sumcheck.rounds[round].coeffs_except_linear[c] +=
                        Fr::ONE;
                    let err = verify(&table, n, &bad).expect_err("tampered round");
                    assert_eq!(rejected_in_layer(err), (offset + l, Check::LayerEvaluation));
                    tried += 1;
                }
            }
            for e in 0..4 {
                let mut bad = proof.clone();
                layers_mut(&mut bad, tree)[l].evals[e] += Fr::ONE;
                let err = verify(&table, n, &bad).expect_err("tampered evals");
                assert_eq!(rejected_in_layer(err), (offset + l, Check::LayerEvaluation));
            }
        }
    }
    assert_eq!(tried, 3 * (n * (n - 1) / 2 + k * (k - 1) / 2));
    // The roots.
    let mut bad = proof.clone();
    bad.witness_root.p += Fr::ONE;
    assert_eq!(
        rejected(verify(&table, n, &bad).expect_err("root")),
        (Check::LookupRoot, 0)
    );
    let mut bad = proof.clone();
    bad.table_root.q = Fr::ZERO;
    assert_eq!(
        rejected(verify(&table, n, &bad).expect_err("root")),
        (Check::ZeroDenominator, 0)
    );
    // Both numerators zero passes the root equation but not the first layer.
    let mut bad = proof.clone();
    bad.witness_root.p = Fr::ZERO;
    bad.table_root.p = Fr::ZERO;
    assert_eq!(
        rejected_in_layer(verify(&table, n, &bad).expect_err("zero roots")),
        (0, Check::LayerEvaluation)
    );
    // Shapes.
    let mut bad = proof.clone();
    bad.table_layers.pop();
    assert_eq!(
        verify(&table, n, &bad),
        Err(Malformed::LayerCount {
            expected: k,
            actual: k - 1
        }
        .into())
    );
    assert_eq!(
        verify(&LookupTable::range(17), n, &proof),
        Err(Malformed::Shape { layer: 0 }.into())
    );
    assert_eq!(
        verify(&table, n + 1, &proof),
        Err(Malformed::LayerCount {
            expected: n + 1,
            actual: n
        }
        .into())
    );
}

#[test]
fn proof_bytes_roundtrip_and_malformed_bytes_are_malformed() {
    use kaizen_sumcheck::logup::decode_logup_proof;
    let table = LookupTable::range(4);
    let witness = range_witness(6, 4, 0x61);
    let m = multiplicities(&table, &witness).expect("in range");
    let (proof, _) = prove(&table, &witness, &m);
    let bytes = proof.to_bytes();
    let decoded = decode_logup_proof(&bytes).expect("roundtrip");
    assert_eq!(decoded, proof);
    let claims = verify(&table, 6, &decoded).expect("decoded proof verifies");
    check_claims(&witness, &m, &claims);
    for cut in [0, 31, 128, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            matches!(
                decode_logup_proof(&bytes[..cut]),
                Err(Malformed::Truncated { .. })
            ),
            "cut at {cut}"
        );
    }
    let mut long = bytes.clone();
    long.extend_from_slice(&[1, 2]);
    assert_eq!(
        decode_logup_proof(&long),
        Err(Malformed::TrailingBytes { extra: 2 })
    );
    let mut big = bytes.clone();
    big[32..64].fill(0xff);
    assert_eq!(
        decode_logup_proof(&big),
        Err(Malformed::NonCanonical { offset: 32 })
    );
    // 17 table layers: over the 2^16-row cap.
    let mut deep = bytes;
    let at = 128
        + 4
        + proof
            .witness_layers
            .iter()
            .map(|l| l.sumcheck.to_bytes().len() + 128)
            .sum::<usize>();
    deep[at..at + 4].copy_from_slice(&17u32.to_le_bytes());
    assert_eq!(
        decode_logup_proof(&deep),
        Err(Malformed::TooLong {
            offset: at,
            value: 17,
            cap: 16
        })
    );
}
