//! The prover's half of the row commitments, on `msm`'s Pedersen generators and
//! inner-product argument.
//!
//! Same commitment as `kaizen_msm::hyrax` (one hiding Pedersen commitment per row of `C`
//! values), with two things its facade does not offer: the prover keeps and supplies the row
//! blinds (the rows of `W_{t+1}` committed at iteration `t` are reused, with their blinds, as
//! the model rows of `J_{t+1}`), and an opening may weight the rows arbitrarily (the dataset is
//! opened at the rows the schedule picks, weighted by `eq(p_b, b)`), not only by `eq(z_row, .)`.
//!
//! ```text
//! open:   a = Σ_r w_r M[r]      rho = Σ_r w_r blind_r      IPA: <a, eq(z_col, .)> = v
//! verify: P = Σ_r w_r T_r (inside verify_ipa's one MSM)     IPA check
//! ```
//! The row commitments and everything determining the weights and the column point are in the
//! iteration transcript before the opening, as `verify_ipa` requires.

use kaizen_field::{Field, Fr};
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::{Blinder, G1Affine, IpaProof, PedersenGens, SmallScalar};
use kaizen_recursion::TranscriptAdapter;
use kaizen_sumcheck::{eq_table, Transcript};
use rayon::prelude::*;

/// Commits every `2^log_cols`-chunk of `table` with `blinds[row]`.
pub fn commit_rows<S: SmallScalar>(
    gens: &PedersenGens,
    table: &[S],
    log_cols: usize,
    blinds: &[Fr],
) -> Vec<G1Affine> {
    gens.commit_rows_small(table, 1 << log_cols, blinds)
}

/// `Σ_r weights[r] table[r]` over rows of `2^log_cols` entries (rows with weight 0 skipped).
pub fn combine_rows(table: &[Fr], log_cols: usize, weights: &[Fr]) -> Vec<Fr> {
    let c = 1usize << log_cols;
    const BLOCK: usize = 256;
    let mut out = vec![Fr::ZERO; c];
    out.par_chunks_mut(BLOCK).enumerate().for_each(|(blk, o)| {
        let start = blk * BLOCK;
        for (row, w) in table.chunks(c).zip(weights) {
            if w.is_zero() {
                continue;
            }
            let len = o.len();
            for (acc, x) in o.iter_mut().zip(&row[start..start + len]) {
                *acc += *w * *x;
            }
        }
    });
    out
}

/// Opens the rows combined by `weights` against the column vector `eq(col_point, .)`, or
/// `dense` if given: returns `(value, proof)`.
pub fn open<T: Transcript>(
    gens: &PedersenGens,
    transcript: &mut T,
    combined: &[Fr],
    blinds: &[Fr],
    weights: &[Fr],
    col_point: &[Fr],
    dense: Option<&[Fr]>,
    blinder: &Blinder,
) -> (Fr, IpaProof) {
    let rho: Fr = weights.iter().zip(blinds).map(|(w, b)| *w * *b).sum();
    let b = match dense {
        Some(d) => PublicVector::Dense(d),
        None => PublicVector::Eq(col_point),
    };
    ipa::prove(
        gens,
        &mut TranscriptAdapter(transcript),
        combined,
        rho,
        &b,
        blinder,
    )
}

/// Row weights of a point's row part: `eq(z_row, .)`.
pub fn eq_weights(row_point: &[Fr]) -> Vec<Fr> {
    eq_table(row_point)
}
