//! Commitments of the folded instances (HyperNova over BN254 G1, RECURSION.md section 1: `U`).
//!
//! The witness `w ∈ F^(n_w)` of a CCCS / LCCCS is committed by a hiding Pedersen vector
//! commitment with `msm`'s transparent generators:
//!
//! ```text
//!   C = Com(w; b) = Σ_i w_i G_i + b H          G_i, H: kaizen_msm::PedersenGens (n_w of them)
//! ```
//!
//! Folding is linear in everything the commitment binds, so with the fold challenge `ρ`
//!
//! ```text
//!   C' = C_1 + ρ C_2,   w' = w_1 + ρ w_2,   b' = b_1 + ρ b_2   ⇒   C' = Com(w'; b')
//! ```
//!
//! and the decider ([`decide_lcccs`]) checks the folded witness against the folded
//! commitment, then the linearized claims. A witness that does not open its commitment folds
//! into a witness that does not open the folded one (Pedersen binding), so it is caught there.
//!
//! ## The 128-bit fold challenge
//!
//! `ρ` is the low 128 bits of one squeezed `Fr` challenge ([`fold_challenge`]): the group
//! operation `C_1 + ρ C_2` is proven on the `Fq` side (CycleFold, RECURSION.md section 3) by a
//! 128-step double-and-add, and challenges crossing fields are integers below `2^128`
//! (section 5). Soundness: the folded instance is `U_1 + ρ U_2`, degree 1 in `ρ`; if either
//! input is invalid, at most one value of `ρ` makes the fold valid (two distinct valid folds at
//! `ρ ≠ ρ'` would give valid `U_1`, `U_2` by linear interpolation with Pedersen binding), so a
//! cheating prover succeeds with probability at most `1 / 2^128` per fold over the uniform
//! 128-bit `ρ`, plus the sumcheck's `s (d + 1) / |Fr|` (its challenges stay full-field). The
//! squeezed element is uniform in `Fr` under the sponge model; its low 128 bits are then
//! uniform up to a statistical distance `< 2^128 / r < 2^-125`.
//!
//! Untrusted instances arrive here: no indexing, no unwrap, no panic.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_msm::{G1Affine, PedersenGens};
use kaizen_sumcheck::Transcript;

use super::check::{CcsCheck, CcsError, CcsMalformed};
use super::mle::Lcccs;
use super::Ccs;

/// The Pedersen key of one CCS: `n_w` message generators and `H`.
#[derive(Debug, Clone)]
pub struct CommitmentKey {
    gens: PedersenGens,
}

/// A committed CCS instance (CCCS): the witness commitment and the public input; its witness
/// satisfies the CCS with `u = 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cccs {
    /// `Com(w; b)`.
    pub commitment: G1Affine,
    /// Public inputs `x`.
    pub x: Vec<Fr>,
}

/// The witness of a CCCS or an LCCCS: `w` and its blinding factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcsWitness {
    /// `w`, `n_w` entries.
    pub w: Vec<Fr>,
    /// The blinding factor `b` of the commitment.
    pub blind: Fr,
}

impl CommitmentKey {
    /// The key for `ccs` (its `n_w` witness columns; at least one generator).
    pub fn new(ccs: &Ccs) -> Self {
        Self {
            gens: PedersenGens::new(ccs.num_witness.max(1)),
        }
    }

    /// Number of message generators.
    pub fn len(&self) -> usize {
        self.gens.len()
    }

    /// Whether the key has no message generators (never: [`Self::new`] makes at least one).
    pub fn is_empty(&self) -> bool {
        self.gens.is_empty()
    }

    /// `Com(w; b)`; `Malformed` when `w` is longer than the key.
    pub fn commit(&self, witness: &CcsWitness) -> Result<G1Affine, CcsMalformed> {
        if witness.w.len() > self.gens.len() {
            return Err(CcsMalformed::Length {
                expected: self.gens.len(),
                actual: witness.w.len(),
            });
        }
        Ok(self.gens.commit(&witness.w, &witness.blind).to_affine())
    }

    /// The CCCS of a witness with public input `x`.
    pub fn cccs(&self, witness: &CcsWitness, x: &[Fr]) -> Result<Cccs, CcsMalformed> {
        Ok(Cccs {
            commitment: self.commit(witness)?,
            x: x.to_vec(),
        })
    }

    /// `commitment = Com(w; b)`, else `Rejected { check: Commitment }`.
    pub fn check_opening(
        &self,
        commitment: &G1Affine,
        witness: &CcsWitness,
    ) -> Result<(), CcsError> {
        if self.commit(witness)? == *commitment {
            Ok(())
        } else {
            Err(CcsError::Rejected {
                check: CcsCheck::Commitment,
                row: 0,
                name: "commitment/opening",
                residual: Fr::ZERO,
            })
        }
    }
}

impl CcsWitness {
    /// `w` with blinding factor `blind`.
    pub fn new(w: Vec<Fr>, blind: Fr) -> Self {
        Self { w, blind }
    }
}

/// The CCCS decider: the witness opens the commitment and `z = (w, 1, x)` satisfies every row.
pub fn decide_cccs(
    key: &CommitmentKey,
    ccs: &Ccs,
    inst: &Cccs,
    witness: &CcsWitness,
) -> Result<(), CcsError> {
    key.check_opening(&inst.commitment, witness)?;
    let z: Vec<Fr> = witness
        .w
        .iter()
        .copied()
        .chain([Fr::ONE])
        .chain(inst.x.iter().copied())
        .collect();
    ccs.is_satisfied(&z)
}

/// The LCCCS decider: the witness opens the (folded) commitment and the linearized claims
/// `v_j = Σ_y M̃_j(r_x, y) z̃(y)` hold for `z = (w, u, x)`.
pub fn decide_lcccs(
    key: &CommitmentKey,
    ccs: &Ccs,
    inst: &Lcccs,
    witness: &CcsWitness,
) -> Result<(), CcsError> {
    key.check_opening(&inst.commitment, witness)?;
    ccs.check_lcccs(inst, &witness.w)
}

/// The fold challenge: the low 128 bits of one squeezed challenge (see the module doc).
pub fn fold_challenge<T: Transcript>(t: &mut T, label: &'static [u8]) -> Fr {
    low_128_bits(&t.challenge(label))
}

/// The integer `x mod 2^128` of a field element's canonical integer.
pub fn low_128_bits(x: &Fr) -> Fr {
    let limbs = x.to_canonical_limbs();
    let [lo, hi, ..] = limbs;
    Fr::from_u128((u128::from(hi) << 64) | u128::from(lo))
}

/// `C_1 + ρ C_2`.
pub fn fold_commitment(c1: &G1Affine, c2: &G1Affine, rho: &Fr) -> G1Affine {
    (c1.to_projective() + c2.to_projective().mul_vartime(rho)).to_affine()
}

/// The folded witness `(w_1 + ρ w_2, b_1 + ρ b_2)`.
pub fn fold_witness(w1: &CcsWitness, w2: &CcsWitness, rho: Fr) -> Result<CcsWitness, CcsMalformed> {
    if w1.w.len() != w2.w.len() {
        return Err(CcsMalformed::Length {
            expected: w1.w.len(),
            actual: w2.w.len(),
        });
    }
    Ok(CcsWitness {
        w: w1.w.iter().zip(&w2.w).map(|(a, b)| *a + rho * *b).collect(),
        blind: w1.blind + rho * w2.blind,
    })
}
