//! Convolution (stride 1, no padding, square kernel), proven on padded tensors: activations
//! and gradients `[n, co, y, x]` (every axis padded to a power of two on its own), weights
//! `K[co, (c, i, j)]`, the im2col patches `U[(n, y, x), (c, i, j)] = X[n, c, y+i, x+j]` never
//! committed (GKR [`Layer::Im2col`] / [`Layer::Col2im`] reduce claims on them to `X`).
//!
//! ```text
//! fwd  acc = U K^T + 2^f b ⊗ μ_yx          acc + 2^(f-1) = 2^f q + rem     MatMul, then Im2col
//! dW   acc = dY^T U                       (dY read as [co, (n, y, x)])     MatMul, then Im2col
//! dX   acc = col2im(dY K)                 (dY read as [(n, y, x), co])     Col2im, then MatMul
//! db   db~(p) = 2^(b+y+x) dY~(1/2.., p, 1/2..)                            check column-sum
//! ```
//! `μ_yx` is the mask of the real output positions, so padded outputs have `acc = 0`; the
//! wiring is zero outside the real window and kernel, so padded patches are 0 whatever the
//! padding of `X` holds. The accumulator's claim is never sent: it is the rescale's linear
//! combination of `q`, `rem` (and the bias), so a wrong `q` fails the GKR layer (check `conv`).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_sumcheck::gkr::{Layer, Window2d};
use kaizen_sumcheck::EvaluationClaim;

use super::builder::Builder;
use super::layout::{log2_ceil, SegId};
use super::relations::{shape_error, Relation};
use super::softmax::{class_mask, Side};
use super::verify::{half_point, pow2};
use super::wiring::{Tab, VarPerm};
use super::ProofError;
use crate::error::{NnError, Result};
use crate::layers::conv::Conv;

/// Check name of every conv GKR layer.
const CHECK: &str = "conv";

/// Shapes and operands shared by a convolution's steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvGeom {
    /// The window from the input `X` to the patches.
    pub window: Window2d,
    /// `log2` of the padded output channel count.
    pub out_ch_vars: usize,
    /// The input `X` (`[n, c, h, w]`).
    pub x: SegId,
    /// The weights `K` of `W_t` (`[co, (c, i, j)]`).
    pub w: SegId,
}

/// Which step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvKind {
    /// `q = rescale(U K^T + 2^f b)`.
    Fwd {
        /// The bias of `W_t`.
        bias: SegId,
    },
    /// `q = rescale(dY^T U)`.
    Dw {
        /// The output gradient.
        dy: SegId,
    },
    /// `q = rescale(col2im(dY K))`.
    Dx {
        /// The output gradient.
        dy: SegId,
    },
    /// `q = Σ_{n,y,x} dY` (no rescale).
    Db {
        /// The output gradient.
        dy: SegId,
    },
}

/// One relation of a convolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvStep {
    /// Relation name (the trainer's entry name of `q`).
    pub name: String,
    /// Shapes and operands.
    pub geom: ConvGeom,
    /// The step.
    pub kind: ConvKind,
    /// The result.
    pub q: SegId,
    /// Its rescale remainders (none for `db`).
    pub rem: Option<SegId>,
    /// Fractional bits `f` (the rescale shift and the bias scale).
    pub frac_bits: u32,
}

/// What the backward pass needs of a forward convolution.
pub(crate) struct ConvState {
    layer: usize,
    conv: Conv,
    geom: ConvGeom,
    batch: usize,
    b: SegId,
    w_next: SegId,
    b_next: SegId,
}

impl ConvGeom {
    /// `(b, co, y, x)` variable counts of an output-shaped tensor.
    fn out_vars(&self) -> (usize, usize, usize, usize) {
        let w = &self.window;
        (w.batch_vars, self.out_ch_vars, w.out_h_vars, w.out_w_vars)
    }

