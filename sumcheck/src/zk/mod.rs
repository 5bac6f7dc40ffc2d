//! Zero-knowledge sumcheck by a committed masking polynomial, and the hook a commitment
//! scheme implements to provide it (this crate knows no concrete commitment: `kaizen-recursion`
//! implements the hook with a hiding Pedersen commitment and a zero-knowledge IPA).
//!
//! # Construction
//!
//! Libra's masking (Xie, Zhang, Zhang, Papamanthou, Song, "Libra: Succinct Zero-Knowledge
//! Proofs with Optimal Prover Computation", CRYPTO 2019, section 4.1, after Chiesa, Forbes and
//! Spooner, "A Zero Knowledge Sumcheck and its Applications", 2017). To prove `Σ_x f(x) = H`
//! for `f` of degree `d` per variable over `n` variables:
//!
//! 1. the prover samples a mask `g(x) = a_0 + Σ_i g_i(x_i)`, a sum of univariates of degree
//!    `d` ([`MaskPolynomial`]: `n·d + 1` coefficients, so its commitment is small), commits it
//!    ([`MaskCommitter::commit`]) and sends `G = Σ_x g(x)`;
//! 2. the verifier sends `ρ`;
//! 3. both run the ordinary sumcheck (the crate's one driver, [`prove`](crate::prove) /
//!    [`verify`](crate::verify())) on `f + ρ g` with claim `H + ρ G`; the mask's round
//!    polynomials are computed in closed form (`O(d)` per round, no `2^n` table, see
//!    [`mask`]) and added to the unmodified prover's;
//! 4. at the final point `r` the prover sends `g(r)` and opens the commitment there
//!    ([`MaskCommitter::open`]: an inner product `<coeffs, basis(r)> = g(r)` with the public
//!    [`mask_basis`] `(1, r_0, .., r_0^d, r_1, ..)`); the verifier checks the opening and
//!    reduces the claim to `f(r) = s_{n-1}(r_{n-1}) - ρ g(r)`, which the caller checks as
//!    usual (the returned [`EvaluationClaim`](crate::EvaluationClaim)).
//!
//! Transcript steps (prover in [`prove_zk`], verifier in [`verify::verify_zk`], line by line):
//!
//! ```text
//!   [product statements: the statement is absorbed first, as in prove_product]
//!   absorb LABEL_ZK_SHAPE n, d;  absorb LABEL_ZK_CLAIM H
//!   commitment.absorb_into(transcript)             // Com(g): bound before ρ
//!   absorb LABEL_MASK_SUM G
//!   ρ = squeeze LABEL_MASK_CHALLENGE
//!   sumcheck driver on f + ρ g, claim H + ρ G      // absorbs n, d, claim, every round
//!   absorb LABEL_MASK_EVAL g(r)
//!   opening of <coeffs(g), basis(r)> = g(r)        // the hook's own transcript steps
//!   [product statements: absorb LABEL_FACTOR_EVALS]
//! ```
//!
//! # What it hides, and why (the simulator)
//!
//! Fix `ρ ≠ 0` and the challenges `r` (an honest verifier's coins). Round `i` of the masked
//! sumcheck sends `s_i = s^f_i + ρ s^g_i` with (module [`mask`], `m = n - 1 - i`)
//!
//! ```text
//!   s^g_i(X) = 2^m (a_0 + Σ_{k<i} g_k(r_k) + g_i(X)) + 2^(m-1) Σ_{k>i} g_k(1)
//! ```
//!
//! so the map `Φ_f : g ↦ (G, s_0, .., s_{n-1})` (each `s_i` as the `d` coefficients the proof
//! carries, `c_1` following from the claim) is affine from `F^(n·d+1)` to `F^(n·d+1)`, and `f`
//! only shifts it. Its linear part is injective: if `h = g - g'` gives the same view then
//! `Σ h = 0`, every round claim agrees, so every round polynomial of `h` is zero; the
//! coefficient of `X^k` (`k ≥ 1`) in round `i` is `2^m h_{i,k}`, hence `h_i = 0`, and then
//! `2^n h_0 = Σ h = 0`. An injective affine map between spaces of equal dimension is a
//! bijection: **for a uniform mask, `G` and every round message are uniform and independent
//! of `f`**. The one remaining message, `g(r)`, is then fixed by the final check:
//! `g(r) = (s_{n-1}(r_{n-1}) - f(r)) / ρ`. A simulator that knows only `H` and `f(r)` therefore
//! samples `G` and the messages uniformly and solves for `g(r)` ([`simulator::simulate`]);
//! [`simulator::explaining_mask`] computes `Φ_f^-1` of any view, which the tests use to show
//! that the honest prover with that mask produces the simulated view byte for byte. The
//! commitment to `g` is perfectly hiding and its opening is honest-verifier zero knowledge
//! (the hook's obligations), so they add nothing.
//!
//! **What is not hidden:** the final evaluation `f(r)` (the verifier computes it, and the
//! product proofs send every factor's `f_j(r)`). The round messages reveal nothing beyond `H`
//! and `f(r)`; hiding `f(r)` itself is the caller's business — in kaizen the evaluation claims
//! go to hiding commitments.
//!
//! **Soundness** adds `1/p` to the sumcheck's `n·d/p`: `g` is bound before `ρ`, so a false `H`
//! makes `H + ρ G ≠ Σ (f + ρ g)` except for one `ρ`; `f + ρ g` has degree `d` per variable;
//! `g(r)` is bound by the commitment. Zero knowledge needs `ρ ≠ 0` (probability `1 - 1/p`).
//!
//! **Randomness:** this module takes the mask as an argument; callers derive it from a seed
//! ([`MaskPolynomial::sample`] with a seeded ChaCha stream), never per thread. A mask must be
//! fresh for every proof: two proofs with the same mask reveal `f`'s round polynomials'
//! differences.
//!
//! | item | role |
//! |---|---|
//! | [`MaskPolynomial`], [`mask_basis`] | the mask, its closed forms, the public opening vector |
//! | [`MaskCommitment`], [`MaskCommitter`], [`MaskVerifier`] | the hook: commit, absorb, open, verify |
//! | [`prove_zk`], [`prove_product_zk`] | the masked prover around any [`SumcheckInstance`](crate::SumcheckInstance) / a product statement |
//! | [`verify::verify_zk`], [`verify::verify_product_zk`] | the verifiers (no-panic module) |
//! | [`ZkVerifyError`] | the sumcheck's [`VerifyError`] or the hook's opening error |
//! | [`simulator`] | the zero-knowledge argument made executable (programmed transcript, simulator, `Φ^-1`) |

