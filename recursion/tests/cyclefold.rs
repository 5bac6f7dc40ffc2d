//! The CycleFold circuit over `Fq` (`out = P + ρ Q`, ρ 128-bit) against `msm`'s native G1 on
//! random points and challenges, the edge cases of complete formulas (identity inputs, P = ±Q,
//! ρ = 0, 1, 2^128 − 1), a pinned row count, and a wrong output failing a named row.

use kaizen_field::{Field, Fq, Fr};
use kaizen_msm::{G1Affine, G1Projective};
use kaizen_recursion::ccs::{CcsError, CcsMalformed};
use kaizen_recursion::cyclefold::{scalar_mul_add, ScalarMulAddCircuit, ROWS};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn rng(salt: u64) -> (ChaCha20Rng, u64) {
    let seed = std::env::var("KAIZEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b61_697a_656e_cf01_u64);
    (ChaCha20Rng::seed_from_u64(seed ^ salt), seed)
}

fn random_point(r: &mut ChaCha20Rng) -> G1Affine {
    G1Projective::generator()
        .mul_vartime(&Fr::random(r))
        .to_affine()
}

fn random_rho(r: &mut ChaCha20Rng) -> u128 {
    (u128::from(r.next_u64()) << 64) | u128::from(r.next_u64())
}

/// Builds the circuit of `c` and checks it.
fn check(c: &ScalarMulAddCircuit) -> Result<(), CcsError<Fq>> {
    let (ccs, a) = c.build();
    assert_eq!(ccs.num_rows, ROWS);
    ccs.is_satisfied(&a.z())
}

#[test]
fn random_points_and_challenges_match_native_g1() {
    let (mut r, seed) = rng(1);
    for i in 0..8 {
        let (p, q, rho) = (
            random_point(&mut r),
            random_point(&mut r),
            random_rho(&mut r),
        );
        let c = ScalarMulAddCircuit::honest(p, q, rho);
        // The native twin is msm's G1: P + ρ Q by the scalar multiplication of msm.
        let expected =
            (p.to_projective() + q.to_projective().mul_vartime(&Fr::from_u128(rho))).to_affine();
        assert_eq!(c.out, expected, "seed {seed} case {i}");
        assert_eq!(check(&c), Ok(()), "seed {seed} case {i}");
    }
}

#[test]
fn row_count_is_pinned() {
    let (mut r, _) = rng(2);
    let c = ScalarMulAddCircuit::honest(random_point(&mut r), random_point(&mut r), 5);
    let (ccs, a) = c.build();
    assert_eq!(ccs.num_rows, 3087);
    assert_eq!(ROWS, 3087);
    assert!(ccs.is_r1cs());
    assert_eq!(ccs.num_public, 7);
    assert_eq!(a.public[0], Fq::from_u64(5));
    eprintln!(
        "cyclefold P + rho Q (128-bit rho, complete projective formulas): {} rows, {} witnesses, nnz {}",
        ccs.num_rows,
        ccs.num_witness,
        ccs.nnz()
    );
}

#[test]
fn edge_cases_of_the_group_law() {
    let (mut r, seed) = rng(3);
    let p = random_point(&mut r);
    let q = random_point(&mut r);
    let id = G1Affine::IDENTITY;
    let max = u128::MAX;
    let cases = [
        (p, q, 0u128), // ρ = 0: out = P
        (p, q, 1),     // P + Q
        (p, p, 1),     // P = Q: the addition doubles
        (p, -p, 1),    // P = −Q: out is the identity
        (p, q, max),   // every bit set
        (id, q, random_rho(&mut r)),
        (p, id, random_rho(&mut r)),
        (id, id, 3),
        (id, q, 0), // the identity out of the identity
    ];
    for (i, (p, q, rho)) in cases.into_iter().enumerate() {
        let c = ScalarMulAddCircuit::honest(p, q, rho);
        assert_eq!(c.out, scalar_mul_add(&p, &q, rho));
        assert_eq!(check(&c), Ok(()), "seed {seed} case {i}");
    }
    assert_eq!(ScalarMulAddCircuit::honest(p, -p, 1).out, id);
    assert_eq!(ScalarMulAddCircuit::honest(p, q, 0).out, p);
}

fn rejected_row(c: &ScalarMulAddCircuit) -> &'static str {
    match check(c) {
        Err(CcsError::Rejected { name, .. }) => name,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn wrong_outputs_fail_named_rows() {
    let (mut r, _) = rng(4);
    let (p, q, rho) = (
        random_point(&mut r),
        random_point(&mut r),
        random_rho(&mut r),
    );
    let honest = ScalarMulAddCircuit::honest(p, q, rho);
    // Another point as out: its x fails first.
    let wrong = ScalarMulAddCircuit {
        out: random_point(&mut r),
        ..honest
    };
    assert_eq!(rejected_row(&wrong), "cyclefold/output-x");
    // Same x, the other y (−out).
    let negated = ScalarMulAddCircuit {
        out: -honest.out,
        ..honest
    };
    assert_eq!(rejected_row(&negated), "cyclefold/output-y");
    // Claiming the identity for a non-identity result.
    let identity = ScalarMulAddCircuit {
        out: G1Affine::IDENTITY,
        ..honest
    };
    assert_eq!(rejected_row(&identity), "cyclefold/output-z");
    // The result of another challenge.
    let other_rho = ScalarMulAddCircuit {
        out: scalar_mul_add(&p, &q, rho ^ 1),
        ..honest
    };
    assert_eq!(rejected_row(&other_rho), "cyclefold/output-x");
}

#[test]
fn tampered_assignments_fail_named_rows() {
    let (mut r, _) = rng(5);
    let c = ScalarMulAddCircuit::honest(random_point(&mut r), random_point(&mut r), 77);
    let (ccs, a) = c.build();
    // A public ρ that differs from its bits.
    let mut z = a.z();
    let rho_col = ccs.num_witness + 1;
    z[rho_col] += Fq::ONE;
    assert!(matches!(
        ccs.is_satisfied(&z),
        Err(CcsError::Rejected {
            name: "cyclefold/rho",
            ..
        })
    ));
    // P off the curve.
    let mut z = a.z();
    z[rho_col + 2] += Fq::ONE; // P.y
    assert!(matches!(
        ccs.is_satisfied(&z),
        Err(CcsError::Rejected {
            name: "g1/on-curve",
            ..
        })
    ));
    // A non-boolean bit of ρ: witnesses are P's flag and x^2, x^3, y^2, the same for Q, out's
    // flag (9), then the bits.
    let mut z = a.z();
    assert_eq!(z[9], Fq::ONE); // 77 is odd
    z[9] += Fq::ONE;
    assert!(matches!(
        ccs.is_satisfied(&z),
        Err(CcsError::Rejected {
            name: "cyclefold/rho-bit",
            ..
        })
    ));
    // A short assignment is malformed, not rejected.
    assert!(matches!(
        ccs.is_satisfied(&z[1..]),
        Err(CcsError::Malformed(CcsMalformed::Length { .. }))
    ));
}
