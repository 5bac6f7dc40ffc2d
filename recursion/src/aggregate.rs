//! Claim aggregation: a whole set of evaluation claims on Hyrax commitments (same
//! parameters) costs ONE inner-product opening plus `O(k)` group operations.
//!
//! ```text
//! claims  f_{c_i}(z_i) = v_i,  i < k,  on commitments T_0 .. T_{m-1} (rows T_{c,row})
//!
//! (b) points differ: alpha <- transcript; one sumcheck over x in {0,1}^n of
//!        sum_i alpha^i v_i = sum_x sum_g E_g(x) f_g(x),   E_g(x) = sum_{i: c_i = g} alpha^i eq(z_i, x)
//!     (one product term E_g * f_g per distinct commitment g, degree 2) ends at a point rho;
//!     the prover sends u_g = f_g(rho); the verifier checks the last round against
//!     sum_g E_g(rho) u_g (k eq evaluations). Claims become f_g(rho) = u_g at ONE point.
//! (a) one point z: beta <- transcript; gamma_c = sum_{j: c_j = c} beta^j;
//!        F = sum_c gamma_c f_c,   T_row(F) = sum_c gamma_c T_{c,row},   v = sum_j beta^j v_j
//!     and one Hyrax opening of F at z: the prover combines rows (field work), the verifier
//!     puts the R m points T_{c,row} with scalars gamma_c eq(z_row, row) straight into the
//!     IPA's final MSM (no separate combination).
//! ```
//!
//! Transcript (prover and verifier): params digest, `m`, every commitment's rows, `k`, every
//! claim (index, point, value); then `alpha`, the sumcheck statement and rounds, the `u_g`
//! (only when the points differ); then `beta`, then the IPA (`k`, `v`, rounds, Schnorr step).
//! The combined commitment is not absorbed: it is determined by the absorbed rows and `beta`.
//! The verifier is [`crate::aggregate_verify`].
//!
//! Zero knowledge: the opening is the zero-knowledge IPA, but the point reduction sends the
//! `u_g = f_g(rho)` in the clear (and its round messages are plain sumcheck messages), so
//! with claims at several points each polynomial reveals one more evaluation. That is hiding
//! only for polynomials that carry a random mask row (RECURSION.md section 1) or once the
//! reduction runs through the zero-knowledge sumcheck; at one point nothing extra is sent.

use kaizen_field::{batch, par, Field, Fr, PrimeField};
use kaizen_msm::hyrax::{combine_rows, row_weights};
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::{HyraxCommitment, HyraxEvalProof, HyraxOpening, IpaProof};
use kaizen_sumcheck::{
    prove, DenseTable, ProductStatement, ProductSumcheck, SumcheckProof, Term, Transcript,
};
use rand_core::{CryptoRng, RngCore};

use crate::pcs::{blinder, HyraxPcs};
use crate::transcript::TranscriptAdapter;

/// Version byte of [`BatchOpenProof`]'s encoding.
pub const ENCODING_VERSION: u8 = 1;
/// Kind byte of an encoded [`BatchOpenProof`].
pub const KIND_BATCH_OPEN: u8 = 0x11;
/// Decoder cap on the reduced evaluations (distinct commitments) of one proof.
pub const MAX_REDUCED: usize = 1 << 16;

/// Label of the parameter digest.
pub const LABEL_PARAMS: &[u8] = b"aggregate/params";
/// Label of the commitment count.
pub const LABEL_COMMITMENTS: &[u8] = b"aggregate/commitments";
/// Label of one commitment's row count.
pub const LABEL_ROWS: &[u8] = b"aggregate/rows";
/// Label of one commitment row.
pub const LABEL_ROW: &[u8] = b"aggregate/row";
/// Label of the claim count.
pub const LABEL_CLAIMS: &[u8] = b"aggregate/claims";
/// Label of a claim's commitment index.
pub const LABEL_CLAIM_INDEX: &[u8] = b"aggregate/claim-index";
/// Label of a claim's point.
pub const LABEL_CLAIM_POINT: &[u8] = b"aggregate/claim-point";
/// Label of a claim's value.
pub const LABEL_CLAIM_VALUE: &[u8] = b"aggregate/claim-value";
/// Label of the point-reduction challenge `alpha`.
pub const LABEL_ALPHA: &[u8] = b"aggregate/alpha";
/// Label of the reduced evaluations `u_g`.
pub const LABEL_REDUCED: &[u8] = b"aggregate/reduced-evals";
/// Label of the combination challenge `beta`.
pub const LABEL_BETA: &[u8] = b"aggregate/beta";

