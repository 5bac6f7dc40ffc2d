//! Gadgets against their native twins: the Poseidon permutation and transcript give the same
//! values (random inputs, random absorb/squeeze sequences) with the circuit satisfied and the
//! row count pinned; the sumcheck-verifier circuit reproduces the native verifier's point and
//! claims on honest `prove_product` proofs, and tampered proofs or witnesses fail named rows.

use kaizen_field::{Field, Fr};
use kaizen_recursion::ccs::{Ccs, CcsError, ConstraintSystem, Lc};
use kaizen_recursion::gadgets::{
    alloc_product_proof, permute, verify_product, verify_sumcheck, PoseidonTranscriptVar,
    ROWS_PER_PERMUTATION,
};
use kaizen_sumcheck::transcript::poseidon;
use kaizen_sumcheck::{
    claimed_sum, prove_product, verify_product as native_verify_product, Check, DenseTable,
    Malformed, PoseidonTranscript, ProductStatement, Term, Transcript, VerifyError,
    PROTOCOL_PRODUCT_SUMCHECK,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_0109)
}

fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn rand_vec(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(rng)).collect()
}

/// The witness column written by the first row named `name` (its `C` entry).
fn output_column_of_first(ccs: &Ccs, name: &str) -> (usize, usize) {
    let row = ccs
        .row_names
        .iter()
        .position(|n| *n == name)
        .unwrap_or_else(|| panic!("no row named {name}"));
    let col = ccs.matrices[2]
        .entries
        .iter()
        .find(|e| e.0 == row)
        .map(|e| e.1)
        .unwrap_or_else(|| panic!("row {row} has no C entry"));
    (row, col)
}

#[test]
fn permutation_gadget_equals_native() {
    let mut r = rng(1);
    let mut inputs = vec![[Fr::ZERO, Fr::ONE, Fr::from_u64(2)]];
    inputs.extend((0..4).map(|_| [Fr::random(&mut r), Fr::random(&mut r), Fr::random(&mut r)]));
    let mut digests = Vec::new();
    for input in inputs {
        let mut cs = ConstraintSystem::new();
        let state: [Lc; 3] = core::array::from_fn(|i| cs.alloc_public(input[i]).into());
        let out = permute(&mut cs, &state);
        let mut native = input;
        poseidon::permute(&mut native);
        let got: [Fr; 3] = core::array::from_fn(|i| cs.value(&out[i]));
        assert_eq!(got, native, "seed {}", seed());
        assert_eq!(cs.num_rows(), ROWS_PER_PERMUTATION);
        let (ccs, a) = cs.build();
        assert_eq!(ccs.num_rows, 81);
        assert_eq!(ccs.num_witness, 81);
        assert_eq!(ccs.degree(), 5);
        eprintln!(
            "poseidon permutation: {} rows, nnz {}",
            ccs.num_rows,
            ccs.nnz()
        );
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
        digests.push(ccs.digest());
    }
    assert!(
        digests.windows(2).all(|w| w[0] == w[1]),
        "shape depends on values"
    );
}

#[test]
fn permutation_of_a_constant_state_is_folded() {
    let input = [Fr::from_u64(5), Fr::from_u64(6), Fr::from_u64(7)];
    let mut cs = ConstraintSystem::new();
    let out = permute(&mut cs, &input.map(Lc::constant));
    let mut native = input;
    poseidon::permute(&mut native);
    assert_eq!(out.map(|c| c.as_constant()), native.map(Some));
    assert_eq!((cs.num_rows(), cs.num_witness()), (0, 0));
    // One variable cell: the full permutation.
    let v = cs.alloc_witness(input[2]);
    let out = permute(
        &mut cs,
        &[Lc::constant(input[0]), Lc::constant(input[1]), v.into()],
    );
    assert_eq!(out.map(|c| cs.value(&c)), native);
    assert_eq!(cs.num_rows(), ROWS_PER_PERMUTATION);
}

