//! The verifier of [`crate::aggregate_rows`] and the decoder of [`RowOpenProof`]. Never
//! panics: every failure is a [`ClaimError`], `Malformed` or `Rejected { check }`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_msm::ipa::PublicVector;
use kaizen_msm::verify::verify_ipa;
use kaizen_msm::{G1Affine, HyraxEvalProof, PedersenGens};
use kaizen_sumcheck::{decode_sumcheck_proof, eq_table, Transcript, VerifyError};

use crate::aggregate::{powers, ENCODING_VERSION};
use crate::aggregate_rows::{
    absorb_row_claims, column_at, column_groups, column_statement, RowClaimSet, RowOpenProof,
    RowWeights, KIND_ROW_OPEN, LABEL_ALPHA,
};
use crate::claim_error::{ClaimCheck, ClaimError, ClaimMalformed};
use crate::codec::Reader;
use crate::transcript::TranscriptAdapter;

/// Decoder and verifier cap on the row-point length of an `Eq` row block (`2^30` rows).
pub const MAX_ROW_VARS: usize = 30;

fn check_shapes(gens: &PedersenGens, set: &RowClaimSet<'_>) -> Result<(), ClaimMalformed> {
    if set.claims.is_empty() {
        return Err(ClaimMalformed::NoClaims);
    }
    let fits = 1usize
        .checked_shl(u32::try_from(set.log_cols).unwrap_or(u32::MAX))
        .is_some_and(|c| c <= gens.len());
    if !fits {
        return Err(ClaimMalformed::PointLength {
            what: "column count",
            expected: gens.len().trailing_zeros() as usize,
            actual: set.log_cols,
        });
    }
    for (i, claim) in set.claims.iter().enumerate() {
        let rows = set
            .tables
            .get(claim.table)
            .ok_or(ClaimMalformed::CommitmentIndex {
                claim: i,
                index: claim.table,
                commitments: set.tables.len(),
            })?
            .len();
        let (first, last) = match &claim.rows {
            RowWeights::Eq { first_row, point } => {
                if point.len() > MAX_ROW_VARS {
                    return Err(ClaimMalformed::PointLength {
                        what: "row block",
                        expected: MAX_ROW_VARS,
                        actual: point.len(),
                    });
                }
                (*first_row, first_row.checked_add(1 << point.len()))
            }
            RowWeights::Sparse(pairs) => {
                let max = pairs.iter().map(|(r, _)| *r).max().unwrap_or(0);
                (0, max.checked_add(1))
            }
        };
        match last {
            Some(end) if end <= rows && first < end => {}
            _ => {
                return Err(ClaimMalformed::Count {
                    what: "claim rows",
                    value: last.unwrap_or(usize::MAX) as u64,
                    cap: rows as u64,
                })
            }
        }
        for term in &claim.columns {
            if term.point.len() != set.log_cols {
                return Err(ClaimMalformed::PointLength {
                    what: "column term",
                    expected: set.log_cols,
                    actual: term.point.len(),
                });
            }
        }
    }
    Ok(())
}

/// Verifies `proof` for every claim of `set` (the caller's transcript already holds the
/// tables' rows, as for the prover). Shapes (table index, row range, point lengths, round
/// count) are `Malformed`; a false claim is `Rejected { ReducedClaim }` (a round message
/// breaks the sumcheck) or `Rejected { Opening(..) }` (the opening of the combined rows).
pub fn verify_row_open<T: Transcript>(
    gens: &PedersenGens,
    transcript: &mut T,
    set: &RowClaimSet<'_>,
    proof: &RowOpenProof,
) -> Result<(), ClaimError> {
    check_shapes(gens, set)?;
    absorb_row_claims(transcript, set);
    let alpha = transcript.challenge(LABEL_ALPHA);
    let alphas = powers(alpha, set.claims.len());
    let sum: Fr = set
        .claims
        .iter()
        .zip(&alphas)
        .map(|(k, a)| k.value * *a)
        .sum();
    column_statement(set.log_cols, column_groups(&set.claims).1).absorb(transcript);
    let reduced = kaizen_sumcheck::verify(&proof.sumcheck, sum, set.log_cols, 2, transcript)
        .map_err(|e| match e {
            VerifyError::Malformed(m) => ClaimError::from(m),
            _ => ClaimError::Rejected {
                check: ClaimCheck::ReducedClaim,
            },
        })?;
    let rho = reduced.point;

    // W_g[r] = Σ_{k: g_k = g} alpha^k b_k(rho) w_k[r], then the touched rows into the MSM.
    let mut weights: Vec<Vec<Fr>> = set.tables.iter().map(|t| vec![Fr::ZERO; t.len()]).collect();
    for (claim, al) in set.claims.iter().zip(&alphas) {
        let s = *al * column_at(&claim.columns, &rho);
        let w = weights
            .get_mut(claim.table)
            .ok_or(ClaimMalformed::NoClaims)?;
        let entries: Vec<(usize, Fr)> = match &claim.rows {
            RowWeights::Eq { first_row, point } => eq_table(point)
                .into_iter()
                .enumerate()
                .map(|(i, e)| (first_row + i, e))
                .collect(),
            RowWeights::Sparse(pairs) => pairs.clone(),
        };
        let cap = w.len() as u64;
        for (row, e) in entries {
            let slot = w.get_mut(row).ok_or(ClaimMalformed::Count {
                what: "claim rows",
                value: row as u64,
                cap,
            })?;
            *slot += s * e;
        }
    }
    let mut bases: Vec<G1Affine> = Vec::new();
    let mut scalars: Vec<Fr> = Vec::new();
    for (rows, w) in set.tables.iter().zip(&weights) {
        for (p, s) in rows.iter().zip(w) {
            if !s.is_zero() {
                bases.push(*p);
                scalars.push(*s);
            }
        }
    }
    verify_ipa(
        gens,
        &mut TranscriptAdapter(transcript),
        &bases,
        &scalars,
        reduced.value,
        &PublicVector::Eq(&rho),
        &proof.opening,
    )?;
    Ok(())
}

impl RowOpenProof {
    /// Decodes and validates [`RowOpenProof::to_bytes`] (version, kind, lengths, canonical
    /// scalars, points on the curve, no trailing bytes). Whether the round count fits a claim
    /// set is checked by [`verify_row_open`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ClaimError> {
        let mut r = Reader::new("row opening proof", bytes);
        r.header(ENCODING_VERSION, KIND_ROW_OPEN)?;
        let len = r.len("sumcheck length", bytes.len())?;
        let sumcheck = decode_sumcheck_proof(r.bytes(len)?)?;
        let opening = HyraxEvalProof::from_bytes(r.rest())?.ipa;
        r.finish()?;
        Ok(Self { sumcheck, opening })
    }
}