    /// Variables of a patch row `(c, i, j)`.
    fn patch_cols(&self) -> usize {
        self.window.chan_vars + 2 * self.window.kernel_vars
    }

    /// `[n, co, y, x]` read as `[(n, y, x), co]`.
    fn rows_then_channel(&self) -> VarPerm {
        let (b, c, y, x) = self.out_vars();
        VarPerm {
            ranges: vec![(0, b), (b + c, y + x), (b, c)],
        }
    }

    /// `[n, co, y, x]` read as `[co, (n, y, x)]`.
    fn channel_then_rows(&self) -> VarPerm {
        let (b, c, y, x) = self.out_vars();
        VarPerm {
            ranges: vec![(b, c), (0, b), (b + c, y + x)],
        }
    }

    /// `K[co, (c, i, j)]` read as `K^T`.
    fn kernel_transposed(&self) -> VarPerm {
        let c = self.out_ch_vars;
        VarPerm {
            ranges: vec![(c, self.patch_cols()), (0, c)],
        }
    }
}

/// Plans the forward convolution of layer `k` on `x`; returns the backward state and `q`.
pub(crate) fn forward(
    bld: &mut Builder,
    k: usize,
    conv: &Conv,
    x: SegId,
    batch: usize,
    f: u32,
) -> Result<(ConvState, SegId)> {
    let in_axes = [conv.in_ch, conv.in_h, conv.in_w];
    if conv.stride != 1 || conv.padding != 0 || bld.axes_of(x) != in_axes {
        return Err(NnError::BadParameter {
            name: "model",
            what: format!("layer {k}: only stride-1 unpadded convolutions are proven"),
        });
    }
    let [w, b, w_next, b_next] =
        bld.params(k, conv.out_ch, &[conv.in_ch, conv.kernel, conv.kernel]);
    let (oh, ow) = (conv.out_h(), conv.out_w());
    let name = format!("{k}.conv.fwd");
    let (q, rem) = bld.rescaled_tensor(&name, batch, &[conv.out_ch, oh, ow], f);
    let window = Window2d {
        batch_vars: log2_ceil(batch),
        chan_vars: log2_ceil(conv.in_ch),
        in_h_vars: log2_ceil(conv.in_h),
        in_w_vars: log2_ceil(conv.in_w),
        out_h: oh,
        out_h_vars: log2_ceil(oh),
        out_w: ow,
        out_w_vars: log2_ceil(ow),
        kernel: conv.kernel,
        kernel_vars: log2_ceil(conv.kernel),
    };
    let geom = ConvGeom {
        window,
        out_ch_vars: log2_ceil(conv.out_ch),
        x,
        w,
    };
    if bld.spec(q).vars()
        != window.batch_vars + geom.out_ch_vars + window.out_h_vars + window.out_w_vars
    {
        return Err(shape_error("conv output"));
    }
    bld.relations.push(Relation::Conv(Box::new(ConvStep {
        name,
        geom: geom.clone(),
        kind: ConvKind::Fwd { bias: b },
        q,
        rem: Some(rem),
        frac_bits: f,
    })));
    let state = ConvState {
        layer: k,
        conv: *conv,
        geom,
        batch,
        b,
        w_next,
        b_next,
    };
    Ok((state, q))
}

