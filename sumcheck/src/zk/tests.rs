//! Unit tests of the masked sumcheck with a transparent test commitment (the coefficients in
//! the clear: binding, not hiding; the real hook is `kaizen-recursion`'s Pedersen + IPA):
//! completeness for degrees 2, 3 (eq) and 4 and for a small-integer instance, each tampering
//! rejected with its check, and the simulator: under fixed challenges every view is produced
//! by exactly one mask, for any witness.

use kaizen_field::testing::{random_vec, test_rng, test_seed};
use kaizen_field::{Field, Fr};
use rand_chacha::ChaCha20Rng;

use super::simulator::{explaining_mask, simulate, ProgrammedTranscript, View};
use super::*;
use crate::error::{Check, Malformed};
use crate::poly::{DenseTable, SmallTable};
use crate::product::{claimed_sum, ProductStatement, ProductSumcheck, Term};
use crate::small::SmallProd2;
use crate::Sha256Transcript;

const PROTOCOL: &[u8] = b"kaizen/test/zk-sumcheck";

fn seed() -> u64 {
    test_seed(0x6b61_697a_656e_7a6b)
}

fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(0x6b61_697a_656e_7a6b, salt)
}

/// The test commitment: the coefficients themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clear(Vec<Fr>);

impl MaskCommitment for Clear {
    fn absorb_into<T: Transcript>(&self, transcript: &mut T) {
        transcript.absorb_frs(b"test/mask-commitment", &self.0);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClearError {
    Length,
    Value,
}

#[derive(Debug, Default)]
struct ClearScheme;

impl MaskCommitter for ClearScheme {
    type Commitment = Clear;
    type Opening = ();
    fn commit(&mut self, coeffs: &[Fr]) -> Clear {
        Clear(coeffs.to_vec())
    }
    fn open<T: Transcript>(&mut self, _: &mut T, _: &Clear, _: &[Fr], _: &[Fr], _: Fr) {}
}

impl MaskVerifier for ClearScheme {
    type Commitment = Clear;
    type Opening = ();
    type Error = ClearError;
    fn verify_opening<T: Transcript>(
        &self,
        _: &mut T,
        commitment: &Clear,
        basis: &[Fr],
        value: Fr,
        _: &(),
    ) -> Result<(), ClearError> {
        if commitment.0.len() != basis.len() {
            return Err(ClearError::Length);
        }
        let v: Fr = commitment.0.iter().zip(basis).map(|(c, b)| *c * *b).sum();
        if v == value {
            Ok(())
        } else {
            Err(ClearError::Value)
        }
    }
}

/// Degree 2 (`f g`), 3 (`eq f g`), 4 (`f g h k`) and a two-term degree-3 statement.
fn statements(rng: &mut ChaCha20Rng, n: usize) -> Vec<ProductStatement> {
    vec![
        ProductStatement::prod2(n),
        ProductStatement::eq_prod(random_vec(rng, n), 2),
        ProductStatement {
            num_vars: n,
            num_factors: 4,
            terms: vec![Term {
                coeff: Fr::ONE,
                factors: vec![0, 1, 2, 3],
            }],
            eq_point: None,
        },
        ProductStatement {
            num_vars: n,
            num_factors: 3,
            terms: vec![
                Term {
                    coeff: Fr::from_u64(5),
                    factors: vec![0, 1, 2],
                },
                Term {
                    coeff: -Fr::ONE,
                    factors: vec![2],
                },
            ],
            eq_point: None,
        },
    ]
}

fn tables(rng: &mut ChaCha20Rng, st: &ProductStatement) -> Vec<DenseTable> {
    (0..st.num_factors)
        .map(|_| DenseTable::new(random_vec(rng, 1 << st.num_vars)))
        .collect()
}

fn sample_mask(rng: &mut ChaCha20Rng, st: &ProductStatement) -> MaskPolynomial {
    MaskPolynomial::sample(st.num_vars, st.degree(), || Fr::random(rng))
}

type Proof = ZkProductProof<Clear, ()>;

/// An honest proof of `st` over fresh tables; returns the proof, the claim, the tables.
fn honest(rng: &mut ChaCha20Rng, st: &ProductStatement) -> (Proof, Fr, Vec<DenseTable>) {
    let t = tables(rng, st);
    let claim = claimed_sum(st, &t);
    let mask = sample_mask(rng, st);
    let mut tp = Sha256Transcript::new(PROTOCOL);
    let (proof, point) = prove_product_zk(st, t.clone(), claim, &mask, &mut ClearScheme, &mut tp);
    for (j, tab) in t.iter().enumerate() {
        assert_eq!(proof.factor_evals[j], tab.evaluate(&point), "factor {j}");
    }
    (proof, claim, t)
}

fn check(st: &ProductStatement, claim: Fr, proof: &Proof) -> Result<(), ZkVerifyError<ClearError>> {
    let mut tv = Sha256Transcript::new(PROTOCOL);
    verify_product_zk(&ClearScheme, st, claim, proof, &mut tv).map(|_| ())
}

#[test]
fn completeness_degrees_2_3_4() {
    let mut r = rng(1);
    for n in [1usize, 2, 5, 8] {
        for st in statements(&mut r, n) {
            let (proof, claim, t) = honest(&mut r, &st);
            let mut tv = Sha256Transcript::new(PROTOCOL);
            let claims = verify_product_zk(&ClearScheme, &st, claim, &proof, &mut tv)
                .unwrap_or_else(|e| panic!("n {n} d {}: {e:?} (seed {})", st.degree(), seed()));
            for (c, tab) in claims.iter().zip(&t) {
                assert_eq!(c.value, tab.evaluate(&c.point), "n {n} (seed {})", seed());
            }
            assert_eq!(proof.zk.sumcheck.rounds.len(), n);
            assert!(proof
                .zk
                .sumcheck
                .rounds
                .iter()
                .all(|m| m.len() == st.degree()));
        }
    }
}

#[test]
fn prover_and_verifier_transcripts_agree() {
    let mut r = rng(2);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 6), 3);
    let t = tables(&mut r, &st);
    let claim = claimed_sum(&st, &t);
    let mask = sample_mask(&mut r, &st);
    let mut tp = Sha256Transcript::new(PROTOCOL);
    let (proof, _) = prove_product_zk(&st, t, claim, &mask, &mut ClearScheme, &mut tp);
    let mut tv = Sha256Transcript::new(PROTOCOL);
    let _ = verify_product_zk(&ClearScheme, &st, claim, &proof, &mut tv).expect("verifies");
    assert_eq!(tp.challenge(b"after"), tv.challenge(b"after"));
}

