//! Sumcheck completeness, soundness (each attack by name, asserting the error variant),
//! transcript coverage and thread-count determinism.

mod common;

use common::*;
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{
    claimed_sum, decode_product_proof, decode_sumcheck_proof, prove, prove_product, verify,
    verify_product, Check, DenseTable, Malformed, PoseidonTranscript, ProductProof,
    ProductStatement, ProductSumcheck, Sha256Transcript, SmallProd2, Term, Transcript, VerifyError,
    PROTOCOL_PRODUCT_SUMCHECK,
};

/// A random statement of every shape we support.
fn statements(rng: &mut rand_chacha::ChaCha20Rng, n: usize) -> Vec<ProductStatement> {
    let w = rand_vec(rng, n);
    vec![
        ProductStatement::prod2(n),
        ProductStatement::eq_prod(w.clone(), 1),
        ProductStatement::eq_prod(w.clone(), 3),
        ProductStatement::eq_prod(w.clone(), 4),
        // A linear combination of terms of different degrees, with eq.
        ProductStatement {
            num_vars: n,
            num_factors: 4,
            terms: vec![
                Term {
                    coeff: rand_fr(rng),
                    factors: vec![0, 1, 2, 3],
                },
                Term {
                    coeff: rand_fr(rng),
                    factors: vec![1, 1],
                },
                Term {
                    coeff: -Fr::ONE,
                    factors: vec![3],
                },
            ],
            eq_point: Some(w),
        },
        // Without eq, three terms.
        ProductStatement {
            num_vars: n,
            num_factors: 3,
            terms: vec![
                Term {
                    coeff: Fr::ONE,
                    factors: vec![0, 1, 2],
                },
                Term {
                    coeff: Fr::from_u64(5),
                    factors: vec![2, 0],
                },
                Term {
                    coeff: rand_fr(rng),
                    factors: vec![1],
                },
            ],
            eq_point: None,
        },
    ]
}

fn run<T: Transcript>(st: &ProductStatement, tables: &[DenseTable]) -> (ProductProof, Vec<Fr>, Fr) {
    let claim = claimed_sum(st, tables);
    let mut t = T::new(PROTOCOL_PRODUCT_SUMCHECK);
    let (proof, point) = prove_product(st, tables.to_vec(), claim, &mut t);
    (proof, point, claim)
}

fn check_complete<T: Transcript>(n: usize, salt: u64) {
    let s = seed();
    let mut rng = rng(salt);
    for (i, st) in statements(&mut rng, n).into_iter().enumerate() {
        let tables: Vec<DenseTable> = (0..st.num_factors)
            .map(|_| rand_table(&mut rng, n))
            .collect();
        let (proof, point, claim) = run::<T>(&st, &tables);
        let mut t = T::new(PROTOCOL_PRODUCT_SUMCHECK);
        let claims = verify_product(&st, claim, &proof, &mut t)
            .unwrap_or_else(|e| panic!("statement {i}, n = {n}, seed {s}: {e}"));
        // The caller's oracle check: every factor claim against the table itself.
        for (j, c) in claims.iter().enumerate() {
            assert_eq!(c.point, point, "statement {i}, seed {s}");
            c.check(tables[j].evaluate(&c.point))
                .unwrap_or_else(|e| panic!("statement {i} factor {j}, n = {n}, seed {s}: {e}"));
        }
        // Bytes round-trip.
        assert_eq!(decode_product_proof(&proof.to_bytes()), Ok(proof.clone()));
    }
}

#[test]
fn completeness_sha256() {
    for n in [1, 2, 3, 5, 8] {
        check_complete::<Sha256Transcript>(n, 10 + n as u64);
    }
}

#[test]
fn completeness_poseidon() {
    for n in [1, 4, 7] {
        check_complete::<PoseidonTranscript>(n, 20 + n as u64);
    }
}

#[test]
fn completeness_parallel_sizes() {
    // Large enough that the round kernels and binds split across rayon chunks.
    check_complete::<Sha256Transcript>(16, 30);
}

