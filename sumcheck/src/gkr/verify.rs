//! The GKR verifier, and the per-layer reduction it shares with the prover: no indexing, no
//! unwrap, no panic. It mirrors [`prove_gkr`](super::prove_gkr) step by step (the table in
//! the [module doc](super)) and stops at the first failure, naming the layer (counted from
//! the output) and the round.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;

use super::layer::Layer;
use super::{
    absorb_claims, Circuit, GkrClaims, GkrProof, LayerProof, LABEL_GKR_CLAIMS, LABEL_GKR_EVALS,
    LABEL_GKR_LAYER, LABEL_GKR_MERGE, MAX_CLAIMS, MAX_LAYERS,
};
use crate::error::{Check, Malformed, VerifyError};
use crate::poly::eq_eval_checked;
use crate::transcript::Transcript;
use crate::verifier::verify::Reader;
use crate::verifier::{verify, EvaluationClaim};

/// What one layer reduces to.
#[derive(Debug, Clone)]
pub(crate) struct Reduced {
    /// `(expected, actual)` pairs that must be equal (`Check::LayerEvaluation`).
    pub(crate) checks: Vec<(Fr, Fr)>,
    /// Claims on the carried input.
    pub(crate) input: Vec<EvaluationClaim>,
    /// Claims on the auxiliary operand.
    pub(crate) aux: Vec<EvaluationClaim>,
}

/// The merging coefficients `α_0 = 1`, `α_1 = squeeze` for `n` claims.
pub(crate) fn merge_coeffs<T: Transcript>(transcript: &mut T, n: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(n);
    out.push(Fr::ONE);
    for _ in 1..n {
        out.push(transcript.challenge(LABEL_GKR_MERGE));
    }
    out
}

fn claim(point: Vec<Fr>, value: Fr) -> EvaluationClaim {
    EvaluationClaim { point, value }
}

/// From the claims on a layer's output, their coefficients, the sumcheck's final point `rho`
/// and value, and the prover's evaluations: the checks to make and the claims on the inputs.
pub(crate) fn reduce_layer(
    layer: &Layer,
    claims: &[EvaluationClaim],
    coeffs: &[Fr],
    rho: &[Fr],
    final_value: Fr,
    evals: &[Fr],
) -> Result<Reduced, Malformed> {
    let count = Malformed::FactorCount {
        expected: layer.num_evals(claims.len()),
        actual: evals.len(),
    };
    if evals.len() != layer.num_evals(claims.len()) {
        return Err(count);
    }
    let mut out = Reduced {
        checks: Vec::new(),
        input: Vec::new(),
        aux: Vec::new(),
    };
    match layer {
        Layer::MatMul { rows, .. } => {
            let mut expected = Fr::ZERO;
            for ((c, alpha), e) in claims.iter().zip(coeffs).zip(evals.chunks_exact(2)) {
                let (Some(r_i), Some(r_j), [a, b]) =
                    (c.point.get(..*rows), c.point.get(*rows..), e)
                else {
                    return Err(Malformed::PointLength {
                        expected: layer.output_vars(),
                        actual: c.point.len(),
                    });
                };
                expected += *alpha * *a * *b;
                out.input.push(claim([r_i, rho].concat(), *a));
                out.aux.push(claim([rho, r_j].concat(), *b));
            }
            out.checks.push((expected, final_value));
        }
        Layer::Hadamard { .. } => {
            let [f, g] = evals else { return Err(count) };
            let mut e = Fr::ZERO;
            for (c, alpha) in claims.iter().zip(coeffs) {
                e += *alpha * eq_eval_checked(&c.point, rho)?;
            }
            out.checks.push((e * *f * *g, final_value));
            out.input.push(claim(rho.to_vec(), *f));
            out.aux.push(claim(rho.to_vec(), *g));
        }
        Layer::Im2col(w) | Layer::Col2im(w) => {
            let [f] = evals else { return Err(count) };
            let mut wiring = Fr::ZERO;
            for (c, alpha) in claims.iter().zip(coeffs) {
                let at = if matches!(layer, Layer::Im2col(_)) {
                    w.im2col_wiring_eval(&c.point, rho)
                } else {
                    w.col2im_wiring_eval(&c.point, rho)
                };
                wiring += *alpha
                    * at.ok_or(Malformed::PointLength {
                        expected: layer.output_vars(),
                        actual: c.point.len(),
                    })?;
            }
            out.checks.push((wiring * *f, final_value));
            out.input.push(claim(rho.to_vec(), *f));
        }
        Layer::LinComb { a, b, .. } => {
            for (c, e) in claims.iter().zip(evals.chunks_exact(2)) {
                let [f, g] = e else { return Err(count) };
                out.checks.push((*a * *f + *b * *g, c.value));
                out.input.push(claim(c.point.clone(), *f));
                out.aux.push(claim(c.point.clone(), *g));
            }
        }
    }
    Ok(out)
}

