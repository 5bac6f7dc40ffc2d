//! The relation plan of a model: which segments exist, where their values come from, and which
//! relations tie them, in proof order. Prover and verifier both walk [`Plan::relations`] then
//! [`Plan::ranges`]; nothing here depends on witness values.
//!
//! For a chain of dense, ReLU, convolution and max-pool layers (`k` = layer index, `L` =
//! layer count, `B` = batch):
//!
//! | relation | tables | claims out |
//! |---|---|---|
//! | `k.dense.fwd` | `q, rem` of `X_k W_k^T + 2^f b_k` | `X_k`, `W_k` (model), `b_k` |
//! | `k.relu.fwd` | `out = z ∘ sign` | `z`, `sign` |
//! | `k.dense.dx` / `k.dense.dw` | `q, rem` of `dy W_k` / `dy^T X_k` | `dy`, `W_k` / `dy`, `X_k` |
//! | `k.dense.db` | `db = Σ_b dy` | `dy` at `(1/2, .., 1/2) ‖ p` |
//! | `k.relu.dx` | `dx = dy ∘ sign` | `dy`, `sign` |
//! | `k.sgd.{w,b}` | `(old - new) 2^f = lr g + 2^(f-1) - rem` | model, next model, `g`, `rem` |
//! | `k.{w,b}.pad` | padding of `W_t`'s tensor is zero (Hadamard with a public mask) | model |
//! | `L.softmax` | max, exp index, clamp, exp lookup, sums, division (see `softmax`) | logits, softmax arrays |
//! | ranges | LogUp per width over packed linear combinations | every term, multiplicities |
//! | input | `X_0 = D[schedule rows]`, `grad = p - 2^f onehot(D's labels)` | `X_0`, `grad`, `p`, dataset |
//! | `k.conv.{fwd,dw,dx,db}` | convolution steps (see [`super::conv`]) | `X_k`, `W_k`, `dy` |
//! | `k.maxpool.{fwd,dx}` | max-pool steps (see [`super::pool`]) | input, output, choice, gap, `dy` |

use std::collections::BTreeMap;

use super::layout::{log2_ceil, Home, SegId, SegmentSpec};
use crate::error::{NnError, Result};
use crate::fixed::FixedPoint;
use crate::model::{Architecture, LayerSpec};

/// A MatMul operand: a segment, read as stored or transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operand {
    /// The segment.
    pub seg: SegId,
    /// Whether the logical matrix is the segment's transpose.
    pub transposed: bool,
}

/// `acc = lhs · rhs (+ 2^f bias)` rescaled: `acc + 2^(s-1) = q 2^s + rem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatMulRescale {
    /// Relation name (the trainer's entry name of `q`).
    pub name: String,
    /// Quotients, `2^rows x 2^cols`.
    pub q: SegId,
    /// Remainders, same shape.
    pub rem: SegId,
    /// `2^rows x 2^inner`.
    pub lhs: Operand,
    /// `2^inner x 2^cols`.
    pub rhs: Operand,
    /// Bias over the columns, added at scale `2^shift`.
    pub bias: Option<SegId>,
    /// `log2` rows.
    pub rows: usize,
    /// `log2` inner dimension.
    pub inner: usize,
    /// `log2` columns.
    pub cols: usize,
    /// The rescale shift `s`.
    pub shift: u32,
}

/// `out = lhs ∘ rhs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hadamard {
    /// Relation name.
    pub name: String,
    /// Output segment.
    pub out: SegId,
    /// Carried input (GKR `in`).
    pub lhs: SegId,
    /// Auxiliary input (GKR `aux`).
    pub rhs: SegId,
}

/// `out[c] = Σ_r input[r, c]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSum {
    /// Relation name.
    pub name: String,
    /// `2^cols` sums.
    pub out: SegId,
    /// `2^rows x 2^cols`.
    pub input: SegId,
}

/// `(old - new) 2^f = lr grad + 2^(f-1) - rem` entry-wise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sgd {
    /// Relation name.
    pub name: String,
    /// `W_t` tensor (model block of `J_t`).
    pub old: SegId,
    /// `W_{t+1}` tensor.
    pub new: SegId,
    /// Gradient (summed over the batch, scale `2^f`).
    pub grad: SegId,
    /// Remainders.
    pub rem: SegId,
}

