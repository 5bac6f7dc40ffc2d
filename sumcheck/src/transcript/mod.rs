//! Fiat–Shamir transcripts: one trait, two instantiations.
//!
//! | type | sponge | challenges |
//! |---|---|---|
//! | [`Sha256Transcript`] | SHA-256 hash chain in duplex style (native speed) | wide reduction of 512 bits |
//! | [`PoseidonTranscript`] | Poseidon over `Fr`, width 3, rate 2 (cheap inside a circuit) | one squeezed `Fr` |
//!
//! Every transcript starts from a protocol label ([`Transcript::new`]); every absorb carries a
//! label and is length-prefixed, so two different sequences of absorbs never produce the same
//! sponge input. Encodings are explicit little-endian bytes (`Fr` as its canonical 32 bytes),
//! never serde. Group elements are absorbed as their canonical compressed bytes
//! ([`Transcript::absorb_group_bytes`]): this crate knows no group.

pub mod poseidon;
mod sha256;

pub use poseidon::PoseidonTranscript;
pub use sha256::Sha256Transcript;

use kaizen_field::Fr;

/// A Fiat–Shamir transcript. Arguments: label first, then the value it labels.
pub trait Transcript: Clone + core::fmt::Debug {
    /// A fresh transcript for one protocol (`protocol` is absorbed first: domain separation).
    fn new(protocol: &'static [u8]) -> Self;

    /// Absorbs labelled raw bytes.
    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]);

    /// Absorbs a labelled `u64` (little-endian).
    fn absorb_u64(&mut self, label: &'static [u8], value: u64) {
        self.absorb_bytes(label, &value.to_le_bytes());
    }

    /// Absorbs a labelled field element.
    fn absorb_fr(&mut self, label: &'static [u8], value: &Fr) {
        self.absorb_frs(label, core::slice::from_ref(value));
    }

    /// Absorbs a labelled, length-prefixed vector of field elements.
    fn absorb_frs(&mut self, label: &'static [u8], values: &[Fr]);

    /// Absorbs a group element given by its canonical compressed encoding.
    fn absorb_group_bytes(&mut self, label: &'static [u8], compressed: &[u8]) {
        self.absorb_bytes(label, compressed);
    }

    /// Squeezes one challenge in `Fr` with bias below `2^-128`.
    fn challenge(&mut self, label: &'static [u8]) -> Fr;

    /// Squeezes `n` challenges.
    fn challenge_vector(&mut self, label: &'static [u8], n: usize) -> Vec<Fr> {
        (0..n).map(|_| self.challenge(label)).collect()
    }
}
