//! Nova folding of relaxed R1CS over `Fq` with Grumpkin commitments (Kothapalli–Setty–Tzialla,
//! ePrint 2021/370, section 4): the native fold of the CycleFold instances (RECURSION.md
//! section 2 step 6, section 3: `U_cf`).
//!
//! A relaxed R1CS instance `(W̄, Ē, u, x)` with witness `(W, E)` satisfies
//! `(A z) ∘ (B z) = u · (C z) + E` for `z = (W, u, x)` (kaizen's column layout `z = (w, 1, x)`
//! with the constant column holding `u`), `W̄ = Com(W)`, `Ē = Com(E)`. A fresh R1CS instance
//! `(W̄, x)` is the case `u = 1`, `E = 0`. Folding a fresh instance into a running one:
//!
//! ```text
//!   T  = (A z_1) ∘ (B z_2) + (A z_2) ∘ (B z_1) − u_1 (C z_2) − (C z_1)      prover, T̄ = Com(T)
//!   r  = low 128 bits of a challenge (transcript: digest, running, incoming, T̄)
//!   W̄' = W̄_1 + r W̄_2,  Ē' = Ē_1 + r T̄,  u' = u_1 + r,  x' = x_1 + r x_2      verifier
//!   W' = W_1 + r W_2,   E' = E_1 + r T                                      prover
//! ```
//!
//! Commitments are non-hiding Pedersen vectors over Grumpkin (`y^2 = x^3 − 17` over `Fr`,
//! scalars in `Fq`) with `msm`'s transparent generators (tag [`TAG_GRUMPKIN_G`]). Grumpkin
//! coordinates are `Fr` elements, so the `Fr` transcript absorbs them natively; `u` and `x`
//! (in `Fq`) are absorbed as canonical bytes. `r < 2^128` is the same integer in `Fr` and
//! `Fq` (the in-circuit verifier over `Fr` computes `W̄_1 + r W̄_2` natively on Grumpkin).
//! Soundness of `r`: the fold is degree 1 in `r` for `W̄`, `u`, `x` and the cross term, so a
//! cheating prover wins with probability at most `2 / 2^128` per fold.
//!
//! Untrusted instances arrive here: no indexing, no unwrap, no panic.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fq, Fr, PrimeField};
use kaizen_msm::{generators, msm_vartime, GrumpkinAffine};
use kaizen_sumcheck::Transcript;

use crate::ccs::check::mul_vector;
use crate::ccs::committed::fold_challenge;
use crate::ccs::{Ccs, CcsCheck, CcsError, CcsMalformed};

/// Domain tag of the Grumpkin message generators.
pub const TAG_GRUMPKIN_G: &[u8] = b"kaizen/cyclefold/v1/G";
/// Label: the R1CS digest.
pub const LABEL_NOVA_DIGEST: &[u8] = b"nova/r1cs-digest";
/// Label: the running instance.
pub const LABEL_NOVA_RUNNING: &[u8] = b"nova/running";
/// Label: the incoming instance.
pub const LABEL_NOVA_INCOMING: &[u8] = b"nova/incoming";
/// Label: the cross-term commitment.
pub const LABEL_NOVA_CROSS: &[u8] = b"nova/cross-term";
/// Label: the fold challenge `r` (its low 128 bits).
pub const LABEL_NOVA_CHALLENGE: &[u8] = b"nova/r";

/// Grumpkin Pedersen generators for one R1CS over `Fq`: `max(n_w, m)` of them (`W` and `E`).
#[derive(Debug, Clone)]
pub struct GrumpkinKey {
    gens: Vec<GrumpkinAffine>,
}

/// A running relaxed R1CS instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelaxedInstance {
    /// `Com(W)`.
    pub comm_w: GrumpkinAffine,
    /// `Com(E)`.
    pub comm_e: GrumpkinAffine,
    /// `u`.
    pub u: Fq,
    /// Public inputs.
    pub x: Vec<Fq>,
}

/// Its witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelaxedWitness {
    /// `W`, `n_w` entries.
    pub w: Vec<Fq>,
    /// `E`, `m` entries.
    pub e: Vec<Fq>,
}

/// A fresh R1CS instance (`u = 1`, `E = 0`), e.g. one [`super::ScalarMulAddCircuit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct R1csInstance {
    /// `Com(W)`.
    pub comm_w: GrumpkinAffine,
    /// Public inputs.
    pub x: Vec<Fq>,
}

/// A Nova folding proof: the cross-term commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NovaFoldProof {
    /// `Com(T)`.
    pub comm_t: GrumpkinAffine,
}

impl GrumpkinKey {
    /// The key for `ccs`.
    pub fn new(ccs: &Ccs<Fq>) -> Self {
        Self {
            gens: generators(TAG_GRUMPKIN_G, ccs.num_witness.max(ccs.num_rows).max(1)),
        }
    }

