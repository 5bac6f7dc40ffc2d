//! The Fiat–Shamir interface of this crate's proofs.
//!
//! `msm` must not depend on `sumcheck` (DESIGN.md, "Crates and their direction"), so the
//! inner-product argument talks to a transcript through this small trait; `kaizen-recursion`
//! implements it for every `kaizen_sumcheck::Transcript` (SHA-256 and Poseidon). Arguments:
//! label first, then the value it labels; every label is a `pub const` of the protocol module.

use kaizen_field::{Fr, PrimeField};

use crate::bn254::G1Affine;

/// A Fiat–Shamir transcript as the commitment protocols use it.
pub trait ProofTranscript {
    /// Absorbs labelled raw bytes (the implementation length-prefixes them).
    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]);

    /// Absorbs a G1 point by its canonical 32-byte compressed encoding.
    fn absorb_point(&mut self, label: &'static [u8], point: &G1Affine) {
        self.absorb_bytes(label, &point.to_compressed());
    }

    /// Absorbs a scalar by its canonical 32-byte little-endian encoding.
    fn absorb_scalar(&mut self, label: &'static [u8], value: &Fr) {
        self.absorb_bytes(label, &value.to_bytes());
    }

    /// Squeezes one challenge scalar.
    fn challenge_scalar(&mut self, label: &'static [u8]) -> Fr;
}
