//! Zero-knowledge sumcheck with `msm`'s commitment: the masking hook of
//! [`kaizen_sumcheck::zk`] (construction, what it hides and the simulator argument are in that
//! module's doc) implemented by
//!
//! - **commit**: a hiding Pedersen vector commitment to the mask's `n·d + 1` coefficients,
//!   `M = Σ_i c_i G_i + β H` ([`kaizen_msm::pedersen`], one G1 point);
//! - **open**: `g(r) = <c, basis(r)>` with the public `basis(r) = (1, r_0, .., r_0^d, r_1, ..)`,
//!   proven by the zero-knowledge inner-product argument ([`kaizen_msm::ipa`]) with a
//!   [`PublicVector::Dense`] (both vectors padded with zeros to `C = 2^⌈log2(n·d + 1)⌉`).
//!
//! No group protocol code lives here. The commitment is perfectly hiding (`β` uniform) and the
//! IPA is honest-verifier zero knowledge, the two obligations of
//! [`MaskCommitter`].
//!
//! ```text
//! let params = PedersenMask::setup(n, d);
//! let mut t = params.transcript::<Sha256Transcript>();          // parameters absorbed first
//! let (proof, point) = prove_product_zk(&params, &st, tables, claim, seed, &mut t);
//! let mut t = params.transcript::<Sha256Transcript>();
//! let claims = verify_product_zk(&params, &st, claim, &proof, &mut t)?;   // check the claims!
//! ```
//!
//! **Randomness** ([`seeded_mask`]): ChaCha20 keyed by the caller's 32-byte seed draws the mask
//! coefficients in layout order, then the 32-byte key of the [`Blinder`] that gives `β`
//! (domain [`BLINDER_COMMIT`]) and the IPA's blinds (domain [`BLINDER_OPEN`]). Same seed, same
//! proof bytes, whatever the thread count. The seed must be fresh and secret for every proof.
//!
//! **Transcript:** the IPA's statement is `M` (absorbed by the sumcheck's masking steps before
//! `ρ`) and `basis(r)` (determined by the shape and the round challenges, all absorbed), so the
//! opening absorbs nothing more before [`ipa::prove`]'s own steps.
//!
//! The verifier side ([`PedersenMask`] as [`MaskVerifier`], [`verify_zk`],
//! [`verify_product_zk`]) reads untrusted proofs: the whole module denies indexing, unwrap,
//! expect and panic; so does [`encoding`] (the proof bytes and their validating decoders).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_msm::ipa::{self, IpaProof, PublicVector};
use kaizen_msm::pedersen::{TAG_G, TAG_H, TAG_U};
use kaizen_msm::verify::{verify_ipa, PcsError};
use kaizen_msm::{Blinder, G1Affine, PedersenGens};
use kaizen_sumcheck::zk::{
    self, mask_len, MaskCommitment, MaskCommitter, MaskPolynomial, MaskVerifier, ZkProductProof,
    ZkProverOutput, ZkSumcheckProof, ZkVerifyError,
};
use kaizen_sumcheck::{
    DenseTable, EvaluationClaim, ProductStatement, SumcheckInstance, Transcript,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::transcript::TranscriptAdapter;

pub mod encoding;

pub use encoding::{
    decode_product_proof, decode_proof, encode_product_proof, encode_proof, ZkDecodeError,
};

/// Protocol label of transcripts made by [`PedersenMask::transcript`].
pub const PROTOCOL: &[u8] = b"kaizen/zk-sumcheck/v1";
/// Label of the parameters absorbed first (shape, generator count and tags).
pub const LABEL_PARAMS: &[u8] = b"zk-sumcheck/pedersen-params";
/// Label of the mask commitment `M`.
pub const LABEL_MASK_COMMITMENT: &[u8] = b"zk-sumcheck/mask-commitment";
/// Blinder domain of the commitment's blinding factor `β` (index 0).
pub const BLINDER_COMMIT: &[u8] = b"zk-sumcheck/mask-commit";
/// Blinder domain of the opening's IPA blinds.
pub const BLINDER_OPEN: &[u8] = b"zk-sumcheck/mask-open";

/// A zero-knowledge sumcheck proof with the Pedersen mask commitment.
pub type PedersenZkProof = ZkSumcheckProof<MaskPoint, IpaProof>;
/// A zero-knowledge product proof with the Pedersen mask commitment.
pub type PedersenZkProductProof = ZkProductProof<MaskPoint, IpaProof>;

/// The mask commitment `M = Σ_i c_i G_i + β H`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaskPoint(pub G1Affine);

impl MaskCommitment for MaskPoint {
    fn absorb_into<T: Transcript>(&self, transcript: &mut T) {
        transcript.absorb_group_bytes(LABEL_MASK_COMMITMENT, &self.0.to_compressed());
    }
}

/// Public parameters for masks of `n` variables and degree `d`: `C` Pedersen generators,
/// `C = 2^⌈log2(n·d + 1)⌉` (the IPA needs a power of two).
#[derive(Debug, Clone)]
pub struct PedersenMask {
    num_vars: usize,
    degree: usize,
    gens: PedersenGens,
}

/// Zero-pads `v` to `len` entries.
fn padded(v: &[Fr], len: usize) -> Vec<Fr> {
    let mut out = v.to_vec();
    out.resize(len, Fr::ZERO);
    out
}

impl PedersenMask {
    /// Parameters for sumchecks of `num_vars` rounds and degree `degree >= 1`.
    pub fn setup(num_vars: usize, degree: usize) -> Self {
        assert!(degree >= 1, "zk-sumcheck: degree 0");
        Self {
            num_vars,
            degree,
            gens: PedersenGens::new(mask_len(num_vars, degree).next_power_of_two()),
        }
    }

    /// Number of variables `n`.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Degree `d`.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The generators (`C` message generators, `U`, `H`).
    pub fn gens(&self) -> &PedersenGens {
        &self.gens
    }

    /// A fresh transcript: the protocol label, then the parameters (`n`, `d`, `C` and the
    /// generator tags, which determine every generator).
    pub fn transcript<T: Transcript>(&self) -> T {
        let mut t = T::new(PROTOCOL);
        for v in [self.num_vars, self.degree, self.gens.len()] {
            t.absorb_u64(LABEL_PARAMS, v as u64);
        }
        for tag in [TAG_G, TAG_H, TAG_U] {
            t.absorb_bytes(LABEL_PARAMS, tag);
        }
        t
    }

    /// A committer for one proof, keyed by a fresh secret `key` (see [`seeded_mask`]).
    pub fn committer(&self, key: [u8; 32]) -> PedersenMaskCommitter<'_> {
        PedersenMaskCommitter {
            params: self,
            blinder: Blinder::from_seed(key),
        }
    }
}

