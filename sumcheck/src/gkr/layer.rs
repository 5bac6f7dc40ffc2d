//! Layer kinds: shapes, the forward computation, and the prover's sumcheck instance for a
//! combination of claims on the layer's output. The verifier's half (the expected final value
//! and the claims on the inputs) is `super::verify::reduce_layer`, shared with the prover.
//!
//! Tables follow the crate's variable order (`x_0` is the most significant index bit); a
//! `2^a × 2^b` matrix is row-major, so a point on it is `[row (a) ‖ column (b)]`.

use kaizen_field::Fr;
use rayon::prelude::*;

use super::window::{tables, Window2d};
use super::{LABEL_GKR_CIRCUIT, MAX_VARS};
use crate::poly::{eq_table, DenseTable};
use crate::product::{ProductStatement, ProductSumcheck, Term};
use crate::transcript::Transcript;
use crate::verifier::EvaluationClaim;

/// One layer of a [`Circuit`](super::Circuit): `out = op(in, aux)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layer {
    /// `out = in · aux`: `in` is `2^rows × 2^inner`, `aux` is `2^inner × 2^cols`, `out` is
    /// `2^rows × 2^cols` (all row-major). Thaler's matmul sumcheck over the inner index:
    /// `out~(r_i, r_j) = Σ_k in~(r_i, k) aux~(k, r_j)`.
    MatMul {
        /// `log2` of the row count.
        rows: usize,
        /// `log2` of the inner dimension.
        inner: usize,
        /// `log2` of the column count.
        cols: usize,
    },
    /// `out = in ∘ aux` (entry-wise), `2^vars` entries each.
    Hadamard {
        /// Variables of every table.
        vars: usize,
    },
    /// `out = a · in + b · aux` (entry-wise), `2^vars` entries each. Linear: no sumcheck.
    LinComb {
        /// Variables of every table.
        vars: usize,
        /// Coefficient of `in`.
        a: Fr,
        /// Coefficient of `aux`.
        b: Fr,
    },
    /// `out = im2col(in)`: the patch matrix of a 2-D sliding window over the tensor `in`
    /// ([`Window2d`]); no auxiliary operand (`aux` is one unused entry). Sumcheck over the
    /// tensor: `out~(r) = Σ_z in(z) W_r(z)`, `W_r` evaluated by the verifier per axis.
    Im2col(Window2d),
    /// `out = col2im(in)`: the scatter-add transpose of [`Layer::Im2col`] (patch matrix in,
    /// tensor out); no auxiliary operand. Sumcheck over the patch matrix.
    Col2im(Window2d),
}

impl Layer {
    /// Variables of the carried input.
    pub fn input_vars(&self) -> usize {
        match self {
            Self::MatMul { rows, inner, .. } => rows + inner,
            Self::Hadamard { vars } | Self::LinComb { vars, .. } => *vars,
            Self::Im2col(w) => w.tensor_vars(),
            Self::Col2im(w) => w.patch_vars(),
        }
    }

    /// Variables of the auxiliary operand.
    pub fn aux_vars(&self) -> usize {
        match self {
            Self::MatMul { inner, cols, .. } => inner + cols,
            Self::Hadamard { vars } | Self::LinComb { vars, .. } => *vars,
            Self::Im2col(_) | Self::Col2im(_) => 0,
        }
    }

    /// Variables of the output.
    pub fn output_vars(&self) -> usize {
        match self {
            Self::MatMul { rows, cols, .. } => rows + cols,
            Self::Hadamard { vars } | Self::LinComb { vars, .. } => *vars,
            Self::Im2col(w) => w.patch_vars(),
            Self::Col2im(w) => w.tensor_vars(),
        }
    }

    /// Rounds of the layer's sumcheck (0 for a linear layer).
    pub fn num_rounds(&self) -> usize {
        match self {
            Self::MatMul { inner, .. } => *inner,
            Self::Hadamard { vars } => *vars,
            Self::LinComb { .. } => 0,
            Self::Im2col(w) => w.tensor_vars(),
            Self::Col2im(w) => w.patch_vars(),
        }
    }

    /// Degree bound of the layer's sumcheck.
    pub fn degree(&self) -> usize {
        match self {
            Self::MatMul { .. } | Self::Im2col(_) | Self::Col2im(_) => 2,
            Self::Hadamard { .. } => 3,
            Self::LinComb { .. } => 0,
        }
    }

    /// Whether the layer runs a sumcheck.
    pub fn has_sumcheck(&self) -> bool {
        !matches!(self, Self::LinComb { .. })
    }