#[test]
fn plain_verify_returns_the_polynomial_evaluation() {
    let s = seed();
    let mut rng = rng(40);
    let st = ProductStatement::prod2(6);
    let tables = vec![rand_table(&mut rng, 6), rand_table(&mut rng, 6)];
    let claim = claimed_sum(&st, &tables);
    let mut inst = ProductSumcheck::new(&st, tables.clone(), claim);
    let mut t = Sha256Transcript::new(b"test");
    let out = prove(&mut inst, &mut t);
    let mut t = Sha256Transcript::new(b"test");
    let ec = verify(&out.proof, claim, 6, 2, &mut t).unwrap();
    assert_eq!(ec.point, out.point);
    let oracle = tables[0].evaluate(&ec.point) * tables[1].evaluate(&ec.point);
    ec.check(oracle).unwrap_or_else(|e| panic!("seed {s}: {e}"));
    assert!(matches!(
        ec.check(oracle + Fr::ONE),
        Err(VerifyError::Rejected {
            check: Check::FinalEvaluation,
            round: 6,
            ..
        })
    ));
}

fn assert_rejected(r: Result<Vec<kaizen_sumcheck::EvaluationClaim>, VerifyError>, what: &str) {
    match r {
        Err(VerifyError::Rejected {
            check: Check::FinalEvaluation,
            ..
        }) => {}
        other => panic!(
            "{what}: expected Rejected(FinalEvaluation), got {other:?} (seed {})",
            seed()
        ),
    }
}

fn soundness_setup(n: usize) -> (ProductStatement, ProductProof, Fr) {
    let mut rng = rng(50);
    let st = statements(&mut rng, n).swap_remove(4);
    let tables: Vec<DenseTable> = (0..st.num_factors)
        .map(|_| rand_table(&mut rng, n))
        .collect();
    let (proof, _, claim) = run::<Sha256Transcript>(&st, &tables);
    (st, proof, claim)
}

fn verify_sha(
    st: &ProductStatement,
    claim: Fr,
    proof: &ProductProof,
) -> Result<Vec<kaizen_sumcheck::EvaluationClaim>, VerifyError> {
    verify_product(
        st,
        claim,
        proof,
        &mut Sha256Transcript::new(PROTOCOL_PRODUCT_SUMCHECK),
    )
}

#[test]
fn every_perturbed_round_coefficient_is_rejected() {
    let (st, proof, claim) = soundness_setup(5);
    for round in 0..proof.sumcheck.rounds.len() {
        for c in 0..proof.sumcheck.rounds[round].len() {
            let mut bad = proof.clone();
            bad.sumcheck.rounds[round].coeffs_except_linear[c] += Fr::ONE;
            assert_rejected(
                verify_sha(&st, claim, &bad),
                &format!("round {round} coeff {c}"),
            );
        }
    }
}

#[test]
fn wrong_claimed_sum_is_rejected() {
    let (st, proof, claim) = soundness_setup(5);
    assert_rejected(verify_sha(&st, claim + Fr::ONE, &proof), "claim + 1");
}

#[test]
fn wrong_final_evaluation_is_rejected() {
    let (st, proof, claim) = soundness_setup(5);
    for j in 0..proof.factor_evals.len() {
        let mut bad = proof.clone();
        bad.factor_evals[j] = bad.factor_evals[j].double();
        assert_rejected(verify_sha(&st, claim, &bad), &format!("factor {j}"));
    }
}

#[test]
fn swapped_round_order_is_rejected() {
    let (st, proof, claim) = soundness_setup(5);
    let mut bad = proof.clone();
    bad.sumcheck.rounds.swap(1, 2);
    assert_rejected(verify_sha(&st, claim, &bad), "rounds 1 and 2 swapped");
}

