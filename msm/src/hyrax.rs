//! Hyrax-layout hiding polynomial commitment (Wahby et al. 2018, section 6) with a
//! zero-knowledge evaluation proof.
//!
//! A multilinear polynomial in `n` variables is its table of `2^n` evaluations, laid out as an
//! `R x C` matrix (`R = 2^log_rows`, `C = 2^(n - log_rows)`), row-major:
//!
//! ```text
//! index i = row * C + col     point z = [ z_0 .. z_{log R - 1} | z_{log R} .. z_{n-1} ]
//!                                          row variables (top)    column variables
//! f(z) = sum_{row, col} eq(z_row, row) eq(z_col, col) M[row][col]
//!      = < sum_row eq(z_row, row) M[row],  eq(z_col, .) >
//! ```
//!
//! `z_0` is the most significant index bit (as in `kaizen_field::batch::eq_expand`), so the
//! row index is the top `log R` variables. The commitment is one hiding Pedersen commitment
//! per row, `T_row = <M[row], G> + rho_row H`, each with its own blinding factor.
//!
//! **Evaluation proof** (the value is public; its blinding lives in the row commitments):
//! both sides compute the row weights `w = eq(z_row, .)`; the verifier forms
//! `P = sum w_row T_row` (an `R`-point MSM), the prover the combined row
//! `a = sum w_row M[row]` and blind `sum w_row rho_row`; then the [`crate::ipa`] argument
//! proves `<a, eq(z_col, .)> = v`.
//!
//! Transcript order (prover and verifier): params digest, row count, every row, the point,
//! then the IPA (round count, `v`, ...). `P` is not absorbed: it is determined by the rows and
//! the point, which are.

use kaizen_field::{batch, Fr};
use sha2::{Digest, Sha256};

use crate::bn254::G1Affine;
use crate::generators::GENERATORS_DST;
use crate::ipa::{self, IpaProof, PublicVector};
use crate::pedersen::{Blinder, PedersenGens, TAG_G, TAG_H, TAG_U};
use crate::pippenger::SmallScalar;
use crate::transcript::ProofTranscript;

/// Version byte of every encoding of this module.
pub const ENCODING_VERSION: u8 = 1;
/// Kind byte of an encoded [`HyraxCommitment`].
pub const KIND_COMMITMENT: u8 = 0x01;
/// Kind byte of an encoded [`HyraxEvalProof`].
pub const KIND_EVAL_PROOF: u8 = 0x02;
/// Largest number of variables a [`HyraxParams`] supports (row counts fit a `u32`).
pub const MAX_VARS: usize = 32;

/// Label of the parameter digest.
pub const LABEL_PARAMS: &[u8] = b"hyrax/params";
/// Label of the row count.
pub const LABEL_ROWS: &[u8] = b"hyrax/rows";
/// Label of one row commitment.
pub const LABEL_ROW: &[u8] = b"hyrax/row";
/// Label of the evaluation point.
pub const LABEL_POINT: &[u8] = b"hyrax/point";

/// Domain prefix of the parameter digest.
const PARAMS_DST: &[u8] = b"kaizen/hyrax/params/v1\0";

/// Public parameters: the shape `(n, log R)` and the generators (`C` message generators).
#[derive(Debug, Clone)]
pub struct HyraxParams {
    num_vars: usize,
    log_rows: usize,
    gens: PedersenGens,
    digest: [u8; 32],
}

impl HyraxParams {
    /// Parameters for `num_vars <= MAX_VARS` variables in `2^log_rows` rows
    /// (`log_rows <= num_vars`; a caller bug panics).
    pub fn setup(num_vars: usize, log_rows: usize) -> Self {
        assert!(
            num_vars <= MAX_VARS && log_rows <= num_vars,
            "hyrax: n = {num_vars}, log R = {log_rows}"
        );
        let gens = PedersenGens::new(1 << (num_vars - log_rows));
        // The generators are a function of the tags, the derivation version and C: hashing
        // those (not the C points) names them exactly.
        let mut h = Sha256::new();
        h.update(PARAMS_DST);
        h.update((num_vars as u64).to_le_bytes());
        h.update((log_rows as u64).to_le_bytes());
        for part in [&GENERATORS_DST[..], b"bn254", TAG_G, TAG_H, TAG_U] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        Self {
            num_vars,
            log_rows,
            gens,
            digest: h.finalize().into(),
        }
    }