/// Verifies `proof` that `circuit` maps some input to an output satisfying `output_claims`
/// (1 or 2 claims `V_0(p) = v`). Returns the claims on the circuit input and on every layer's
/// auxiliary operand, which the caller MUST check (commitment openings or direct evaluation).
///
/// Errors: [`Malformed`] for shapes (circuit, claim count, point lengths, layer count, round
/// or evaluation counts); `InLayer { layer, Rejected { LayerEvaluation, round, .. } }` when a
/// layer's final check fails (`round` = the layer's number of rounds).
pub fn verify_gkr<T: Transcript>(
    circuit: &Circuit,
    output_claims: &[EvaluationClaim],
    proof: &GkrProof,
    transcript: &mut T,
) -> Result<GkrClaims, VerifyError> {
    circuit.validate()?;
    let n_layers = circuit.layers.len();
    if proof.layers.len() != n_layers {
        return Err(Malformed::LayerCount {
            expected: n_layers,
            actual: proof.layers.len(),
        }
        .into());
    }
    check_claims(output_claims, circuit.output_vars())?;
    circuit.absorb(transcript);
    absorb_claims(transcript, LABEL_GKR_CLAIMS, output_claims);
    let mut claims = output_claims.to_vec();
    let mut aux = vec![Vec::new(); n_layers];
    for (i, (lp, layer)) in proof
        .layers
        .iter()
        .zip(circuit.layers.iter().rev())
        .enumerate()
    {
        let fail = |e: VerifyError| e.in_layer(i);
        transcript.absorb_u64(LABEL_GKR_LAYER, i as u64);
        let coeffs = merge_coeffs(transcript, claims.len());
        let (rho, final_value) = if layer.has_sumcheck() {
            let sum: Fr = claims.iter().zip(&coeffs).map(|(c, a)| c.value * *a).sum();
            let r = verify(
                &lp.sumcheck,
                sum,
                layer.num_rounds(),
                layer.degree(),
                transcript,
            )
            .map_err(fail)?;
            (r.point, r.value)
        } else {
            if !lp.sumcheck.rounds.is_empty() {
                return Err(fail(
                    Malformed::RoundCount {
                        expected: 0,
                        actual: lp.sumcheck.rounds.len(),
                    }
                    .into(),
                ));
            }
            (Vec::new(), Fr::ZERO)
        };
        let reduced = reduce_layer(layer, &claims, &coeffs, &rho, final_value, &lp.evals)
            .map_err(|e| fail(e.into()))?;
        for (expected, actual) in &reduced.checks {
            if expected != actual {
                return Err(fail(VerifyError::Rejected {
                    check: Check::LayerEvaluation,
                    round: layer.num_rounds(),
                    expected: *expected,
                    actual: *actual,
                }));
            }
        }
        transcript.absorb_frs(LABEL_GKR_EVALS, &lp.evals);
        if let Some(slot) = aux.get_mut(n_layers - 1 - i) {
            *slot = reduced.aux;
        }
        claims = reduced.input;
    }
    Ok(GkrClaims { input: claims, aux })
}

/// 1 to [`MAX_CLAIMS`] claims, each with `vars` coordinates.
pub(crate) fn check_claims(claims: &[EvaluationClaim], vars: usize) -> Result<(), Malformed> {
    if claims.is_empty() || claims.len() > MAX_CLAIMS {
        return Err(Malformed::ClaimCount {
            max: MAX_CLAIMS,
            actual: claims.len(),
        });
    }
    for c in claims {
        if c.point.len() != vars {
            return Err(Malformed::PointLength {
                expected: vars,
                actual: c.point.len(),
            });
        }
    }
    Ok(())
}

/// Decodes [`GkrProof::to_bytes`]; every violation is a [`Malformed`] error.
pub fn decode_gkr_proof(bytes: &[u8]) -> Result<GkrProof, Malformed> {
    let mut r = Reader::new(bytes);
    let n = r.len(MAX_LAYERS)?;
    let mut layers = Vec::with_capacity(n);
    for _ in 0..n {
        let sumcheck = r.sumcheck()?;
        let m = r.len(2 * MAX_CLAIMS)?;
        let mut evals = Vec::with_capacity(m);
        for _ in 0..m {
            evals.push(r.fr()?);
        }
        layers.push(LayerProof { sumcheck, evals });
    }
    r.finish()?;
    Ok(GkrProof { layers })
}