    /// Number of evaluations the prover sends for `claims` claims on the output.
    pub fn num_evals(&self, claims: usize) -> usize {
        match self {
            Self::MatMul { .. } | Self::LinComb { .. } => 2 * claims,
            Self::Hadamard { .. } => 2,
            Self::Im2col(_) | Self::Col2im(_) => 1,
        }
    }

    /// Sizes within [`MAX_VARS`] (and a consistent window).
    pub(crate) fn is_valid(&self) -> bool {
        let window_ok = match self {
            Self::Im2col(w) | Self::Col2im(w) => w.is_valid(),
            _ => true,
        };
        window_ok
            && self.input_vars() <= MAX_VARS
            && self.aux_vars() <= MAX_VARS
            && self.output_vars() <= MAX_VARS
    }

    /// Absorbs the kind and shape.
    pub(crate) fn absorb<T: Transcript>(&self, transcript: &mut T) {
        match self {
            Self::MatMul { rows, inner, cols } => {
                transcript.absorb_bytes(LABEL_GKR_CIRCUIT, b"matmul");
                for v in [rows, inner, cols] {
                    transcript.absorb_u64(LABEL_GKR_CIRCUIT, *v as u64);
                }
            }
            Self::Hadamard { vars } => {
                transcript.absorb_bytes(LABEL_GKR_CIRCUIT, b"hadamard");
                transcript.absorb_u64(LABEL_GKR_CIRCUIT, *vars as u64);
            }
            Self::LinComb { vars, a, b } => {
                transcript.absorb_bytes(LABEL_GKR_CIRCUIT, b"lincomb");
                transcript.absorb_u64(LABEL_GKR_CIRCUIT, *vars as u64);
                transcript.absorb_frs(LABEL_GKR_CIRCUIT, &[*a, *b]);
            }
            Self::Im2col(w) | Self::Col2im(w) => {
                let kind: &[u8] = if matches!(self, Self::Im2col(_)) {
                    b"im2col"
                } else {
                    b"col2im"
                };
                transcript.absorb_bytes(LABEL_GKR_CIRCUIT, kind);
                for v in w.numbers() {
                    transcript.absorb_u64(LABEL_GKR_CIRCUIT, v as u64);
                }
            }
        }
    }

