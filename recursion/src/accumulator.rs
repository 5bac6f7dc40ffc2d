//! The split Hyrax accumulator of RECURSION.md section 1: `Acc = (D, r, v)` with `D` a G1
//! point, `r` a column point (`log C` coordinates) and `v` a value; the prover keeps the
//! witness `(a, blind)`, `a` in `F^C`. It stands for the claim
//!
//! ```text
//! D = <a, G> + blind H   and   <a, eq(r, .)> = v
//! ```
//!
//! - **From a claim** `f(z) = v` on a Hyrax commitment `T` (rows `T_row`): `D = sum_row
//!   eq(z_row, row) T_row` (an `R`-point MSM, the only group work per claim),
//!   `r = z_col`, the same `v`; witness `a = sum_row eq(z_row, row) M[row]` and the combined
//!   blind. Nothing is proven yet: the claim is deferred into the accumulator.
//! - **Fold** `(D1, r1, v1)`, `(D2, r2, v2)`: the point reduction of [`crate::aggregate`]
//!   (one sumcheck of `log C` rounds over `eq(r1, x) a1(x) + alpha eq(r2, x) a2(x)`) brings
//!   both to one column point `r'` with `u_i = a_i(r')`; then a 128-bit `rho` gives
//!   `D = D1 + rho D2`, `r = r'`, `v = u1 + rho u2`, witness `a = a1 + rho a2`,
//!   `blind = blind1 + rho blind2`. Verifier: the sumcheck and ONE scalar multiplication.
//! - **Decide**: [`crate::accumulator_verify::decide`] checks the witness directly (an MSM of
//!   size `C`); for publication the [`DeciderProof`] is the zero-knowledge IPA opening of `D`
//!   at `r` ([`kaizen_msm::ipa`]), verified by one MSM of size `C + O(log C)`.
//!
//! The fold sends `u_1`, `u_2` and plain sumcheck messages: folds run inside the IVC prover
//! and are not published (RECURSION.md section 5); the published decider proof is zero
//! knowledge.
//!
//! Transcripts: a fold absorbs the parameter digest, both instances, then the reduction
//! (`alpha`, statement, rounds, `u_1, u_2`) and squeezes `rho`; a decider proof absorbs the
//! digest and the instance, then runs the IPA.

use kaizen_field::{batch, Fr, PrimeField};
use kaizen_msm::hyrax::{combine_rows, row_weights};
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::{msm_vartime, G1Affine, HyraxCommitment, HyraxEvalProof, HyraxOpening, IpaProof};
use kaizen_sumcheck::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::aggregate::{prove_reduction, put_len, Claim, PointReduction};
use crate::pcs::{blinder, HyraxPcs};
use crate::transcript::TranscriptAdapter;

/// Version byte of this module's encodings.
pub const ENCODING_VERSION: u8 = 1;
/// Kind byte of an encoded [`AccInstance`].
pub const KIND_INSTANCE: u8 = 0x21;
/// Kind byte of an encoded [`FoldProof`].
pub const KIND_FOLD_PROOF: u8 = 0x22;
/// Kind byte of an encoded [`DeciderProof`].
pub const KIND_DECIDER_PROOF: u8 = 0x23;

/// Label of the parameter digest.
pub const LABEL_PARAMS: &[u8] = b"acc/params";
/// Label of an instance's point `D`.
pub const LABEL_D: &[u8] = b"acc/D";
/// Label of an instance's column point `r`.
pub const LABEL_R: &[u8] = b"acc/r";
/// Label of an instance's value `v`.
pub const LABEL_V: &[u8] = b"acc/v";
/// Label of the fold challenge `rho` (128 bits).
pub const LABEL_RHO: &[u8] = b"acc/rho";

/// The public accumulator `(D, r, v)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccInstance {
    /// `D = <a, G> + blind H`.
    pub d: G1Affine,
    /// The column point (`log C` coordinates, `r[0]` the top index bit).
    pub r: Vec<Fr>,
    /// The claimed `<a, eq(r, .)>`.
    pub v: Fr,
}

