//! The CCS builder: linear combinations, lowering to R1CS / CCS with degree-5 rows in the
//! `z = (w, 1, x)` layout, satisfaction naming the first failing row, malformed assignments,
//! and the structure digest (independent of values, sensitive to every shape change).

use kaizen_field::{Field, Fq, Fr, PrimeField};
use kaizen_recursion::ccs::{CcsCheck, CcsError, CcsMalformed, ConstraintSystem, Lc, Var};

fn fr(v: u64) -> Fr {
    Fr::from_u64(v)
}

/// `w^3 + w + 5 = x` over `F` with `w` witness, `x` public: rows `w·w = s`, `s·w = c`,
/// `(c + w + 5)·1 = x`.
fn cubic_in<F: PrimeField>(w: u64) -> ConstraintSystem<F> {
    let mut cs = ConstraintSystem::<F>::new();
    let wv = F::from_u64(w);
    let x = cs.alloc_public(wv * wv * wv + wv + F::from_u64(5));
    let w = cs.alloc_witness(wv);
    let s = cs.mul("cubic/square", &w.into(), &w.into());
    let c = cs.mul("cubic/cube", &s.into(), &w.into());
    let lhs = &(&Lc::from(c) + &Lc::from(w)) + F::from_u64(5);
    cs.enforce_equal("cubic/output", &lhs, &x.into());
    cs
}

fn cubic(w: u64) -> ConstraintSystem {
    cubic_in::<Fr>(w)
}

/// The same builder over `Fq` (the CycleFold side): same shape as over `Fr`, satisfaction and
/// named rejections with residuals in `Fq`, a degree-5 row, and a digest that binds the field.
#[test]
fn circuits_over_fq_build_and_check() {
    let (ccs_q, a_q) = cubic_in::<Fq>(3).build();
    let (ccs_r, a_r) = cubic(3).build();
    assert_eq!(
        (ccs_q.num_rows, ccs_q.num_cols(), ccs_q.nnz()),
        (3, 5, ccs_r.nnz())
    );
    assert_eq!(a_q.public, vec![Fq::from_u64(35)]);
    assert_eq!(ccs_q.is_satisfied(&a_q.z()), Ok(()));
    assert!(ccs_q.is_r1cs());
    assert_ne!(ccs_q.digest(), ccs_r.digest());
    assert_eq!(a_r.public, vec![fr(35)]);
    let mut z = a_q.z();
    z[2] += Fq::ONE; // the cube
    assert_eq!(
        ccs_q.is_satisfied(&z),
        Err(CcsError::Rejected {
            check: CcsCheck::Row,
            row: 1,
            name: "cubic/cube",
            residual: -Fq::ONE
        })
    );
    // A value near q, where Fr and Fq differ: (q − 1)^5 = −1 in Fq.
    let mut cs = ConstraintSystem::<Fq>::new();
    let x = cs.alloc_witness(-Fq::ONE);
    let y = cs.pow5("pow5", &x.into());
    assert_eq!(cs.var_value(y), -Fq::ONE);
    let (ccs, a) = cs.build();
    assert_eq!((ccs.matrices.len(), ccs.degree()), (4, 5));
    assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
}

#[test]
fn linear_combinations_merge_sorted_and_drop_zeros() {
    let a = &Lc::from(Var::Witness(3)) + &Lc::from(Var::Public(0));
    let b = &(&Lc::from(Var::Witness(1)) + fr(7)) - &Lc::from(Var::Witness(3));
    let sum = &a + &b;
    assert_eq!(
        sum.terms(),
        &[
            (Var::One, fr(7)),
            (Var::Public(0), Fr::ONE),
            (Var::Witness(1), Fr::ONE),
        ]
    );
    assert_eq!(sum.constant_part(), fr(7));
    assert_eq!((&sum - &sum).terms(), &[]);
    assert_eq!(Lc::constant(fr(9)).as_constant(), Some(fr(9)));
    assert_eq!(sum.as_constant(), None);
    assert_eq!(sum.scale(Fr::ZERO), Lc::zero());
}

#[test]
fn r1cs_layout_is_w_one_x() {
    let (ccs, a) = cubic(3).build();
    assert!(ccs.is_r1cs());
    assert_eq!(ccs.degree(), 2);
    assert_eq!((ccs.num_rows, ccs.num_witness, ccs.num_public), (3, 3, 1));
    // witness: w = 3, s = 9, c = 27; one; x = 35.
    assert_eq!(a.z(), vec![fr(3), fr(9), fr(27), Fr::ONE, fr(35)]);
    // Row 2: A = c + w + 5·one − x, B = one, C = 0. Columns: w 0, s 1, c 2, one 3, x 4.
    let a_row2: Vec<_> = ccs.matrices[0]
        .entries
        .iter()
        .filter(|e| e.0 == 2)
        .copied()
        .collect();
    assert_eq!(
        a_row2,
        vec![
            (2, 0, Fr::ONE),
            (2, 2, Fr::ONE),
            (2, 3, fr(5)),
            (2, 4, -Fr::ONE)
        ]
    );
    assert_eq!(
        ccs.matrices[1].entries,
        vec![(0, 0, Fr::ONE), (1, 0, Fr::ONE), (2, 3, Fr::ONE)]
    );
    assert_eq!(
        ccs.matrices[2].entries,
        vec![(0, 1, Fr::ONE), (1, 2, Fr::ONE)]
    );
    assert_eq!(ccs.nnz(), 4 + 1 + 1 + 3 + 2);
    assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
}