#[test]
fn wrong_number_of_rounds_is_malformed() {
    let (st, proof, claim) = soundness_setup(5);
    let mut short = proof.clone();
    short.sumcheck.rounds.pop();
    assert_eq!(
        verify_sha(&st, claim, &short),
        Err(VerifyError::Malformed(Malformed::RoundCount {
            expected: 5,
            actual: 4
        }))
    );
    let mut long = proof.clone();
    long.sumcheck.rounds.push(long.sumcheck.rounds[0].clone());
    assert_eq!(
        verify_sha(&st, claim, &long),
        Err(VerifyError::Malformed(Malformed::RoundCount {
            expected: 5,
            actual: 6
        }))
    );
}

#[test]
fn wrong_degree_and_factor_count_are_malformed() {
    let (st, proof, claim) = soundness_setup(5);
    let mut bad = proof.clone();
    bad.sumcheck.rounds[3].coeffs_except_linear.push(Fr::ZERO);
    assert_eq!(
        verify_sha(&st, claim, &bad),
        Err(VerifyError::Malformed(Malformed::RoundLength {
            round: 3,
            expected: 5,
            actual: 6
        }))
    );
    let mut bad = proof.clone();
    bad.factor_evals.pop();
    assert_eq!(
        verify_sha(&st, claim, &bad),
        Err(VerifyError::Malformed(Malformed::FactorCount {
            expected: 4,
            actual: 3
        }))
    );
}

#[test]
fn malformed_bytes_are_errors_not_panics() {
    let (_, proof, _) = soundness_setup(3);
    let bytes = proof.to_bytes();
    for cut in 0..bytes.len() {
        assert!(
            matches!(
                decode_product_proof(&bytes[..cut]),
                Err(Malformed::Truncated { .. })
            ),
            "cut at {cut}"
        );
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert_eq!(
        decode_product_proof(&extra),
        Err(Malformed::TrailingBytes { extra: 1 })
    );
    let mut noncanon = bytes.clone();
    for b in &mut noncanon[8..40] {
        *b = 0xff;
    }
    assert_eq!(
        decode_product_proof(&noncanon),
        Err(Malformed::NonCanonical { offset: 8 })
    );
    let mut huge = bytes.clone();
    huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        decode_sumcheck_proof(&huge),
        Err(Malformed::TooLong { offset: 0, .. })
    ));
    // A round-less sumcheck has exactly one encoding: 0 rounds, 0 coefficients per round.
    let empty = kaizen_sumcheck::SumcheckProof { rounds: vec![] }.to_bytes();
    assert_eq!(empty, [0u8; 8]);
    assert!(decode_sumcheck_proof(&empty).is_ok());
    let mut degree3 = empty.clone();
    degree3[4] = 3;
    assert_eq!(
        decode_sumcheck_proof(&degree3),
        Err(Malformed::NonCanonical { offset: 4 })
    );
}

/// A transcript that forgets its `skip`-th absorb (counting every absorb call).
#[derive(Debug, Clone)]
struct Forgetful {
    inner: Sha256Transcript,
    skip: Option<usize>,
    count: usize,
}

impl Forgetful {
    fn keep(&mut self) -> bool {
        let k = Some(self.count) != self.skip;
        self.count += 1;
        k
    }
}

impl Transcript for Forgetful {
    fn new(protocol: &'static [u8]) -> Self {
        Self {
            inner: Sha256Transcript::new(protocol),
            skip: None,
            count: 0,
        }
    }
    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        if self.keep() {
            self.inner.absorb_bytes(label, bytes);
        }
    }
    fn absorb_frs(&mut self, label: &'static [u8], values: &[Fr]) {
        if self.keep() {
            self.inner.absorb_frs(label, values);
        }
    }
    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        self.inner.challenge(label)
    }
}

#[test]
fn dropping_any_absorb_changes_the_challenges() {
    let mut rng = rng(60);
    let st = statements(&mut rng, 4).swap_remove(4);
    let tables: Vec<DenseTable> = (0..st.num_factors)
        .map(|_| rand_table(&mut rng, 4))
        .collect();
    let claim = claimed_sum(&st, &tables);
    let transcript_run = |skip: Option<usize>| {
        let mut t = Forgetful {
            inner: Sha256Transcript::new(PROTOCOL_PRODUCT_SUMCHECK),
            skip,
            count: 0,
        };
        let (_, mut point) = prove_product(&st, tables.clone(), claim, &mut t);
        // What the next protocol would squeeze: covers the absorbs after the last round.
        point.push(t.challenge(b"next"));
        (point, t.count)
    };
    let (base, absorbs) = transcript_run(None);
    assert!(absorbs > 10);
    for i in 0..absorbs {
        let (p, _) = transcript_run(Some(i));
        assert_ne!(
            p, base,
            "dropping absorb {i} of {absorbs} left every challenge unchanged"
        );
    }
}