/// The prover's side of the hook for one proof (keyed blinder; see the module doc).
#[derive(Debug, Clone)]
pub struct PedersenMaskCommitter<'a> {
    params: &'a PedersenMask,
    blinder: Blinder,
}

impl PedersenMaskCommitter<'_> {
    /// `β`, the commitment's blinding factor.
    fn blind(&self) -> Fr {
        self.blinder.derive(BLINDER_COMMIT).scalar(0)
    }
}

impl MaskCommitter for PedersenMaskCommitter<'_> {
    type Commitment = MaskPoint;
    type Opening = IpaProof;

    fn commit(&mut self, coeffs: &[Fr]) -> MaskPoint {
        MaskPoint(self.params.gens.commit(coeffs, &self.blind()).to_affine())
    }

    fn open<T: Transcript>(
        &mut self,
        transcript: &mut T,
        _commitment: &MaskPoint,
        coeffs: &[Fr],
        basis: &[Fr],
        value: Fr,
    ) -> IpaProof {
        let len = basis.len().next_power_of_two();
        let b = padded(basis, len);
        let (v, proof) = ipa::prove(
            &self.params.gens,
            &mut TranscriptAdapter(transcript),
            &padded(coeffs, len),
            self.blind(),
            &PublicVector::Dense(&b),
            &self.blinder.derive(BLINDER_OPEN),
        );
        debug_assert!(v == value, "zk-sumcheck: opening value differs from g(r)");
        proof
    }
}

