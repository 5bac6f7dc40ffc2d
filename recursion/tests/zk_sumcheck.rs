//! Zero-knowledge sumcheck with the Pedersen mask commitment and the ZK IPA: completeness for
//! degrees 2, 3 (with eq) and 4 on both transcripts, every tampering rejected with its check,
//! malformed openings, determinism (same seed -> same proof at 1 and 2 threads), and the
//! simulator under programmed challenges with the real commitment.

use kaizen_field::testing::{random_vec, test_rng, test_seed};
use kaizen_field::{Field, Fr};
use kaizen_msm::{Check as PcsCheck, G1Affine, Malformed as PcsMalformed, PcsError};
use kaizen_recursion::zk::encoding::{KIND_PRODUCT, KIND_SUMCHECK};
use kaizen_recursion::zk::{
    decode_product_proof, decode_proof, encode_product_proof, encode_proof, prove_product_zk,
    prove_zk, seeded_mask, verify_product_zk, verify_zk, PedersenMask, PedersenZkProductProof,
    ZkDecodeError,
};
use kaizen_sumcheck::zk::simulator::{explaining_mask, simulate, ProgrammedTranscript, View};
use kaizen_sumcheck::zk::{self, absorb_preamble, mask_basis, MaskCommitter, ZkVerifyError};
use kaizen_sumcheck::{
    claimed_sum, Check, DenseTable, PoseidonTranscript, ProductStatement, ProductSumcheck,
    Sha256Transcript, Term, Transcript, VerifyError,
};
use rand_chacha::ChaCha20Rng;

fn seed() -> u64 {
    test_seed(0x6b61_697a_656e_7a6b)
}

fn rng(salt: u64) -> ChaCha20Rng {
    test_rng(0x6b61_697a_656e_7a6b, salt)
}

fn proof_seed(salt: u64) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&(seed() ^ salt).to_le_bytes());
    s
}

/// Degree 2 (`f g`), 3 (`eq f g`), 4 (`f g h k`).
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
    ]
}

fn tables(rng: &mut ChaCha20Rng, st: &ProductStatement) -> Vec<DenseTable> {
    (0..st.num_factors)
        .map(|_| DenseTable::new(random_vec(rng, 1 << st.num_vars)))
        .collect()
}

struct Case {
    params: PedersenMask,
    st: ProductStatement,
    claim: Fr,
    proof: PedersenZkProductProof,
    seed: [u8; 32],
}

fn honest<T: Transcript>(rng: &mut ChaCha20Rng, st: ProductStatement, salt: u64) -> Case {
    let params = PedersenMask::setup(st.num_vars, st.degree());
    let t = tables(rng, &st);
    let claim = claimed_sum(&st, &t);
    let seed = proof_seed(salt);
    let mut tp = params.transcript::<T>();
    let (proof, point) = prove_product_zk(&params, &st, t.clone(), claim, seed, &mut tp);
    let mut tv = params.transcript::<T>();
    let claims = verify_product_zk(&params, &st, claim, &proof, &mut tv)
        .unwrap_or_else(|e| panic!("d {}: {e} (seed {})", st.degree(), self::seed()));
    for (c, tab) in claims.iter().zip(&t) {
        assert_eq!(c.point, point);
        assert_eq!(c.value, tab.evaluate(&point), "seed {}", self::seed());
    }
    assert_eq!(tp.challenge(b"after"), tv.challenge(b"after"));
    Case {
        params,
        st,
        claim,
        proof,
        seed,
    }
}

impl Case {
    fn check(
        &self,
        claim: Fr,
        proof: &PedersenZkProductProof,
    ) -> Result<(), ZkVerifyError<PcsError>> {
        let mut t = self.params.transcript::<Sha256Transcript>();
        verify_product_zk(&self.params, &self.st, claim, proof, &mut t).map(|_| ())
    }