/// Plans the backward steps (`dX` unless the first layer, `dW`, `db`, SGD); returns `dX`.
pub(crate) fn backward(bld: &mut Builder, st: &ConvState, dy: SegId, f: u32) -> Option<SegId> {
    let (k, c) = (st.layer, &st.conv);
    let step = |bld: &mut Builder, what: &str, kind: ConvKind, rows: usize, axes: &[usize]| {
        let name = format!("{k}.conv.{what}");
        let (q, rem) = if matches!(kind, ConvKind::Db { .. }) {
            (
                bld.trace(name.clone(), rows, axes.iter().product(), 0),
                None,
            )
        } else {
            let (q, rem) = bld.rescaled_tensor(&name, rows, axes, f);
            (q, Some(rem))
        };
        bld.relations.push(Relation::Conv(Box::new(ConvStep {
            name,
            geom: st.geom.clone(),
            kind,
            q,
            rem,
            frac_bits: f,
        })));
        q
    };
    let dx = (k > 0).then(|| {
        step(
            bld,
            "dx",
            ConvKind::Dx { dy },
            st.batch,
            &[c.in_ch, c.in_h, c.in_w],
        )
    });
    let dw = step(
        bld,
        "dw",
        ConvKind::Dw { dy },
        c.out_ch,
        &[c.in_ch, c.kernel, c.kernel],
    );
    let db = step(bld, "db", ConvKind::Db { dy }, 1, &[c.out_ch]);
    bld.sgd(
        k,
        f,
        [("w", st.geom.w, st.w_next, dw), ("b", st.b, st.b_next, db)],
    );
    dx
}

fn malformed(name: &str) -> ProofError {
    ProofError::Malformed(format!("{name}: point shape"))
}

/// `2^f q + rem - 2^(f-1)` at `p` (claims on both): the accumulator the GKR layer proves.
fn rescaled_acc<S: Side>(
    side: &mut S,
    st: &ConvStep,
    p: &[Fr],
) -> std::result::Result<Fr, ProofError> {
    let q = side.claim(st.q, p.to_vec())?;
    let rem = match st.rem {
        Some(r) => side.claim(r, p.to_vec())?,
        None => return Err(malformed(&st.name)),
    };
    let f = st.frac_bits;
    Ok(pow2(f) * q + rem - pow2(f - 1))
}

/// Reduces a claim on the patches `U` of `X` to a claim on `X` (GKR Im2col).
fn patches_to_input<S: Side>(
    side: &mut S,
    st: &ConvStep,
    u: EvaluationClaim,
) -> std::result::Result<(), ProofError> {
    let g = &st.geom;
    let (x, _) = side.gkr(
        &st.name,
        CHECK,
        Layer::Im2col(g.window),
        u,
        &Tab::Seg(g.x),
        &Tab::Unused,
    )?;
    side.record(g.x, x.point, x.value)
}