#[test]
fn any_instance_small_integers() {
    // The hook wraps any SumcheckInstance: here the small-integer prover (degree 2).
    let mut r = rng(3);
    let n = 7;
    let f: Vec<i16> = (0..1 << n).map(|i| (i * 97 % 601) as i16 - 300).collect();
    let g: Vec<i16> = (0..1 << n).map(|i| (i * 31 % 211) as i16 - 100).collect();
    let (f, g) = (SmallTable::new(f), SmallTable::new(g));
    let claim = SmallProd2::sum(&f, &g);
    let mut inst = SmallProd2::new(f.clone(), g.clone(), claim);
    let mask = MaskPolynomial::sample(n, 2, || Fr::random(&mut r));
    let mut tp = Sha256Transcript::new(PROTOCOL);
    let out = prove_zk(&mut inst, &mask, &mut ClearScheme, &mut tp);
    let mut tv = Sha256Transcript::new(PROTOCOL);
    let reduced = verify_zk(&ClearScheme, &out.proof, claim, n, 2, &mut tv).expect("verifies");
    assert_eq!(reduced.point, out.point);
    let oracle = f.to_dense().evaluate(&reduced.point) * g.to_dense().evaluate(&reduced.point);
    assert_eq!(reduced.value, oracle);
    assert_eq!(out.final_claim, oracle);
}

