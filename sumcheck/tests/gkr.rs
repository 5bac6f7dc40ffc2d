//! Layered GKR: completeness (checked against direct evaluations of the input and every
//! auxiliary operand), each round message and each claimed evaluation tampered in turn
//! (rejected, naming the layer), malformed shapes, and the 256x256 matmul example.

mod common;

use common::*;
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{Circuit, GkrClaims, GkrProof, GkrWitness, Layer};
use kaizen_sumcheck::{
    prove_gkr, verify_gkr, Check, DenseTable, EvaluationClaim, Malformed, Sha256Transcript,
    Transcript, VerifyError,
};
use rand_chacha::ChaCha20Rng;

const PROTOCOL: &[u8] = b"kaizen/test/gkr";

fn mixed_circuit(rng: &mut ChaCha20Rng) -> Circuit {
    Circuit {
        layers: vec![
            // 4x8 input times 8x4 weights -> 4x4 (4 variables).
            Layer::MatMul {
                rows: 2,
                inner: 3,
                cols: 2,
            },
            Layer::Hadamard { vars: 4 },
            Layer::LinComb {
                vars: 4,
                a: rand_fr(rng),
                b: -Fr::from_u64(3),
            },
            // 2x8 (4 variables, seen as 1 + 3) times 8x8 -> 2x8.
            Layer::MatMul {
                rows: 1,
                inner: 3,
                cols: 3,
            },
            Layer::Hadamard { vars: 4 },
        ],
    }
}

fn witness(rng: &mut ChaCha20Rng, circuit: &Circuit) -> GkrWitness {
    GkrWitness {
        input: rand_vec(rng, 1 << circuit.input_vars()),
        aux: circuit
            .layers
            .iter()
            .map(|l| rand_vec(rng, 1 << l.aux_vars()))
            .collect(),
    }
}

/// `n` claims on the circuit's output at random points.
fn output_claims(
    rng: &mut ChaCha20Rng,
    circuit: &Circuit,
    w: &GkrWitness,
    n: usize,
) -> Vec<EvaluationClaim> {
    let values = circuit.forward(w);
    let out = DenseTable::new(values.last().expect("output").clone());
    (0..n)
        .map(|_| {
            let point = rand_vec(rng, circuit.output_vars());
            let value = out.evaluate(&point);
            EvaluationClaim { point, value }
        })
        .collect()
}

fn prove(circuit: &Circuit, w: &GkrWitness, claims: &[EvaluationClaim]) -> (GkrProof, GkrClaims) {
    prove_gkr(circuit, w, claims, &mut Sha256Transcript::new(PROTOCOL))
}

fn verify(
    circuit: &Circuit,
    claims: &[EvaluationClaim],
    proof: &GkrProof,
) -> Result<GkrClaims, VerifyError> {
    verify_gkr(circuit, claims, proof, &mut Sha256Transcript::new(PROTOCOL))
}

/// The returned claims hold for the actual tables.
fn check_against_witness(w: &GkrWitness, claims: &GkrClaims, seed: u64) {
    let input = DenseTable::new(w.input.clone());
    for c in &claims.input {
        assert_eq!(
            input.evaluate(&c.point),
            c.value,
            "input claim, seed {seed}"
        );
    }
    for (l, (aux, cs)) in w.aux.iter().zip(&claims.aux).enumerate() {
        assert!(!cs.is_empty(), "layer {l} has aux claims, seed {seed}");
        let t = DenseTable::new(aux.clone());
        for c in cs {
            assert_eq!(t.evaluate(&c.point), c.value, "aux {l}, seed {seed}");
        }
    }
}

fn rejected_in_layer(err: VerifyError) -> (usize, Check, usize) {
    match err {
        VerifyError::InLayer { layer, error } => match *error {
            VerifyError::Rejected { check, round, .. } => (layer, check, round),
            other => panic!("expected a rejection inside layer {layer}, got {other:?}"),
        },
        other => panic!("expected InLayer, got {other:?}"),
    }
}