    /// A cheater who knows the mask re-proves its opening at the point the verifier draws for
    /// a changed `claim` or `proof`: the mask opening then passes.
    fn reopened(&self, claim: Fr, proof: &PedersenZkProductProof) -> PedersenZkProductProof {
        let (n, d) = (self.st.num_vars, self.st.degree());
        let (mask, mut committer) = seeded_mask(&self.params, self.seed);
        let mut t = self.params.transcript::<Sha256Transcript>();
        self.st.absorb(&mut t);
        let zk = &proof.zk;
        let rho = absorb_preamble(&mut t, n, d, claim, &zk.mask_commitment, zk.mask_sum);
        let reduced =
            kaizen_sumcheck::verify(&zk.sumcheck, claim + rho * zk.mask_sum, n, d, &mut t)
                .expect("well-formed");
        let mut out = proof.clone();
        out.zk.mask_eval = mask.evaluate(&reduced.point);
        t.absorb_fr(zk::LABEL_MASK_EVAL, &out.zk.mask_eval);
        out.zk.mask_opening = committer.open(
            &mut t,
            &zk.mask_commitment,
            mask.coeffs(),
            &mask_basis(&reduced.point, d),
            out.zk.mask_eval,
        );
        out
    }
}

fn expect_opening_rejected(res: Result<(), ZkVerifyError<PcsError>>, what: &str) {
    assert_eq!(
        res,
        Err(ZkVerifyError::MaskOpening(PcsError::Rejected {
            check: PcsCheck::FinalEquation
        })),
        "{what} (seed {})",
        seed()
    );
}

fn expect_final_evaluation(res: Result<(), ZkVerifyError<PcsError>>, what: &str) {
    match res {
        Err(ZkVerifyError::Sumcheck(VerifyError::Rejected {
            check: Check::FinalEvaluation,
            ..
        })) => {}
        other => panic!("{what}: {other:?} (seed {})", seed()),
    }
}

#[test]
fn completeness_degrees_2_3_4_sha256() {
    let mut r = rng(1);
    for n in [1usize, 4, 9] {
        for (i, st) in statements(&mut r, n).into_iter().enumerate() {
            let case = honest::<Sha256Transcript>(&mut r, st, (n * 8 + i) as u64);
            assert_eq!(case.proof.zk.sumcheck.rounds.len(), n);
        }
    }
}

#[test]
fn completeness_degrees_2_3_4_poseidon() {
    let mut r = rng(2);
    for (i, st) in statements(&mut r, 5).into_iter().enumerate() {
        honest::<PoseidonTranscript>(&mut r, st, 100 + i as u64);
    }
}

#[test]
fn any_instance_through_prove_zk() {
    let mut r = rng(3);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 6), 3);
    let t = tables(&mut r, &st);
    let claim = claimed_sum(&st, &t);
    let params = PedersenMask::setup(6, st.degree());
    let mut inst = ProductSumcheck::new(&st, t.clone(), claim);
    let out = prove_zk(
        &params,
        &mut inst,
        proof_seed(3),
        &mut params.transcript::<Sha256Transcript>(),
    );
    let reduced = verify_zk(
        &params,
        &out.proof,
        claim,
        6,
        st.degree(),
        &mut params.transcript::<Sha256Transcript>(),
    )
    .expect("verifies");
    let evals: Vec<Fr> = t.iter().map(|x| x.evaluate(&reduced.point)).collect();
    let oracle = st.combine(&evals, &reduced.point).expect("valid");
    reduced.check(oracle).expect("f(r) matches the oracle");
    assert_eq!(out.final_claim, oracle);
}

#[test]
fn each_round_message_tampered_is_rejected() {
    let mut r = rng(4);
    for (i, st) in statements(&mut r, 3).into_iter().enumerate() {
        let case = honest::<Sha256Transcript>(&mut r, st, 200 + i as u64);
        for round in 0..case.st.num_vars {
            for k in 0..case.st.degree() {
                let mut bad = case.proof.clone();
                bad.zk.sumcheck.rounds[round].coeffs_except_linear[k] += Fr::ONE;
                let what = format!("d {} round {round} c{k}", case.st.degree());
                expect_opening_rejected(case.check(case.claim, &bad), &what);
                let bad = case.reopened(case.claim, &bad);
                expect_final_evaluation(case.check(case.claim, &bad), &what);
            }
        }
    }
}

