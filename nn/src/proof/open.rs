//! The one opening of an iteration: every claim on `J_t`, `W_{t+1}` and the dataset `D`
//! goes to `recursion`'s row-weighted aggregation ([`kaizen_recursion::aggregate_rows`]):
//! one column sumcheck (`log C` rounds) and ONE inner-product opening for the whole proof.
//!
//! ```text
//! table 0  J_t      rows model_before ‖ trace_rows    claims: segment evaluations
//! table 1  W_{t+1}  rows model_after                  claims: segment evaluations
//! table 2  D        rows of the dataset               claims: X~(p) and the one-hot labels,
//!                                                      rows weighted by eq(p_b, b) at idx_b
//! ```
//! A claim `T~(offset ‖ local) = v` on a segment of `2^m` entries at `offset` (a multiple of
//! `2^m`) is, with `c = log C`: for `m >= c`, the row block `offset / C ..` weighted by
//! `eq(local[..m-c], .)` against the column point `local[m-c..]`; for `m < c`, the one row
//! `offset / C` against the column point `bits(offset mod C) ‖ local` (boolean top
//! coordinates). The table's padding is never claimed, so its rows need not be touched.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_msm::{G1Affine, PedersenGens};
use kaizen_recursion::{
    verify_row_open, ClaimCheck, ClaimError, ColumnTerm, RowClaim, RowClaimSet, RowOpenProof,
    RowWeights,
};
use kaizen_sumcheck::Transcript;

use super::ProofError;

/// Table index of `J_t` in the opening.
pub const TABLE_J: usize = 0;
/// Table index of `W_{t+1}`.
pub const TABLE_NEXT: usize = 1;
/// Table index of the dataset.
pub const TABLE_DATASET: usize = 2;

/// A claim on a table: the segment at `offset` (a multiple of `2^local.len()`) takes `value`
/// at `local`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableClaim {
    /// Offset of the segment in the table.
    pub offset: usize,
    /// The segment-local point.
    pub local: Vec<Fr>,
    /// The claimed value.
    pub value: Fr,
}

/// `eq(bits(offset >> m), top)`, `m = total - top.len()` the segment's variables.
pub(crate) fn prefix_eq(offset: usize, m: usize, top: &[Fr]) -> Fr {
    let index = offset >> m;
    let k = top.len();
    top.iter()
        .enumerate()
        .map(|(j, r)| {
            if (index >> (k - 1 - j)) & 1 == 1 {
                *r
            } else {
                Fr::ONE - *r
            }
        })
        .product()
}

/// The `k` bits of `x`, most significant first, as field elements.
fn bits(x: usize, k: usize) -> Vec<Fr> {
    (0..k)
        .rev()
        .map(|j| if (x >> j) & 1 == 1 { Fr::ONE } else { Fr::ZERO })
        .collect()
}

/// A segment claim as a row claim on `table` of `2^log_cols` columns (module doc).
pub fn row_claim(table: usize, log_cols: usize, claim: &TableClaim) -> RowClaim {
    let m = claim.local.len();
    let first_row = claim.offset >> log_cols;
    let (rows, cols) = if m >= log_cols {
        let (row, col) = claim.local.split_at(m - log_cols);
        (row.to_vec(), col.to_vec())
    } else {
        let within = (claim.offset & ((1 << log_cols) - 1)) >> m;
        let mut col = bits(within, log_cols - m);
        col.extend_from_slice(&claim.local);
        (Vec::new(), col)
    };
    RowClaim {
        table,
        rows: RowWeights::Eq {
            first_row,
            point: rows,
        },
        columns: vec![ColumnTerm {
            coeff: Fr::ONE,
            point: cols,
        }],
        value: claim.value,
    }
}

/// The claims of one iteration, in opening order: `J_t`'s, `W_{t+1}`'s, then `dataset`'s.
pub fn iteration_claims(
    log_cols: usize,
    j: &[TableClaim],
    next: &[TableClaim],
    dataset: Vec<RowClaim>,
) -> Vec<RowClaim> {
    j.iter()
        .map(|c| row_claim(TABLE_J, log_cols, c))
        .chain(next.iter().map(|c| row_claim(TABLE_NEXT, log_cols, c)))
        .chain(dataset)
        .collect()
}

/// A claim on the dataset: rows `(index, weight)`, column point `col`, value `value`.
pub fn dataset_claim(rows: Vec<(usize, Fr)>, col: Vec<Fr>, value: Fr) -> RowClaim {
    RowClaim {
        table: TABLE_DATASET,
        rows: RowWeights::Sparse(rows),
        columns: vec![ColumnTerm {
            coeff: Fr::ONE,
            point: col,
        }],
        value,
    }
}

