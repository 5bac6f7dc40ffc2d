//! [`HyraxPcs`]: the hiding Hyrax polynomial commitment behind one facade.
//!
//! ```text
//! let pcs = HyraxPcs::setup(n, log_rows);
//! let (comm, opening) = pcs.commit(&table, &mut rng);        // or commit_small(&i16s, ..)
//! let mut t = pcs.transcript::<Sha256Transcript>();            // digest absorbed first
//! let (value, proof) = pcs.open(&mut t, &comm, &opening, &table, &point, &mut rng);
//! let mut t = pcs.transcript::<Sha256Transcript>();
//! pcs.verify(&mut t, &comm, &point, value, &proof)?;
//! ```
//!
//! The value is public (the statement is "the committed polynomial takes `value` at
//! `point`"); what stays hidden is everything else about the table. A later step aggregates
//! claims into one opening and defers the verifier's `C`-point MSM into an accumulator.
//!
//! Randomness: every blinding factor comes from a [`Blinder`] keyed by 32 bytes drawn from the
//! caller's `rng` (one key per commitment, one per opening), so with a seeded `rng` the bytes
//! are reproducible and independent of the thread count.

use kaizen_field::Fr;
use kaizen_msm::hyrax::{self, HyraxCommitment, HyraxEvalProof, HyraxOpening, HyraxParams};
use kaizen_msm::verify::{verify_eval, PcsError};
use kaizen_msm::{Blinder, SmallScalar};
use kaizen_sumcheck::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::transcript::TranscriptAdapter;

/// Protocol label of transcripts made by [`HyraxPcs::transcript`].
pub const PROTOCOL: &[u8] = b"kaizen/hyrax-pcs/v1";
/// Label of the parameter digest absorbed first.
pub const LABEL_DIGEST: &[u8] = b"hyrax-pcs/params-digest";

/// The Hyrax commitment scheme for one shape `(n, log R)`.
#[derive(Debug, Clone)]
pub struct HyraxPcs {
    params: HyraxParams,
}

pub(crate) fn blinder<R: RngCore + CryptoRng>(rng: &mut R) -> Blinder {
    let mut seed = [0u8; 32];
    rng.fill_bytes(&mut seed);
    Blinder::from_seed(seed)
}

impl HyraxPcs {
    /// Parameters for `n` variables in `2^log_rows` rows (`log_rows <= n <= 32`).
    pub fn setup(num_vars: usize, log_rows: usize) -> Self {
        Self {
            params: HyraxParams::setup(num_vars, log_rows),
        }
    }

    /// The underlying parameters.
    pub fn params(&self) -> &HyraxParams {
        &self.params
    }

    /// SHA-256 digest of the parameters.
    pub fn digest(&self) -> [u8; 32] {
        self.params.digest()
    }

    /// A fresh transcript for one opening: protocol label, then the parameter digest.
    pub fn transcript<T: Transcript>(&self) -> T {
        let mut t = T::new(PROTOCOL);
        t.absorb_bytes(LABEL_DIGEST, &self.params.digest());
        t
    }

    /// Commits a table of `2^n` field elements.
    pub fn commit<R: RngCore + CryptoRng>(
        &self,
        table: &[Fr],
        rng: &mut R,
    ) -> (HyraxCommitment, HyraxOpening) {
        hyrax::commit(&self.params, table, &blinder(rng))
    }

    /// Commits a table of `2^n` small integers (small-scalar MSM path).
    pub fn commit_small<S: SmallScalar, R: RngCore + CryptoRng>(
        &self,
        table: &[S],
        rng: &mut R,
    ) -> (HyraxCommitment, HyraxOpening) {
        hyrax::commit_small(&self.params, table, &blinder(rng))
    }

    /// Proves the table's value at `point`; returns `(value, proof)`.
    pub fn open<T: Transcript, R: RngCore + CryptoRng>(
        &self,
        transcript: &mut T,
        comm: &HyraxCommitment,
        opening: &HyraxOpening,
        table: &[Fr],
        point: &[Fr],
        rng: &mut R,
    ) -> (Fr, HyraxEvalProof) {
        hyrax::prove_eval(
            &self.params,
            &mut TranscriptAdapter(transcript),
            comm,
            opening,
            table,
            point,
            &blinder(rng),
        )
    }

    /// [`Self::open`] for a table committed with [`Self::commit_small`].
    pub fn open_small<T: Transcript, S: SmallScalar, R: RngCore + CryptoRng>(
        &self,
        transcript: &mut T,
        comm: &HyraxCommitment,
        opening: &HyraxOpening,
        table: &[S],
        point: &[Fr],
        rng: &mut R,
    ) -> (Fr, HyraxEvalProof) {
        hyrax::prove_eval_small(
            &self.params,
            &mut TranscriptAdapter(transcript),
            comm,
            opening,
            table,
            point,
            &blinder(rng),
        )
    }

    /// Verifies that the committed polynomial takes `value` at `point`.
    pub fn verify<T: Transcript>(
        &self,
        transcript: &mut T,
        comm: &HyraxCommitment,
        point: &[Fr],
        value: Fr,
        proof: &HyraxEvalProof,
    ) -> Result<(), PcsError> {
        verify_eval(
            &self.params,
            &mut TranscriptAdapter(transcript),
            comm,
            point,
            value,
            proof,
        )
    }
}
