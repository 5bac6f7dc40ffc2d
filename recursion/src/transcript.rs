//! `msm`'s [`ProofTranscript`] over any `kaizen_sumcheck::Transcript`.
//!
//! A newtype, because neither trait is local here (a blanket impl would break the orphan
//! rule). Points go through [`Transcript::absorb_group_bytes`] as their canonical 32-byte
//! compressed encoding; scalars through [`Transcript::absorb_fr`] (native on Poseidon, where a
//! recursive verifier absorbs them as field elements, not bytes).

use kaizen_field::Fr;
use kaizen_msm::{G1Affine, ProofTranscript};
use kaizen_sumcheck::Transcript;

/// Borrows a sumcheck transcript as an `msm` proof transcript.
#[derive(Debug)]
pub struct TranscriptAdapter<'a, T: Transcript>(pub &'a mut T);

impl<T: Transcript> ProofTranscript for TranscriptAdapter<'_, T> {
    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        self.0.absorb_bytes(label, bytes);
    }

    fn absorb_point(&mut self, label: &'static [u8], point: &G1Affine) {
        self.0.absorb_group_bytes(label, &point.to_compressed());
    }

    fn absorb_scalar(&mut self, label: &'static [u8], value: &Fr) {
        self.0.absorb_fr(label, value);
    }

    fn challenge_scalar(&mut self, label: &'static [u8]) -> Fr {
        self.0.challenge(label)
    }
}
