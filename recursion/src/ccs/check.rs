//! The satisfaction check: reads an untrusted `z`, so no indexing, no unwrap, no panic.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Fr, PrimeField};

use super::{Ccs, SparseMatrix};

/// Why `z` does not fit the structure (or the structure is inconsistent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CcsMalformed {
    /// `z` has the wrong length.
    #[error("z has {actual} entries, the CCS {expected} columns")]
    Length {
        /// `n_w + 1 + n_x`.
        expected: usize,
        /// `z.len()`.
        actual: usize,
    },
    /// The constant column is not 1.
    #[error("z[{column}] must be the constant 1")]
    ConstantNotOne {
        /// Column `n_w`.
        column: usize,
    },
    /// A point has the wrong number of coordinates.
    #[error("point of {actual} coordinates, expected {expected}")]
    PointLength {
        /// `⌈log m⌉`.
        expected: usize,
        /// Given.
        actual: usize,
    },
    /// A matrix entry lies outside the matrix, or a multiset names a missing matrix, or the
    /// multisets and constants differ in number.
    #[error("inconsistent CCS structure (matrix or multiset {index})")]
    Structure {
        /// The offending matrix or multiset.
        index: usize,
    },
}

/// The checks a satisfied `z` must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CcsCheck {
    /// `Σ_i c_i ∘_{j ∈ S_i} (M_j z)[row] = 0`.
    Row,
    /// An LCCCS claim `v_j = Σ_y M̃_j(r_x, y) z̃(y)` (`row` holds the matrix index `j`).
    Linearized,
    /// The witness does not open the instance's commitment (`row` 0; the name says which).
    Commitment,
    /// A relaxed R1CS row `(Az)(Bz) = u (Cz) + E` (Nova, the `Fq` side).
    RelaxedRow,
}

/// A satisfaction failure (`F`: the field of the residual).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CcsError<F: PrimeField = Fr> {
    /// `z` or the structure is malformed.
    #[error("malformed: {0}")]
    Malformed(#[from] CcsMalformed),
    /// A well-formed `z` fails a row.
    #[error("{check:?} {row} ({name}) fails: residual {residual}")]
    Rejected {
        /// Which check.
        check: CcsCheck,
        /// The first failing row.
        row: usize,
        /// Its gadget name.
        name: &'static str,
        /// `Σ_i c_i ∘_{j ∈ S_i} (M_j z)[row]`.
        residual: F,
    },
}

/// `M z`, checking every entry's position.
pub(crate) fn mul_vector<F: PrimeField>(
    m: &SparseMatrix<F>,
    index: usize,
    z: &[F],
) -> Result<Vec<F>, CcsMalformed> {
    let mut out = vec![F::ZERO; m.num_rows];
    for (r, c, v) in &m.entries {
        let zc = z.get(*c).ok_or(CcsMalformed::Structure { index })?;
        let o = out.get_mut(*r).ok_or(CcsMalformed::Structure { index })?;
        *o += *v * *zc;
    }
    Ok(out)
}

impl<F: PrimeField> Ccs<F> {
    /// Checks `z = (w, 1, x)` against every row; the error names the first failing row.
    pub fn is_satisfied(&self, z: &[F]) -> Result<(), CcsError<F>> {
        let n = self.num_cols();
        if z.len() != n {
            return Err(CcsMalformed::Length {
                expected: n,
                actual: z.len(),
            }
            .into());
        }
        if z.get(self.num_witness) != Some(&F::ONE) {
            return Err(CcsMalformed::ConstantNotOne {
                column: self.num_witness,
            }
            .into());
        }
        if self.multisets.len() != self.constants.len() {
            return Err(CcsMalformed::Structure {
                index: self.multisets.len(),
            }
            .into());
        }
        let mut products = Vec::with_capacity(self.matrices.len());
        for (j, m) in self.matrices.iter().enumerate() {
            if m.num_rows != self.num_rows || m.num_cols != n {
                return Err(CcsMalformed::Structure { index: j }.into());
            }
            products.push(mul_vector(m, j, z)?);
        }
        for (i, s) in self.multisets.iter().enumerate() {
            if s.iter().any(|j| *j >= products.len()) {
                return Err(CcsMalformed::Structure { index: i }.into());
            }
        }
        for row in 0..self.num_rows {
            let mut residual = F::ZERO;
            for (s, c) in self.multisets.iter().zip(&self.constants) {
                let mut term = *c;
                for j in s {
                    let mz = products.get(*j).and_then(|p| p.get(row));
                    term *= *mz.ok_or(CcsMalformed::Structure { index: *j })?;
                }
                residual += term;
            }
            if !residual.is_zero() {
                return Err(CcsError::Rejected {
                    check: CcsCheck::Row,
                    row,
                    name: self.row_names.get(row).copied().unwrap_or("unnamed"),
                    residual,
                });
            }
        }
        Ok(())
    }
}