    /// Number of variables `n`.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }
    /// `log R`.
    pub fn log_rows(&self) -> usize {
        self.log_rows
    }
    /// Rows `R`.
    pub fn rows(&self) -> usize {
        1 << self.log_rows
    }
    /// Columns `C`.
    pub fn cols(&self) -> usize {
        1 << (self.num_vars - self.log_rows)
    }
    /// The Pedersen generators.
    pub fn gens(&self) -> &PedersenGens {
        &self.gens
    }
    /// SHA-256 digest of the parameters (absorbed first by every Hyrax transcript).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }
}

/// A commitment: one G1 point per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyraxCommitment {
    /// `T_0 .. T_{R-1}`.
    pub rows: Vec<G1Affine>,
}

/// The prover's secret for a commitment: the row blinding factors.
#[derive(Clone)]
pub struct HyraxOpening {
    blinds: Vec<Fr>,
}

impl core::fmt::Debug for HyraxOpening {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "HyraxOpening {{ {} blinds: <secret> }}",
            self.blinds.len()
        )
    }
}

impl HyraxOpening {
    /// The row blinding factors.
    pub fn blinds(&self) -> &[Fr] {
        &self.blinds
    }

    /// Blinding factor of the combined row: `sum_row eq(row_point, row) rho_row`.
    pub fn combined_blind(&self, row_point: &[Fr]) -> Fr {
        batch::inner_product(&row_weights(row_point), &self.blinds)
    }
}

/// An evaluation proof: the inner-product proof on the combined row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyraxEvalProof {
    /// The zero-knowledge IPA on `<combined row, eq(z_col, .)>`.
    pub ipa: IpaProof,
}

fn check_len(params: &HyraxParams, len: usize) {
    assert_eq!(
        len,
        1usize << params.num_vars,
        "hyrax: table of {len} values, n = {}",
        params.num_vars
    );
}

/// Commits a table of `2^n` field elements; row blinds from `blinder.derive(b"hyrax/rows")`.
pub fn commit(
    params: &HyraxParams,
    evals: &[Fr],
    blinder: &Blinder,
) -> (HyraxCommitment, HyraxOpening) {
    check_len(params, evals.len());
    let blinds = blinder.derive(b"hyrax/rows").scalars(params.rows());
    let rows = params.gens.commit_rows(evals, params.cols(), &blinds);
    (HyraxCommitment { rows }, HyraxOpening { blinds })
}

/// [`commit`] for a small-integer table (small-scalar MSM path; same commitment as the
/// table widened to `Fr` with the same blinder).
pub fn commit_small<S: SmallScalar>(
    params: &HyraxParams,
    evals: &[S],
    blinder: &Blinder,
) -> (HyraxCommitment, HyraxOpening) {
    check_len(params, evals.len());
    let blinds = blinder.derive(b"hyrax/rows").scalars(params.rows());
    let rows = params.gens.commit_rows_small(evals, params.cols(), &blinds);
    (HyraxCommitment { rows }, HyraxOpening { blinds })
}

pub use crate::ipa::small_to_fr;

/// Absorbs the statement: params digest, rows, point (shared by prover and verifier).
pub(crate) fn absorb_statement<T: ProofTranscript>(
    params: &HyraxParams,
    transcript: &mut T,
    comm: &HyraxCommitment,
    point: &[Fr],
) {
    transcript.absorb_bytes(LABEL_PARAMS, &params.digest);
    transcript.absorb_bytes(LABEL_ROWS, &(comm.rows.len() as u64).to_le_bytes());
    for row in &comm.rows {
        transcript.absorb_point(LABEL_ROW, row);
    }
    let mut bytes = Vec::with_capacity(8 + 32 * point.len());
    bytes.extend_from_slice(&(point.len() as u64).to_le_bytes());
    for z in point {
        bytes.extend_from_slice(&kaizen_field::PrimeField::to_bytes(z));
    }
    transcript.absorb_bytes(LABEL_POINT, &bytes);
}

/// `eq(z_row, .)`: the weights of the rows.
pub fn row_weights(row_point: &[Fr]) -> Vec<Fr> {
    let mut w = vec![Fr::ZERO; 1 << row_point.len()];
    batch::eq_expand(&mut w, row_point, Fr::ONE);
    w
}

/// Proves the evaluation of the committed table at `point` (`n` coordinates); returns the
/// value `f(point)` and the proof. `blinder` must be fresh for this proof.
pub fn prove_eval<T: ProofTranscript>(
    params: &HyraxParams,
    transcript: &mut T,
    comm: &HyraxCommitment,
    opening: &HyraxOpening,
    evals: &[Fr],
    point: &[Fr],
    blinder: &Blinder,
) -> (Fr, HyraxEvalProof) {
    check_len(params, evals.len());
    assert_eq!(point.len(), params.num_vars, "hyrax: point length");
    assert_eq!(comm.rows.len(), params.rows(), "hyrax: row count");
    absorb_statement(params, transcript, comm, point);
    let (row_point, col_point) = point.split_at(params.log_rows);

    let table = combine_rows(evals, row_point);
    let rho = opening.combined_blind(row_point);
    let (v, ipa) = ipa::prove(
        &params.gens,
        transcript,
        &table,
        rho,
        &PublicVector::Eq(col_point),
        blinder,
    );
    (v, HyraxEvalProof { ipa })
}

