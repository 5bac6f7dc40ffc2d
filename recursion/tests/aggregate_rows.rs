//! Row-weighted claim aggregation: tables of different row counts (small-integer and field
//! entries), evaluation claims on row blocks, single-row claims with boolean column bits,
//! sparse row weights with two column terms; through the encoding; a false value in any
//! claim, a claim moved to another table, tampered proof parts and shape errors, each with its
//! kind and check; the same bytes at 1 and 2 threads.

use kaizen_field::{Field, Fr};
use kaizen_msm::{Blinder, Check, G1Affine, PedersenGens};
use kaizen_recursion::{
    prove_row_open, verify_row_open, ClaimCheck, ClaimError, ClaimMalformed, ColumnTerm, DenseRows,
    RowClaim, RowClaimSet, RowOpenProof, RowWeights, TableRows,
};
use kaizen_sumcheck::{eq_table, Sha256Transcript, Transcript};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

const LOG_COLS: usize = 4;
const C: usize = 1 << LOG_COLS;

fn seed() -> u64 {
    let s = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x726f_7773_6167_6772);
    eprintln!("KAIZEN_TEST_SEED={s}");
    s
}

fn point(r: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(&mut *r)).collect()
}

/// Table 0: 8 rows of i32; table 1: 2 rows of Fr; table 2: 5 rows of i64 (not a power of two).
struct Fixture {
    gens: PedersenGens,
    small: Vec<i32>,
    field: Vec<Fr>,
    wide: Vec<i64>,
    blinds: [Vec<Fr>; 3],
    rows: [Vec<G1Affine>; 3],
    claims: Vec<RowClaim>,
}

/// `Σ_r w[r] <M[r], b>` computed directly.
fn claim_value(m: &[Fr], rows: &RowWeights, columns: &[ColumnTerm]) -> Fr {
    let mut b = vec![Fr::ZERO; C];
    for t in columns {
        for (o, e) in b.iter_mut().zip(eq_table(&t.point)) {
            *o += t.coeff * e;
        }
    }
    rows.entries()
        .iter()
        .map(|(r, w)| {
            let row = &m[r * C..(r + 1) * C];
            *w * row.iter().zip(&b).map(|(x, y)| *x * *y).sum::<Fr>()
        })
        .sum()
}

impl Fixture {
    fn new() -> Self {
        let mut r = ChaCha20Rng::seed_from_u64(seed());
        let gens = PedersenGens::new(C);
        let small: Vec<i32> = (0..8 * C)
            .map(|_| (r.next_u32() >> 16) as i32 - (1 << 15))
            .collect();
        let field: Vec<Fr> = (0..2 * C).map(|_| Fr::random(&mut r)).collect();
        let wide: Vec<i64> = (0..5 * C)
            .map(|_| r.next_u32() as i64 - (1 << 31))
            .collect();
        let blinds = [8, 2, 5].map(|n| point(&mut r, n));
        let rows = [
            gens.commit_rows_small(&small, C, &blinds[0]),
            gens.commit_rows(&field, C, &blinds[1]),
            gens.commit_rows_small(&wide, C, &blinds[2]),
        ];
        let as_fr = [
            small
                .iter()
                .map(|&x| Fr::from_i64(x.into()))
                .collect::<Vec<_>>(),
            field.clone(),
            wide.iter().map(|&x| Fr::from_i64(x)).collect(),
        ];
        let eq = |p: Vec<Fr>| {
            vec![ColumnTerm {
                coeff: Fr::ONE,
                point: p,
            }]
        };
        // The single-row claim: row 5 of table 0, columns 8..12 (bits 1, 0), local point of 2.
        let mut bits = vec![Fr::ONE, Fr::ZERO];
        bits.extend(point(&mut r, 2));
        // Claims 0 and 6 share their column vector (one sumcheck term).
        let shared = eq(point(&mut r, LOG_COLS));
        let shapes: Vec<(usize, RowWeights, Vec<ColumnTerm>)> = vec![
            (
                0,
                RowWeights::Eq {
                    first_row: 0,
                    point: point(&mut r, 3),
                },
                shared.clone(),
            ),
            (
                0,
                RowWeights::Eq {
                    first_row: 4,
                    point: point(&mut r, 2),
                },
                eq(point(&mut r, LOG_COLS)),
            ),
            (
                0,
                RowWeights::Eq {
                    first_row: 5,
                    point: vec![],
                },
                eq(bits),
            ),
            (
                1,
                RowWeights::Eq {
                    first_row: 0,
                    point: point(&mut r, 1),
                },
                eq(point(&mut r, LOG_COLS)),
            ),
            (
                2,
                RowWeights::Sparse(vec![
                    (4, Fr::from_u64(3)),
                    (1, Fr::random(&mut r)),
                    (4, Fr::ONE),
                ]),
                vec![
                    ColumnTerm {
                        coeff: Fr::ONE,
                        point: point(&mut r, LOG_COLS),
                    },
                    ColumnTerm {
                        coeff: Fr::random(&mut r),
                        point: point(&mut r, LOG_COLS),
                    },
                ],
            ),
            (
                2,
                RowWeights::Eq {
                    first_row: 2,
                    point: vec![],
                },
                eq(point(&mut r, LOG_COLS)),
            ),
            (
                2,
                RowWeights::Eq {
                    first_row: 1,
                    point: point(&mut r, 2),
                },
                shared,
            ),
        ];
        let claims = shapes
            .into_iter()
            .map(|(table, rows, columns)| RowClaim {
                table,
                value: claim_value(&as_fr[table], &rows, &columns),
                rows,
                columns,
            })
            .collect();
        Self {
            gens,
            small,
            field,
            wide,
            blinds,
            rows,
            claims,
        }
    }

