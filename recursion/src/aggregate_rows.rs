//! Row-weighted claims on Hyrax tables of any row counts: ONE column sumcheck and ONE
//! inner-product opening for the whole set.
//!
//! [`crate::aggregate`] reduces claims over all `n` variables of each table (a sumcheck over
//! `2^n` entries per table, tables of equal shape). Here every table is `R_g` rows of the same
//! `C = 2^c` columns (`R_g` free: a model, a trace, a dataset), a claim weights rows with any
//! public weights, and the reduction runs over the `c` column variables only:
//!
//! ```text
//! claim k on table g_k:  Σ_r w_k[r] <M_g[r], b_k> = v_k,   b_k = Σ_j coeff_j eq(z_j, .)  (z_j ∈ F^c)
//!   (an evaluation f_g(z_row ‖ z_col) is w = eq(z_row, .) on its row block, b = eq(z_col, .))
//! alpha <- transcript
//! A_k = Σ_r w_k[r] M_g[r]                       (prover: Σ_k rows(k) C multiplications)
//! sumcheck over x ∈ {0,1}^c:  Σ_k alpha^k v_k = Σ_x Σ_k alpha^k A_k(x) b_k(x)   (degree 2;
//!   one term A_G b_G per group G of claims with equal column vectors)
//!   -> point rho, final value e = Σ_k alpha^k b_k(rho) A_k(rho)
//! e = <a, eq(rho, .)>,  a = Σ_g Σ_r W_g[r] M_g[r],  W_g[r] = Σ_{k: g_k = g} alpha^k b_k(rho) w_k[r]
//!   -> one IPA: the verifier puts the rows T_{g,r} with scalars W_g[r] into its final MSM
//! ```
//! No evaluation is sent besides the round messages: `A_k(rho)` only enters through the
//! opened combination. Soundness: `alpha` (K / |F|), the sumcheck (2c / |F|), binding of the
//! row commitments.
//!
//! Transcript: the caller's transcript MUST already hold every table's row commitments (nn's
//! statement absorbs them first); this protocol absorbs `c`, the table count and row counts,
//! every claim (table, row weights, column terms, value), then `alpha`, the sumcheck
//! statement and rounds, then the IPA. The verifier is [`crate::aggregate_rows_verify`].
//!
//! Not zero-knowledge beyond the IPA: the round messages are plain (as in
//! [`crate::aggregate`]'s point reduction).

use kaizen_field::{Field, Fr};
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::{Blinder, IpaProof, PedersenGens};
use kaizen_sumcheck::{
    eq_table, prove, DenseTable, ProductStatement, ProductSumcheck, SumcheckProof, Term, Transcript,
};
use rayon::prelude::*;

use crate::aggregate::powers;
use crate::transcript::TranscriptAdapter;

/// Kind byte of an encoded [`RowOpenProof`] (version: [`crate::aggregate::ENCODING_VERSION`]).
pub const KIND_ROW_OPEN: u8 = 0x12;
/// Label of the column variable count.
pub const LABEL_LOG_COLS: &[u8] = b"aggregate-rows/log-cols";
/// Label of the table count and of each table's row count.
pub const LABEL_TABLES: &[u8] = b"aggregate-rows/tables";
/// Label of the claim count.
pub const LABEL_CLAIMS: &[u8] = b"aggregate-rows/claims";
/// Label of a claim's table index and row-weight shape.
pub const LABEL_CLAIM_SHAPE: &[u8] = b"aggregate-rows/claim-shape";
/// Label of a claim's row-weight scalars (eq point or sparse weights).
pub const LABEL_CLAIM_ROWS: &[u8] = b"aggregate-rows/claim-rows";
/// Label of a claim's column terms.
pub const LABEL_CLAIM_COLUMNS: &[u8] = b"aggregate-rows/claim-columns";
/// Label of a claim's value.
pub const LABEL_CLAIM_VALUE: &[u8] = b"aggregate-rows/claim-value";
/// Label of the combination challenge `alpha`.
pub const LABEL_ALPHA: &[u8] = b"aggregate-rows/alpha";