/// Verifies the iteration's one opening of `claims` on the three tables (rows in
/// [`TABLE_J`], [`TABLE_NEXT`], [`TABLE_DATASET`] order). Checks `claim-reduction` (the
/// column sumcheck) and `opening` (the IPA of the combined rows).
pub fn verify_opening<T: Transcript>(
    gens: &PedersenGens,
    transcript: &mut T,
    log_cols: usize,
    tables: [&[G1Affine]; 3],
    claims: Vec<RowClaim>,
    proof: &RowOpenProof,
) -> Result<(), ProofError> {
    let set = RowClaimSet {
        log_cols,
        tables: tables.to_vec(),
        claims,
    };
    verify_row_open(gens, transcript, &set, proof).map_err(|e| match e {
        ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim,
        } => ProofError::rejected("claim-reduction", "column sumcheck"),
        ClaimError::Rejected { check } => {
            ProofError::rejected("opening", format!("aggregated opening: {check}"))
        }
        ClaimError::Malformed(m) => ProofError::Malformed(format!("opening: {m}")),
        other => ProofError::Malformed(format!("opening: {other}")),
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use kaizen_field::Field;
    use kaizen_msm::Blinder;
    use kaizen_recursion::{prove_row_open, DenseRows, TableRows};
    use kaizen_sumcheck::{DenseTable, Sha256Transcript};

    const LOG_COLS: usize = 3;

    fn table() -> Vec<i64> {
        (0..64i64).map(|i| i * i - 40).collect()
    }

    fn claims(t: &[i64]) -> Vec<TableClaim> {
        // A 2-entry segment at 10 (inside row 1), a 4-entry one at 4, a 16-entry one at 32,
        // the whole table.
        let pts = [
            (10usize, vec![Fr::from_u64(7)]),
            (4, vec![Fr::from_u64(5), Fr::from_u64(9)]),
            (32, (0..4u64).map(|i| Fr::from_u64(11 + i)).collect()),
            (0, (0..6u64).map(|i| Fr::from_u64(2 * i + 1)).collect()),
        ];
        pts.into_iter()
            .map(|(offset, local)| {
                let n = local.len();
                let seg: Vec<Fr> = t[offset..offset + (1 << n)]
                    .iter()
                    .map(|&x| Fr::from_i64(x))
                    .collect();
                TableClaim {
                    offset,
                    value: DenseTable::new(seg).evaluate(&local),
                    local,
                }
            })
            .collect()
    }

    /// Proves `claims` on one table (used three times: J, next, dataset slots).
    fn run(claims: &[TableClaim]) -> Result<(), ProofError> {
        let t = table();
        let gens = PedersenGens::new(1 << LOG_COLS);
        let blinds = Blinder::from_seed([3; 32]).scalars(8);
        let rows = gens.commit_rows_small(&t, 1 << LOG_COLS, &blinds);
        let all = iteration_claims(LOG_COLS, claims, claims, Vec::new());
        let w = DenseRows {
            entries: &t,
            log_cols: LOG_COLS,
            blinds: &blinds,
        };
        let witness: [&dyn TableRows; 3] = [&w, &w, &w];
        let set = RowClaimSet {
            log_cols: LOG_COLS,
            tables: vec![&rows, &rows, &rows],
            claims: all.clone(),
        };
        let honest = iteration_claims(LOG_COLS, &self::claims(&t), &self::claims(&t), Vec::new());
        let honest_set = RowClaimSet {
            claims: honest,
            ..set.clone()
        };
        let proof = prove_row_open(
            &gens,
            &mut Sha256Transcript::new(b"test/open"),
            &honest_set,
            &witness,
            &Blinder::from_seed([4; 32]),
        );
        verify_opening(
            &gens,
            &mut Sha256Transcript::new(b"test/open"),
            LOG_COLS,
            [&rows, &rows, &rows],
            all,
            &proof,
        )
    }

    #[test]
    fn segment_claims_of_every_size_open_as_row_claims() {
        run(&claims(&table())).unwrap();
    }

    #[test]
    fn a_changed_claim_value_or_offset_is_rejected() {
        let c = claims(&table());
        for k in 0..c.len() {
            let mut bad = c.clone();
            bad[k].value += Fr::ONE;
            let r = run(&bad);
            assert!(
                matches!(
                    r,
                    Err(ProofError::Rejected {
                        check: "opening",
                        ..
                    })
                ),
                "{k}: {r:?}"
            );
        }
        let mut moved = c.clone();
        moved[0].offset = 12;
        assert!(matches!(
            run(&moved),
            Err(ProofError::Rejected {
                check: "opening",
                ..
            })
        ));
    }
}