/// One claim: the polynomial of commitment number `commitment` takes `value` at `point`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Index into [`ClaimSet::commitments`].
    pub commitment: usize,
    /// The point (`n` coordinates, `point[0]` the top index bit).
    pub point: Vec<Fr>,
    /// The claimed value.
    pub value: Fr,
}

/// The public statement: commitments (same parameters) and claims on them.
#[derive(Debug, Clone)]
pub struct ClaimSet<'a> {
    /// The commitments the claims refer to.
    pub commitments: Vec<&'a HyraxCommitment>,
    /// The claims.
    pub claims: Vec<Claim>,
}

/// The prover's witness for one commitment: its table and opening.
#[derive(Debug, Clone, Copy)]
pub struct CommittedTable<'a> {
    /// The `2^n` evaluations.
    pub table: &'a [Fr],
    /// The row blinding factors.
    pub opening: &'a HyraxOpening,
}

/// The point reduction of claims at different points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointReduction {
    /// The sumcheck's round messages (`n` rounds, degree 2).
    pub sumcheck: SumcheckProof,
    /// `u_g = f_g(rho)` for every distinct commitment `g` named by a claim, in index order.
    pub evals: Vec<Fr>,
}

/// Proof of a whole [`ClaimSet`]: an optional point reduction and one IPA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOpenProof {
    /// Present exactly when the claims do not all share one point.
    pub reduction: Option<PointReduction>,
    /// The opening of the combined polynomial at the common point.
    pub opening: IpaProof,
}

impl ClaimSet<'_> {
    /// Whether every claim has the same point (then no point reduction is needed).
    pub fn single_point(&self) -> bool {
        let mut points = self.claims.iter().map(|c| &c.point);
        match points.next() {
            Some(first) => points.all(|p| p == first),
            None => true,
        }
    }

    /// The distinct commitment indices named by the claims, ascending.
    pub fn claimed_commitments(&self) -> Vec<usize> {
        claimed_commitments(&self.claims)
    }
}

/// `1, x, x^2, .., x^(k-1)`.
pub(crate) fn powers(x: Fr, k: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(k);
    let mut p = Fr::ONE;
    for _ in 0..k {
        out.push(p);
        p *= x;
    }
    out
}

/// Absorbs the statement (shared by prover and verifier; never panics).
pub(crate) fn absorb_claim_set<T: Transcript>(pcs: &HyraxPcs, t: &mut T, set: &ClaimSet<'_>) {
    t.absorb_bytes(LABEL_PARAMS, &pcs.digest());
    t.absorb_u64(LABEL_COMMITMENTS, set.commitments.len() as u64);
    for comm in &set.commitments {
        t.absorb_u64(LABEL_ROWS, comm.rows.len() as u64);
        for row in &comm.rows {
            t.absorb_group_bytes(LABEL_ROW, &row.to_compressed());
        }
    }
    t.absorb_u64(LABEL_CLAIMS, set.claims.len() as u64);
    for claim in &set.claims {
        t.absorb_u64(LABEL_CLAIM_INDEX, claim.commitment as u64);
        t.absorb_frs(LABEL_CLAIM_POINT, &claim.point);
        t.absorb_fr(LABEL_CLAIM_VALUE, &claim.value);
    }
}

