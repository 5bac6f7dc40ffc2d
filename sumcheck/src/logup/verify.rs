//! The LogUp verifier: no indexing, no unwrap, no panic. It mirrors
//! [`prove_logup`](super::prove_logup) step by step (the table in the [module doc](super)).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;

use super::table::LookupTable;
use super::MAX_TABLE_VARS;
use super::{
    FracLayerProof, Fraction, LogupClaims, LogupProof, LABEL_LOGUP_CHALLENGE, LABEL_LOGUP_EVALS,
    LABEL_LOGUP_LAMBDA, LABEL_LOGUP_MU, LABEL_LOGUP_ROOTS, LABEL_LOGUP_STATEMENT, MAX_WITNESS_VARS,
};
use crate::error::{Check, Malformed, VerifyError};
use crate::poly::eq_eval_checked;
use crate::product::{ProductStatement, Term};
use crate::transcript::Transcript;
use crate::verifier::verify::Reader;
use crate::verifier::{verify, EvaluationClaim};

/// `Σ_x eq(r, x) (p0 q1 + p1 q0 + λ q0 q1)` over factors `[p0, p1, q0, q1]`.
pub(crate) fn layer_statement(r: Vec<Fr>, lambda: Fr) -> ProductStatement {
    let term = |coeff, factors: [usize; 2]| Term {
        coeff,
        factors: factors.to_vec(),
    };
    ProductStatement {
        num_vars: r.len(),
        num_factors: 4,
        terms: vec![
            term(Fr::ONE, [0, 3]),
            term(Fr::ONE, [1, 2]),
            term(lambda, [2, 3]),
        ],
        eq_point: Some(r),
    }
}

/// `(p0 + μ (p1 - p0), q0 + μ (q1 - q0))`.
pub(crate) fn fold_children(evals: &[Fr; 4], mu: Fr) -> (Fr, Fr) {
    let [p0, p1, q0, q1] = *evals;
    (p0 + mu * (p1 - p0), q0 + mu * (q1 - q0))
}

fn reject(check: Check, round: usize, expected: Fr, actual: Fr) -> VerifyError {
    VerifyError::Rejected {
        check,
        round,
        expected,
        actual,
    }
}

/// Verifies one tree of `depth` layers from `root`; layer errors are numbered from
/// `offset`. Returns the leaf claim `(point, p(point), q(point))`.
fn verify_tree<T: Transcript>(
    root: Fraction,
    layers: &[FracLayerProof],
    depth: usize,
    offset: usize,
    transcript: &mut T,
) -> Result<(Vec<Fr>, Fr, Fr), VerifyError> {
    if layers.len() != depth {
        return Err(Malformed::LayerCount {
            expected: depth,
            actual: layers.len(),
        }
        .into());
    }
    let (mut point, mut p_claim, mut q_claim) = (Vec::new(), root.p, root.q);
    for (l, lp) in layers.iter().enumerate() {
        let fail = |e: VerifyError| e.in_layer(offset + l);
        let lambda = transcript.challenge(LABEL_LOGUP_LAMBDA);
        let reduced =
            verify(&lp.sumcheck, p_claim + lambda * q_claim, l, 3, transcript).map_err(fail)?;
        let [p0, p1, q0, q1] = lp.evals;
        let e = eq_eval_checked(&point, &reduced.point).map_err(|e| fail(e.into()))?;
        let expected = e * (p0 * q1 + p1 * q0 + lambda * q0 * q1);
        if expected != reduced.value {
            return Err(fail(reject(
                Check::LayerEvaluation,
                l,
                expected,
                reduced.value,
            )));
        }
        transcript.absorb_frs(LABEL_LOGUP_EVALS, &lp.evals);
        let mu = transcript.challenge(LABEL_LOGUP_MU);
        (p_claim, q_claim) = fold_children(&lp.evals, mu);
        point = [&[mu][..], &reduced.point].concat();
    }
    Ok((point, p_claim, q_claim))
}

/// Verifies that a witness of `2^witness_vars` entries lies in `table`. Returns the claims on
/// the witness MLE and on the multiplicity MLE, which the caller MUST check.
///
/// Errors: `Rejected { ZeroDenominator | LookupRoot, round: 0 }` at the roots (a value outside
/// the table or wrong multiplicities); `InLayer { layer, Rejected { LayerEvaluation, .. } }`
/// for a tree layer (witness tree `0..n`, table tree `n..n + k`); `Rejected { LookupNumerator |
/// LookupTable, round: depth }` at the leaves; [`Malformed`] for shapes.
pub fn verify_logup<T: Transcript>(
    table: &LookupTable,
    witness_vars: usize,
    proof: &LogupProof,
    transcript: &mut T,
) -> Result<LogupClaims, VerifyError> {
    let k = table.num_vars()?;
    if witness_vars > MAX_WITNESS_VARS {
        return Err(Malformed::Shape { layer: 0 }.into());
    }
    table.absorb(transcript);
    transcript.absorb_u64(LABEL_LOGUP_STATEMENT, witness_vars as u64);
    let x = transcript.challenge(LABEL_LOGUP_CHALLENGE);
    let (w, t) = (proof.witness_root, proof.table_root);
    transcript.absorb_frs(LABEL_LOGUP_ROOTS, &[w.p, w.q, t.p, t.q]);
    for q in [w.q, t.q] {
        if q == Fr::ZERO {
            return Err(reject(Check::ZeroDenominator, 0, Fr::ZERO, q));
        }
    }
    // p_w / q_w = p_t / q_t  <=>  p_w q_t = p_t q_w (both denominators non-zero).
    let (lhs, rhs) = (w.p * t.q, t.p * w.q);
    if lhs != rhs {
        return Err(reject(Check::LookupRoot, 0, rhs, lhs));
    }
    let (w_point, w_p, w_q) = verify_tree(w, &proof.witness_layers, witness_vars, 0, transcript)?;
    if w_p != Fr::ONE {
        return Err(reject(Check::LookupNumerator, witness_vars, Fr::ONE, w_p));
    }
    let (t_point, t_p, t_q) = verify_tree(t, &proof.table_layers, k, witness_vars, transcript)?;
    let expected = x - table.evaluate(&t_point)?;
    if t_q != expected {
        return Err(reject(Check::LookupTable, k, expected, t_q));
    }
    Ok(LogupClaims {
        witness: EvaluationClaim {
            point: w_point,
            value: x - w_q,
        },
        multiplicities: EvaluationClaim {
            point: t_point,
            value: t_p,
        },
    })
}

/// Decodes [`LogupProof::to_bytes`]; every violation is a [`Malformed`] error.
pub fn decode_logup_proof(bytes: &[u8]) -> Result<LogupProof, Malformed> {
    let mut r = Reader::new(bytes);
    let witness_root = Fraction {
        p: r.fr()?,
        q: r.fr()?,
    };
    let table_root = Fraction {
        p: r.fr()?,
        q: r.fr()?,
    };
    let mut trees = [Vec::new(), Vec::new()];
    for (tree, cap) in trees.iter_mut().zip([MAX_WITNESS_VARS, MAX_TABLE_VARS]) {
        let n = r.len(cap)?;
        for _ in 0..n {
            let sumcheck = r.sumcheck()?;
            let evals = [r.fr()?, r.fr()?, r.fr()?, r.fr()?];
            tree.push(FracLayerProof { sumcheck, evals });
        }
    }
    r.finish()?;
    let [witness_layers, table_layers] = trees;
    Ok(LogupProof {
        witness_root,
        table_root,
        witness_layers,
        table_layers,
    })
}
