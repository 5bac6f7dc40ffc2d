//! Customizable constraint systems over a prime field (`Fr` or `Fq`; Setty–Thaler–Wahby, ePrint 2023/552) and a small
//! builder for them (RECURSION.md section 2: the step circuit is a CCS, a Poseidon S-box one
//! degree-5 row).
//!
//! A CCS is `t` sparse matrices `M_j ∈ F^(m×n)`, `q` multisets `S_i ⊆ {0..t-1}` and constants
//! `c_i`; `z ∈ F^n` satisfies it when
//!
//! ```text
//!   Σ_i c_i · ∘_{j ∈ S_i} (M_j z) = 0          (∘: entry-wise product over the m rows)
//! ```
//!
//! Column layout, as in the paper and HyperNova: `z = (w, 1, x)`
//!
//! ```text
//!   column:  0 .. n_w-1 | n_w | n_w+1 .. n_w+n_x
//!   value:   witness w  |  1  | public inputs x
//! ```
//!
//! R1CS is the case `t = 3`, `S = {{0, 1}, {2}}`, `c = (1, −1)`. The builder adds a fourth
//! matrix for degree-5 rows, `S = {{0, 1}, {2}, {3,3,3,3,3}}`, `c = (1, −1, 1)`.
//!
//! | item | contents |
//! |---|---|
//! | [`ConstraintSystem`] | allocate public / witness variables with values, R1CS and `x^5` rows, [`ConstraintSystem::build`] |
//! | [`Var`], [`Lc`] | variables and sorted linear combinations |
//! | [`Ccs`], [`SparseMatrix`] | the structure: `(row, col, value)` matrices, multisets, constants, row names |
//! | [`Ccs::is_satisfied`] | the first unsatisfied row, by index and name (module [`check`]) |
//! | [`Ccs::digest`] | a digest of the structure for the public-parameter digest |
//! | [`fold`] | HyperNova multi-folding algebra: the cube values of `g`, its claim, the final evaluation `e(σ, θ)`, the instance fold (commitments included) |
//! | [`nimfs`] | the multi-folding prover: [`nimfs::FoldingSumcheck`] (degree `d + 1`) and [`nimfs::prove_fold`]; [`fold::verify_fold`] mirrors it |
//! | [`mle`] | matrix MLEs `M̃_j(r_x, y)` (row fold, point evaluation), [`Lcccs`] and its linearized check |
//! | [`committed`] | [`CommitmentKey`] (Pedersen over G1), [`Cccs`], [`CcsWitness`], the deciders [`decide_cccs`] / [`decide_lcccs`], the 128-bit fold challenge, commitment and witness folds |

pub mod builder;
pub mod check;
pub mod committed;
pub mod fold;
pub mod lc;
pub mod mle;
pub mod nimfs;

pub use builder::{Assignment, ConstraintSystem};
pub use check::{CcsCheck, CcsError, CcsMalformed};
pub use committed::{decide_cccs, decide_lcccs, Cccs, CcsWitness, CommitmentKey};
pub use lc::{Lc, Var};
pub use mle::Lcccs;

use kaizen_field::{Fr, PrimeField};
use kaizen_sumcheck::{Sha256Transcript, Transcript};

/// A sparse matrix over `F` as `(row, col, value)` entries, sorted by row then column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparseMatrix<F: PrimeField = Fr> {
    /// Rows `m`.
    pub num_rows: usize,
    /// Columns `n`.
    pub num_cols: usize,
    /// `(row, col, value)`, sorted by `(row, col)`, no duplicate position.
    pub entries: Vec<(usize, usize, F)>,
}

/// A CCS structure over `F` (`Fr` for the step circuit, `Fq` for the CycleFold side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ccs<F: PrimeField = Fr> {
    /// Rows `m`.
    pub num_rows: usize,
    /// Witness length `n_w`.
    pub num_witness: usize,
    /// Public input length `n_x`.
    pub num_public: usize,
    /// `M_0 .. M_(t-1)`, each `m × n` with `n = n_w + 1 + n_x`.
    pub matrices: Vec<SparseMatrix<F>>,
    /// `S_0 .. S_(q-1)`: indices into `matrices`, repeats allowed.
    pub multisets: Vec<Vec<usize>>,
    /// `c_0 .. c_(q-1)`.
    pub constants: Vec<F>,
    /// The gadget name of each row (diagnostics only: not part of the digest).
    pub row_names: Vec<&'static str>,
}

/// Protocol label of the structure digest.
pub const PROTOCOL_CCS_DIGEST: &[u8] = b"kaizen/ccs/digest/v1";

impl<F: PrimeField> Ccs<F> {
    /// Columns `n = n_w + 1 + n_x`.
    pub fn num_cols(&self) -> usize {
        self.num_witness + 1 + self.num_public
    }

    /// Degree `d`: the largest multiset.
    pub fn degree(&self) -> usize {
        self.multisets.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Non-zero entries over all matrices.
    pub fn nnz(&self) -> usize {
        self.matrices.iter().map(|m| m.entries.len()).sum()
    }

    /// Whether this is R1CS (`t = 3`, `S = {{0,1},{2}}`, `c = (1, −1)`).
    pub fn is_r1cs(&self) -> bool {
        self.matrices.len() == 3
            && self.multisets == [vec![0, 1], vec![2]]
            && self.constants == [F::ONE, -F::ONE]
    }

    /// A digest of the structure in `Fr` (SHA-256 transcript, labelled and length-prefixed):
    /// the field's modulus, dimensions, every matrix's entries, multisets and constants (as
    /// canonical bytes). Row names are excluded.
    pub fn digest(&self) -> Fr {
        let mut t = Sha256Transcript::new(PROTOCOL_CCS_DIGEST);
        let modulus: Vec<u8> = F::MODULUS.iter().flat_map(|l| l.to_le_bytes()).collect();
        t.absorb_bytes(b"ccs/field", &modulus);
        t.absorb_u64(b"ccs/rows", self.num_rows as u64);
        t.absorb_u64(b"ccs/witness", self.num_witness as u64);
        t.absorb_u64(b"ccs/public", self.num_public as u64);
        t.absorb_u64(b"ccs/matrices", self.matrices.len() as u64);
        for m in &self.matrices {
            let mut bytes = Vec::with_capacity(16 + 48 * m.entries.len());
            bytes.extend_from_slice(&(m.num_rows as u64).to_le_bytes());
            bytes.extend_from_slice(&(m.num_cols as u64).to_le_bytes());
            for (r, c, v) in &m.entries {
                bytes.extend_from_slice(&(*r as u64).to_le_bytes());
                bytes.extend_from_slice(&(*c as u64).to_le_bytes());
                bytes.extend_from_slice(&v.to_bytes());
            }
            t.absorb_bytes(b"ccs/matrix", &bytes);
        }
        for s in &self.multisets {
            let bytes: Vec<u8> = s.iter().flat_map(|j| (*j as u64).to_le_bytes()).collect();
            t.absorb_bytes(b"ccs/multiset", &bytes);
        }
        let constants: Vec<u8> = self.constants.iter().flat_map(|c| c.to_bytes()).collect();
        t.absorb_bytes(b"ccs/constants", &constants);
        t.challenge(b"ccs/digest")
    }
}