#[test]
fn wrong_witness_names_first_failing_row() {
    let (ccs, a) = cubic(3).build();
    let mut z = a.z();
    z[1] = fr(10); // s should be 9: rows 0 and 1 fail, row 0 is reported
    match ccs.is_satisfied(&z) {
        Err(CcsError::Rejected {
            check,
            row,
            name,
            residual,
        }) => {
            assert_eq!(check, CcsCheck::Row);
            assert_eq!((row, name), (0, "cubic/square"));
            assert_eq!(residual, -Fr::ONE); // 3·3 − 10
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    let mut z = a.z();
    z[4] = fr(36); // wrong public output
    assert!(matches!(
        ccs.is_satisfied(&z),
        Err(CcsError::Rejected {
            row: 2,
            name: "cubic/output",
            ..
        })
    ));
}

#[test]
fn malformed_assignments_are_not_rejections() {
    let (ccs, a) = cubic(3).build();
    let mut z = a.z();
    z.pop();
    assert_eq!(
        ccs.is_satisfied(&z),
        Err(CcsError::Malformed(CcsMalformed::Length {
            expected: 5,
            actual: 4
        }))
    );
    let mut z = a.z();
    z[3] = fr(2);
    assert_eq!(
        ccs.is_satisfied(&z),
        Err(CcsError::Malformed(CcsMalformed::ConstantNotOne {
            column: 3
        }))
    );
    let mut bad = ccs.clone();
    bad.matrices[0].entries.push((0, 99, Fr::ONE));
    assert_eq!(
        bad.is_satisfied(&a.z()),
        Err(CcsError::Malformed(CcsMalformed::Structure { index: 0 }))
    );
}

#[test]
fn degree_five_rows_give_a_ccs() {
    let mut cs = ConstraintSystem::new();
    let x = cs.alloc_public(fr(2));
    let y = cs.pow5("sbox", &(&Lc::from(x) + fr(1)));
    let _ = cs.mul("square", &y.into(), &y.into());
    let (ccs, a) = cs.build();
    assert!(!ccs.is_r1cs());
    assert_eq!((ccs.matrices.len(), ccs.degree()), (4, 5));
    assert_eq!(a.witness, vec![fr(243), fr(243 * 243)]);
    assert_eq!(ccs.is_satisfied(&a.z()), Ok(()));
    let mut z = a.z();
    z[0] = fr(242);
    assert!(matches!(
        ccs.is_satisfied(&z),
        Err(CcsError::Rejected {
            row: 0,
            name: "sbox",
            ..
        })
    ));
}

#[test]
fn digest_depends_on_shape_not_values() {
    let (c3, _) = cubic(3).build();
    let (c4, _) = cubic(4).build();
    assert_eq!(c3.digest(), c4.digest());
    // A different constant in one row.
    let mut cs = cubic(3);
    cs.enforce_equal("extra", &Lc::constant(fr(1)), &Lc::constant(fr(1)));
    let (c_extra, _) = cs.build();
    assert_ne!(c3.digest(), c_extra.digest());
    let mut changed = c3.clone();
    changed.matrices[0].entries[0].2 = fr(2);
    assert_ne!(c3.digest(), changed.digest());
    let mut changed = c3.clone();
    changed.constants[1] = Fr::ONE;
    assert_ne!(c3.digest(), changed.digest());
    // Row names are diagnostics, not structure.
    let mut renamed = c3.clone();
    renamed.row_names[0] = "other";
    assert_eq!(c3.digest(), renamed.digest());
}

// ---- matrix MLEs and the LCCCS ----

use kaizen_recursion::ccs::mle::{evaluate, fold_rows};
use kaizen_recursion::ccs::{Assignment, Ccs, Lcccs};
use kaizen_sumcheck::{eq_table, DenseTable};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn rng(salt: u64) -> ChaCha20Rng {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_0cc5_u64);
    ChaCha20Rng::seed_from_u64(seed ^ salt)
}

/// A CCS with R1CS and degree-5 rows: 5 rows, 7 columns (padded to 8 x 8).
fn mixed() -> (Ccs, Assignment) {
    let mut cs = ConstraintSystem::new();
    let x = cs.alloc_public(fr(3));
    let y = cs.alloc_public(fr(11));
    let a = cs.pow5("mixed/sbox", &(&Lc::from(x) + &Lc::from(y)));
    let b = cs.mul("mixed/mul", &a.into(), &(&Lc::from(y) + fr(2)));
    let c = cs.pow5("mixed/sbox", &Lc::from(b).scale(fr(7)));
    let d = cs.mul("mixed/mul", &c.into(), &x.into());
    cs.enforce_equal("mixed/eq", &Lc::from(d), &Lc::from(d));
    cs.build()
}

fn matrix_times_z(ccs: &Ccs, j: usize, z: &[Fr]) -> Vec<Fr> {
    let mut out = vec![Fr::ZERO; ccs.num_rows];
    for (r, c, a) in &ccs.matrices[j].entries {
        out[*r] += *a * z[*c];
    }
    out
}

#[test]
fn linearize_at_a_boolean_point_reads_one_row() {
    let (ccs, a) = mixed();
    assert_eq!((ccs.num_rows, ccs.num_cols()), (5, 7));
    assert_eq!((ccs.log_rows(), ccs.log_cols()), (3, 3));
    let z = a.z();
    for row in 0..ccs.num_rows {
        // Row index bits, most significant first (the crate's variable order).
        let r_x: Vec<Fr> = (0..3).map(|b| fr(((row >> (2 - b)) & 1) as u64)).collect();
        let v = ccs.linearize(&z, &r_x).unwrap();
        for j in 0..ccs.matrices.len() {
            assert_eq!(
                v[j],
                matrix_times_z(&ccs, j, &z)[row],
                "row {row}, matrix {j}"
            );
        }
    }
}

#[test]
fn matrix_mle_forms_agree() {
    let (ccs, a) = mixed();
    let mut r = rng(7);
    let r_x: Vec<Fr> = (0..ccs.log_rows()).map(|_| Fr::random(&mut r)).collect();
    let r_y: Vec<Fr> = (0..ccs.log_cols()).map(|_| Fr::random(&mut r)).collect();
    let mut z = a.z();
    z.resize(1 << ccs.log_cols(), Fr::ZERO);
    let v = ccs.linearize(&a.z(), &r_x).unwrap();
    for (j, m) in ccs.matrices.iter().enumerate() {
        let folded = fold_rows(m, &eq_table(&r_x), 1 << ccs.log_cols()).unwrap();
        // v_j = Σ_y M̃_j(r_x, y) z̃(y)
        let inner: Fr = folded.iter().zip(&z).map(|(f, zz)| *f * *zz).sum();
        assert_eq!(inner, v[j], "matrix {j}");
        // M̃_j(r_x, r_y) two ways.
        let direct = evaluate(m, &r_x, &r_y).unwrap();
        assert_eq!(direct, DenseTable::new(folded).evaluate(&r_y), "matrix {j}");
        // and against the fully padded dense matrix.
        let mut dense = vec![Fr::ZERO; 1 << (ccs.log_rows() + ccs.log_cols())];
        for (row, col, val) in &m.entries {
            dense[(row << ccs.log_cols()) | col] = *val;
        }
        let point: Vec<Fr> = r_x.iter().chain(&r_y).copied().collect();
        assert_eq!(
            direct,
            DenseTable::new(dense).evaluate(&point),
            "matrix {j}"
        );
    }
}

#[test]
fn lcccs_check_accepts_honest_and_names_a_wrong_value() {
    let (ccs, a) = mixed();
    let mut r = rng(8);
    let r_x: Vec<Fr> = (0..ccs.log_rows()).map(|_| Fr::random(&mut r)).collect();
    // check_lcccs checks the linearized claims only (the commitment is the decider's).
    let commitment = kaizen_msm::G1Affine::default();
    let inst = ccs.lcccs(commitment, &a.witness, &a.public, &r_x).unwrap();
    assert_eq!(ccs.check_lcccs(&inst, &a.witness), Ok(()));

    let mut bad = inst.clone();
    bad.v[1] += Fr::ONE;
    assert_eq!(
        ccs.check_lcccs(&bad, &a.witness),
        Err(CcsError::Rejected {
            check: CcsCheck::Linearized,
            row: 1,
            name: "lcccs/v_j",
            residual: Fr::ONE
        })
    );
    // A different relaxation scalar changes the constant column: rejected.
    let relaxed = Lcccs {
        u: fr(2),
        ..inst.clone()
    };
    assert!(matches!(
        ccs.check_lcccs(&relaxed, &a.witness),
        Err(CcsError::Rejected {
            check: CcsCheck::Linearized,
            ..
        })
    ));
    let mut w = a.witness.clone();
    w[0] += Fr::ONE;
    assert!(matches!(
        ccs.check_lcccs(&inst, &w),
        Err(CcsError::Rejected { .. })
    ));
    // Malformed shapes.
    let short = Lcccs {
        r_x: r_x[..2].to_vec(),
        ..inst.clone()
    };
    assert_eq!(
        ccs.check_lcccs(&short, &a.witness),
        Err(CcsError::Malformed(CcsMalformed::PointLength {
            expected: 3,
            actual: 2
        }))
    );
    assert_eq!(
        ccs.check_lcccs(&inst, &a.witness[1..]),
        Err(CcsError::Malformed(CcsMalformed::Length {
            expected: 4,
            actual: 3
        }))
    );
}
