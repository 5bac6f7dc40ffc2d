//! LogUp lookups (Haböck, "Multivariate lookups based on logarithmic derivatives", ePrint
//! 2022/1530) proven by a GKR fractional-sum circuit (Papini–Haböck, "Improving logarithmic
//! derivative lookups using GKR", ePrint 2023/1284).
//!
//! Statement: every entry of the witness MLE `w` (`2^n` entries) lies in the table `t`
//! (`2^k` rows, `k <= MAX_TABLE_VARS`) with multiplicities `m`, i.e. for a random `X`
//!
//! ```text
//!   Σ_x 1 / (X - w(x))  =  Σ_y m(y) / (X - t(y))
//! ```
//!
//! Each side is a binary tree of fractions `(p, q)`: leaves `(1, X - w(x))` and
//! `(m(y), X - t(y))`; a parent of `(p0, q0)`, `(p1, q1)` is `(p0 q1 + p1 q0, q0 q1)`. Level `l`
//! has `2^l` entries, its children are level `l + 1` split by the top variable
//! (`child(0, x) = level[x]`, `child(1, x) = level[2^l + x]`):
//!
//! ```text
//!   level 0 (root)        (P, Q)
//!   level 1           (p, q)[0]  (p, q)[1]
//!   ..
//!   level n (leaves)  (p, q)[0] .. (p, q)[2^n - 1]
//! ```
//!
//! A claim `p_l(r), q_l(r)` is reduced with `λ` to one sumcheck over `l` variables,
//! `p_l(r) + λ q_l(r) = Σ_x eq(r, x) (p0 q1 + p1 q0 + λ q0 q1)(x)`, the prover sends
//! `p0, p1, q0, q1` at the final point `ρ`, and `μ` folds them into a claim on level `l + 1`
//! at `[μ ‖ ρ]`. Layers are numbered across both trees for errors: witness tree `0..n`, table
//! tree `n..n + k`.
//!
//! Transcript (prover and verifier):
//! ```text
//!   absorb LABEL_LOGUP_STATEMENT  table kind and contents, witness variables
//!   X = squeeze LABEL_LOGUP_CHALLENGE
//!   absorb LABEL_LOGUP_ROOTS  (P_w, Q_w, P_t, Q_t)      verifier: Q ≠ 0, P_w Q_t = P_t Q_w
//!   for each tree (witness, then table), for l in 0..depth:
//!       λ = squeeze LABEL_LOGUP_LAMBDA; sumcheck (degree 3, l rounds)
//!       absorb LABEL_LOGUP_EVALS (p0, p1, q0, q1); μ = squeeze LABEL_LOGUP_MU
//! ```
//! The witness and the multiplicities are NOT absorbed here: `X` is only sound if both are
//! bound to the transcript before it is squeezed, so the caller MUST absorb their commitments
//! first (the multiplicities are committed by \[commit\]; until then tests absorb nothing).
//!
//! The verifier returns the claims `w(ρ_w) = X - q_n(ρ_w)` and `m(ρ_t) = p_k(ρ_t)`, which the
//! caller MUST check against the commitments, like an [`EvaluationClaim`].

mod prover;
pub mod table;
pub mod verify;

use kaizen_field::Fr;

use crate::proof::SumcheckProof;
use crate::verifier::EvaluationClaim;

pub use prover::{multiplicities, prove_logup, NotInTable};
pub use table::LookupTable;
pub use verify::{decode_logup_proof, verify_logup};

/// Most table variables (rows `<= 2^16`).
pub const MAX_TABLE_VARS: usize = 16;
/// Most witness variables.
pub const MAX_WITNESS_VARS: usize = 40;

/// Label: the lookup statement.
pub const LABEL_LOGUP_STATEMENT: &[u8] = b"logup/statement";
/// Label: the challenge `X`.
pub const LABEL_LOGUP_CHALLENGE: &[u8] = b"logup/x";
/// Label: the two root fractions.
pub const LABEL_LOGUP_ROOTS: &[u8] = b"logup/roots";
/// Label: the numerator/denominator combination coefficient `λ`.
pub const LABEL_LOGUP_LAMBDA: &[u8] = b"logup/lambda";
/// Label: the four child evaluations of a tree layer.
pub const LABEL_LOGUP_EVALS: &[u8] = b"logup/evals";
/// Label: the child-folding challenge `μ`.
pub const LABEL_LOGUP_MU: &[u8] = b"logup/mu";

/// A fraction `p / q` (not reduced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    /// Numerator.
    pub p: Fr,
    /// Denominator.
    pub q: Fr,
}

/// One layer of a fraction tree: its sumcheck and the children at the final point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FracLayerProof {
    /// Sumcheck over the layer's variables (degree 3).
    pub sumcheck: SumcheckProof,
    /// `[p0, p1, q0, q1]` at the final point.
    pub evals: [Fr; 4],
}

/// A LogUp proof: the two roots and the layers of both trees (root to leaves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogupProof {
    /// `Σ 1 / (X - w)` as one fraction.
    pub witness_root: Fraction,
    /// `Σ m / (X - t)` as one fraction.
    pub table_root: Fraction,
    /// Witness tree, `n` layers.
    pub witness_layers: Vec<FracLayerProof>,
    /// Table tree, `k` layers.
    pub table_layers: Vec<FracLayerProof>,
}

impl LogupProof {
    /// Bytes, all integers little-endian: `4 x 32-byte Fr (P_w, Q_w, P_t, Q_t)` then, for
    /// the witness tree and the table tree, `u32 layers | per layer: SumcheckProof bytes |
    /// 4 x 32-byte Fr`.
    pub fn to_bytes(&self) -> Vec<u8> {
        use kaizen_field::PrimeField;
        let mut out = Vec::new();
        let (w, t) = (self.witness_root, self.table_root);
        for v in [w.p, w.q, t.p, t.q] {
            out.extend_from_slice(&v.to_bytes());
        }
        for tree in [&self.witness_layers, &self.table_layers] {
            out.extend_from_slice(&(tree.len() as u32).to_le_bytes());
            for l in tree {
                l.sumcheck.write(&mut out);
                for v in &l.evals {
                    out.extend_from_slice(&v.to_bytes());
                }
            }
        }
        out
    }
}

/// What a LogUp proof reduces to: the caller MUST check both against the commitments.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a lookup proves nothing until the witness and multiplicity claims are checked"]
pub struct LogupClaims {
    /// A claim on the witness MLE.
    pub witness: EvaluationClaim,
    /// A claim on the multiplicity MLE (over the table's rows).
    pub multiplicities: EvaluationClaim,
}