pub mod mask;
mod prover;
pub mod simulator;
pub mod verify;

#[cfg(test)]
mod tests;

use kaizen_field::Fr;

use crate::error::VerifyError;
use crate::proof::SumcheckProof;
use crate::transcript::Transcript;

pub use mask::{mask_basis, mask_len, MaskPolynomial};
pub use prover::{absorb_preamble, prove_product_zk, prove_zk, ZkProverOutput};
pub use verify::{verify_product_zk, verify_zk};

/// Label: the sumcheck's shape `(n, d)`, absorbed before the mask commitment.
pub const LABEL_ZK_SHAPE: &[u8] = b"zk-sumcheck/shape";
/// Label: the claimed sum `H` of `f` (before `ρ` is drawn).
pub const LABEL_ZK_CLAIM: &[u8] = b"zk-sumcheck/claim";
/// Label: the mask's sum `G` over the cube.
pub const LABEL_MASK_SUM: &[u8] = b"zk-sumcheck/mask-sum";
/// Label: the challenge `ρ` weighting the mask.
pub const LABEL_MASK_CHALLENGE: &[u8] = b"zk-sumcheck/mask-challenge";
/// Label: the mask's value `g(r)` at the final point.
pub const LABEL_MASK_EVAL: &[u8] = b"zk-sumcheck/mask-eval";

/// A mask commitment as the transcript sees it: prover and verifier absorb it through this one
/// method, at the same step.
pub trait MaskCommitment {
    /// Absorbs the commitment (its canonical bytes or field elements, with the scheme's label).
    fn absorb_into<T: Transcript>(&self, transcript: &mut T);
}

/// Prover side of the masking hook: "commit this mask polynomial, open it later".
///
/// Obligations: the commitment hides the coefficients (perfectly or computationally) and binds
/// them; the opening proves `<coeffs, basis> = value` for the committed coefficients and is
/// honest-verifier zero knowledge. One committer serves one proof (its randomness is fresh).
pub trait MaskCommitter {
    /// The commitment sent to the verifier.
    type Commitment: MaskCommitment;
    /// The opening proof.
    type Opening;
    /// Commits the mask's coefficients (layout of [`MaskPolynomial`]).
    fn commit(&mut self, coeffs: &[Fr]) -> Self::Commitment;
    /// Proves `<coeffs, basis> = value` against `transcript`, which has absorbed the
    /// commitment, everything that determines `basis` (the sumcheck's shape and challenges) and
    /// `value`. `coeffs` are those given to [`Self::commit`].
    fn open<T: Transcript>(
        &mut self,
        transcript: &mut T,
        commitment: &Self::Commitment,
        coeffs: &[Fr],
        basis: &[Fr],
        value: Fr,
    ) -> Self::Opening;
}

/// Verifier side of the masking hook.
pub trait MaskVerifier {
    /// The commitment type (as decoded and validated by the scheme).
    type Commitment: MaskCommitment;
    /// The opening proof.
    type Opening;
    /// Why an opening was not accepted (`Malformed` vs `Rejected`, in the scheme's terms).
    type Error;
    /// Checks `<committed coeffs, basis> = value`, mirroring [`MaskCommitter::open`] on the
    /// transcript.
    fn verify_opening<T: Transcript>(
        &self,
        transcript: &mut T,
        commitment: &Self::Commitment,
        basis: &[Fr],
        value: Fr,
        opening: &Self::Opening,
    ) -> Result<(), Self::Error>;
}

/// A zero-knowledge sumcheck proof: the mask's commitment and sum, the rounds of `f + ρ g`,
/// `g(r)` and its opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkSumcheckProof<C, O> {
    /// `Com(g)`.
    pub mask_commitment: C,
    /// `G = Σ_x g(x)`.
    pub mask_sum: Fr,
    /// The round messages of the sumcheck of `f + ρ g`.
    pub sumcheck: SumcheckProof,
    /// `g(r)` at the final point.
    pub mask_eval: Fr,
    /// The opening of `Com(g)` at `basis(r)` to `g(r)`.
    pub mask_opening: O,
}

/// A zero-knowledge product proof: the masked sumcheck and every factor's value at the final
/// point (revealed, as in [`ProductProof`](crate::ProductProof): see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkProductProof<C, O> {
    /// The masked sumcheck.
    pub zk: ZkSumcheckProof<C, O>,
    /// `f_j(r)` for every factor `j`.
    pub factor_evals: Vec<Fr>,
}

/// Why a zero-knowledge sumcheck proof was not accepted: the sumcheck's own error (shape, or a
/// named check such as `FinalEvaluation`), or the hook's error on the mask opening.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ZkVerifyError<E> {
    /// The masked sumcheck failed (its kind and check inside).
    #[error(transparent)]
    Sumcheck(#[from] VerifyError),
    /// The opening of the mask commitment at the final point failed.
    #[error("mask opening: {0}")]
    MaskOpening(E),
}
