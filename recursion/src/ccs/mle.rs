//! Multilinear extensions of a CCS and the linearized instance of HyperNova (LCCCS),
//! RECURSION.md section 2 step 5.
//!
//! Rows and columns are padded with zeros to `2^s` and `2^s'` (`s = ⌈log m⌉`,
//! `s' = ⌈log n⌉`); indices follow `kaizen_sumcheck`'s variable order (`r[0]` is the most
//! significant bit of the row index), so [`kaizen_sumcheck::eq_table`] weights the rows.
//!
//! ```text
//!   M̃_j(r_x, y) = Σ_(row, col, a) ∈ M_j  eq(r_x, row) · a · [col = y]    (fold_rows: O(nnz))
//!   v_j         = Σ_y M̃_j(r_x, y) · z̃(y) = Σ_row eq(r_x, row) · (M_j z)[row]
//! ```
//!
//! An LCCCS (Kothapalli–Setty, HyperNova, ePrint 2023/573) is `(C, u, x, r_x, v_1..v_t)` with
//! witness `(w, b)` such that `v_j = Σ_y M̃_j(r_x, y) z̃(y)` for `z = (w, u, x)` and
//! `C = Com(w; b)` ([`super::committed`]); the folding algebra is in [`super::fold`].
//!
//! Untrusted instances arrive here: no indexing, no unwrap, no panic.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_msm::G1Affine;
use kaizen_sumcheck::eq_table;

use super::check::{CcsCheck, CcsError, CcsMalformed};
use super::{Ccs, SparseMatrix};

/// `⌈log2 n⌉` (0 for `n <= 1`).
pub fn log2_ceil(n: usize) -> usize {
    n.max(1).next_power_of_two().trailing_zeros() as usize
}

/// The table `y ↦ M̃(r_x, y)` over `2^s'` columns, given `eq_rx = eq_table(r_x)`.
pub fn fold_rows(
    m: &SparseMatrix,
    eq_rx: &[Fr],
    padded_cols: usize,
) -> Result<Vec<Fr>, CcsMalformed> {
    let mut out = vec![Fr::ZERO; padded_cols];
    for (r, c, a) in &m.entries {
        let e = eq_rx.get(*r).ok_or(CcsMalformed::Structure { index: 0 })?;
        let o = out
            .get_mut(*c)
            .ok_or(CcsMalformed::Structure { index: 0 })?;
        *o += *e * *a;
    }
    Ok(out)
}

/// `M̃(r_x, r_y)`: one pass over the entries with both eq tables.
pub fn evaluate(m: &SparseMatrix, r_x: &[Fr], r_y: &[Fr]) -> Result<Fr, CcsMalformed> {
    let (ex, ey) = (eq_table(r_x), eq_table(r_y));
    let mut acc = Fr::ZERO;
    for (r, c, a) in &m.entries {
        let wx = ex.get(*r).ok_or(CcsMalformed::Structure { index: 0 })?;
        let wy = ey.get(*c).ok_or(CcsMalformed::Structure { index: 0 })?;
        acc += *wx * *wy * *a;
    }
    Ok(acc)
}

/// A linearized committed CCS instance (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lcccs {
    /// `C = Com(w; b)`.
    pub commitment: G1Affine,
    /// The relaxation scalar (`z = (w, u, x)`).
    pub u: Fr,
    /// Public inputs.
    pub x: Vec<Fr>,
    /// The row point, `s` coordinates.
    pub r_x: Vec<Fr>,
    /// `v_j` for each matrix.
    pub v: Vec<Fr>,
}

impl Ccs {
    /// `s = ⌈log m⌉`.
    pub fn log_rows(&self) -> usize {
        log2_ceil(self.num_rows)
    }

    /// `s' = ⌈log n⌉`.
    pub fn log_cols(&self) -> usize {
        log2_ceil(self.num_cols())
    }

    /// `v_j = Σ_row eq(r_x, row) (M_j z)[row]` for every matrix (`z` of length `n`).
    pub fn linearize(&self, z: &[Fr], r_x: &[Fr]) -> Result<Vec<Fr>, CcsMalformed> {
        if r_x.len() != self.log_rows() {
            return Err(CcsMalformed::PointLength {
                expected: self.log_rows(),
                actual: r_x.len(),
            });
        }
        if z.len() != self.num_cols() {
            return Err(CcsMalformed::Length {
                expected: self.num_cols(),
                actual: z.len(),
            });
        }
        let eq_rx = eq_table(r_x);
        self.matrices
            .iter()
            .enumerate()
            .map(|(j, m)| {
                let mut acc = Fr::ZERO;
                for (r, c, a) in &m.entries {
                    let e = eq_rx.get(*r).ok_or(CcsMalformed::Structure { index: j })?;
                    let zc = z.get(*c).ok_or(CcsMalformed::Structure { index: j })?;
                    acc += *e * *a * *zc;
                }
                Ok(acc)
            })
            .collect()
    }

    /// The LCCCS of a witness `w` (committed as `commitment`) at `r_x` with `u = 1`.
    pub fn lcccs(
        &self,
        commitment: G1Affine,
        w: &[Fr],
        x: &[Fr],
        r_x: &[Fr],
    ) -> Result<Lcccs, CcsMalformed> {
        let z = assemble(self, w, Fr::ONE, x)?;
        Ok(Lcccs {
            commitment,
            u: Fr::ONE,
            x: x.to_vec(),
            r_x: r_x.to_vec(),
            v: self.linearize(&z, r_x)?,
        })
    }

    /// Checks `v_j = Σ_y M̃_j(r_x, y) z̃(y)` for `z = (w, u, x)` (not the commitment: that is
    /// [`super::committed::decide_lcccs`]); a failure is `Rejected { check: Linearized, row: j,
    /// .. }` with `row` the matrix index.
    pub fn check_lcccs(&self, inst: &Lcccs, w: &[Fr]) -> Result<(), CcsError> {
        if inst.v.len() != self.matrices.len() {
            return Err(CcsMalformed::Length {
                expected: self.matrices.len(),
                actual: inst.v.len(),
            }
            .into());
        }
        let z = assemble(self, w, inst.u, &inst.x)?;
        let v = self.linearize(&z, &inst.r_x)?;
        for (j, (want, got)) in v.iter().zip(&inst.v).enumerate() {
            if want != got {
                return Err(CcsError::Rejected {
                    check: CcsCheck::Linearized,
                    row: j,
                    name: "lcccs/v_j",
                    residual: *got - *want,
                });
            }
        }
        Ok(())
    }
}

/// `z = (w, u, x)` with length checks.
fn assemble(ccs: &Ccs, w: &[Fr], u: Fr, x: &[Fr]) -> Result<Vec<Fr>, CcsMalformed> {
    if w.len() != ccs.num_witness {
        return Err(CcsMalformed::Length {
            expected: ccs.num_witness,
            actual: w.len(),
        });
    }
    if x.len() != ccs.num_public {
        return Err(CcsMalformed::Length {
            expected: ccs.num_public,
            actual: x.len(),
        });
    }
    let mut z = Vec::with_capacity(ccs.num_cols());
    z.extend_from_slice(w);
    z.push(u);
    z.extend_from_slice(x);
    Ok(z)
}