/// One relation of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// Matrix product with rescale.
    MatMul(MatMulRescale),
    /// Entry-wise product.
    Hadamard(Hadamard),
    /// Sum over rows.
    ColumnSum(ColumnSum),
    /// SGD update.
    Sgd(Sgd),
    /// Softmax and the cross-entropy gradient.
    Softmax(Box<super::softmax::Softmax>),
    /// One step of a convolution (forward, `dW`, `dX` or `db`).
    Conv(Box<super::conv::ConvStep>),
    /// One step of a 2x2 max-pool (forward or backward).
    MaxPool(Box<super::pool::PoolStep>),
    /// The padding of a model tensor of `W_t` is zero (so padded logits, weights and
    /// gradients stay zero through every iteration).
    PadZero {
        /// Relation name.
        name: String,
        /// The segment.
        seg: SegId,
        /// Its real shape.
        shape: super::softmax::PadShape,
    },
}

/// `Σ coeff · segment + constant`, entry-wise, all terms of `2^vars` entries: one part of a
/// range-checked witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeItem {
    /// `(coefficient, segment)`.
    pub terms: Vec<(i64, SegId)>,
    /// Constant added to every entry.
    pub constant: i64,
    /// Variables of every term.
    pub vars: usize,
}

/// One LogUp: every entry of every item lies in `[0, 2^bits)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeCheck {
    /// Table width.
    pub bits: u32,
    /// The items, packed (aligned, largest first) into one witness.
    pub items: Vec<RangeItem>,
    /// Offset of every item in the witness.
    pub offsets: Vec<usize>,
    /// `log2` of the witness length.
    pub vars: usize,
    /// The multiplicity segment (`2^bits` counts, in `J_t`).
    pub mult: SegId,
}

/// Where the prover takes a segment's values from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Weights (`bias = false`) or biases of layer `layer` of `W_t` (`next = false`) or
    /// `W_{t+1}`.
    Param {
        /// Layer index.
        layer: usize,
        /// Biases rather than weights.
        bias: bool,
        /// `W_{t+1}` rather than `W_t`.
        next: bool,
    },
    /// A trainer witness entry, padding entries set to `pad`.
    Trace {
        /// Entry name.
        name: String,
        /// Value of padding entries.
        pad: i64,
    },
    /// High limb `(Σ c seg + constant) >> 16` (entry-wise).
    Hi {
        /// The linear combination.
        terms: Vec<(i64, SegId)>,
        /// Its constant.
        constant: i64,
    },
    /// LogUp multiplicities of the range check of this width.
    Mult {
        /// Table width.
        bits: u32,
    },
    /// A softmax array computed from the logits (see [`super::softmax`]).
    Softmax(SoftmaxPart),
    /// Multiplicities of the exp table rows (the counts of `t`).
    ExpMult,
    /// The one-hot window choice of a max-pool (from the trainer's arg-max entry `argmax`).
    PoolChoice {
        /// The trainer's arg-max entry.
        argmax: String,
        /// The pool's input segment (the grid of the choice).
        input: SegId,
        /// The pool's output segment.
        out: SegId,
    },
    /// `broadcast(out) - input` of a max-pool (every entry's distance to its window's max).
    PoolGap {
        /// The pool's input segment.
        input: SegId,
        /// The pool's output segment.
        out: SegId,
    },
}

/// The arrays of the softmax relation the prover computes from the logits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoftmaxPart {
    /// Row maxima.
    Max,
    /// Exp index quotients.
    Q,
    /// Exp index remainders.
    R,
    /// Clamped table rows.
    T,
    /// Table values.
    E,
    /// Arg-max indicator.
    Argmax,
    /// Row sums.
    Sum,
    /// Row sums broadcast.
    SumBc,
    /// Probabilities.
    P,
    /// Division remainders.
    Rem,
}

