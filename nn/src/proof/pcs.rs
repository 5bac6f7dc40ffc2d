//! The prover's half of the row commitments, on `msm`'s Pedersen generators.
//!
//! Same commitment as `kaizen_msm::hyrax` (one hiding Pedersen commitment per row of `C`
//! values), except that the prover keeps and supplies the row blinds: the rows of `W_{t+1}`
//! committed at iteration `t` are reused, with their blinds, as the model rows of `J_{t+1}`.
//! Openings (rows weighted arbitrarily, e.g. the dataset at the schedule's rows by
//! `eq(p_b, b)`) go through the one aggregated opening of [`super::open`].

use kaizen_field::Fr;
use kaizen_msm::{G1Affine, PedersenGens, SmallScalar};

/// Commits every `2^log_cols`-chunk of `table` with `blinds[row]`.
pub fn commit_rows<S: SmallScalar>(
    gens: &PedersenGens,
    table: &[S],
    log_cols: usize,
    blinds: &[Fr],
) -> Vec<G1Affine> {
    gens.commit_rows_small(table, 1 << log_cols, blinds)
}