fn expect_final_evaluation(res: Result<(), ZkVerifyError<ClearError>>, what: &str) {
    match res {
        Err(ZkVerifyError::Sumcheck(VerifyError::Rejected {
            check: Check::FinalEvaluation,
            ..
        })) => {}
        other => panic!("{what}: {other:?} (seed {})", seed()),
    }
}

fn expect_mask_opening(res: Result<(), ZkVerifyError<ClearError>>, what: &str) {
    assert_eq!(
        res,
        Err(ZkVerifyError::MaskOpening(ClearError::Value)),
        "{what} (seed {})",
        seed()
    );
}

/// A cheater who, after changing the claim or a message, also sends the true `g(r')` at the
/// point `r'` the verifier now draws (so the mask opening passes): replays the verifier's
/// transcript up to the opening.
fn reopened(st: &ProductStatement, claim: Fr, proof: &Proof) -> Proof {
    let (n, d) = (st.num_vars, st.degree());
    let mut t = Sha256Transcript::new(PROTOCOL);
    st.absorb(&mut t);
    let zk = &proof.zk;
    let rho = prover::absorb_preamble(&mut t, n, d, claim, &zk.mask_commitment, zk.mask_sum);
    let reduced =
        crate::verify(&zk.sumcheck, claim + rho * zk.mask_sum, n, d, &mut t).expect("well-formed");
    let mask = MaskPolynomial::from_coeffs(n, d, zk.mask_commitment.0.clone());
    let mut out = proof.clone();
    out.zk.mask_eval = mask.evaluate(&reduced.point);
    out
}

#[test]
fn each_round_message_tampered_is_rejected() {
    // Every change moves the final point, so the old g(r) fails the mask opening; a cheater who
    // re-opens the mask at the new point fails the final evaluation instead.
    let mut r = rng(4);
    for st in statements(&mut r, 4) {
        let (proof, claim, _) = honest(&mut r, &st);
        for round in 0..st.num_vars {
            for k in 0..st.degree() {
                let mut bad = proof.clone();
                bad.zk.sumcheck.rounds[round].coeffs_except_linear[k] += Fr::ONE;
                let what = format!("round {round} c{k}");
                expect_mask_opening(check(&st, claim, &bad), &what);
                let bad = reopened(&st, claim, &bad);
                expect_final_evaluation(check(&st, claim, &bad), &what);
            }
        }
    }
}

#[test]
fn wrong_mask_sum_claim_eval_and_factor_rejected() {
    let mut r = rng(5);
    for st in statements(&mut r, 5) {
        let (proof, claim, _) = honest(&mut r, &st);
        let mut bad = proof.clone();
        bad.zk.mask_sum += Fr::ONE;
        expect_mask_opening(check(&st, claim, &bad), "mask sum");
        expect_final_evaluation(check(&st, claim, &reopened(&st, claim, &bad)), "mask sum");

        let wrong = claim + Fr::ONE;
        expect_mask_opening(check(&st, wrong, &proof), "claimed sum");
        expect_final_evaluation(
            check(&st, wrong, &reopened(&st, wrong, &proof)),
            "claimed sum",
        );

        let mut bad = proof.clone();
        bad.zk.mask_eval += Fr::ONE;
        expect_mask_opening(check(&st, claim, &bad), "mask evaluation");

        let mut bad = proof.clone();
        bad.zk.mask_commitment.0[1] += Fr::ONE;
        expect_mask_opening(check(&st, claim, &bad), "mask commitment");

        let mut bad = proof.clone();
        bad.factor_evals[0] += Fr::ONE;
        expect_final_evaluation(check(&st, claim, &bad), "factor evaluation");
    }
}

