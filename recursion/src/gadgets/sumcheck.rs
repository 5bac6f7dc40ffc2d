//! The sumcheck verifier as a circuit: the twin of `kaizen_sumcheck::verify` and
//! `verify_product` over [`PoseidonTranscriptVar`].
//!
//! Per round, with the compressed message `[c_0, c_2, .., c_d]` in variables:
//!
//! ```text
//!   c_1   = claim − 2 c_0 − (c_2 + .. + c_d)     linear: s(0) + s(1) = claim by construction
//!   absorb [c_0, c_2, .., c_d]; r = challenge     81 rows per permutation
//!   claim = s(r) = (..(c_d r + c_(d-1)) r + ..) r + c_0     Horner: d rows
//! ```
//!
//! A wrong round message therefore never fails a round row: it fails the final evaluation
//! check of [`verify_product`] (row `"sumcheck/final-evaluation"`), exactly where the native
//! verifier rejects. Proof shapes are untrusted: no indexing, no panic, typed
//! [`Malformed`] errors (the native verifier's own variants).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_sumcheck::{
    Malformed, ProductProof, ProductStatement, SumcheckProof, LABEL_CLAIM, LABEL_DEGREE,
    LABEL_FACTOR_EVALS, LABEL_NUM_ROUNDS, LABEL_ROUND_CHALLENGE, LABEL_ROUND_POLY,
};

use super::poseidon::PoseidonTranscriptVar;
use crate::ccs::{ConstraintSystem, Lc};

/// The in-circuit [`kaizen_sumcheck::EvaluationClaim`]: `f(point) = value`, which the caller
/// MUST check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationClaimVar {
    /// `point[round]`.
    pub point: Vec<Lc>,
    /// The claimed value.
    pub value: Lc,
}

/// A product proof in variables.
#[derive(Debug, Clone)]
pub struct ProductProofVar {
    /// Round messages `[c_0, c_2, .., c_d]`.
    pub rounds: Vec<Vec<Lc>>,
    /// `f_j(point)`.
    pub factor_evals: Vec<Lc>,
}

/// Allocates the round messages as witness variables.
pub fn alloc_sumcheck_proof(cs: &mut ConstraintSystem, proof: &SumcheckProof) -> Vec<Vec<Lc>> {
    proof
        .rounds
        .iter()
        .map(|r| {
            r.coeffs_except_linear
                .iter()
                .map(|c| cs.alloc_witness(*c).into())
                .collect()
        })
        .collect()
}

/// Allocates a product proof as witness variables.
pub fn alloc_product_proof(cs: &mut ConstraintSystem, proof: &ProductProof) -> ProductProofVar {
    ProductProofVar {
        rounds: alloc_sumcheck_proof(cs, &proof.sumcheck),
        factor_evals: proof
            .factor_evals
            .iter()
            .map(|e| cs.alloc_witness(*e).into())
            .collect(),
    }
}

/// The rounds of a sumcheck of `num_rounds` rounds, degree `degree`, sum `claim`; mirrors
/// `kaizen_sumcheck::verify`. Rows: `num_rounds · degree` plus the transcript's permutations.
pub fn verify_sumcheck(
    cs: &mut ConstraintSystem,
    transcript: &mut PoseidonTranscriptVar,
    rounds: &[Vec<Lc>],
    claim: &Lc,
    num_rounds: usize,
    degree: usize,
) -> Result<EvaluationClaimVar, Malformed> {
    if rounds.len() != num_rounds {
        return Err(Malformed::RoundCount {
            expected: num_rounds,
            actual: rounds.len(),
        });
    }
    transcript.absorb_u64(cs, LABEL_NUM_ROUNDS, num_rounds as u64);
    transcript.absorb_u64(cs, LABEL_DEGREE, degree as u64);
    transcript.absorb_fr(cs, LABEL_CLAIM, claim);
    let mut claim = claim.clone();
    let mut point = Vec::with_capacity(num_rounds);
    for (round, msg) in rounds.iter().enumerate() {
        if msg.len() != degree {
            return Err(Malformed::RoundLength {
                round,
                expected: degree,
                actual: msg.len(),
            });
        }
        // Coefficients low to high, c_1 restored from the claim (linear, no row).
        let coeffs: Vec<Lc> = match msg.split_first() {
            None => vec![Lc::zero(), claim.clone()],
            Some((c0, rest)) => {
                let mut c1 = claim.add_scaled(-Fr::ONE.double(), c0);
                for c in rest {
                    c1 = &c1 - c;
                }
                let mut out = Vec::with_capacity(msg.len() + 1);
                out.push(c0.clone());
                out.push(c1);
                out.extend(rest.iter().cloned());
                out
            }
        };
        transcript.absorb_frs(cs, LABEL_ROUND_POLY, msg);
        let r = transcript.challenge(cs, LABEL_ROUND_CHALLENGE);
        claim = horner(cs, &coeffs, &r);
        point.push(r);
    }
    Ok(EvaluationClaimVar {
        point,
        value: claim,
    })
}

/// `Σ_i coeffs[i] r^i` by Horner: one row per coefficient above the constant one.
fn horner(cs: &mut ConstraintSystem, coeffs: &[Lc], r: &Lc) -> Lc {
    let mut iter = coeffs.iter().rev();
    let Some(top) = iter.next() else {
        return Lc::zero();
    };
    iter.fold(top.clone(), |acc, c| {
        let prod: Lc = cs.mul("sumcheck/horner", &acc, r).into();
        &prod + c
    })
}