#[test]
fn wrong_mask_sum_and_wrong_claim_are_rejected() {
    let mut r = rng(5);
    for (i, st) in statements(&mut r, 4).into_iter().enumerate() {
        let case = honest::<Sha256Transcript>(&mut r, st, 300 + i as u64);
        let mut bad = case.proof.clone();
        bad.zk.mask_sum += Fr::ONE;
        expect_opening_rejected(case.check(case.claim, &bad), "mask sum");
        expect_final_evaluation(
            case.check(case.claim, &case.reopened(case.claim, &bad)),
            "mask sum",
        );
        let wrong = case.claim + Fr::ONE;
        expect_opening_rejected(case.check(wrong, &case.proof), "claimed sum");
        expect_final_evaluation(
            case.check(wrong, &case.reopened(wrong, &case.proof)),
            "claimed sum",
        );
        let mut bad = case.proof.clone();
        bad.factor_evals[1] += Fr::ONE;
        expect_final_evaluation(case.check(case.claim, &bad), "factor evaluation");
    }
}

#[test]
fn wrong_mask_opening_is_rejected() {
    let mut r = rng(6);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 5), 2);
    let case = honest::<Sha256Transcript>(&mut r, st, 400);
    // Another valid point: the opening's own Schnorr commitment.
    let other: G1Affine = case.proof.zk.mask_opening.a;
    type Tamper = Box<dyn Fn(&mut PedersenZkProductProof)>;
    let tampers: Vec<(&str, Tamper)> = vec![
        ("g(r)", Box::new(|p| p.zk.mask_eval += Fr::ONE)),
        (
            "commitment",
            Box::new(move |p| p.zk.mask_commitment.0 = other),
        ),
        ("L_0", Box::new(|p| p.zk.mask_opening.l.swap(0, 1))),
        (
            "R_1",
            Box::new(|p| p.zk.mask_opening.r[1] = p.zk.mask_opening.l[1]),
        ),
        (
            "A",
            Box::new(|p| p.zk.mask_opening.a = p.zk.mask_opening.l[0]),
        ),
        ("z1", Box::new(|p| p.zk.mask_opening.z1 += Fr::ONE)),
        ("z2", Box::new(|p| p.zk.mask_opening.z2 += Fr::ONE)),
    ];
    for (what, tamper) in tampers {
        let mut bad = case.proof.clone();
        tamper(&mut bad);
        expect_opening_rejected(case.check(case.claim, &bad), what);
    }
}

#[test]
fn malformed_openings_and_shapes_are_malformed() {
    let mut r = rng(7);
    let case = honest::<Sha256Transcript>(&mut r, ProductStatement::prod2(6), 500);
    let mut bad = case.proof.clone();
    bad.zk.mask_opening.l.pop();
    let k = case.proof.zk.mask_opening.l.len();
    assert_eq!(
        case.check(case.claim, &bad),
        Err(ZkVerifyError::MaskOpening(PcsError::Malformed(
            PcsMalformed::RoundCount {
                expected: k,
                actual: k - 1
            }
        )))
    );
    // Parameters too small for the statement: the basis does not fit the generators.
    let small = PedersenMask::setup(2, 2);
    let res = verify_product_zk(
        &small,
        &case.st,
        case.claim,
        &case.proof,
        &mut small.transcript::<Sha256Transcript>(),
    );
    assert!(
        matches!(
            res,
            Err(ZkVerifyError::MaskOpening(PcsError::Malformed(
                PcsMalformed::VectorLength { .. }
            )))
        ),
        "{res:?}"
    );
    let mut bad = case.proof.clone();
    bad.zk.sumcheck.rounds.pop();
    assert_eq!(
        case.check(case.claim, &bad),
        Err(ZkVerifyError::Sumcheck(
            kaizen_sumcheck::Malformed::RoundCount {
                expected: 6,
                actual: 5
            }
            .into()
        ))
    );
}