/// The public row weights of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowWeights {
    /// `w[first_row + i] = eq(point, i)` for `i < 2^point.len()` (an empty point: the one row
    /// `first_row` with weight 1), zero elsewhere.
    Eq {
        /// First row of the block.
        first_row: usize,
        /// The row point (`point[0]` the top bit of `i`).
        point: Vec<Fr>,
    },
    /// `w[row] = weight` for every listed pair (repeated rows add up), zero elsewhere.
    Sparse(Vec<(usize, Fr)>),
}

impl RowWeights {
    /// `(row, weight)` of every listed row (an `Eq` block expanded), in row order for `Eq`.
    pub fn entries(&self) -> Vec<(usize, Fr)> {
        match self {
            RowWeights::Eq { first_row, point } => eq_table(point)
                .into_iter()
                .enumerate()
                .map(|(i, w)| (first_row + i, w))
                .collect(),
            RowWeights::Sparse(pairs) => pairs.clone(),
        }
    }
}

/// One term `coeff eq(point, .)` of a claim's column vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnTerm {
    /// The coefficient.
    pub coeff: Fr,
    /// The column point (`c` coordinates, `point[0]` the top column bit).
    pub point: Vec<Fr>,
}

/// `Σ_r w[r] <M_table[r], Σ_j coeff_j eq(point_j, .)> = value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowClaim {
    /// Index of the table.
    pub table: usize,
    /// The row weights.
    pub rows: RowWeights,
    /// The column vector, a sum of eq terms.
    pub columns: Vec<ColumnTerm>,
    /// The claimed value.
    pub value: Fr,
}

/// The public statement: tables (their row commitments, `2^log_cols` columns each) and claims.
#[derive(Debug, Clone)]
pub struct RowClaimSet<'a> {
    /// `log2` of the column count of every table.
    pub log_cols: usize,
    /// The row commitments of every table.
    pub tables: Vec<&'a [kaizen_msm::G1Affine]>,
    /// The claims.
    pub claims: Vec<RowClaim>,
}

/// The prover's access to a committed table: `out += w · row`, and the row blinds.
pub trait TableRows: Sync {
    /// Adds `w` times row `row` (`out.len()` columns) to `out`.
    fn add_row(&self, out: &mut [Fr], row: usize, w: Fr);
    /// The blinding factor of row `row`.
    fn blind(&self, row: usize) -> Fr;
}

/// An entry of a table held in memory: a field element or a small integer.
pub trait Entry: Copy + Send + Sync {
    /// `w · self`.
    fn scaled(self, w: Fr) -> Fr;
}

impl Entry for Fr {
    #[inline]
    fn scaled(self, w: Fr) -> Fr {
        w * self
    }
}

macro_rules! small_entry {
    ($($t:ty),*) => {$(
        impl Entry for $t {
            #[inline]
            fn scaled(self, w: Fr) -> Fr {
                w.mul_small(i64::from(self))
            }
        }
    )*};
}
small_entry!(i8, i16, i32, i64);

/// A table held in memory, row-major, with its row blinds.
#[derive(Debug, Clone, Copy)]
pub struct DenseRows<'a, S> {
    /// The entries (`rows · 2^log_cols`).
    pub entries: &'a [S],
    /// `log2` of the row length.
    pub log_cols: usize,
    /// One blind per row.
    pub blinds: &'a [Fr],
}

impl<S: Entry> TableRows for DenseRows<'_, S> {
    fn add_row(&self, out: &mut [Fr], row: usize, w: Fr) {
        let c = 1usize << self.log_cols;
        let src = &self.entries[row * c..(row + 1) * c];
        for (o, x) in out.iter_mut().zip(src) {
            *o += x.scaled(w);
        }
    }

    fn blind(&self, row: usize) -> Fr {
        self.blinds[row]
    }
}

/// Proof of a [`RowClaimSet`]: the column sumcheck and one IPA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOpenProof {
    /// `c` rounds of degree 2.
    pub sumcheck: SumcheckProof,
    /// The opening of the combined row vector at the sumcheck's point.
    pub opening: IpaProof,
}

