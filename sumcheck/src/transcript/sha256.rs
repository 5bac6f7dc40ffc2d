//! SHA-256 transcript: a hash chain used as a duplex.
//!
//! State: one 32-byte digest `h`, initialised as `SHA-256(DOMAIN_INIT || len || protocol)`.
//! - absorb: `h <- SHA-256(h || 0x01 || len(label) || label || len(data) || data)`;
//! - squeeze: two output blocks `SHA-256(h || 0x02 || len(label) || label || ctr)` for
//!   `ctr = 0, 1` give 512 bits, reduced mod p (bias `< 2^-256`); then
//!   `h <- SHA-256(h || 0x03)` so the next squeeze differs.
//!
//! Lengths are little-endian `u64`. The one-byte tags keep absorb, squeeze and ratchet inputs
//! apart.

use kaizen_field::{Fr, PrimeField};
use sha2::{Digest, Sha256};

use super::Transcript;

const DOMAIN_INIT: &[u8] = b"kaizen-transcript-sha256-v1";
const TAG_ABSORB: u8 = 0x01;
const TAG_SQUEEZE: u8 = 0x02;
const TAG_RATCHET: u8 = 0x03;

/// The SHA-256 transcript (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sha256Transcript {
    state: [u8; 32],
}

fn len_le(n: usize) -> [u8; 8] {
    (n as u64).to_le_bytes()
}

impl Sha256Transcript {
    /// The current 32-byte state (for golden tests).
    pub fn state(&self) -> [u8; 32] {
        self.state
    }

    fn absorb_parts(&mut self, label: &[u8], parts: &[&[u8]], total: usize) {
        let mut h = Sha256::new();
        h.update(self.state);
        h.update([TAG_ABSORB]);
        h.update(len_le(label.len()));
        h.update(label);
        h.update(len_le(total));
        for p in parts {
            h.update(p);
        }
        self.state = h.finalize().into();
    }
}

impl Transcript for Sha256Transcript {
    fn new(protocol: &'static [u8]) -> Self {
        let mut h = Sha256::new();
        h.update(DOMAIN_INIT);
        h.update(len_le(protocol.len()));
        h.update(protocol);
        Self {
            state: h.finalize().into(),
        }
    }

    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        self.absorb_parts(label, &[bytes], bytes.len());
    }

    fn absorb_frs(&mut self, label: &'static [u8], values: &[Fr]) {
        // Data = count (u64 LE) || canonical 32-byte encodings.
        let mut data = Vec::with_capacity(8 + 32 * values.len());
        data.extend_from_slice(&len_le(values.len()));
        for v in values {
            data.extend_from_slice(&v.to_bytes());
        }
        self.absorb_parts(label, &[&data], data.len());
    }

    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        let mut wide = [0u8; 64];
        for (ctr, out) in wide.chunks_exact_mut(32).enumerate() {
            let mut h = Sha256::new();
            h.update(self.state);
            h.update([TAG_SQUEEZE]);
            h.update(len_le(label.len()));
            h.update(label);
            h.update([ctr as u8]);
            out.copy_from_slice(&h.finalize());
        }
        let mut h = Sha256::new();
        h.update(self.state);
        h.update([TAG_RATCHET]);
        self.state = h.finalize().into();
        Fr::from_bytes_wide(&wide)
    }
}
