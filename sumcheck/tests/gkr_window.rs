//! The sliding-window GKR layers (`Layer::Im2col`, `Layer::Col2im`): a convolution as
//! im2col then matmul, its input gradient as matmul then col2im, proven and checked against
//! the tables; every round coefficient and evaluation tampered; a wrong output rejected.

mod common;

use common::*;
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{Circuit, GkrClaims, GkrProof, GkrWitness, Layer, Window2d};
use kaizen_sumcheck::{
    prove_gkr, verify_gkr, Check, DenseTable, EvaluationClaim, Sha256Transcript, Transcript,
    VerifyError,
};
use rand_chacha::ChaCha20Rng;

const PROTOCOL: &[u8] = b"kaizen/test/gkr-window";

/// 2 samples, 2 channels, 8x8 input (real 7x7), 3x3 kernel (padded 4) -> 5x5 (padded 8).
fn window() -> Window2d {
    Window2d {
        batch_vars: 1,
        chan_vars: 1,
        in_h_vars: 3,
        in_w_vars: 3,
        out_h: 5,
        out_h_vars: 3,
        out_w: 5,
        out_w_vars: 3,
        kernel: 3,
        kernel_vars: 2,
    }
}

/// Conv forward `im2col(X) · K^T` and the input gradient `col2im(dY · K)` as circuits.
fn circuits() -> [Circuit; 2] {
    let w = window();
    let patch_cols = w.chan_vars + 2 * w.kernel_vars;
    [
        Circuit {
            layers: vec![
                Layer::Im2col(w),
                Layer::MatMul {
                    rows: w.patch_row_vars(),
                    inner: patch_cols,
                    cols: 2,
                },
            ],
        },
        Circuit {
            layers: vec![
                Layer::MatMul {
                    rows: w.patch_row_vars(),
                    inner: 2,
                    cols: patch_cols,
                },
                Layer::Col2im(w),
            ],
        },
    ]
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

fn claims(
    rng: &mut ChaCha20Rng,
    circuit: &Circuit,
    w: &GkrWitness,
    n: usize,
) -> Vec<EvaluationClaim> {
    let out = DenseTable::new(circuit.forward(w).pop().expect("output"));
    (0..n)
        .map(|_| {
            let point = rand_vec(rng, circuit.output_vars());
            let value = out.evaluate(&point);
            EvaluationClaim { point, value }
        })
        .collect()
}

fn prove(c: &Circuit, w: &GkrWitness, cl: &[EvaluationClaim]) -> (GkrProof, GkrClaims) {
    prove_gkr(c, w, cl, &mut Sha256Transcript::new(PROTOCOL))
}

fn verify(c: &Circuit, cl: &[EvaluationClaim], p: &GkrProof) -> Result<GkrClaims, VerifyError> {
    verify_gkr(c, cl, p, &mut Sha256Transcript::new(PROTOCOL))
}

fn rejected_layer(err: VerifyError) -> (usize, Check) {
    match err {
        VerifyError::InLayer { layer, error } => match *error {
            VerifyError::Rejected { check, .. } => (layer, check),
            other => panic!("expected a rejection in layer {layer}, got {other:?}"),
        },
        other => panic!("expected InLayer, got {other:?}"),
    }
}

#[test]
fn im2col_reads_the_window_and_col2im_is_its_transpose() {
    let w = window();
    let x: Vec<Fr> = (0..1u64 << w.tensor_vars()).map(Fr::from_u64).collect();
    let u = Layer::Im2col(w).forward(&x, &[Fr::ZERO]);
    // Row (n=1, y=2, x=4), column (c=1, i=2, j=1) reads X[1, 1, 4, 5].
    let row = (8 + 2) * 8 + 4;
    let col = (4 + 2) * 4 + 1;
    assert_eq!(u[row * 32 + col], x[((2 + 1) * 8 + 4) * 8 + 5]);
    // Outside the real window (y = 5, or i = 3) the patch is zero.
    assert_eq!(u[(5 * 8) * 32 + col], Fr::ZERO);
    assert_eq!(u[row * 32 + 3 * 4], Fr::ZERO);
    // <col2im(V), X> = <V, im2col(X)> for any V.
    let mut rng = rng(0xa1);
    let v = rand_vec(&mut rng, 1 << w.patch_vars());
    let back = Layer::Col2im(w).forward(&v, &[Fr::ZERO]);
    let lhs: Fr = back.iter().zip(&x).map(|(a, b)| *a * *b).sum();
    let rhs: Fr = v.iter().zip(&u).map(|(a, b)| *a * *b).sum();
    assert_eq!(lhs, rhs, "seed {}", seed());
}

#[test]
fn completeness_with_one_and_two_claims() {
    for (k, circuit) in circuits().iter().enumerate() {
        for n in [1, 2] {
            let mut rng = rng(0xa2 + 2 * k as u64 + n as u64);
            let w = witness(&mut rng, circuit);
            let cl = claims(&mut rng, circuit, &w, n);
            let (proof, expected) = prove(circuit, &w, &cl);
            let got = verify(circuit, &cl, &proof)
                .unwrap_or_else(|e| panic!("circuit {k}, {n} claims, seed {}: {e}", seed()));
            assert_eq!(got, expected);
            let input = DenseTable::new(w.input.clone());
            for c in &got.input {
                assert_eq!(input.evaluate(&c.point), c.value, "circuit {k}");
            }
            // The window layer hands back exactly one input claim and no aux claim.
            let window_layer = if k == 0 { 0 } else { 1 };
            assert!(got.aux[window_layer].is_empty());
            let matmul = 1 - window_layer;
            let aux = DenseTable::new(w.aux[matmul].clone());
            for c in &got.aux[matmul] {
                assert_eq!(aux.evaluate(&c.point), c.value, "circuit {k} weights");
            }
        }
    }
}

#[test]
fn tampered_rounds_and_evaluations_are_rejected_in_their_layer() {
    for (k, circuit) in circuits().iter().enumerate() {
        let mut rng = rng(0xb0 + k as u64);
        let w = witness(&mut rng, circuit);
        let cl = claims(&mut rng, circuit, &w, 1);
        let (proof, _) = prove(circuit, &w, &cl);
        for (i, lp) in proof.layers.iter().enumerate() {
            for round in [0, lp.sumcheck.rounds.len() - 1] {
                let mut bad = proof.clone();
                bad.layers[i].sumcheck.rounds[round].coeffs_except_linear[0] += Fr::ONE;
                let err = verify(circuit, &cl, &bad).expect_err("tampered round accepted");
                assert_eq!(
                    rejected_layer(err),
                    (i, Check::LayerEvaluation),
                    "circuit {k}"
                );
            }
            for e in 0..lp.evals.len() {
                let mut bad = proof.clone();
                bad.layers[i].evals[e] += Fr::ONE;
                let err = verify(circuit, &cl, &bad).expect_err("tampered eval accepted");
                assert_eq!(
                    rejected_layer(err),
                    (i, Check::LayerEvaluation),
                    "circuit {k}"
                );
            }
        }
        // A wrong output value (one output entry off) fails the first layer's check.
        let mut bad = cl.clone();
        bad[0].value += Fr::ONE;
        let err = verify(circuit, &bad, &proof).expect_err("wrong output accepted");
        assert_eq!(
            rejected_layer(err),
            (0, Check::LayerEvaluation),
            "circuit {k}"
        );
    }
}

#[test]
fn a_window_larger_than_its_input_is_malformed() {
    let mut w = window();
    w.out_h = 7; // 7 + 3 - 1 > 8
    let circuit = Circuit {
        layers: vec![Layer::Im2col(w)],
    };
    let claim = EvaluationClaim {
        point: vec![Fr::ONE; w.patch_vars()],
        value: Fr::ONE,
    };
    let proof = GkrProof { layers: Vec::new() };
    let err = verify(&circuit, &[claim], &proof).expect_err("invalid window accepted");
    assert!(matches!(err, VerifyError::Malformed(_)), "{err:?}");
}