/// Segments, their sources and the relations of one model at one batch size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Every segment (see [`super::layout`]).
    pub segments: Vec<SegmentSpec>,
    /// `sources[s]`: where segment `s`'s values come from (prover side).
    pub sources: Vec<Source>,
    /// Relations, in proof order.
    pub relations: Vec<Relation>,
    /// Range checks, in proof order (after the relations).
    pub ranges: Vec<RangeCheck>,
    /// The input segment `X_0` (bound to the dataset last).
    pub input: SegId,
}

use super::builder::Builder;

pub(crate) struct DenseState {
    layer: usize,
    inputs: usize,
    outputs: usize,
    x: SegId,
    w: SegId,
    b: SegId,
    w_next: SegId,
    b_next: SegId,
}

/// What the backward pass needs of each forward layer.
enum Back {
    Dense(DenseState),
    Relu(SegId),
    Conv(super::conv::ConvState),
    MaxPool(super::pool::PoolState),
}

impl Builder {
    /// `W_t`'s and `W_{t+1}`'s weight (`rows x axes`) and bias (`1 x rows`) segments of
    /// layer `k`, with the zero-padding relations of `W_t`'s.
    pub(crate) fn params(&mut self, k: usize, rows: usize, axes: &[usize]) -> [SegId; 4] {
        let param = |bld: &mut Self, bias: bool, next: bool| {
            let (home, suffix) = if next {
                (Home::Next, ".next")
            } else {
                (Home::Model, "")
            };
            let name = format!("{k}.{}{suffix}", if bias { "b" } else { "w" });
            let spec = if bias {
                SegmentSpec::new(name, home, 1, rows)
            } else {
                SegmentSpec::tensor(name, home, rows, axes)
            };
            bld.seg(
                spec,
                Source::Param {
                    layer: k,
                    bias,
                    next,
                },
            )
        };
        let (w, b) = (param(self, false, false), param(self, true, false));
        let (w_next, b_next) = (param(self, false, true), param(self, true, true));
        for s in [w, b] {
            let spec = &self.segments[s];
            let shape = super::softmax::PadShape::of(spec);
            if shape.is_padded() {
                let name = format!("{}.pad", spec.name);
                self.relations.push(Relation::PadZero {
                    name,
                    seg: s,
                    shape,
                });
            }
        }
        [w, b, w_next, b_next]
    }

    /// The SGD relations of layer `k`'s weights and biases, and the width of the new ones.
    pub(crate) fn sgd(&mut self, k: usize, f: u32, tensors: [(&str, SegId, SegId, SegId); 2]) {
        for (what, old, new, grad) in tensors {
            let name = format!("{k}.sgd.{what}");
            let rem = self.trace_like(format!("{name}.rem"), grad, 1i64 << (f - 1));
            self.range(f, vec![(1, rem)], 0);
            self.relations.push(Relation::Sgd(Sgd {
                name,
                old,
                new,
                grad,
                rem,
            }));
            self.signed32(new);
        }
    }
}