#[test]
fn permutation_with_a_wrong_sbox_output_fails_its_row() {
    let mut cs = ConstraintSystem::new();
    let state: [Lc; 3] = core::array::from_fn(|i| cs.alloc_public(Fr::from_u64(i as u64)).into());
    let _ = permute(&mut cs, &state);
    let (ccs, a) = cs.build();
    // Inputs are public, so witness k is the output of row k: rows 0..12 full, 12..69
    // partial, 69..81 full.
    for (k, name) in [
        (2, "poseidon/full-sbox"),
        (40, "poseidon/partial-sbox"),
        (80, "poseidon/full-sbox"),
    ] {
        let mut z = a.z();
        z[k] += Fr::ONE;
        match ccs.is_satisfied(&z) {
            Err(CcsError::Rejected { row, name: n, .. }) => assert_eq!((row, n), (k, name)),
            other => panic!("witness {k}: expected a rejection, got {other:?}"),
        }
    }
}

const LABELS: [&[u8]; 3] = [
    b"test/a",
    b"test/bb",
    b"a label longer than thirty-one bytes, two chunks",
];

/// Random absorb / squeeze sequences: every challenge and the final state equal native.
#[test]
fn transcript_gadget_equals_native_on_random_sequences() {
    for case in 0..6u64 {
        let mut r = rng(100 + case);
        let mut native = PoseidonTranscript::new(b"kaizen/test/gadget-transcript");
        let mut cs = ConstraintSystem::new();
        let mut var = PoseidonTranscriptVar::new(&mut cs, b"kaizen/test/gadget-transcript");
        // Challenges after the first variable: each costs a full permutation (before it,
        // the state is constant and folded).
        let mut challenges = 0;
        let mut variable_absorbed = false;
        for _ in 0..12 {
            let label = LABELS[(r.next_u32() % 3) as usize];
            match r.next_u32() % 4 {
                0 => {
                    let mut bytes = vec![0u8; (r.next_u32() % 70) as usize];
                    r.fill_bytes(&mut bytes);
                    native.absorb_bytes(label, &bytes);
                    var.absorb_bytes(&mut cs, label, &bytes);
                }
                1 => {
                    let v = r.next_u64();
                    native.absorb_u64(label, v);
                    var.absorb_u64(&mut cs, label, v);
                }
                2 => {
                    let len = (r.next_u32() % 6) as usize;
                    let values = rand_vec(&mut r, len);
                    native.absorb_frs(label, &values);
                    let vars: Vec<Lc> =
                        values.iter().map(|v| cs.alloc_witness(*v).into()).collect();
                    var.absorb_frs(&mut cs, label, &vars);
                    variable_absorbed |= !vars.is_empty();
                }
                _ => {
                    let c = native.challenge(label);
                    let cv = var.challenge(&mut cs, label);
                    assert_eq!(cs.value(&cv), c, "case {case}, seed {}", seed());
                    challenges += usize::from(variable_absorbed);
                }
            }
        }
        let c = native.challenge(b"test/final");
        let cv = var.challenge(&mut cs, b"test/final");
        assert_eq!(cs.value(&cv), c, "case {case}, seed {}", seed());
        assert_eq!(var.state_values(&cs), native.state(), "case {case}");
        assert_eq!(cs.num_rows() % ROWS_PER_PERMUTATION, 0);
        let final_challenge = usize::from(variable_absorbed);
        assert!(cs.num_rows() >= (challenges + final_challenge) * ROWS_PER_PERMUTATION);
        let (ccs, a) = cs.build();
        assert_eq!(ccs.is_satisfied(&a.z()), Ok(()), "case {case}");
    }
}

/// Degree 2 (`f g`), 3 (`eq f g`), 4 (`2 f g h k + 3 f`).
fn statements(r: &mut ChaCha20Rng, n: usize) -> Vec<ProductStatement> {
    vec![
        ProductStatement::prod2(n),
        ProductStatement::eq_prod(rand_vec(r, n), 2),
        ProductStatement {
            num_vars: n,
            num_factors: 4,
            terms: vec![
                Term {
                    coeff: Fr::from_u64(2),
                    factors: vec![0, 1, 2, 3],
                },
                Term {
                    coeff: Fr::from_u64(3),
                    factors: vec![0],
                },
            ],
            eq_point: None,
        },
    ]
}