/// The prover's accumulator witness `(a, blind)`.
#[derive(Clone)]
pub struct AccWitness {
    pub(crate) a: Vec<Fr>,
    pub(crate) blind: Fr,
}

impl core::fmt::Debug for AccWitness {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AccWitness {{ {} entries: <secret> }}", self.a.len())
    }
}

impl AccWitness {
    /// A witness from its parts (tests of bad witnesses, deserialised prover state).
    pub fn new(a: Vec<Fr>, blind: Fr) -> Self {
        Self { a, blind }
    }

    /// The vector `a`.
    pub fn a(&self) -> &[Fr] {
        &self.a
    }
}

/// The fold's proof: the point reduction of the two accumulators' claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldProof {
    /// Sumcheck over `log C` variables and `u_1 = a1(r')`, `u_2 = a2(r')`.
    pub reduction: PointReduction,
}

/// The published decider: the zero-knowledge IPA opening of `D` at `r` to `v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeciderProof {
    /// The IPA (`log C` rounds).
    pub ipa: IpaProof,
}

/// A 128-bit challenge: the low 16 bytes of a full challenge (RECURSION.md section 5:
/// challenges that cross fields are integers below `2^128`).
pub(crate) fn challenge_128<T: Transcript>(t: &mut T, label: &'static [u8]) -> Fr {
    let mut bytes = t.challenge(label).to_bytes();
    bytes[16..].fill(0);
    Fr::from_bytes(&bytes).unwrap_or(Fr::ZERO)
}

/// Absorbs the parameter digest (shared by fold and decider; never panics).
pub(crate) fn absorb_params<T: Transcript>(pcs: &HyraxPcs, t: &mut T) {
    t.absorb_bytes(LABEL_PARAMS, &pcs.digest());
}

/// Absorbs an instance (never panics).
pub(crate) fn absorb_instance<T: Transcript>(t: &mut T, inst: &AccInstance) {
    t.absorb_group_bytes(LABEL_D, &inst.d.to_compressed());
    t.absorb_frs(LABEL_R, &inst.r);
    t.absorb_fr(LABEL_V, &inst.v);
}

/// The two claims a fold reduces: `a_1(r1) = v1`, `a_2(r2) = v2`.
pub(crate) fn fold_claims(acc1: &AccInstance, acc2: &AccInstance) -> [Claim; 2] {
    [
        Claim {
            commitment: 0,
            point: acc1.r.clone(),
            value: acc1.v,
        },
        Claim {
            commitment: 1,
            point: acc2.r.clone(),
            value: acc2.v,
        },
    ]
}

/// Defers the claim "the table committed in `comm` takes its value at `point`" into an
/// accumulator. Returns the instance (`v` computed from the witness) and the witness. Caller
/// bugs (shapes) panic.
pub fn accumulate(
    pcs: &HyraxPcs,
    comm: &HyraxCommitment,
    opening: &HyraxOpening,
    table: &[Fr],
    point: &[Fr],
) -> (AccInstance, AccWitness) {
    let params = pcs.params();
    assert_eq!(point.len(), params.num_vars(), "accumulator: point length");
    assert_eq!(comm.rows.len(), params.rows(), "accumulator: row count");
    assert_eq!(table.len(), 1 << params.num_vars(), "accumulator: table");
    let (row_point, col_point) = point.split_at(params.log_rows());
    let a = combine_rows(table, row_point);
    let blind = opening.combined_blind(row_point);
    let d = msm_vartime(&comm.rows, &row_weights(row_point)).to_affine();
    let v = batch::inner_product(&a, &PublicVector::Eq(col_point).to_dense());
    let inst = AccInstance {
        d,
        r: col_point.to_vec(),
        v,
    };
    (inst, AccWitness { a, blind })
}