impl Plan {
    /// The plan of `arch` at batch `batch` (dense, ReLU, convolution and max-pool layers).
    pub fn new(arch: &Architecture, batch: usize, fp: FixedPoint) -> Result<Self> {
        let f = fp.frac_bits();
        if !batch.is_power_of_two() {
            return Err(NnError::BadParameter {
                name: "batch",
                what: format!("{batch}: the proof needs a power of two (no padded batch rows)"),
            });
        }
        let mut bld = Builder {
            segments: Vec::new(),
            sources: Vec::new(),
            relations: Vec::new(),
            ranges: BTreeMap::new(),
        };
        let (c, h, w) = arch.transform.shape();
        let input_axes = match arch.layers.first() {
            Some(LayerSpec::Dense(_)) | None => vec![arch.input_len()],
            Some(_) => vec![c, h, w],
        };
        let input = bld.trace_tensor("input".into(), batch, &input_axes, 0);
        let lb = log2_ceil(batch);
        let mut cur = input;
        let mut back = Vec::new();
        for (k, spec) in arch.layers.iter().enumerate() {
            match spec {
                LayerSpec::Dense(d) => {
                    let (ni, no) = (d.inputs, d.outputs);
                    if ni != bld.segments[cur].cols {
                        return Err(shape_error("dense input width"));
                    }
                    let axes = bld.axes_of(cur);
                    let [w, b, w_next, b_next] = bld.params(k, no, &axes);
                    let name = format!("{k}.dense.fwd");
                    let (q, rem) = bld.rescaled(&name, batch, no, f);
                    bld.relations.push(Relation::MatMul(MatMulRescale {
                        name,
                        q,
                        rem,
                        lhs: Operand {
                            seg: cur,
                            transposed: false,
                        },
                        rhs: Operand {
                            seg: w,
                            transposed: true,
                        },
                        bias: Some(b),
                        rows: lb,
                        inner: bld.segments[cur].log_cols,
                        cols: log2_ceil(no),
                        shift: f,
                    }));
                    back.push(Back::Dense(DenseState {
                        layer: k,
                        inputs: ni,
                        outputs: no,
                        x: cur,
                        w,
                        b,
                        w_next,
                        b_next,
                    }));
                    cur = q;
                }
                LayerSpec::Relu => {
                    let z = cur;
                    let sign = bld.trace_like(format!("{k}.relu.sign"), z, 0);
                    let out = bld.trace_like(format!("{k}.relu.fwd"), z, 0);
                    bld.relations.push(Relation::Hadamard(Hadamard {
                        name: format!("{k}.relu.fwd"),
                        out,
                        lhs: z,
                        rhs: sign,
                    }));
                    bld.range(1, vec![(1, sign)], 0);
                    bld.width(format!("{k}.relu.fwd.hi"), vec![(1, out)], 0);
                    bld.width(format!("{k}.relu.gap.hi"), vec![(1, out), (-1, z)], 0);
                    back.push(Back::Relu(sign));
                    cur = out;
                }
                LayerSpec::Conv(conv) => {
                    let (state, q) = super::conv::forward(&mut bld, k, conv, cur, batch, f)?;
                    back.push(Back::Conv(state));
                    cur = q;
                }
                LayerSpec::MaxPool(pool) => {
                    let (state, out) = super::pool::forward(&mut bld, k, pool, cur, batch)?;
                    back.push(Back::MaxPool(state));
                    cur = out;
                }
                LayerSpec::AvgPool(_) => {
                    return Err(NnError::BadParameter {
                        name: "model",
                        what: format!(
                            "{}: average pooling is not proven yet (layer {k})",
                            arch.kind.name()
                        ),
                    })
                }
            }
        }
        if bld.segments[cur].cols != arch.classes || !bld.segments[cur].axes.is_empty() {
            return Err(shape_error("output width"));
        }
        let n_layers = arch.layers.len();
        let mut dy = bld.trace(format!("{n_layers}.softmax.grad"), batch, arch.classes, 0);
        bld.softmax(n_layers, cur, dy, batch, arch.classes, f);
        for (k, state) in back.iter().enumerate().rev() {
            let next_dy = match state {
                Back::Relu(sign) => {
                    let dx = bld.trace_like(format!("{k}.relu.dx"), dy, 0);
                    bld.relations.push(Relation::Hadamard(Hadamard {
                        name: format!("{k}.relu.dx"),
                        out: dx,
                        lhs: dy,
                        rhs: *sign,
                    }));
                    Some(dx)
                }
                Back::Dense(d) => dense_backward(&mut bld, d, dy, batch, f),
                Back::Conv(c) => super::conv::backward(&mut bld, c, dy, f),
                Back::MaxPool(p) => Some(super::pool::backward(&mut bld, p, dy)),
            };
            match next_dy {
                Some(d) => dy = d,
                None if k == 0 => {}
                None => return Err(shape_error("layer order")),
            }
        }
        let mut ranges = Vec::new();
        for (bits, items) in std::mem::take(&mut bld.ranges) {
            for (part, items) in split_range(items, bits).into_iter().enumerate() {
                let vars: Vec<usize> = items.iter().map(|i| i.vars).collect();
                let (offsets, end) = super::layout::pack(&vars, 0);
                let name = match part {
                    0 => format!("mult.{bits}"),
                    _ => format!("mult.{bits}.{part}"),
                };
                let spec = SegmentSpec::flat(name, Home::Trace, bits as usize);
                let mult = bld.seg(spec, Source::Mult { bits });
                ranges.push(RangeCheck {
                    bits,
                    items,
                    offsets,
                    vars: log2_ceil(end),
                    mult,
                });
            }
        }
        Ok(Self {
            segments: bld.segments,
            sources: bld.sources,
            relations: bld.relations,
            ranges,
            input,
        })
    }