struct Honest {
    st: ProductStatement,
    claim: Fr,
    proof: kaizen_sumcheck::ProductProof,
}

fn honest(r: &mut ChaCha20Rng, st: ProductStatement) -> Honest {
    let tables: Vec<DenseTable> = (0..st.num_factors)
        .map(|_| DenseTable::new(rand_vec(r, 1 << st.num_vars)))
        .collect();
    let claim = claimed_sum(&st, &tables);
    let mut t = PoseidonTranscript::new(PROTOCOL_PRODUCT_SUMCHECK);
    let (proof, _) = prove_product(&st, tables, claim, &mut t);
    Honest { st, claim, proof }
}

/// Factor claims as values: `(point, value)` per factor.
type ClaimValues = Vec<(Vec<Fr>, Fr)>;

/// Builds the verifier circuit for `h` (claim and eq point public, proof witness).
fn circuit(
    h: &Honest,
) -> (
    ConstraintSystem,
    PoseidonTranscriptVar,
    Result<ClaimValues, Malformed>,
) {
    let mut cs = ConstraintSystem::new();
    let claim: Lc = cs.alloc_public(h.claim).into();
    let w: Option<Vec<Lc>> =
        h.st.eq_point
            .as_ref()
            .map(|w| w.iter().map(|x| cs.alloc_public(*x).into()).collect());
    let proof = alloc_product_proof(&mut cs, &h.proof);
    let mut t = PoseidonTranscriptVar::new(&mut cs, PROTOCOL_PRODUCT_SUMCHECK);
    let out = verify_product(&mut cs, &mut t, &h.st, w.as_deref(), &claim, &proof).map(|claims| {
        claims
            .iter()
            .map(|c| {
                (
                    c.point.iter().map(|x| cs.value(x)).collect(),
                    cs.value(&c.value),
                )
            })
            .collect()
    });
    (cs, t, out)
}

#[test]
fn sumcheck_gadget_equals_native_verifier() {
    let mut r = rng(200);
    for n in [1usize, 4] {
        for st in statements(&mut r, n) {
            let h = honest(&mut r, st);
            let mut nt = PoseidonTranscript::new(PROTOCOL_PRODUCT_SUMCHECK);
            let native = native_verify_product(&h.st, h.claim, &h.proof, &mut nt)
                .unwrap_or_else(|e| panic!("native rejects an honest proof: {e:?}"));
            let (cs, t, out) = circuit(&h);
            let out = out.unwrap_or_else(|e| panic!("gadget: {e:?}"));
            let native: Vec<(Vec<Fr>, Fr)> =
                native.into_iter().map(|c| (c.point, c.value)).collect();
            assert_eq!(
                out,
                native,
                "n {n}, degree {}, seed {}",
                h.st.degree(),
                seed()
            );
            assert_eq!(t.state_values(&cs), nt.state());
            // Rows: Horner d per round, final check, the rest whole permutations.
            let d = h.st.degree();
            let final_rows: usize =
                h.st.terms
                    .iter()
                    .map(|t| t.factors.len() - 1)
                    .sum::<usize>()
                    + h.st.eq_point.as_ref().map_or(0, |w| 2 * w.len() - 1)
                    + 1;
            let sponge = cs.num_rows() - n * d - final_rows;
            assert_eq!(sponge % ROWS_PER_PERMUTATION, 0, "n {n}, degree {d}");
            let (ccs, a) = cs.build();
            assert_eq!(ccs.is_satisfied(&a.z()), Ok(()), "n {n}, degree {d}");
            // Pinned counts (measured; the constant transcript prefix is folded).
            let pinned = match (n, d) {
                (1, 2) => 571,
                (1, 3) => 1140,
                (1, 4) => 737,
                (4, 2) => 1549,
                (4, 3) => 2451,
                _ => 1964,
            };
            assert_eq!(ccs.num_rows, pinned, "n {n}, degree {d}");
            eprintln!(
                "sumcheck gadget n = {n}, degree {d}: {} rows ({} permutations), {} witnesses, nnz {}",
                ccs.num_rows,
                sponge / ROWS_PER_PERMUTATION,
                ccs.num_witness,
                ccs.nnz()
            );
        }
    }
}