/// The combined row `sum_row eq(row_point, row) M[row]` of a row-major table (`C =
/// evals.len() / 2^|row_point|` entries): binds the row variables top first, `point[0]` being
/// the top index bit, `M' = M_lo + z (M_hi - M_lo)` per variable (`2^n` multiplications).
pub fn combine_rows(evals: &[Fr], row_point: &[Fr]) -> Vec<Fr> {
    let mut len = evals.len();
    assert!(
        len.is_power_of_two() && len.trailing_zeros() as usize >= row_point.len(),
        "hyrax: {len} values, {} row variables",
        row_point.len()
    );
    let Some((first, rest)) = row_point.split_first() else {
        return evals.to_vec();
    };
    // The first fold writes a fresh half-size table (no full copy of `evals`).
    let (lo, hi) = evals.split_at(len / 2);
    let mut table = vec![Fr::ZERO; len / 2];
    batch::fold(&mut table, lo, hi, *first);
    len /= 2;
    for z in rest {
        let (lo, hi) = table[..len].split_at_mut(len / 2);
        batch::fold_in_place(lo, hi, *z);
        len /= 2;
    }
    table.truncate(len);
    table
}

/// [`prove_eval`] for a table committed with [`commit_small`].
pub fn prove_eval_small<T: ProofTranscript, S: SmallScalar>(
    params: &HyraxParams,
    transcript: &mut T,
    comm: &HyraxCommitment,
    opening: &HyraxOpening,
    evals: &[S],
    point: &[Fr],
    blinder: &Blinder,
) -> (Fr, HyraxEvalProof) {
    if params.log_rows > 0 {
        // Rows are combined with field weights: the IPA sees field elements anyway.
        let wide: Vec<Fr> = evals.iter().map(|s| small_to_fr(*s)).collect();
        return prove_eval(params, transcript, comm, opening, &wide, point, blinder);
    }
    // R = 1: the IPA runs on the small table itself (round 0 on small-scalar MSMs).
    check_len(params, evals.len());
    assert_eq!(point.len(), params.num_vars, "hyrax: point length");
    assert_eq!(comm.rows.len(), 1, "hyrax: row count");
    absorb_statement(params, transcript, comm, point);
    let (v, ipa) = ipa::prove_small(
        &params.gens,
        transcript,
        evals,
        opening.blinds[0],
        &PublicVector::Eq(point),
        blinder,
    );
    (v, HyraxEvalProof { ipa })
}

impl HyraxCommitment {
    /// Encoded length for `rows` rows.
    pub const fn encoded_len(rows: usize) -> usize {
        6 + 32 * rows
    }

    /// `version ‖ kind ‖ rows (u32 LE) ‖ rows x 32-byte compressed points`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::encoded_len(self.rows.len()));
        out.push(ENCODING_VERSION);
        out.push(KIND_COMMITMENT);
        out.extend_from_slice(&(self.rows.len() as u32).to_le_bytes());
        for row in &self.rows {
            out.extend_from_slice(&row.to_compressed());
        }
        out
    }
}

impl HyraxEvalProof {
    /// Encoded length for `k` rounds.
    pub const fn encoded_len(rounds: usize) -> usize {
        3 + 64 * rounds + 96
    }

    /// `version ‖ kind ‖ k (u8) ‖ L_0..L_{k-1} ‖ R_0..R_{k-1} ‖ A ‖ z1 ‖ z2`, points compressed
    /// (32 bytes), scalars canonical little-endian (32 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.ipa;
        let mut out = Vec::with_capacity(Self::encoded_len(p.l.len()));
        out.push(ENCODING_VERSION);
        out.push(KIND_EVAL_PROOF);
        out.push(p.l.len() as u8);
        for pt in p.l.iter().chain(&p.r).chain([&p.a]) {
            out.extend_from_slice(&pt.to_compressed());
        }
        out.extend_from_slice(&kaizen_field::PrimeField::to_bytes(&p.z1));
        out.extend_from_slice(&kaizen_field::PrimeField::to_bytes(&p.z2));
        out
    }
}