    fn set(&self) -> RowClaimSet<'_> {
        RowClaimSet {
            log_cols: LOG_COLS,
            tables: self.rows.iter().map(|r| r.as_slice()).collect(),
            claims: self.claims.clone(),
        }
    }

    fn prove(&self, set: &RowClaimSet<'_>) -> RowOpenProof {
        let t0 = DenseRows {
            entries: &self.small,
            log_cols: LOG_COLS,
            blinds: &self.blinds[0],
        };
        let t1 = DenseRows {
            entries: &self.field,
            log_cols: LOG_COLS,
            blinds: &self.blinds[1],
        };
        let t2 = DenseRows {
            entries: &self.wide,
            log_cols: LOG_COLS,
            blinds: &self.blinds[2],
        };
        let witness: [&dyn TableRows; 3] = [&t0, &t1, &t2];
        let mut t = Sha256Transcript::new(b"test/aggregate-rows");
        prove_row_open(
            &self.gens,
            &mut t,
            set,
            &witness,
            &Blinder::from_seed([7; 32]),
        )
    }

    fn verify(&self, set: &RowClaimSet<'_>, proof: &RowOpenProof) -> Result<(), ClaimError> {
        let mut t = Sha256Transcript::new(b"test/aggregate-rows");
        verify_row_open(&self.gens, &mut t, set, proof)
    }
}

fn is_rejected(r: &Result<(), ClaimError>) -> bool {
    matches!(
        r,
        Err(ClaimError::Rejected {
            check: ClaimCheck::ReducedClaim
        }) | Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(_)
        })
    )
}

#[test]
fn true_claims_on_tables_of_different_row_counts_verify_through_the_encoding() {
    let f = Fixture::new();
    let set = f.set();
    let proof = f.prove(&set);
    f.verify(&set, &proof).unwrap();
    let bytes = proof.to_bytes();
    let decoded = RowOpenProof::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, proof);
    f.verify(&set, &decoded).unwrap();
    // One sumcheck of LOG_COLS rounds and one IPA of LOG_COLS rounds, whatever the claims.
    assert_eq!(proof.sumcheck.rounds.len(), LOG_COLS);
    assert_eq!(proof.opening.l.len(), LOG_COLS);
}