/// Absorbs the statement (prover and verifier; never panics).
pub(crate) fn absorb_row_claims<T: Transcript>(t: &mut T, set: &RowClaimSet<'_>) {
    t.absorb_u64(LABEL_LOG_COLS, set.log_cols as u64);
    t.absorb_u64(LABEL_TABLES, set.tables.len() as u64);
    for rows in &set.tables {
        t.absorb_u64(LABEL_TABLES, rows.len() as u64);
    }
    t.absorb_u64(LABEL_CLAIMS, set.claims.len() as u64);
    for claim in &set.claims {
        t.absorb_u64(LABEL_CLAIM_SHAPE, claim.table as u64);
        match &claim.rows {
            RowWeights::Eq { first_row, point } => {
                t.absorb_u64(LABEL_CLAIM_SHAPE, 0);
                t.absorb_u64(LABEL_CLAIM_SHAPE, *first_row as u64);
                t.absorb_frs(LABEL_CLAIM_ROWS, point);
            }
            RowWeights::Sparse(pairs) => {
                t.absorb_u64(LABEL_CLAIM_SHAPE, 1);
                t.absorb_u64(LABEL_CLAIM_SHAPE, pairs.len() as u64);
                for (row, w) in pairs {
                    t.absorb_u64(LABEL_CLAIM_ROWS, *row as u64);
                    t.absorb_fr(LABEL_CLAIM_ROWS, w);
                }
            }
        }
        t.absorb_u64(LABEL_CLAIM_COLUMNS, claim.columns.len() as u64);
        for term in &claim.columns {
            t.absorb_fr(LABEL_CLAIM_COLUMNS, &term.coeff);
            t.absorb_frs(LABEL_CLAIM_COLUMNS, &term.point);
        }
        t.absorb_fr(LABEL_CLAIM_VALUE, &claim.value);
    }
}

/// Claims grouped by equal column vectors, groups in order of first appearance: the group of
/// every claim and the group count. Claims of one group share `b`, so the sumcheck carries one
/// term `A_G b_G` per group, `A_G = Σ_{k ∈ G} alpha^k A_k` (evaluations of one relation point
/// on many segments all have the same column point).
pub(crate) fn column_groups(claims: &[RowClaim]) -> (Vec<usize>, usize) {
    let mut firsts: Vec<usize> = Vec::new();
    let mut group = Vec::with_capacity(claims.len());
    for (k, claim) in claims.iter().enumerate() {
        let found = firsts.iter().position(|&f| {
            claims
                .get(f)
                .is_some_and(|other| other.columns == claim.columns)
        });
        group.push(found.unwrap_or_else(|| {
            firsts.push(k);
            firsts.len() - 1
        }));
    }
    (group, firsts.len())
}