impl MaskVerifier for PedersenMask {
    type Commitment = MaskPoint;
    type Opening = IpaProof;
    type Error = PcsError;

    /// `P = M` (one base, scalar 1); a basis longer than the generators is `Malformed`.
    fn verify_opening<T: Transcript>(
        &self,
        transcript: &mut T,
        commitment: &MaskPoint,
        basis: &[Fr],
        value: Fr,
        opening: &IpaProof,
    ) -> Result<(), PcsError> {
        let len = basis
            .len()
            .checked_next_power_of_two()
            .filter(|len| *len <= self.gens.len())
            .ok_or(kaizen_msm::Malformed::VectorLength {
                expected: self.gens.len(),
                actual: Some(basis.len()),
            })?;
        verify_ipa(
            &self.gens,
            &mut TranscriptAdapter(transcript),
            &[commitment.0],
            &[Fr::ONE],
            value,
            &PublicVector::Dense(&padded(basis, len)),
            opening,
        )
    }
}

/// The randomness of one proof from the caller's seed: ChaCha20 draws the mask's coefficients
/// in layout order, then the committer's 32-byte blinder key.
pub fn seeded_mask(
    params: &PedersenMask,
    seed: [u8; 32],
) -> (MaskPolynomial, PedersenMaskCommitter<'_>) {
    let mut rng = ChaCha20Rng::from_seed(seed);
    let mask = MaskPolynomial::sample(params.num_vars, params.degree, || Fr::random(&mut rng));
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    (mask, params.committer(key))
}

/// Proves `Σ_x f(x) = instance.input_claim()` in zero knowledge for any sumcheck instance of the
/// parameters' shape (a caller bug panics otherwise), with randomness from `seed`.
pub fn prove_zk<T: Transcript, I: SumcheckInstance + ?Sized>(
    params: &PedersenMask,
    instance: &mut I,
    seed: [u8; 32],
    transcript: &mut T,
) -> ZkProverOutput<MaskPoint, IpaProof> {
    let (mask, mut committer) = seeded_mask(params, seed);
    zk::prove_zk(instance, &mask, &mut committer, transcript)
}

/// Proves a product statement in zero knowledge (randomness from `seed`); returns the proof and
/// the final point.
pub fn prove_product_zk<T: Transcript>(
    params: &PedersenMask,
    statement: &ProductStatement,
    tables: Vec<DenseTable>,
    claim: Fr,
    seed: [u8; 32],
    transcript: &mut T,
) -> (PedersenZkProductProof, Vec<Fr>) {
    let (mask, mut committer) = seeded_mask(params, seed);
    zk::prove_product_zk(statement, tables, claim, &mask, &mut committer, transcript)
}

/// Verifies a [`prove_zk`] proof; returns the claim on `f` the caller MUST check.
pub fn verify_zk<T: Transcript>(
    params: &PedersenMask,
    proof: &PedersenZkProof,
    claim: Fr,
    num_rounds: usize,
    degree: usize,
    transcript: &mut T,
) -> Result<EvaluationClaim, ZkVerifyError<PcsError>> {
    zk::verify_zk(params, proof, claim, num_rounds, degree, transcript)
}

/// Verifies a [`prove_product_zk`] proof; returns one claim per factor, which the caller MUST
/// check against the factors' commitments.
pub fn verify_product_zk<T: Transcript>(
    params: &PedersenMask,
    statement: &ProductStatement,
    claim: Fr,
    proof: &PedersenZkProductProof,
    transcript: &mut T,
) -> Result<Vec<EvaluationClaim>, ZkVerifyError<PcsError>> {
    zk::verify_product_zk(params, statement, claim, proof, transcript)
}