/// Folds two accumulators: returns the folded instance and witness and the fold proof (the
/// verifier recomputes the instance with [`crate::accumulator_verify::verify_fold`]).
pub fn prove_fold<T: Transcript>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    (acc1, wit1): (&AccInstance, &AccWitness),
    (acc2, wit2): (&AccInstance, &AccWitness),
) -> (AccInstance, AccWitness, FoldProof) {
    let log_c = pcs.params().num_vars() - pcs.params().log_rows();
    for (acc, wit) in [(acc1, wit1), (acc2, wit2)] {
        assert_eq!(acc.r.len(), log_c, "accumulator: point length");
        assert_eq!(wit.a.len(), 1 << log_c, "accumulator: witness length");
    }
    absorb_params(pcs, transcript);
    absorb_instance(transcript, acc1);
    absorb_instance(transcript, acc2);
    let claims = fold_claims(acc1, acc2);
    let (point, _, reduction) = prove_reduction(transcript, log_c, &claims, &[&wit1.a, &wit2.a]);
    let rho = challenge_128(transcript, LABEL_RHO);
    let (u1, u2) = (reduction.evals[0], reduction.evals[1]);
    // a = a1 + rho a2 (C multiplications), blind = blind1 + rho blind2, D = D1 + rho D2.
    let mut a = vec![Fr::ZERO; wit1.a.len()];
    batch::scale(&mut a, &wit2.a, rho);
    crate::aggregate::add_assign(&mut a, &wit1.a);
    let d = (kaizen_msm::G1Projective::from(acc1.d) + acc2.d.mul_vartime(&rho)).to_affine();
    let inst = AccInstance {
        d,
        r: point,
        v: u1 + rho * u2,
    };
    let wit = AccWitness {
        a,
        blind: wit1.blind + rho * wit2.blind,
    };
    (inst, wit, FoldProof { reduction })
}

/// The decider proof: the zero-knowledge IPA opening of `D` at `r` (fresh blinds from `rng`).
pub fn prove_decider<T: Transcript, R: RngCore + CryptoRng>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    acc: &AccInstance,
    wit: &AccWitness,
    rng: &mut R,
) -> DeciderProof {
    absorb_params(pcs, transcript);
    absorb_instance(transcript, acc);
    let (_, ipa) = ipa::prove(
        pcs.params().gens(),
        &mut TranscriptAdapter(transcript),
        &wit.a,
        wit.blind,
        &PublicVector::Eq(&acc.r),
        &blinder(rng),
    );
    DeciderProof { ipa }
}

impl AccInstance {
    /// Encoded length for a point of `k` coordinates.
    pub const fn encoded_len(k: usize) -> usize {
        3 + 32 + 32 * k + 32
    }

    /// `version ‖ kind ‖ k (u8) ‖ D (compressed) ‖ r_0 .. r_{k-1} ‖ v`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::encoded_len(self.r.len()));
        out.extend_from_slice(&[ENCODING_VERSION, KIND_INSTANCE]);
        out.push(u8::try_from(self.r.len()).expect("accumulator: point above 255 coordinates"));
        out.extend_from_slice(&self.d.to_compressed());
        for x in &self.r {
            out.extend_from_slice(&x.to_bytes());
        }
        out.extend_from_slice(&self.v.to_bytes());
        out
    }
}

impl FoldProof {
    /// `version ‖ kind ‖ u32 len ‖ sumcheck bytes ‖ u1 ‖ u2`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![ENCODING_VERSION, KIND_FOLD_PROOF];
        let sc = self.reduction.sumcheck.to_bytes();
        put_len(&mut out, sc.len());
        out.extend_from_slice(&sc);
        for e in &self.reduction.evals {
            out.extend_from_slice(&e.to_bytes());
        }
        out
    }
}

impl DeciderProof {
    /// `version ‖ kind ‖` the IPA as a Hyrax evaluation proof.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![ENCODING_VERSION, KIND_DECIDER_PROOF];
        let ipa = HyraxEvalProof {
            ipa: self.ipa.clone(),
        };
        out.extend_from_slice(&ipa.to_bytes());
        out
    }
}