#[test]
fn tampered_round_message_fails_final_evaluation_row() {
    let mut r = rng(300);
    for st in statements(&mut r, 3) {
        let mut h = honest(&mut r, st);
        h.proof.sumcheck.rounds[1].coeffs_except_linear[0] += Fr::ONE;
        let mut nt = PoseidonTranscript::new(PROTOCOL_PRODUCT_SUMCHECK);
        assert!(matches!(
            native_verify_product(&h.st, h.claim, &h.proof, &mut nt),
            Err(VerifyError::Rejected {
                check: Check::FinalEvaluation,
                ..
            })
        ));
        let (cs, _, out) = circuit(&h);
        assert!(out.is_ok());
        let (ccs, a) = cs.build();
        match ccs.is_satisfied(&a.z()) {
            Err(CcsError::Rejected { name, row, .. }) => {
                assert_eq!(name, "sumcheck/final-evaluation");
                // Every earlier row holds: the round rows are consistent by construction.
                let check_row = ccs.row_names.iter().position(|n| *n == name);
                assert_eq!(Some(row), check_row);
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }
}

#[test]
fn tampered_factor_evaluation_fails_final_evaluation_row() {
    let mut r = rng(400);
    let st = ProductStatement::eq_prod(rand_vec(&mut r, 3), 3);
    let mut h = honest(&mut r, st);
    h.proof.factor_evals[2] += Fr::ONE;
    let (cs, _, _) = circuit(&h);
    let (ccs, a) = cs.build();
    assert!(matches!(
        ccs.is_satisfied(&a.z()),
        Err(CcsError::Rejected {
            name: "sumcheck/final-evaluation",
            ..
        })
    ));
}

#[test]
fn wrong_horner_witness_fails_its_row() {
    let mut r = rng(500);
    let h = honest(&mut r, ProductStatement::prod2(3));
    let (cs, _, _) = circuit(&h);
    let (ccs, a) = cs.build();
    let (row, col) = output_column_of_first(&ccs, "sumcheck/horner");
    let mut z = a.z();
    z[col] += Fr::ONE;
    match ccs.is_satisfied(&z) {
        Err(CcsError::Rejected { row: got, name, .. }) => {
            assert_eq!((got, name), (row, "sumcheck/horner"))
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn malformed_shapes_are_typed_errors() {
    let mut r = rng(600);
    let h = honest(&mut r, ProductStatement::prod2(3));
    let mut cs = ConstraintSystem::new();
    let claim: Lc = cs.alloc_public(h.claim).into();
    let mut proof = alloc_product_proof(&mut cs, &h.proof);
    let mut t = PoseidonTranscriptVar::new(&mut cs, PROTOCOL_PRODUCT_SUMCHECK);
    assert_eq!(
        verify_sumcheck(&mut cs, &mut t.clone(), &proof.rounds, &claim, 4, 2).err(),
        Some(Malformed::RoundCount {
            expected: 4,
            actual: 3
        })
    );
    assert_eq!(
        verify_sumcheck(&mut cs, &mut t.clone(), &proof.rounds, &claim, 3, 3).err(),
        Some(Malformed::RoundLength {
            round: 0,
            expected: 3,
            actual: 2
        })
    );
    let w: [Lc; 0] = [];
    assert_eq!(
        verify_product(&mut cs, &mut t.clone(), &h.st, Some(&w), &claim, &proof).err(),
        Some(Malformed::EqPointLength {
            expected: 3,
            actual: 0
        })
    );
    proof.factor_evals.pop();
    assert_eq!(
        verify_product(&mut cs, &mut t, &h.st, None, &claim, &proof).err(),
        Some(Malformed::FactorCount {
            expected: 2,
            actual: 1
        })
    );
}