#[test]
fn malformed_shapes_are_malformed() {
    let mut r = rng(6);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 4), 2);
    let (proof, claim, _) = honest(&mut r, &st);
    let mut bad = proof.clone();
    bad.zk.sumcheck.rounds.pop();
    assert_eq!(
        check(&st, claim, &bad),
        Err(ZkVerifyError::Sumcheck(
            Malformed::RoundCount {
                expected: 4,
                actual: 3
            }
            .into()
        ))
    );
    let mut bad = proof.clone();
    bad.factor_evals.pop();
    assert_eq!(
        check(&st, claim, &bad),
        Err(ZkVerifyError::Sumcheck(
            Malformed::FactorCount {
                expected: 2,
                actual: 1
            }
            .into()
        ))
    );
    let mut bad = proof;
    bad.zk.sumcheck.rounds[2].coeffs_except_linear.push(Fr::ONE);
    assert_eq!(
        check(&st, claim, &bad),
        Err(ZkVerifyError::Sumcheck(
            Malformed::RoundLength {
                round: 2,
                expected: 3,
                actual: 4
            }
            .into()
        ))
    );
}

// ---- the simulator --------------------------------------------------------------------------

/// `f(r)` of a statement over tables.
fn final_value(st: &ProductStatement, t: &[DenseTable], point: &[Fr]) -> Fr {
    let evals: Vec<Fr> = t.iter().map(|x| x.evaluate(point)).collect();
    st.combine(&evals, point).expect("valid statement")
}

/// The sumcheck-visible part of an honest masked proof under fixed challenges `rho`, `point`.
fn honest_view(
    st: &ProductStatement,
    t: &[DenseTable],
    claim: Fr,
    mask: &MaskPolynomial,
    rho: Fr,
    point: &[Fr],
) -> View {
    let mut coins =
        ProgrammedTranscript::with_challenges(std::iter::once(rho).chain(point.iter().copied()));
    let mut inst = ProductSumcheck::new(st, t.to_vec(), claim);
    let out = prove_zk(&mut inst, mask, &mut ClearScheme, &mut coins);
    assert_eq!(coins.remaining(), 0);
    assert_eq!(out.point, point);
    assert_eq!(out.final_claim, final_value(st, t, point));
    View {
        mask_sum: out.proof.mask_sum,
        sumcheck: out.proof.sumcheck,
        mask_eval: out.proof.mask_eval,
    }
}

/// Tables `t'` for `st` (its last factor appearing once, linearly) with the same sum `claim`
/// and the same `f(point) = value` as a given witness, the other factors random: the last table
/// is random, then corrected on entries 0 and 1 (both targets are linear in it).
fn other_witness(
    rng: &mut ChaCha20Rng,
    st: &ProductStatement,
    claim: Fr,
    value: Fr,
    point: &[Fr],
) -> Vec<DenseTable> {
    let n = st.num_vars;
    let mut t = tables(rng, st);
    let last = st.num_factors - 1;
    let with_last = |t: &[DenseTable], last_table: Vec<Fr>| {
        let mut u = t.to_vec();
        u[last] = DenseTable::new(last_table);
        (claimed_sum(st, &u), final_value(st, &u, point))
    };
    let unit = |i: usize| {
        let mut e = vec![Fr::ZERO; 1 << n];
        e[i] = Fr::ONE;
        e
    };
    let (s0, v0) = with_last(&t, t[last].evals().to_vec());
    let (a, c) = with_last(&t, unit(0));
    let (b, d) = with_last(&t, unit(1));
    // [a b; c d] (u, w) = (claim - s0, value - v0)
    let det_inv = (a * d - b * c)
        .inverse()
        .expect("non-singular (probability 1 - 2/p)");
    let (ds, dv) = (claim - s0, value - v0);
    let u = (d * ds - b * dv) * det_inv;
    let w = (a * dv - c * ds) * det_inv;
    let mut last_table = t[last].evals().to_vec();
    last_table[0] += u;
    last_table[1] += w;
    t[last] = DenseTable::new(last_table);
    assert_eq!(claimed_sum(st, &t), claim);
    assert_eq!(final_value(st, &t, point), value);
    t
}