    /// `Σ v_i G_i`; `Malformed` if `v` is longer than the key.
    pub fn commit(&self, v: &[Fq]) -> Result<GrumpkinAffine, CcsMalformed> {
        let gens = self.gens.get(..v.len()).ok_or(CcsMalformed::Length {
            expected: self.gens.len(),
            actual: v.len(),
        })?;
        Ok(msm_vartime(gens, v).to_affine())
    }

    /// The fresh instance of a witness `w` with public input `x`.
    pub fn r1cs_instance(&self, w: &[Fq], x: &[Fq]) -> Result<R1csInstance, CcsMalformed> {
        Ok(R1csInstance {
            comm_w: self.commit(w)?,
            x: x.to_vec(),
        })
    }
}

impl RelaxedInstance {
    /// The running instance before any fold: commitments to zero vectors, `u = 0`, `x = 0`
    /// (satisfied by `W = 0`, `E = 0`).
    pub fn zero(ccs: &Ccs<Fq>) -> (Self, RelaxedWitness) {
        (
            Self {
                comm_w: GrumpkinAffine::IDENTITY,
                comm_e: GrumpkinAffine::IDENTITY,
                u: Fq::ZERO,
                x: vec![Fq::ZERO; ccs.num_public],
            },
            RelaxedWitness {
                w: vec![Fq::ZERO; ccs.num_witness],
                e: vec![Fq::ZERO; ccs.num_rows],
            },
        )
    }
}

fn check_shapes(
    ccs: &Ccs<Fq>,
    running: &RelaxedInstance,
    incoming: &R1csInstance,
) -> Result<(), CcsMalformed> {
    if !ccs.is_r1cs() {
        return Err(CcsMalformed::Structure {
            index: ccs.matrices.len(),
        });
    }
    for len in [running.x.len(), incoming.x.len()] {
        if len != ccs.num_public {
            return Err(CcsMalformed::Length {
                expected: ccs.num_public,
                actual: len,
            });
        }
    }
    Ok(())
}

fn absorb_point<T: Transcript>(t: &mut T, label: &'static [u8], p: &GrumpkinAffine) {
    let (x, y) = p.xy().unwrap_or((Fr::ZERO, Fr::ZERO));
    t.absorb_frs(label, &[x, y]);
}

fn absorb_fq<T: Transcript>(t: &mut T, label: &'static [u8], values: &[Fq]) {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_bytes()).collect();
    t.absorb_bytes(label, &bytes);
}

/// The transcript of one fold up to `r` (prover and verifier alike).
fn fold_transcript<T: Transcript>(
    digest: Fr,
    running: &RelaxedInstance,
    incoming: &R1csInstance,
    comm_t: &GrumpkinAffine,
    t: &mut T,
) -> Fq {
    t.absorb_fr(LABEL_NOVA_DIGEST, &digest);
    absorb_point(t, LABEL_NOVA_RUNNING, &running.comm_w);
    absorb_point(t, LABEL_NOVA_RUNNING, &running.comm_e);
    absorb_fq(t, LABEL_NOVA_RUNNING, core::slice::from_ref(&running.u));
    absorb_fq(t, LABEL_NOVA_RUNNING, &running.x);
    absorb_point(t, LABEL_NOVA_INCOMING, &incoming.comm_w);
    absorb_fq(t, LABEL_NOVA_INCOMING, &incoming.x);
    absorb_point(t, LABEL_NOVA_CROSS, comm_t);
    // r < 2^128: the same integer in Fr and Fq.
    let r = fold_challenge(t, LABEL_NOVA_CHALLENGE).to_canonical_limbs();
    let [lo, hi, ..] = r;
    Fq::from_u128((u128::from(hi) << 64) | u128::from(lo))
}

/// `z = (w, u, x)`.
fn assemble(ccs: &Ccs<Fq>, w: &[Fq], u: Fq, x: &[Fq]) -> Result<Vec<Fq>, CcsMalformed> {
    if w.len() != ccs.num_witness {
        return Err(CcsMalformed::Length {
            expected: ccs.num_witness,
            actual: w.len(),
        });
    }
    Ok(w.iter()
        .copied()
        .chain([u])
        .chain(x.iter().copied())
        .collect())
}

/// `(A z, B z, C z)`.
fn products(ccs: &Ccs<Fq>, z: &[Fq]) -> Result<[Vec<Fq>; 3], CcsMalformed> {
    let m = |j: usize| {
        let mat = ccs
            .matrices
            .get(j)
            .ok_or(CcsMalformed::Structure { index: j })?;
        mul_vector(mat, j, z)
    };
    Ok([m(0)?, m(1)?, m(2)?])
}

fn combine(a: &GrumpkinAffine, b: &GrumpkinAffine, r: &Fq) -> GrumpkinAffine {
    (a.to_projective() + b.to_projective().mul_vartime(r)).to_affine()
}

