//! Layered GKR: a chain of layers, each layer's output MLE proven as a sumcheck over its
//! input, walked from the output to the input.
//!
//! ```text
//!   forward:   input = V_L --layer 0--> V_{L-1} --layer 1--> .. --layer L-1--> V_0 = output
//!                            ^ aux_0                ^ aux_1             ^ aux_{L-1}
//!   proof:     claims on V_0  →  claims on V_1  →  ..  →  claims on V_L (returned)
//!                 (layer L-1)       (layer L-2)               (layer 0)
//! ```
//!
//! Layers are given in forward order (`circuit.layers[0]` reads the circuit input); the proof
//! and every error count layers **from the output** (proof layer `i` is circuit layer
//! `L - 1 - i`). Each layer has one *carried* input (the previous layer's output, or the
//! circuit input) and one *auxiliary* operand (weights or another committed table) whose
//! claims the verifier returns for the caller to check, like an
//! [`EvaluationClaim`].
//!
//! # One layer abstraction
//!
//! A [`Layer`] turns claims `V_out(p_c) = v_c` (one or two) into one sumcheck:
//! `Σ_c α_c v_c = Σ_y F(y)` (`Layer::instance`, prover side) and, from the evaluations the prover sends at
//! the sumcheck's final point `ρ`, computes the expected final value and the claims on its
//! inputs (`verify::reduce_layer`, panic-free, shared by prover and verifier). Two claims are merged
//! by a random linear combination: `α_0 = 1`, `α_1` squeezed. A layer that receives two claims
//! hands at most two to the next one.
//!
//! | kind | `V_out` | sumcheck over | claims out (per claim in) |
//! |---|---|---|---|
//! | [`Layer::MatMul`] | `In · W` (`2^m × 2^k` by `2^k × 2^n`, row-major) | `k` (Thaler) | `In(r_i, ρ)`, `W(ρ, r_j)` |
//! | [`Layer::Hadamard`] | `In ∘ W` | all `n` variables, degree 3 | `In(ρ)`, `W(ρ)` (one in total) |
//! | [`Layer::LinComb`] | `a·In + b·W` | nothing (linear) | `In(p_c)`, `W(p_c)` |
//! | [`Layer::Im2col`] | `im2col(In)` (2-D window, [`window`]) | the tensor, degree 2 | `In(ρ)` (one in total) |
//! | [`Layer::Col2im`] | `col2im(In)` (its transpose) | the patches, degree 2 | `In(ρ)` (one in total) |
//!
//! Transcript (prover and verifier, line by line):
//! ```text
//!   absorb LABEL_GKR_CIRCUIT  every layer's kind and shape (forward order)
//!   absorb LABEL_GKR_CLAIMS   the output claims (points and values)
//!   for i in 0..L (from the output):
//!       absorb LABEL_GKR_LAYER i
//!       if 2 claims: α_1 = squeeze LABEL_GKR_MERGE
//!       sumcheck of layer L-1-i on Σ α_c v_c     (skipped by linear layers)
//!       absorb LABEL_GKR_EVALS the layer's claimed evaluations
//! ```

pub mod layer;
mod prover;
pub mod verify;
pub mod window;

use kaizen_field::Fr;

use crate::proof::SumcheckProof;
use crate::verifier::EvaluationClaim;

pub use layer::Layer;
pub use prover::{prove_gkr, prove_gkr_with_values, GkrWitness};
pub use verify::{decode_gkr_proof, verify_gkr};
pub use window::Window2d;

/// Most claims one layer accepts on its output.
pub const MAX_CLAIMS: usize = 2;
/// Most layers in a circuit (decoder and verifier cap).
pub const MAX_LAYERS: usize = 1 << 10;
/// Most variables of any layer table (a cap, not a limit of the protocol).
pub const MAX_VARS: usize = 40;

/// Label: the circuit description.
pub const LABEL_GKR_CIRCUIT: &[u8] = b"gkr/circuit";
/// Label: the output claims.
pub const LABEL_GKR_CLAIMS: &[u8] = b"gkr/claims";
/// Label: the index of the layer about to be proven (from the output).
pub const LABEL_GKR_LAYER: &[u8] = b"gkr/layer";
/// Label: the claim-merging coefficient.
pub const LABEL_GKR_MERGE: &[u8] = b"gkr/merge";
/// Label: a layer's claimed input evaluations.
pub const LABEL_GKR_EVALS: &[u8] = b"gkr/evals";

/// A chain of layers in forward order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circuit {
    /// `layers[0]` reads the circuit input; the last layer produces the output.
    pub layers: Vec<Layer>,
}

/// The proof of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProof {
    /// The layer's sumcheck (no rounds for a linear layer).
    pub sumcheck: SumcheckProof,
    /// The claimed input evaluations, in the order of [`Layer::num_evals`].
    pub evals: Vec<Fr>,
}

/// A GKR proof: one [`LayerProof`] per layer, from the output to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GkrProof {
    /// `layers[i]` proves circuit layer `L - 1 - i`.
    pub layers: Vec<LayerProof>,
}

impl GkrProof {
    /// Bytes, all integers little-endian:
    /// `u32 layers | per layer: SumcheckProof bytes | u32 evals | evals x 32-byte Fr`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.layers.len() as u32).to_le_bytes());
        for l in &self.layers {
            l.sumcheck.write(&mut out);
            out.extend_from_slice(&(l.evals.len() as u32).to_le_bytes());
            for e in &l.evals {
                out.extend_from_slice(&kaizen_field::PrimeField::to_bytes(e));
            }
        }
        out
    }
}

/// What GKR reduces to: claims the caller MUST check against its oracles (commitments).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a GKR proof proves nothing until these claims are checked"]
pub struct GkrClaims {
    /// Claims on the circuit input (1 or 2).
    pub input: Vec<EvaluationClaim>,
    /// `aux[l]`: claims on the auxiliary operand of circuit layer `l` (forward order).
    pub aux: Vec<Vec<EvaluationClaim>>,
}

impl Circuit {
    /// Checks that consecutive layers fit (`Malformed::Shape` names the first that does not).
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        if self.layers.is_empty() || self.layers.len() > MAX_LAYERS {
            return Err(crate::Malformed::Shape { layer: 0 });
        }
        let mut prev: Option<usize> = None;
        for (l, layer) in self.layers.iter().enumerate() {
            if !layer.is_valid() || prev.is_some_and(|p| p != layer.input_vars()) {
                return Err(crate::Malformed::Shape { layer: l });
            }
            prev = Some(layer.output_vars());
        }
        Ok(())
    }

    /// Variables of the circuit input.
    pub fn input_vars(&self) -> usize {
        self.layers.first().map_or(0, Layer::input_vars)
    }

    /// Variables of the circuit output.
    pub fn output_vars(&self) -> usize {
        self.layers.last().map_or(0, Layer::output_vars)
    }

    /// Absorbs the description (the first GKR step on both sides).
    pub fn absorb<T: crate::Transcript>(&self, transcript: &mut T) {
        transcript.absorb_u64(LABEL_GKR_CIRCUIT, self.layers.len() as u64);
        for layer in &self.layers {
            layer.absorb(transcript);
        }
    }
}

/// Absorbs claims (points and values) under `label`.
pub(crate) fn absorb_claims<T: crate::Transcript>(
    transcript: &mut T,
    label: &'static [u8],
    claims: &[EvaluationClaim],
) {
    transcript.absorb_u64(label, claims.len() as u64);
    for c in claims {
        transcript.absorb_frs(label, &c.point);
        transcript.absorb_fr(label, &c.value);
    }
}