/// A product proof; mirrors `kaizen_sumcheck::verify_product` over the statement's shape
/// (variables, factors, terms: circuit constants) with the eq point `eq_point` in variables
/// (the values in `statement.eq_point` only fix its presence and length; they are absorbed
/// from `eq_point`). Enforces the final evaluation check (row
/// `"sumcheck/final-evaluation"`) and returns one claim per factor, which the caller MUST
/// check against the factors' oracles.
pub fn verify_product(
    cs: &mut ConstraintSystem,
    transcript: &mut PoseidonTranscriptVar,
    statement: &ProductStatement,
    eq_point: Option<&[Lc]>,
    claim: &Lc,
    proof: &ProductProofVar,
) -> Result<Vec<EvaluationClaimVar>, Malformed> {
    for (term, t) in statement.terms.iter().enumerate() {
        if t.factors.is_empty()
            || t.factors.len() > kaizen_sumcheck::MAX_FACTORS
            || t.factors.iter().any(|j| *j >= statement.num_factors)
        {
            return Err(Malformed::Statement { term });
        }
    }
    match (&statement.eq_point, eq_point) {
        (None, None) => {}
        (Some(_), Some(w)) if w.len() == statement.num_vars => {}
        (_, w) => {
            return Err(Malformed::EqPointLength {
                expected: statement.num_vars,
                actual: w.map_or(0, <[Lc]>::len),
            })
        }
    }
    if proof.factor_evals.len() != statement.num_factors {
        return Err(Malformed::FactorCount {
            expected: statement.num_factors,
            actual: proof.factor_evals.len(),
        });
    }
    absorb_statement(cs, transcript, statement, eq_point);
    let reduced = verify_sumcheck(
        cs,
        transcript,
        &proof.rounds,
        claim,
        statement.num_vars,
        statement.degree(),
    )?;
    // Σ_t c_t Π_{j ∈ S_t} f_j(r): |S_t| − 1 rows per term.
    let mut sum = Lc::zero();
    for t in &statement.terms {
        let mut factors = t.factors.iter().filter_map(|j| proof.factor_evals.get(*j));
        let Some(first) = factors.next() else {
            return Err(Malformed::Statement { term: 0 });
        };
        let mut prod = first.scale(t.coeff);
        for f in factors {
            prod = cs.mul("sumcheck/term-product", &prod, f).into();
        }
        sum = &sum + &prod;
    }
    match eq_point {
        // value = sum · eq(w, r): 2n − 1 rows, then the check in one row.
        Some(w) => {
            let eq = eq_eval_var(cs, w, &reduced.point);
            cs.enforce_r1cs("sumcheck/final-evaluation", sum, eq, reduced.value.clone());
        }
        None => cs.enforce_equal("sumcheck/final-evaluation", &reduced.value, &sum),
    }
    transcript.absorb_frs(cs, LABEL_FACTOR_EVALS, &proof.factor_evals);
    Ok(proof
        .factor_evals
        .iter()
        .map(|v| EvaluationClaimVar {
            point: reduced.point.clone(),
            value: v.clone(),
        })
        .collect())
}

/// `eq(a, b) = Π_i (1 − a_i − b_i + 2 a_i b_i)` over the common length: one row per
/// coordinate for `a_i b_i`, one per further factor of the product (`2n − 1` rows).
pub fn eq_eval_var(cs: &mut ConstraintSystem, a: &[Lc], b: &[Lc]) -> Lc {
    let mut eq: Option<Lc> = None;
    for (ai, bi) in a.iter().zip(b) {
        let ab: Lc = cs.mul("eq/product", ai, bi).into();
        let e1 = &(&ab.scale(Fr::ONE.double()) - &(ai + bi)) + Fr::ONE;
        eq = Some(match eq {
            None => e1,
            Some(acc) => cs.mul("eq/product", &acc, &e1).into(),
        });
    }
    eq.unwrap_or_else(|| Lc::constant(Fr::ONE))
}

/// Mirrors `ProductStatement::absorb` with the eq point in variables.
fn absorb_statement(
    cs: &mut ConstraintSystem,
    transcript: &mut PoseidonTranscriptVar,
    statement: &ProductStatement,
    eq_point: Option<&[Lc]>,
) {
    use kaizen_sumcheck::{LABEL_EQ_POINT, LABEL_STATEMENT, LABEL_TERM_COEFFS};
    transcript.absorb_u64(cs, LABEL_STATEMENT, statement.num_vars as u64);
    transcript.absorb_u64(cs, LABEL_STATEMENT, statement.num_factors as u64);
    transcript.absorb_u64(cs, LABEL_STATEMENT, statement.terms.len() as u64);
    for t in &statement.terms {
        transcript.absorb_fr(cs, LABEL_TERM_COEFFS, &Lc::constant(t.coeff));
        let idx: Vec<u8> = t
            .factors
            .iter()
            .flat_map(|j| (*j as u64).to_le_bytes())
            .collect();
        transcript.absorb_bytes(cs, LABEL_TERM_COEFFS, &idx);
    }
    match eq_point {
        Some(w) => transcript.absorb_frs(cs, LABEL_EQ_POINT, w),
        None => transcript.absorb_bytes(cs, LABEL_EQ_POINT, b"none"),
    }
}