/// The column sumcheck's statement: `Σ_G A_G b_G`, factors `2G` (`A_G`), `2G + 1` (`b_G`).
pub(crate) fn column_statement(log_cols: usize, groups: usize) -> ProductStatement {
    ProductStatement {
        num_vars: log_cols,
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

/// `b(x) = Σ_j coeff_j eq(point_j, x)` over `{0,1}^c`.
fn column_vector(columns: &[ColumnTerm], c: usize) -> Vec<Fr> {
    let mut b = vec![Fr::ZERO; c];
    for term in columns {
        for (o, e) in b.iter_mut().zip(eq_table(&term.point)) {
            *o += term.coeff * e;
        }
    }
    b
}

/// `b(rho) = Σ_j coeff_j eq(point_j, rho)` (lengths checked by the caller).
pub(crate) fn column_at(columns: &[ColumnTerm], rho: &[Fr]) -> Fr {
    columns
        .iter()
        .map(|t| t.coeff * kaizen_sumcheck::eq_eval(&t.point, rho))
        .sum()
}

/// Proves every claim of `set`; `witness[g]` gives table `g`'s rows and blinds. Caller bugs
/// (no claims, a table index, row or point length out of shape) panic; a false claim gives a
/// proof the verifier rejects. Deterministic: every `A_k` is summed in row order, whatever
/// the thread count.
pub fn prove_row_open<T: Transcript>(
    gens: &PedersenGens,
    transcript: &mut T,
    set: &RowClaimSet<'_>,
    witness: &[&dyn TableRows],
    blinder: &Blinder,
) -> RowOpenProof {
    let c = 1usize << set.log_cols;
    assert!(!set.claims.is_empty(), "aggregate-rows: no claims");
    assert_eq!(witness.len(), set.tables.len(), "aggregate-rows: witnesses");
    absorb_row_claims(transcript, set);
    let alpha = transcript.challenge(LABEL_ALPHA);
    let alphas = powers(alpha, set.claims.len());

    // A_k = Σ_r w_k[r] M_g[r], one claim per task (rows summed in order).
    let combined: Vec<Vec<Fr>> = set
        .claims
        .par_iter()
        .map(|claim| {
            let rows = witness[claim.table];
            let mut a = vec![Fr::ZERO; c];
            for (row, w) in claim.rows.entries() {
                if !w.is_zero() {
                    rows.add_row(&mut a, row, w);
                }
            }
            a
        })
        .collect();
    // A_G and b_G per group; the sum the tables really give (the claimed values are not
    // checked here: a false one leaves the verifier's sum off, caught at the opening).
    let (group_of, groups) = column_groups(&set.claims);
    let mut group_a = vec![vec![Fr::ZERO; c]; groups];
    let mut group_b: Vec<Option<Vec<Fr>>> = vec![None; groups];
    for (((claim, ak), al), &g) in set.claims.iter().zip(&combined).zip(&alphas).zip(&group_of) {
        for (o, x) in group_a[g].iter_mut().zip(ak) {
            *o += *al * *x;
        }
        if group_b[g].is_none() {
            group_b[g] = Some(column_vector(&claim.columns, c));
        }
    }
    let mut factors = Vec::with_capacity(2 * groups);
    let mut sum = Fr::ZERO;
    for (a, b) in group_a.into_iter().zip(group_b) {
        let b = b.unwrap_or_else(|| vec![Fr::ZERO; c]);
        sum += a.iter().zip(&b).map(|(x, y)| *x * *y).sum::<Fr>();
        factors.push(DenseTable::new(a));
        factors.push(DenseTable::new(b));
    }
    let statement = column_statement(set.log_cols, groups);
    statement.absorb(transcript);
    let mut inst = ProductSumcheck::new(&statement, factors, sum);
    let out = prove(&mut inst, transcript);
    let rho = out.point;

    // a = Σ_k alpha^k b_k(rho) A_k, blind = Σ_k alpha^k b_k(rho) Σ_r w_k[r] blind_g[r].
    let mut a = vec![Fr::ZERO; c];
    let mut blind = Fr::ZERO;
    for ((claim, ak), al) in set.claims.iter().zip(&combined).zip(&alphas) {
        let s = *al * column_at(&claim.columns, &rho);
        for (o, x) in a.iter_mut().zip(ak) {
            *o += s * *x;
        }
        let rows = witness[claim.table];
        for (row, w) in claim.rows.entries() {
            blind += s * w * rows.blind(row);
        }
    }
    let (_, opening) = ipa::prove(
        gens,
        &mut TranscriptAdapter(transcript),
        &a,
        blind,
        &PublicVector::Eq(&rho),
        blinder,
    );
    RowOpenProof {
        sumcheck: out.proof,
        opening,
    }
}

impl RowOpenProof {
    /// `version ‖ kind ‖ u32 len ‖ sumcheck bytes ‖ IPA as a Hyrax evaluation proof`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![crate::aggregate::ENCODING_VERSION, KIND_ROW_OPEN];
        let sc = self.sumcheck.to_bytes();
        crate::aggregate::put_len(&mut out, sc.len());
        out.extend_from_slice(&sc);
        let ipa = kaizen_msm::HyraxEvalProof {
            ipa: self.opening.clone(),
        };
        out.extend_from_slice(&ipa.to_bytes());
        out
    }
}