#[test]
fn proof_bytes_do_not_depend_on_thread_count() {
    let mut rng = rng(70);
    let n = 16;
    let sts = statements(&mut rng, n);
    let tables: Vec<DenseTable> = (0..4).map(|_| rand_table(&mut rng, n)).collect();
    let f8 = rand_i8_table(&mut rng, n);
    let g8 = rand_i8_table(&mut rng, n);
    let all = |_: ()| -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for st in &sts {
            let t = &tables[..st.num_factors];
            out.push(run::<Sha256Transcript>(st, t).0.to_bytes());
        }
        let claim = SmallProd2::sum(&f8, &g8);
        let mut inst = SmallProd2::new(f8.clone(), g8.clone(), claim);
        let mut t = Sha256Transcript::new(b"small");
        out.push(prove(&mut inst, &mut t).proof.to_bytes());
        out
    };
    let pool = |k| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| all(()));
    let two = pool(2).install(|| all(()));
    assert_eq!(one, two);
}

#[test]
fn small_value_prover_matches_dense_prover_byte_for_byte() {
    let s = seed();
    let mut rng = rng(80);
    for n in [1usize, 2, 3, 5, 9, 15] {
        let f = rand_i8_table(&mut rng, n);
        let g = rand_i8_table(&mut rng, n);
        let (fd, gd) = (f.to_dense(), g.to_dense());
        let st = ProductStatement::prod2(n);
        let claim = claimed_sum(&st, &[fd.clone(), gd.clone()]);
        assert_eq!(SmallProd2::sum(&f, &g), claim);
        let mut dense = ProductSumcheck::new(&st, vec![fd, gd], claim);
        let want = prove(&mut dense, &mut Sha256Transcript::new(b"t"));
        for k0 in 1..=5 {
            let mut small = SmallProd2::with_small_rounds(f.clone(), g.clone(), claim, k0);
            let got = prove(&mut small, &mut Sha256Transcript::new(b"t"));
            assert_eq!(got, want, "i8 n = {n}, k0 = {k0}, seed {s}");
            use kaizen_sumcheck::SumcheckInstance;
            assert_eq!(small.final_claims(), dense.final_claims());
        }
    }
    // Wider integers, extremes included.
    let f = rand_i32_table(&mut rng, 7);
    let g = kaizen_sumcheck::SmallTable::new(vec![i32::MIN; 128]);
    let claim = SmallProd2::sum(&f, &g);
    let st = ProductStatement::prod2(7);
    assert_eq!(claim, claimed_sum(&st, &[f.to_dense(), g.to_dense()]));
    let want = prove(
        &mut ProductSumcheck::new(&st, vec![f.to_dense(), g.to_dense()], claim),
        &mut Sha256Transcript::new(b"t"),
    );
    let got = prove(
        &mut SmallProd2::new(f, g, claim),
        &mut Sha256Transcript::new(b"t"),
    );
    assert_eq!(got, want, "i32, seed {s}");
    let f = rand_i16_table(&mut rng, 8);
    let g = rand_i16_table(&mut rng, 8);
    let claim = SmallProd2::sum(&f, &g);
    let st = ProductStatement::prod2(8);
    let want = prove(
        &mut ProductSumcheck::new(&st, vec![f.to_dense(), g.to_dense()], claim),
        &mut Sha256Transcript::new(b"t"),
    );
    let got = prove(
        &mut SmallProd2::new(f, g, claim),
        &mut Sha256Transcript::new(b"t"),
    );
    assert_eq!(got, want, "i16, seed {s}");
}