#[test]
fn completeness_one_and_two_output_claims() {
    for n_claims in [1, 2] {
        let mut rng = rng(0x91 + n_claims as u64);
        let circuit = mixed_circuit(&mut rng);
        let w = witness(&mut rng, &circuit);
        let claims = output_claims(&mut rng, &circuit, &w, n_claims);
        let (proof, prover_claims) = prove(&circuit, &w, &claims);
        let got = verify(&circuit, &claims, &proof).unwrap_or_else(|e| {
            panic!(
                "honest proof rejected ({n_claims} claims, seed {}): {e}",
                seed()
            )
        });
        assert_eq!(got, prover_claims, "seed {}", seed());
        // Two output claims travel through the first layers as two (merged per layer).
        assert_eq!(got.aux[4].len(), 1);
        assert_eq!(got.aux[2].len(), 1);
        check_against_witness(&w, &got, seed());
    }
}

#[test]
fn two_claims_stay_two_through_matmul_and_linear_layers() {
    let mut rng = rng(0x92);
    let circuit = Circuit {
        layers: vec![
            Layer::LinComb {
                vars: 5,
                a: Fr::from_u64(2),
                b: Fr::ONE,
            },
            Layer::MatMul {
                rows: 2,
                inner: 3,
                cols: 1,
            },
        ],
    };
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 2);
    let (proof, _) = prove(&circuit, &w, &claims);
    let got = verify(&circuit, &claims, &proof).expect("honest proof");
    assert_eq!(got.input.len(), 2);
    assert_eq!(got.aux[0].len(), 2);
    assert_eq!(got.aux[1].len(), 2);
    check_against_witness(&w, &got, seed());
}

#[test]
fn every_round_coefficient_tampered_is_rejected_in_its_layer() {
    let mut rng = rng(0x93);
    let circuit = mixed_circuit(&mut rng);
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 2);
    let (proof, _) = prove(&circuit, &w, &claims);
    let mut tried = 0;
    for (i, lp) in proof.layers.iter().enumerate() {
        for (round, msg) in lp.sumcheck.rounds.iter().enumerate() {
            for c in 0..msg.coeffs_except_linear.len() {
                let mut bad = proof.clone();
                bad.layers[i].sumcheck.rounds[round].coeffs_except_linear[c] += Fr::ONE;
                let err = verify(&circuit, &claims, &bad).expect_err("tampered round accepted");
                let rounds = circuit.layers[circuit.layers.len() - 1 - i].num_rounds();
                assert_eq!(
                    rejected_in_layer(err),
                    (i, Check::LayerEvaluation, rounds),
                    "layer {i} round {round} coeff {c}, seed {}",
                    seed()
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 30, "only {tried} round coefficients");
}

#[test]
fn every_claimed_evaluation_tampered_is_rejected_in_its_layer() {
    let mut rng = rng(0x94);
    let circuit = mixed_circuit(&mut rng);
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 2);
    let (proof, _) = prove(&circuit, &w, &claims);
    for (i, lp) in proof.layers.iter().enumerate() {
        for e in 0..lp.evals.len() {
            let mut bad = proof.clone();
            bad.layers[i].evals[e] = bad.layers[i].evals[e].double() + Fr::ONE;
            let err = verify(&circuit, &claims, &bad).expect_err("tampered eval accepted");
            let (layer, check, _) = rejected_in_layer(err);
            assert_eq!((layer, check), (i, Check::LayerEvaluation), "eval {e}");
        }
    }
}

#[test]
fn wrong_output_claim_is_rejected_in_layer_zero() {
    let mut rng = rng(0x95);
    let circuit = mixed_circuit(&mut rng);
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 1);
    let (proof, _) = prove(&circuit, &w, &claims);
    let mut bad = claims.clone();
    bad[0].value += Fr::ONE;
    let err = verify(&circuit, &bad, &proof).expect_err("wrong claim accepted");
    assert_eq!(rejected_in_layer(err), (0, Check::LayerEvaluation, 4));
    // A different circuit (another coefficient of the linear layer) changes the transcript.
    let mut other = circuit.clone();
    other.layers[2] = Layer::LinComb {
        vars: 4,
        a: Fr::from_u64(9),
        b: -Fr::from_u64(3),
    };
    let err = verify(&other, &claims, &proof).expect_err("other circuit accepted");
    assert!(matches!(err, VerifyError::InLayer { .. }), "{err:?}");
}