#[test]
fn a_false_value_in_any_claim_fails_the_opening() {
    let f = Fixture::new();
    let set = f.set();
    for k in 0..set.claims.len() {
        let mut bad = f.set();
        bad.claims[k].value += Fr::ONE;
        // The prover runs as if honest on the false claim.
        let proof = f.prove(&bad);
        let r = f.verify(&bad, &proof);
        assert_eq!(
            r,
            Err(ClaimError::Rejected {
                check: ClaimCheck::Opening(Check::FinalEquation)
            }),
            "claim {k}"
        );
        // And the honest proof does not carry the false claim either.
        let honest = f.prove(&set);
        assert!(
            is_rejected(&f.verify(&bad, &honest)),
            "claim {k}: {:?}",
            f.verify(&bad, &honest)
        );
    }
}

#[test]
fn a_claim_moved_to_another_table_or_row_is_rejected() {
    let f = Fixture::new();
    let mut moved = f.set();
    moved.claims[3].table = 0;
    let proof = f.prove(&moved);
    assert!(is_rejected(&f.verify(&moved, &proof)));
    let mut shifted = f.set();
    shifted.claims[1].rows = RowWeights::Eq {
        first_row: 0,
        point: match &shifted.claims[1].rows {
            RowWeights::Eq { point, .. } => point.clone(),
            RowWeights::Sparse(_) => unreachable!(),
        },
    };
    let proof = f.prove(&shifted);
    assert!(is_rejected(&f.verify(&shifted, &proof)));
}

#[test]
fn tampered_round_messages_and_openings_are_rejected() {
    let f = Fixture::new();
    let set = f.set();
    let proof = f.prove(&set);
    for round in 0..LOG_COLS {
        let mut bad = proof.clone();
        bad.sumcheck.rounds[round].coeffs_except_linear[0] += Fr::ONE;
        let r = f.verify(&set, &bad);
        assert!(is_rejected(&r), "round {round}: {r:?}");
    }
    let mut bad = proof.clone();
    bad.opening.z1 += Fr::ONE;
    assert_eq!(
        f.verify(&set, &bad),
        Err(ClaimError::Rejected {
            check: ClaimCheck::Opening(Check::FinalEquation)
        })
    );
    let mut bad = proof.clone();
    bad.opening.l.swap(0, 1);
    assert!(is_rejected(&f.verify(&set, &bad)));
}

#[test]
fn shape_errors_are_malformed() {
    let f = Fixture::new();
    let proof = f.prove(&f.set());
    let mut s = f.set();
    s.claims[0].table = 3;
    assert!(matches!(
        f.verify(&s, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::CommitmentIndex {
            claim: 0,
            index: 3,
            ..
        }))
    ));
    let mut s = f.set();
    s.claims[1].rows = RowWeights::Eq {
        first_row: 6,
        point: vec![Fr::ONE; 2],
    };
    assert!(matches!(
        f.verify(&s, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::Count {
            what: "claim rows",
            ..
        }))
    ));
    let mut s = f.set();
    s.claims[4].rows = RowWeights::Sparse(vec![(5, Fr::ONE)]);
    assert!(matches!(
        f.verify(&s, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::Count {
            what: "claim rows",
            ..
        }))
    ));
    let mut s = f.set();
    s.claims[0].columns[0].point.pop();
    assert!(matches!(
        f.verify(&s, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::PointLength {
            what: "column term",
            ..
        }))
    ));
    let mut s = f.set();
    s.claims.clear();
    assert_eq!(
        f.verify(&s, &proof),
        Err(ClaimError::Malformed(ClaimMalformed::NoClaims))
    );
    let mut short = proof.clone();
    short.sumcheck.rounds.pop();
    assert!(matches!(
        f.verify(&f.set(), &short),
        Err(ClaimError::Malformed(_))
    ));
    let bytes = proof.to_bytes();
    for cut in [0, 1, 2, 6, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            matches!(
                RowOpenProof::from_bytes(&bytes[..cut]),
                Err(ClaimError::Malformed(_))
            ),
            "cut {cut}"
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        RowOpenProof::from_bytes(&long),
        Err(ClaimError::Malformed(_))
    ));
}

#[test]
fn proof_bytes_do_not_depend_on_the_thread_count() {
    let f = Fixture::new();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| f.prove(&f.set()).to_bytes())
    };
    assert_eq!(run(1), run(2));
}