#[test]
fn same_seed_same_proof_at_any_thread_count() {
    let mut r = rng(8);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 10), 3);
    let t = tables(&mut r, &st);
    let claim = claimed_sum(&st, &t);
    let params = PedersenMask::setup(10, st.degree());
    let run = |threads: usize, seed: [u8; 32]| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
            .install(|| {
                let mut tp = params.transcript::<Sha256Transcript>();
                prove_product_zk(&params, &st, t.clone(), claim, seed, &mut tp).0
            })
    };
    let one = run(1, proof_seed(8));
    assert_eq!(
        encode_product_proof(&one),
        encode_product_proof(&run(2, proof_seed(8)))
    );
    let other = run(2, proof_seed(9));
    assert_ne!(one.zk.mask_commitment, other.zk.mask_commitment);
    assert_ne!(one.zk.sumcheck, other.zk.sumcheck);
    // The factor values at the final point are what the proof reveals; the point itself
    // differs because the messages do.
    assert_ne!(one.factor_evals, other.factor_evals);
}

#[test]
fn proof_bytes_round_trip() {
    let mut r = rng(10);
    let st = ProductStatement::eq_prod(random_vec(&mut r, 4), 2);
    let case = honest::<Sha256Transcript>(&mut r, st, 700);
    let bytes = encode_product_proof(&case.proof);
    // header, M, G, g(r) | rounds (4 x 3 coefficients) | IPA (C = 16: 4 rounds) | 2 factors
    assert_eq!(
        bytes.len(),
        2 + 96 + 4 + (8 + 4 * 3 * 32) + 4 + (3 + 64 * 4 + 96) + 4 + 64
    );
    let decoded = decode_product_proof(&bytes).expect("decodes");
    assert_eq!(decoded, case.proof);
    case.check(case.claim, &decoded).expect("verifies");
    assert!(matches!(
        decode_proof(&bytes),
        Err(ZkDecodeError::Header {
            version: 1,
            kind: KIND_PRODUCT
        })
    ));

    let zk_bytes = encode_proof(&case.proof.zk);
    assert_eq!(decode_proof(&zk_bytes).expect("decodes"), case.proof.zk);
    assert!(matches!(
        decode_product_proof(&zk_bytes),
        Err(ZkDecodeError::Header {
            version: 1,
            kind: KIND_SUMCHECK
        })
    ));
}

#[test]
fn malformed_bytes_are_errors_and_altered_bytes_never_verify() {
    let mut r = rng(11);
    let case = honest::<Sha256Transcript>(&mut r, ProductStatement::prod2(3), 800);
    let bytes = encode_product_proof(&case.proof);
    for cut in 0..bytes.len() {
        assert!(decode_product_proof(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        decode_product_proof(&long),
        Err(ZkDecodeError::TrailingBytes { extra: 1 })
    );
    let mut bad = bytes.clone();
    bad[34..66].copy_from_slice(&[0xff; 32]);
    assert_eq!(
        decode_product_proof(&bad),
        Err(ZkDecodeError::NonCanonical { offset: 34 })
    );
    let mut bad = bytes.clone();
    bad[2..34].copy_from_slice(&[0xff; 32]);
    assert!(matches!(
        decode_product_proof(&bad),
        Err(ZkDecodeError::Commitment(_))
    ));
    let mut bad = bytes.clone();
    bad[98..102].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        decode_product_proof(&bad),
        Err(ZkDecodeError::TooLong { offset: 98, .. })
    ));
    let mut bad = bytes.clone();
    bad[106] = 9; // coefficients per round above the sumcheck decoder's cap
    assert!(matches!(
        decode_product_proof(&bad),
        Err(ZkDecodeError::Sumcheck(
            kaizen_sumcheck::Malformed::TooLong { .. }
        ))
    ));
    // One bit flipped anywhere: a decoding error, or a proof the verifier rejects.
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 1 << (i % 8);
        if let Ok(p) = decode_product_proof(&bad) {
            assert!(
                case.check(case.claim, &p).is_err(),
                "bit flip at byte {i} verifies"
            );
        }
    }
}

// ---- the simulator with the real commitment ---------------------------------------------------