#[test]
fn malformed_shapes_are_malformed() {
    let mut rng = rng(0x96);
    let circuit = mixed_circuit(&mut rng);
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 1);
    let (proof, _) = prove(&circuit, &w, &claims);

    let mut short = proof.clone();
    short.layers.pop();
    assert_eq!(
        verify(&circuit, &claims, &short),
        Err(Malformed::LayerCount {
            expected: 5,
            actual: 4
        }
        .into())
    );
    let three = vec![claims[0].clone(); 3];
    assert_eq!(
        verify(&circuit, &three, &proof),
        Err(Malformed::ClaimCount { max: 2, actual: 3 }.into())
    );
    let mut bad_point = claims.clone();
    bad_point[0].point.push(Fr::ONE);
    assert_eq!(
        verify(&circuit, &bad_point, &proof),
        Err(Malformed::PointLength {
            expected: 4,
            actual: 5
        }
        .into())
    );
    let mut extra_eval = proof.clone();
    extra_eval.layers[1].evals.push(Fr::ONE);
    assert_eq!(
        verify(&circuit, &claims, &extra_eval),
        Err(VerifyError::from(Malformed::FactorCount {
            expected: 2,
            actual: 3
        })
        .in_layer(1))
    );
    let mut dropped_round = proof.clone();
    dropped_round.layers[0].sumcheck.rounds.pop();
    assert_eq!(
        verify(&circuit, &claims, &dropped_round),
        Err(VerifyError::from(Malformed::RoundCount {
            expected: 4,
            actual: 3
        })
        .in_layer(0))
    );
    // Layer 2 from the output is the linear layer: it takes no rounds.
    let mut linear_rounds = proof.clone();
    linear_rounds.layers[2].sumcheck = proof.layers[0].sumcheck.clone();
    assert_eq!(
        verify(&circuit, &claims, &linear_rounds),
        Err(VerifyError::from(Malformed::RoundCount {
            expected: 0,
            actual: 4
        })
        .in_layer(2))
    );
    let broken = Circuit {
        layers: vec![Layer::Hadamard { vars: 3 }, Layer::Hadamard { vars: 4 }],
    };
    assert_eq!(
        verify(&broken, &claims, &proof),
        Err(Malformed::Shape { layer: 1 }.into())
    );
}

#[test]
fn matmul_256x256() {
    let mut rng = rng(0x97);
    let circuit = Circuit {
        layers: vec![Layer::MatMul {
            rows: 8,
            inner: 8,
            cols: 8,
        }],
    };
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 1);
    let (proof, _) = prove(&circuit, &w, &claims);
    assert_eq!(proof.layers[0].sumcheck.rounds.len(), 8);
    let got = verify(&circuit, &claims, &proof).expect("honest 256x256 matmul");
    check_against_witness(&w, &got, seed());
    // A wrong product (one entry of C changed) cannot be proven: its claim differs.
    let mut bad = claims.clone();
    bad[0].value += Fr::ONE;
    let err = verify(&circuit, &bad, &proof).expect_err("wrong product accepted");
    assert_eq!(rejected_in_layer(err), (0, Check::LayerEvaluation, 8));
}

#[test]
fn proof_bytes_roundtrip_and_malformed_bytes_are_malformed() {
    use kaizen_sumcheck::gkr::decode_gkr_proof;
    let mut rng = rng(0x98);
    let circuit = mixed_circuit(&mut rng);
    let w = witness(&mut rng, &circuit);
    let claims = output_claims(&mut rng, &circuit, &w, 2);
    let (proof, _) = prove(&circuit, &w, &claims);
    let bytes = proof.to_bytes();
    let decoded = decode_gkr_proof(&bytes).expect("roundtrip");
    assert_eq!(decoded, proof);
    let got = verify(&circuit, &claims, &decoded).expect("decoded proof verifies");
    check_against_witness(&w, &got, seed());
    for cut in [0, 3, 4, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            matches!(
                decode_gkr_proof(&bytes[..cut]),
                Err(Malformed::Truncated { .. })
            ),
            "cut at {cut}"
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        decode_gkr_proof(&long),
        Err(Malformed::TrailingBytes { extra: 1 })
    );
    // The last evaluation replaced by the all-ones encoding (above the modulus).
    let mut big = bytes.clone();
    let at = big.len() - 32;
    big[at..].fill(0xff);
    assert_eq!(
        decode_gkr_proof(&big),
        Err(Malformed::NonCanonical { offset: at })
    );
    let mut many = bytes;
    many[..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        decode_gkr_proof(&many),
        Err(Malformed::TooLong { offset: 0, .. })
    ));
}