/// Runs one conv step (written once for both sides).
pub(crate) fn run<S: Side>(st: &ConvStep, side: &mut S) -> std::result::Result<(), ProofError> {
    let g = &st.geom;
    let name = st.name.as_str();
    let (b, c, y, x) = g.out_vars();
    let patch_rows = g.window.patch_row_vars();
    let inner = g.patch_cols();
    let no_aux = || malformed(name);
    match &st.kind {
        ConvKind::Fwd { bias } => {
            let p = side.point(b + c + y + x);
            let acc = rescaled_acc(side, st, &p)?;
            let rest = p.get(b..).unwrap_or_default();
            let (pco, pyx) = rest.split_at(c.min(rest.len()));
            let (py, px) = pyx.split_at(y.min(pyx.len()));
            let vb = side.claim(*bias, pco.to_vec())?;
            let mask = class_mask(py, g.window.out_h) * class_mask(px, g.window.out_w);
            let acc = acc - pow2(st.frac_bits) * vb * mask;
            let point = g.rows_then_channel().to_logical(&p).ok_or_else(no_aux)?;
            let layer = Layer::MatMul {
                rows: patch_rows,
                inner,
                cols: c,
            };
            let kt = g.kernel_transposed();
            let (u, k) = side.gkr(
                name,
                CHECK,
                layer,
                EvaluationClaim { point, value: acc },
                &Tab::Im2col(g.x, g.window),
                &Tab::Perm(g.w, kt.clone()),
            )?;
            let k = k.ok_or_else(no_aux)?;
            side.record(g.w, kt.to_stored(&k.point).ok_or_else(no_aux)?, k.value)?;
            patches_to_input(side, st, u)
        }
        ConvKind::Dw { dy } => {
            let p = side.point(c + inner);
            let acc = rescaled_acc(side, st, &p)?;
            let layer = Layer::MatMul {
                rows: c,
                inner: patch_rows,
                cols: inner,
            };
            let perm = g.channel_then_rows();
            let (d, u) = side.gkr(
                name,
                CHECK,
                layer,
                EvaluationClaim {
                    point: p,
                    value: acc,
                },
                &Tab::Perm(*dy, perm.clone()),
                &Tab::Im2col(g.x, g.window),
            )?;
            side.record(*dy, perm.to_stored(&d.point).ok_or_else(no_aux)?, d.value)?;
            patches_to_input(side, st, u.ok_or_else(no_aux)?)
        }
        ConvKind::Dx { dy } => {
            let p = side.point(g.window.tensor_vars());
            let acc = rescaled_acc(side, st, &p)?;
            let perm = g.rows_then_channel();
            let (rows, cols) = (patch_rows, inner);
            let product = Tab::Product {
                lhs: Box::new(Tab::Perm(*dy, perm.clone())),
                rhs: Box::new(Tab::Seg(g.w)),
                rows,
                inner: c,
                cols,
            };
            let claim = EvaluationClaim {
                point: p,
                value: acc,
            };
            let (v, _) = side.gkr(
                name,
                CHECK,
                Layer::Col2im(g.window),
                claim,
                &product,
                &Tab::Unused,
            )?;
            let layer = Layer::MatMul {
                rows,
                inner: c,
                cols,
            };
            let (d, k) = side.gkr(
                name,
                CHECK,
                layer,
                v,
                &Tab::Perm(*dy, perm.clone()),
                &Tab::Seg(g.w),
            )?;
            let k = k.ok_or_else(no_aux)?;
            side.record(*dy, perm.to_stored(&d.point).ok_or_else(no_aux)?, d.value)?;
            side.record(g.w, k.point, k.value)
        }
        ConvKind::Db { dy } => {
            let p = side.point(c);
            let vq = side.claim(st.q, p.clone())?;
            let mut at = half_point(b, &p);
            at.extend(half_point(y + x, &[]));
            let vd = side.claim(*dy, at)?;
            side.check(vq == pow2((b + y + x) as u32) * vd, "column-sum", name)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use kaizen_field::Field;

    #[test]
    fn output_permutations_round_trip() {
        let window = Window2d {
            batch_vars: 1,
            chan_vars: 1,
            in_h_vars: 3,
            in_w_vars: 3,
            out_h: 4,
            out_h_vars: 2,
            out_w: 4,
            out_w_vars: 2,
            kernel: 3,
            kernel_vars: 2,
        };
        let g = ConvGeom {
            window,
            out_ch_vars: 2,
            x: 0,
            w: 1,
        };
        let p: Vec<Fr> = (0..7).map(|i| Fr::from_u64(i + 1)).collect();
        let logical = g.rows_then_channel().to_logical(&p).unwrap();
        let one = |i: u64| Fr::from_u64(i);
        // [n | co co | y y | x x] -> [n y y x x | co co]
        assert_eq!(
            logical,
            vec![one(1), one(4), one(5), one(6), one(7), one(2), one(3)]
        );
        assert_eq!(g.rows_then_channel().to_stored(&logical).unwrap(), p);
        let table: Vec<Fr> = (0..128u64).map(Fr::from_u64).collect();
        let perm = g.channel_then_rows();
        let gathered = perm.gather(&table);
        let pt: Vec<Fr> = (0..7).map(|i| Fr::from_u64(3 * i + 2)).collect();
        assert_eq!(
            kaizen_sumcheck::poly::evaluate_slice(&gathered, &pt),
            kaizen_sumcheck::poly::evaluate_slice(&table, &perm.to_stored(&pt).unwrap())
        );
    }
}