fn fold_instance(
    running: &RelaxedInstance,
    incoming: &R1csInstance,
    comm_t: &GrumpkinAffine,
    r: Fq,
) -> RelaxedInstance {
    RelaxedInstance {
        comm_w: combine(&running.comm_w, &incoming.comm_w, &r),
        comm_e: combine(&running.comm_e, comm_t, &r),
        u: running.u + r,
        x: running
            .x
            .iter()
            .zip(&incoming.x)
            .map(|(a, b)| *a + r * *b)
            .collect(),
    }
}

/// Folds a fresh instance `(incoming; w2)` into `(running; wit)`: the proof, the folded
/// instance and witness.
pub fn prove_fold<T: Transcript>(
    key: &GrumpkinKey,
    ccs: &Ccs<Fq>,
    digest: Fr,
    (running, wit): (&RelaxedInstance, &RelaxedWitness),
    (incoming, w2): (&R1csInstance, &[Fq]),
    transcript: &mut T,
) -> Result<(NovaFoldProof, RelaxedInstance, RelaxedWitness), CcsMalformed> {
    check_shapes(ccs, running, incoming)?;
    let z1 = assemble(ccs, &wit.w, running.u, &running.x)?;
    let z2 = assemble(ccs, w2, Fq::ONE, &incoming.x)?;
    let [a1, b1, c1] = products(ccs, &z1)?;
    let [a2, b2, c2] = products(ccs, &z2)?;
    // T_i = A1_i B2_i + A2_i B1_i − u_1 C2_i − C1_i
    let t: Vec<Fq> = (((a1.iter().zip(&b2)).zip(a2.iter().zip(&b1))).zip(c2.iter().zip(&c1)))
        .map(|(((a1, b2), (a2, b1)), (c2, c1))| *a1 * *b2 + *a2 * *b1 - running.u * *c2 - *c1)
        .collect();
    let comm_t = key.commit(&t)?;
    let r = fold_transcript(digest, running, incoming, &comm_t, transcript);
    let folded = fold_instance(running, incoming, &comm_t, r);
    if wit.e.len() != t.len() {
        return Err(CcsMalformed::Length {
            expected: t.len(),
            actual: wit.e.len(),
        });
    }
    let folded_wit = RelaxedWitness {
        w: wit.w.iter().zip(w2).map(|(a, b)| *a + r * *b).collect(),
        e: wit.e.iter().zip(&t).map(|(e, t)| *e + r * *t).collect(),
    };
    Ok((NovaFoldProof { comm_t }, folded, folded_wit))
}

/// Verifies (computes) a fold: the folded instance. Mirrors [`prove_fold`]; the fold itself
/// never rejects, the decider does.
pub fn verify_fold<T: Transcript>(
    ccs: &Ccs<Fq>,
    digest: Fr,
    running: &RelaxedInstance,
    incoming: &R1csInstance,
    proof: &NovaFoldProof,
    transcript: &mut T,
) -> Result<RelaxedInstance, CcsMalformed> {
    check_shapes(ccs, running, incoming)?;
    let r = fold_transcript(digest, running, incoming, &proof.comm_t, transcript);
    Ok(fold_instance(running, incoming, &proof.comm_t, r))
}

fn opening(name: &'static str) -> CcsError<Fq> {
    CcsError::Rejected {
        check: CcsCheck::Commitment,
        row: 0,
        name,
        residual: Fq::ZERO,
    }
}

/// The decider: `W̄ = Com(W)`, `Ē = Com(E)` and every row `(A z)(B z) = u (C z) + E`.
pub fn decide(
    key: &GrumpkinKey,
    ccs: &Ccs<Fq>,
    inst: &RelaxedInstance,
    wit: &RelaxedWitness,
) -> Result<(), CcsError<Fq>> {
    if wit.e.len() != ccs.num_rows {
        return Err(CcsMalformed::Length {
            expected: ccs.num_rows,
            actual: wit.e.len(),
        }
        .into());
    }
    if inst.x.len() != ccs.num_public || !ccs.is_r1cs() {
        return Err(CcsMalformed::Length {
            expected: ccs.num_public,
            actual: inst.x.len(),
        }
        .into());
    }
    if key.commit(&wit.w)? != inst.comm_w {
        return Err(opening("nova/commitment-w"));
    }
    if key.commit(&wit.e)? != inst.comm_e {
        return Err(opening("nova/commitment-e"));
    }
    let z = assemble(ccs, &wit.w, inst.u, &inst.x)?;
    let [a, b, c] = products(ccs, &z)?;
    for (row, (((a, b), c), e)) in a.iter().zip(&b).zip(&c).zip(&wit.e).enumerate() {
        let residual = *a * *b - inst.u * *c - *e;
        if !residual.is_zero() {
            return Err(CcsError::Rejected {
                check: CcsCheck::RelaxedRow,
                row,
                name: ccs.row_names.get(row).copied().unwrap_or("unnamed"),
                residual,
            });
        }
    }
    Ok(())
}
