//! The masked prover: the crate's one sumcheck driver on `f + ρ g` (steps: [module doc](super)).

use kaizen_field::Fr;

use super::mask::{mask_basis, MaskPolynomial, Masked};
use super::{
    MaskCommitment, MaskCommitter, ZkProductProof, ZkSumcheckProof, LABEL_MASK_CHALLENGE,
    LABEL_MASK_EVAL, LABEL_MASK_SUM, LABEL_ZK_CLAIM, LABEL_ZK_SHAPE,
};
use crate::poly::DenseTable;
use crate::product::{ProductStatement, ProductSumcheck};
use crate::prover::{prove, SumcheckInstance};
use crate::transcript::Transcript;
use crate::LABEL_FACTOR_EVALS;

/// What the prover gets back besides the proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkProverOutput<C, O> {
    /// The proof.
    pub proof: ZkSumcheckProof<C, O>,
    /// The challenges `r` (the crate's variable order).
    pub point: Vec<Fr>,
    /// `f(r)`: the masked sumcheck's last claim minus `ρ g(r)`.
    pub final_claim: Fr,
}

/// The masking steps before the rounds, shared by prover and verifier (and by anyone who
/// replays a transcript): shape, claim `H`, commitment, mask sum `G`; returns `ρ`.
pub fn absorb_preamble<T: Transcript, C: MaskCommitment>(
    transcript: &mut T,
    num_rounds: usize,
    degree: usize,
    claim: Fr,
    commitment: &C,
    mask_sum: Fr,
) -> Fr {
    transcript.absorb_u64(LABEL_ZK_SHAPE, num_rounds as u64);
    transcript.absorb_u64(LABEL_ZK_SHAPE, degree as u64);
    transcript.absorb_fr(LABEL_ZK_CLAIM, &claim);
    commitment.absorb_into(transcript);
    transcript.absorb_fr(LABEL_MASK_SUM, &mask_sum);
    transcript.challenge(LABEL_MASK_CHALLENGE)
}

/// Proves `Σ_x f(x) = instance.input_claim()` in zero knowledge, `f` being any
/// [`SumcheckInstance`] (in-memory, small-integer or streaming): commits `mask`, runs the
/// driver on `f + ρ g`, opens the mask at the final point. `mask` must have the instance's
/// shape (`n = num_rounds`, `d = degree`; a caller bug panics) and be fresh for this proof.
pub fn prove_zk<T: Transcript, I: SumcheckInstance + ?Sized, C: MaskCommitter>(
    instance: &mut I,
    mask: &MaskPolynomial,
    committer: &mut C,
    transcript: &mut T,
) -> ZkProverOutput<C::Commitment, C::Opening> {
    let (n, d) = (instance.num_rounds(), instance.degree());
    let commitment = committer.commit(mask.coeffs());
    let mask_sum = mask.sum_over_cube();
    let rho = absorb_preamble(
        transcript,
        n,
        d,
        instance.input_claim(),
        &commitment,
        mask_sum,
    );
    let out = prove(&mut Masked::new(instance, mask, rho), transcript);
    let mask_eval = mask.evaluate(&out.point);
    transcript.absorb_fr(LABEL_MASK_EVAL, &mask_eval);
    let basis = mask_basis(&out.point, d);
    let mask_opening = committer.open(transcript, &commitment, mask.coeffs(), &basis, mask_eval);
    ZkProverOutput {
        proof: ZkSumcheckProof {
            mask_commitment: commitment,
            mask_sum,
            sumcheck: out.proof,
            mask_eval,
            mask_opening,
        },
        point: out.point,
        final_claim: out.final_claim - rho * mask_eval,
    }
}

/// [`prove_product`](crate::prove_product) in zero knowledge: absorbs the statement, runs
/// [`prove_zk`] on the in-memory product prover, then sends and absorbs every factor's value at
/// the final point. Returns the proof and the point.
pub fn prove_product_zk<T: Transcript, C: MaskCommitter>(
    statement: &ProductStatement,
    tables: Vec<DenseTable>,
    claim: Fr,
    mask: &MaskPolynomial,
    committer: &mut C,
    transcript: &mut T,
) -> (ZkProductProof<C::Commitment, C::Opening>, Vec<Fr>) {
    statement.absorb(transcript);
    let mut inst = ProductSumcheck::new(statement, tables, claim);
    let out = prove_zk(&mut inst, mask, committer, transcript);
    let factor_evals = inst.final_claims();
    transcript.absorb_frs(LABEL_FACTOR_EVALS, &factor_evals);
    (
        ZkProductProof {
            zk: out.proof,
            factor_evals,
        },
        out.point,
    )
}
