//! The sumcheck driver: instances compute round polynomials, [`prove`] alone talks to the
//! transcript. Every prover (in-memory, small-value, later streaming) implements
//! [`SumcheckInstance`] and goes through the same driver, so their transcripts agree by
//! construction.
//!
//! Transcript steps (mirrored line by line in `verifier::verify::verify`):
//! ```text
//!   absorb LABEL_NUM_ROUNDS n, LABEL_DEGREE d, LABEL_CLAIM claim
//!   for round in 0..n:
//!       s = instance.compute_message(round, claim)      // debug: s(0) + s(1) == claim
//!       absorb LABEL_ROUND_POLY  s compressed ([c0, c2, .., cd])
//!       r = squeeze LABEL_ROUND_CHALLENGE
//!       claim = s(r); instance.ingest_challenge(r, round)
//! ```

use kaizen_field::Fr;

use crate::proof::SumcheckProof;
use crate::transcript::Transcript;
use crate::univariate::UniPoly;
use crate::{LABEL_CLAIM, LABEL_DEGREE, LABEL_NUM_ROUNDS, LABEL_ROUND_CHALLENGE, LABEL_ROUND_POLY};

/// One sumcheck instance, seen round by round.
///
/// Contract: `compute_message(round, claim)` is called for `round = 0..num_rounds()` in order,
/// each followed by `ingest_challenge(r, round)`; it returns `s_round` of degree at most
/// `degree()` with `s(0) + s(1) = claim`.
pub trait SumcheckInstance {
    /// Number of rounds (variables).
    fn num_rounds(&self) -> usize;
    /// Degree bound of every round polynomial.
    fn degree(&self) -> usize;
    /// The claimed sum.
    fn input_claim(&self) -> Fr;
    /// The round polynomial of `round`, given the claim it must sum to.
    fn compute_message(&mut self, round: usize, previous_claim: Fr) -> UniPoly;
    /// Binds the round's variable to the verifier's challenge.
    fn ingest_challenge(&mut self, r: Fr, round: usize);
    /// After the last round: the evaluation of every factor at the challenge point.
    fn final_claims(&self) -> Vec<Fr>;
}

/// What the prover gets back besides the proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProverOutput {
    /// The round messages.
    pub proof: SumcheckProof,
    /// The challenges, `point[round]` (in the crate's variable order: `point[0]` is the top).
    pub point: Vec<Fr>,
    /// The last round's claim `s_{n-1}(r_{n-1})`.
    pub final_claim: Fr,
}

/// Runs the sumcheck of `instance` against `transcript`.
pub fn prove<T: Transcript, I: SumcheckInstance + ?Sized>(
    instance: &mut I,
    transcript: &mut T,
) -> ProverOutput {
    let n = instance.num_rounds();
    let d = instance.degree();
    let mut claim = instance.input_claim();
    transcript.absorb_u64(LABEL_NUM_ROUNDS, n as u64);
    transcript.absorb_u64(LABEL_DEGREE, d as u64);
    transcript.absorb_fr(LABEL_CLAIM, &claim);
    let mut rounds = Vec::with_capacity(n);
    let mut point = Vec::with_capacity(n);
    for round in 0..n {
        let mut s = instance.compute_message(round, claim);
        debug_assert!(
            s.degree() <= d,
            "sumcheck round {round}: degree {} above the bound {d}",
            s.degree()
        );
        debug_assert!(
            s.evaluate(Fr::ZERO) + s.evaluate(Fr::ONE) == claim,
            "sumcheck round {round}: s(0) + s(1) != claim"
        );
        s.coeffs.resize(d + 1, Fr::ZERO);
        let c = s.compress();
        transcript.absorb_frs(LABEL_ROUND_POLY, &c.coeffs_except_linear);
        let r = transcript.challenge(LABEL_ROUND_CHALLENGE);
        claim = s.evaluate(r);
        instance.ingest_challenge(r, round);
        rounds.push(c);
        point.push(r);
    }
    ProverOutput {
        proof: SumcheckProof { rounds },
        point,
        final_claim: claim,
    }
}