    /// `log2` of the input's padded row width.
    pub fn input_log_cols(&self) -> usize {
        self.segments[self.input].log_cols
    }
}

/// Dense backward of layer `d`: `dx = dy W` (not for the first layer), `dw = dy^T X`,
/// `db = Σ_b dy`, then SGD. Returns `dx`.
fn dense_backward(
    bld: &mut Builder,
    d: &DenseState,
    dy: SegId,
    batch: usize,
    f: u32,
) -> Option<SegId> {
    let (k, no) = (d.layer, d.outputs);
    debug_assert_eq!(bld.segments[d.x].cols, d.inputs);
    let lb = log2_ceil(batch);
    let x_axes = bld.axes_of(d.x);
    let inner_x = bld.segments[d.x].log_cols;
    let next_dy = if k > 0 {
        let name = format!("{k}.dense.dx");
        let (q, rem) = bld.rescaled_tensor(&name, batch, &x_axes, f);
        bld.relations.push(Relation::MatMul(MatMulRescale {
            name,
            q,
            rem,
            lhs: Operand {
                seg: dy,
                transposed: false,
            },
            rhs: Operand {
                seg: d.w,
                transposed: false,
            },
            bias: None,
            rows: lb,
            inner: log2_ceil(no),
            cols: inner_x,
            shift: f,
        }));
        Some(q)
    } else {
        None
    };
    let name = format!("{k}.dense.dw");
    let (dw, rem) = bld.rescaled_tensor(&name, no, &x_axes, f);
    bld.relations.push(Relation::MatMul(MatMulRescale {
        name,
        q: dw,
        rem,
        lhs: Operand {
            seg: dy,
            transposed: true,
        },
        rhs: Operand {
            seg: d.x,
            transposed: false,
        },
        bias: None,
        rows: log2_ceil(no),
        inner: lb,
        cols: inner_x,
        shift: f,
    }));
    let db = bld.trace(format!("{k}.dense.db"), 1, no, 0);
    bld.relations.push(Relation::ColumnSum(ColumnSum {
        name: format!("{k}.dense.db"),
        out: db,
        input: dy,
    }));
    bld.sgd(k, f, [("w", d.w, d.w_next, dw), ("b", d.b, d.b_next, db)]);
    next_dy
}

/// The items of one range width as one or two LogUps: packed into one witness of `2^v`
/// entries, a total just above `2^(v-1)` wastes almost half of it. When the items fill
/// `2^(v-1)` exactly (largest first, all powers of two) and the rest pads to less than
/// `2^(v-1) - 2^bits` (the second LogUp's table and multiplicities), they split there.
fn split_range(mut items: Vec<RangeItem>, bits: u32) -> Vec<Vec<RangeItem>> {
    let total: usize = items.iter().map(|i| 1usize << i.vars).sum();
    let cap = 1usize << (usize::BITS - 1 - total.max(1).leading_zeros());
    if total == cap {
        return vec![items];
    }
    let rest_padded = (total - cap).next_power_of_two();
    if cap - rest_padded <= 1usize << bits {
        return vec![items];
    }
    // Stable: equal sizes keep their order.
    items.sort_by_key(|i| std::cmp::Reverse(i.vars));
    let (mut first, mut rest, mut filled) = (Vec::new(), Vec::new(), 0usize);
    for item in items {
        if filled + (1usize << item.vars) <= cap {
            filled += 1usize << item.vars;
            first.push(item);
        } else {
            rest.push(item);
        }
    }
    vec![first, rest]
}

pub(crate) fn shape_error(what: &'static str) -> NnError {
    NnError::Shape {
        context: what,
        expected: 0,
        actual: 0,
    }
}