#[test]
fn simulator_views_are_produced_by_exactly_one_mask_for_any_witness() {
    let mut r = rng(7);
    for n in [1usize, 3, 6] {
        for st in statements(&mut r, n).into_iter().take(3) {
            let d = st.degree();
            // The honest verifier's coins, fixed in advance.
            let rho = Fr::random(&mut r);
            let point = random_vec(&mut r, n);
            let t1 = tables(&mut r, &st);
            let claim = claimed_sum(&st, &t1);
            let value = final_value(&st, &t1, &point);
            let t2 = other_witness(&mut r, &st, claim, value, &point);
            assert_ne!(t1, t2);

            // The simulator sees H and f(r) only.
            let view = simulate(d, claim, value, rho, &point, || Fr::random(&mut r));
            for (w, t) in [("witness 1", &t1), ("witness 2", &t2)] {
                let mut inst = ProductSumcheck::new(&st, t.clone(), claim);
                let mask = explaining_mask(&mut inst, &view, rho, &point);
                let honest = honest_view(&st, t, claim, &mask, rho, &point);
                assert_eq!(honest, view, "n {n} d {d} {w} (seed {})", seed());
                assert_eq!(honest.sumcheck.to_bytes(), view.sumcheck.to_bytes());
                // Φ^-1 is also a left inverse: a random mask is recovered from its view, so
                // the map mask -> view is a bijection and a uniform mask gives a uniform view.
                let mask = sample_mask(&mut r, &st);
                let view = honest_view(&st, t, claim, &mask, rho, &point);
                let mut inst = ProductSumcheck::new(&st, t.clone(), claim);
                assert_eq!(explaining_mask(&mut inst, &view, rho, &point), mask, "{w}");
            }
        }
    }
}

#[test]
fn the_same_mask_on_two_witnesses_gives_different_views() {
    // The property above is not vacuous: with a fixed mask the views differ (the mask, not the
    // witness, is what makes the views agree).
    let mut r = rng(8);
    let st = ProductStatement::prod2(5);
    let (rho, point) = (Fr::random(&mut r), random_vec(&mut r, 5));
    let t1 = tables(&mut r, &st);
    let claim = claimed_sum(&st, &t1);
    let t2 = other_witness(&mut r, &st, claim, final_value(&st, &t1, &point), &point);
    let mask = sample_mask(&mut r, &st);
    let v1 = honest_view(&st, &t1, claim, &mask, rho, &point);
    let v2 = honest_view(&st, &t2, claim, &mask, rho, &point);
    assert_eq!(v1.mask_sum, v2.mask_sum);
    assert_ne!(v1.sumcheck, v2.sumcheck);
}

#[test]
fn round_polys_of_the_mask_need_no_table() {
    // On a zero witness the masked prover's last claim is exactly ρ g(r): the closed-form
    // round polynomials carry the mask through every round.
    let mut r = rng(9);
    let n = 4;
    let st = ProductStatement::eq_prod(random_vec(&mut r, n), 1);
    let zero = vec![DenseTable::new(vec![Fr::ZERO; 1 << n])];
    let mask = sample_mask(&mut r, &st);
    let (rho, point) = (Fr::random(&mut r), random_vec(&mut r, n));
    let view = honest_view(&st, &zero, Fr::ZERO, &mask, rho, &point);
    assert_eq!(view.mask_eval, mask.evaluate(&point));
    let last = simulator::round_polys(&view.sumcheck, rho * view.mask_sum, &point);
    let s_last = last.last().expect("rounds").evaluate(point[n - 1]);
    assert_eq!(s_last, rho * mask.evaluate(&point));
}