    /// The layer's output from its input and auxiliary operand (prover side; panics on
    /// tables of the wrong size, a caller bug).
    pub fn forward(&self, input: &[Fr], aux: &[Fr]) -> Vec<Fr> {
        assert_eq!(
            input.len(),
            1 << self.input_vars(),
            "kaizen-sumcheck: layer input size"
        );
        assert_eq!(
            aux.len(),
            1 << self.aux_vars(),
            "kaizen-sumcheck: layer aux size"
        );
        match self {
            Self::MatMul { rows, inner, cols } => {
                let (k, n) = (1usize << inner, 1usize << cols);
                let mut out = vec![Fr::ZERO; (1usize << rows) * n];
                out.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
                    let a = &input[i * k..(i + 1) * k];
                    for (kk, x) in a.iter().enumerate() {
                        let w = &aux[kk * n..(kk + 1) * n];
                        for (o, y) in row.iter_mut().zip(w) {
                            *o += *x * *y;
                        }
                    }
                });
                out
            }
            Self::Hadamard { .. } => input.iter().zip(aux).map(|(x, y)| *x * *y).collect(),
            Self::LinComb { a, b, .. } => input
                .iter()
                .zip(aux)
                .map(|(x, y)| *a * *x + *b * *y)
                .collect(),
            Self::Im2col(w) => tables::im2col(w, input),
            Self::Col2im(w) => tables::col2im(w, input),
        }
    }

    /// The prover's sumcheck instance for `Σ_c coeffs[c] · out(claims[c].point)`, or `None`
    /// for a linear layer. The instance's tables end (after the last round) at the values
    /// [`Layer::final_evals`] reads.
    pub(crate) fn instance(
        &self,
        claims: &[EvaluationClaim],
        coeffs: &[Fr],
        input: &[Fr],
        aux: &[Fr],
    ) -> Option<ProductSumcheck> {
        let claim: Fr = claims.iter().zip(coeffs).map(|(c, a)| c.value * *a).sum();
        match self {
            Self::MatMul { rows, inner, cols } => {
                let (k, n) = (1usize << inner, 1usize << cols);
                let mut tables = Vec::with_capacity(2 * claims.len());
                let mut terms = Vec::with_capacity(claims.len());
                for (c, (cl, coeff)) in claims.iter().zip(coeffs).enumerate() {
                    let (r_i, r_j) = cl.point.split_at(*rows);
                    // in~(r_i, ·): rows combined with eq(r_i, ·).
                    let e_i = eq_table(r_i);
                    let mut a = vec![Fr::ZERO; k];
                    for (row, e) in input.chunks(k).zip(&e_i) {
                        for (o, x) in a.iter_mut().zip(row) {
                            *o += *e * *x;
                        }
                    }
                    // aux~(·, r_j): each row's inner product with eq(r_j, ·).
                    let e_j = eq_table(r_j);
                    let b: Vec<Fr> = aux
                        .par_chunks(n)
                        .map(|row| row.iter().zip(&e_j).map(|(x, e)| *x * *e).sum())
                        .collect();
                    tables.push(DenseTable::new(a));
                    tables.push(DenseTable::new(b));
                    terms.push(Term {
                        coeff: *coeff,
                        factors: vec![2 * c, 2 * c + 1],
                    });
                }
                let st = ProductStatement {
                    num_vars: *inner,
                    num_factors: tables.len(),
                    terms,
                    eq_point: None,
                };
                Some(ProductSumcheck::new(&st, tables, claim))
            }
            Self::Hadamard { vars } => {
                let (f, g) = (
                    DenseTable::new(input.to_vec()),
                    DenseTable::new(aux.to_vec()),
                );
                if let [only] = claims {
                    // One claim (coefficient 1): the split eq of the product prover.
                    let st = ProductStatement::eq_prod(only.point.clone(), 2);
                    return Some(ProductSumcheck::new(&st, vec![f, g], claim));
                }
                // Several: E(y) = Σ_c α_c eq(p_c, y) as a dense factor.
                let mut e = vec![Fr::ZERO; 1 << vars];
                for (cl, coeff) in claims.iter().zip(coeffs) {
                    for (o, x) in e.iter_mut().zip(eq_table(&cl.point)) {
                        *o += *coeff * x;
                    }
                }
                let st = ProductStatement {
                    num_vars: *vars,
                    num_factors: 3,
                    terms: vec![Term {
                        coeff: Fr::ONE,
                        factors: vec![0, 1, 2],
                    }],
                    eq_point: None,
                };
                Some(ProductSumcheck::new(
                    &st,
                    vec![DenseTable::new(e), f, g],
                    claim,
                ))
            }
            Self::LinComb { .. } => None,
            Self::Im2col(w) | Self::Col2im(w) => {
                // Σ_c α_c out~(r_c) = Σ_z in(z) · Σ_c α_c W_{r_c}(z): factors [in, wiring].
                let points: Vec<&[Fr]> = claims.iter().map(|c| c.point.as_slice()).collect();
                let wiring = if matches!(self, Self::Im2col(_)) {
                    tables::im2col_wiring(w, &points, coeffs)
                } else {
                    tables::col2im_wiring(w, &points, coeffs)
                };
                let st = ProductStatement::prod2(self.num_rounds());
                let tables = vec![DenseTable::new(input.to_vec()), DenseTable::new(wiring)];
                Some(ProductSumcheck::new(&st, tables, claim))
            }
        }
    }

    /// The evaluations the prover sends: read from the bound instance, or (linear layer)
    /// computed at each claim's point.
    pub(crate) fn final_evals(
        &self,
        claims: &[EvaluationClaim],
        instance: Option<&ProductSumcheck>,
        input: &[Fr],
        aux: &[Fr],
    ) -> Vec<Fr> {
        match (self, instance) {
            (Self::MatMul { .. }, Some(inst)) => {
                inst.tables().iter().map(|t| t.evals()[0]).collect()
            }
            (Self::Im2col(_) | Self::Col2im(_), Some(inst)) => {
                inst.tables().iter().take(1).map(|t| t.evals()[0]).collect()
            }
            (Self::Hadamard { .. }, Some(inst)) => {
                let t = inst.tables();
                let skip = t.len() - 2;
                t[skip..].iter().map(|t| t.evals()[0]).collect()
            }
            _ => {
                let (f, g) = (
                    DenseTable::new(input.to_vec()),
                    DenseTable::new(aux.to_vec()),
                );
                claims
                    .iter()
                    .flat_map(|c| [f.evaluate(&c.point), g.evaluate(&c.point)])
                    .collect()
            }
        }
    }
}