/// The reduction sumcheck's statement: `sum_g E_g f_g` with factors `2g` (`E_g`) and `2g+1`
/// (`f_g`), no eq factor.
pub(crate) fn reduction_statement(num_vars: usize, groups: usize) -> ProductStatement {
    ProductStatement {
        num_vars,
        num_factors: 2 * groups,
        terms: (0..groups)
            .map(|g| Term {
                coeff: Fr::ONE,
                factors: vec![2 * g, 2 * g + 1],
            })
            .collect(),
        eq_point: None,
    }
}

/// `gamma_c = sum_{j: c_j = c} beta^j` over `(commitment, _)` pairs, for `m` commitments.
pub(crate) fn combination_weights(m: usize, claims: &[(usize, Fr)], beta: Fr) -> Vec<Fr> {
    let mut gamma = vec![Fr::ZERO; m];
    for ((c, _), b) in claims.iter().zip(powers(beta, claims.len())) {
        if let Some(g) = gamma.get_mut(*c) {
            *g += b;
        }
    }
    gamma
}

/// Claims brought to one point: the point and the `(commitment, value)` pairs at it.
pub(crate) type ReducedClaims = (Vec<Fr>, Vec<(usize, Fr)>);

/// The distinct commitment indices named by `claims`, ascending.
pub(crate) fn claimed_commitments(claims: &[Claim]) -> Vec<usize> {
    let mut used: Vec<usize> = claims.iter().map(|c| c.commitment).collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// Stage (b), prover: draws `alpha`, proves the reduction sumcheck over `n` variables
/// (`tables[c]` is commitment `c`'s table), sends and absorbs the `u_g`. Returns the common
/// point `rho`, the reduced claims `(g, u_g)` and the proof.
pub(crate) fn prove_reduction<T: Transcript>(
    transcript: &mut T,
    n: usize,
    claims: &[Claim],
    tables: &[&[Fr]],
) -> (Vec<Fr>, Vec<(usize, Fr)>, PointReduction) {
    let alpha = transcript.challenge(LABEL_ALPHA);
    let groups = claimed_commitments(claims);
    let alphas = powers(alpha, claims.len());
    let mut factors = Vec::with_capacity(2 * groups.len());
    let mut scratch = vec![Fr::ZERO; 1 << n];
    for &g in &groups {
        // E_g = sum_{i: c_i = g} alpha^i eq(z_i, .)
        let mut e = vec![Fr::ZERO; 1 << n];
        for (claim, a) in claims.iter().zip(&alphas) {
            if claim.commitment == g {
                batch::eq_expand(&mut scratch, &claim.point, *a);
                add_assign(&mut e, &scratch);
            }
        }
        factors.push(DenseTable::new(e));
        factors.push(DenseTable::new(tables[g].to_vec()));
    }
    let claim: Fr = claims.iter().zip(&alphas).map(|(c, a)| c.value * *a).sum();
    let statement = reduction_statement(n, groups.len());
    statement.absorb(transcript);
    let mut inst = ProductSumcheck::new(&statement, factors, claim);
    let out = prove(&mut inst, transcript);
    let evals: Vec<Fr> = (0..groups.len())
        .map(|g| inst.tables()[2 * g + 1].evals()[0])
        .collect();
    transcript.absorb_frs(LABEL_REDUCED, &evals);
    let pairs = groups.iter().copied().zip(evals.iter().copied()).collect();
    let reduction = PointReduction {
        sumcheck: out.proof,
        evals,
    };
    (out.point, pairs, reduction)
}

/// Proves every claim of `set`; `witness[c]` is commitment `c`'s table and opening. Caller
/// bugs (shapes, a witness count other than the commitment count) panic; a false claim gives
/// a proof the verifier rejects.
pub fn prove_batch_open<T: Transcript, R: RngCore + CryptoRng>(
    pcs: &HyraxPcs,
    transcript: &mut T,
    set: &ClaimSet<'_>,
    witness: &[CommittedTable<'_>],
    rng: &mut R,
) -> BatchOpenProof {
    let params = pcs.params();
    let n = params.num_vars();
    assert!(!set.claims.is_empty(), "aggregate: no claims");
    assert_eq!(witness.len(), set.commitments.len(), "aggregate: witnesses");
    for claim in &set.claims {
        assert!(claim.commitment < witness.len(), "aggregate: claim index");
        assert_eq!(claim.point.len(), n, "aggregate: point length");
    }
    absorb_claim_set(pcs, transcript, set);
    let blinder = blinder(rng);

    // Stage (b): bring every claim to one point.
    let (point, reduced, reduction) = if set.single_point() {
        let pairs: Vec<(usize, Fr)> = set.claims.iter().map(|c| (c.commitment, c.value)).collect();
        (set.claims[0].point.clone(), pairs, None)
    } else {
        let tables: Vec<&[Fr]> = witness.iter().map(|w| w.table).collect();
        let (point, pairs, reduction) = prove_reduction(transcript, n, &set.claims, &tables);
        (point, pairs, Some(reduction))
    };

    // Stage (a): one random combination, one opening.
    let beta = transcript.challenge(LABEL_BETA);
    let gamma = combination_weights(witness.len(), &reduced, beta);
    let (row_point, col_point) = point.split_at(params.log_rows());
    let mut a = vec![Fr::ZERO; params.cols()];
    let mut blind = Fr::ZERO;
    for (w, g) in witness.iter().zip(&gamma) {
        if g.is_zero() {
            continue;
        }
        let mut row = combine_rows(w.table, row_point);
        let g = *g;
        par::each_mut(&mut row, |o| o.iter_mut().for_each(|o| *o *= g));
        add_assign(&mut a, &row);
        blind += g * w.opening.combined_blind(row_point);
    }
    let (_, opening) = ipa::prove(
        params.gens(),
        &mut TranscriptAdapter(transcript),
        &a,
        blind,
        &PublicVector::Eq(col_point),
        &blinder,
    );
    BatchOpenProof { reduction, opening }
}

/// `out += x`, elementwise (fixed chunks, parallel above `par::THRESHOLD`).
pub(crate) fn add_assign(out: &mut [Fr], x: &[Fr]) {
    assert_eq!(out.len(), x.len(), "aggregate: add_assign lengths");
    par::zip2(out, x, |o, x| {
        for (o, x) in o.iter_mut().zip(x) {
            *o += *x;
        }
    });
}

/// The verifier's row scalars: `gamma_c eq(z_row, row)` for every row of every commitment.
pub(crate) fn row_scalars(gamma: &[Fr], row_point: &[Fr]) -> Vec<Fr> {
    let w = row_weights(row_point);
    gamma
        .iter()
        .flat_map(|g| w.iter().map(move |w| *g * *w))
        .collect()
}

impl BatchOpenProof {
    /// `version ‖ kind ‖ flag (u8) ‖ [u32 len ‖ sumcheck bytes ‖ u32 count ‖ count x u_g] ‖
    /// IPA as a Hyrax evaluation proof` (the bracket only when `flag == 1`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![ENCODING_VERSION, KIND_BATCH_OPEN];
        match &self.reduction {
            None => out.push(0),
            Some(r) => {
                out.push(1);
                let sc = r.sumcheck.to_bytes();
                put_len(&mut out, sc.len());
                out.extend_from_slice(&sc);
                put_len(&mut out, r.evals.len());
                for e in &r.evals {
                    out.extend_from_slice(&e.to_bytes());
                }
            }
        }
        let ipa = HyraxEvalProof {
            ipa: self.opening.clone(),
        };
        out.extend_from_slice(&ipa.to_bytes());
        out
    }
}

/// Appends a little-endian `u32` length (a length above `u32::MAX` is a caller bug).
pub(crate) fn put_len(out: &mut Vec<u8>, len: usize) {
    let len = u32::try_from(len).expect("aggregate: length above u32::MAX");
    out.extend_from_slice(&len.to_le_bytes());
}
