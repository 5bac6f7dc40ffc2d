//! The GKR prover: one loop from the output layer to the input, one sumcheck per layer
//! (the transcript steps are the table in the [module doc](super)).

use kaizen_field::Fr;

use super::verify::{check_claims, merge_coeffs, reduce_layer};
use super::{
    absorb_claims, Circuit, GkrClaims, GkrProof, LayerProof, LABEL_GKR_CLAIMS, LABEL_GKR_EVALS,
    LABEL_GKR_LAYER,
};
use crate::proof::SumcheckProof;
use crate::prover::prove;
use crate::transcript::Transcript;
use crate::verifier::EvaluationClaim;

/// The prover's tables: the circuit input and every layer's auxiliary operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GkrWitness {
    /// The circuit input, `2^input_vars` entries.
    pub input: Vec<Fr>,
    /// `aux[l]`: the auxiliary operand of circuit layer `l` (forward order).
    pub aux: Vec<Vec<Fr>>,
}

impl Circuit {
    /// Every layer's input and the output: `values[0]` is the circuit input, `values[l + 1]`
    /// the output of layer `l`. Panics on a witness of the wrong shape (a caller bug).
    pub fn forward(&self, witness: &GkrWitness) -> Vec<Vec<Fr>> {
        assert_eq!(
            witness.aux.len(),
            self.layers.len(),
            "kaizen-sumcheck: GKR witness has {} aux tables for {} layers",
            witness.aux.len(),
            self.layers.len()
        );
        let mut values = Vec::with_capacity(self.layers.len() + 1);
        values.push(witness.input.clone());
        for (layer, aux) in self.layers.iter().zip(&witness.aux) {
            let next = layer.forward(values.last().map_or(&[][..], Vec::as_slice), aux);
            values.push(next);
        }
        values
    }
}

/// Proves that `circuit` applied to `witness` satisfies `output_claims` (1 or 2 claims on the
/// output, which the caller derived, e.g. from a commitment or a public output). Returns the
/// proof and the claims the verifier will return (on the input and the auxiliary operands).
///
/// Panics on an invalid circuit, witness or claim shape (caller bugs); debug builds check
/// every layer's final equation, naming the layer.
pub fn prove_gkr<T: Transcript>(
    circuit: &Circuit,
    witness: &GkrWitness,
    output_claims: &[EvaluationClaim],
    transcript: &mut T,
) -> (GkrProof, GkrClaims) {
    if let Err(e) = circuit.validate() {
        panic!("kaizen-sumcheck: prove_gkr: {e}");
    }
    let values = circuit.forward(witness);
    prove_gkr_with_values(circuit, witness, &values, output_claims, transcript)
}

/// [`prove_gkr`] when the caller already has every layer's values ([`Circuit::forward`]'s
/// result, e.g. kept from training): `values[l]` is layer `l`'s input.
pub fn prove_gkr_with_values<T: Transcript>(
    circuit: &Circuit,
    witness: &GkrWitness,
    values: &[Vec<Fr>],
    output_claims: &[EvaluationClaim],
    transcript: &mut T,
) -> (GkrProof, GkrClaims) {
    if let Err(e) = circuit.validate() {
        panic!("kaizen-sumcheck: prove_gkr: {e}");
    }
    if let Err(e) = check_claims(output_claims, circuit.output_vars()) {
        panic!("kaizen-sumcheck: prove_gkr: {e}");
    }
    assert!(
        values.len() == circuit.layers.len() + 1 && witness.aux.len() == circuit.layers.len(),
        "kaizen-sumcheck: prove_gkr: {} value tables and {} aux tables for {} layers",
        values.len(),
        witness.aux.len(),
        circuit.layers.len()
    );
    circuit.absorb(transcript);
    absorb_claims(transcript, LABEL_GKR_CLAIMS, output_claims);
    let n_layers = circuit.layers.len();
    let mut claims = output_claims.to_vec();
    let mut layers = Vec::with_capacity(n_layers);
    let mut aux_claims = vec![Vec::new(); n_layers];
    for i in 0..n_layers {
        let l = n_layers - 1 - i;
        let layer = &circuit.layers[l];
        let (input, aux) = (&values[l], &witness.aux[l]);
        transcript.absorb_u64(LABEL_GKR_LAYER, i as u64);
        let coeffs = merge_coeffs(transcript, claims.len());
        let mut instance = layer.instance(&claims, &coeffs, input, aux);
        let (sumcheck, rho, final_value) = match &mut instance {
            Some(inst) => {
                let out = prove(inst, transcript);
                (out.proof, out.point, out.final_claim)
            }
            None => (SumcheckProof { rounds: Vec::new() }, Vec::new(), Fr::ZERO),
        };
        let evals = layer.final_evals(&claims, instance.as_ref(), input, aux);
        let reduced = match reduce_layer(layer, &claims, &coeffs, &rho, final_value, &evals) {
            Ok(r) => r,
            Err(e) => panic!("kaizen-sumcheck: prove_gkr layer {i}: {e}"),
        };
        // `reduced.checks` are not asserted here: on a witness that does not satisfy the circuit
        // the prover still produces a proof, and the verifier rejects it at that check (the
        // tests of wrongly-trained witnesses rely on this, in every build profile).
        transcript.absorb_frs(LABEL_GKR_EVALS, &evals);
        layers.push(LayerProof { sumcheck, evals });
        aux_claims[l] = reduced.aux;
        claims = reduced.input;
    }
    (
        GkrProof { layers },
        GkrClaims {
            input: claims,
            aux: aux_claims,
        },
    )
}