fn final_value(st: &ProductStatement, t: &[DenseTable], point: &[Fr]) -> Fr {
    let evals: Vec<Fr> = t.iter().map(|x| x.evaluate(point)).collect();
    st.combine(&evals, point).expect("valid statement")
}

/// Tables with the same sum and the same `f(point)` as `(claim, value)`: random, then the last
/// factor (linear in both targets) corrected on entries 0 and 1.
fn other_witness(
    rng: &mut ChaCha20Rng,
    st: &ProductStatement,
    claim: Fr,
    value: Fr,
    point: &[Fr],
) -> Vec<DenseTable> {
    let mut t = tables(rng, st);
    let last = st.num_factors - 1;
    let targets = |t: &[DenseTable], last_table: Vec<Fr>| {
        let mut u = t.to_vec();
        u[last] = DenseTable::new(last_table);
        (claimed_sum(st, &u), final_value(st, &u, point))
    };
    let unit = |i: usize| {
        let mut e = vec![Fr::ZERO; 1 << st.num_vars];
        e[i] = Fr::ONE;
        e
    };
    let (s0, v0) = targets(&t, t[last].evals().to_vec());
    let (a, c) = targets(&t, unit(0));
    let (b, d) = targets(&t, unit(1));
    let det_inv = (a * d - b * c).inverse().expect("non-singular");
    let (ds, dv) = (claim - s0, value - v0);
    let mut last_table = t[last].evals().to_vec();
    last_table[0] += (d * ds - b * dv) * det_inv;
    last_table[1] += (a * dv - c * ds) * det_inv;
    t[last] = DenseTable::new(last_table);
    t
}

#[test]
fn simulated_views_are_honest_views_for_any_witness() {
    let mut r = rng(9);
    for (i, st) in statements(&mut r, 5).into_iter().enumerate() {
        let (n, d) = (st.num_vars, st.degree());
        let params = PedersenMask::setup(n, d);
        // The honest verifier's coins: ρ, the round challenges, then the IPA's x0, x_j, c.
        let ipa_coins = 2 + params.gens().len().trailing_zeros() as usize;
        let rho = Fr::random(&mut r);
        let point = random_vec(&mut r, n);
        let coins: Vec<Fr> = std::iter::once(rho)
            .chain(point.iter().copied())
            .chain(random_vec(&mut r, ipa_coins))
            .collect();

        let t1 = tables(&mut r, &st);
        let claim = claimed_sum(&st, &t1);
        let value = final_value(&st, &t1, &point);
        let t2 = other_witness(&mut r, &st, claim, value, &point);
        assert_eq!(
            (claimed_sum(&st, &t2), final_value(&st, &t2, &point)),
            (claim, value)
        );
        assert_ne!(t1, t2);

        // The simulator sees the claim and f(r) only.
        let view = simulate(d, claim, value, rho, &point, || Fr::random(&mut r));
        for (w, t) in [("witness 1", &t1), ("witness 2", &t2)] {
            let mut inst = ProductSumcheck::new(&st, t.clone(), claim);
            let mask = explaining_mask(&mut inst, &view, rho, &point);
            let mut committer = params.committer(proof_seed(600 + i as u64));
            let mut tp = ProgrammedTranscript::with_challenges(coins.clone());
            let (proof, p) =
                zk::prove_product_zk(&st, t.clone(), claim, &mask, &mut committer, &mut tp);
            assert_eq!(tp.remaining(), 0);
            assert_eq!(p, point);
            let honest = View {
                mask_sum: proof.zk.mask_sum,
                sumcheck: proof.zk.sumcheck.clone(),
                mask_eval: proof.zk.mask_eval,
            };
            assert_eq!(honest, view, "d {d} {w} (seed {})", seed());
            // ... and it is an accepting proof under the same coins.
            let mut tv = ProgrammedTranscript::with_challenges(coins.clone());
            verify_product_zk(&params, &st, claim, &proof, &mut tv)
                .unwrap_or_else(|e| panic!("d {d} {w}: {e}"));
        }
    }
}
