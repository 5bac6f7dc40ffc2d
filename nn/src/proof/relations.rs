//! The relation plan of a model: which segments exist, where their values come from, and which
//! relations tie them, in proof order. Prover and verifier both walk [`Plan::relations`] then
//! [`Plan::ranges`]; nothing here depends on witness values.
//!
//! For a chain of dense and ReLU layers (`k` = layer index, `L` = layer count, `B` = batch):
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

use std::collections::BTreeMap;

use super::layout::{log2_ceil, Home, SegId, SegmentSpec};
use super::LIMB_BITS;
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

struct Builder {
    segments: Vec<SegmentSpec>,
    sources: Vec<Source>,
    relations: Vec<Relation>,
    ranges: BTreeMap<u32, Vec<RangeItem>>,
}

impl Builder {
    fn seg(&mut self, spec: SegmentSpec, source: Source) -> SegId {
        self.segments.push(spec);
        self.sources.push(source);
        self.segments.len() - 1
    }

    fn trace(&mut self, name: String, rows: usize, cols: usize, pad: i64) -> SegId {
        let spec = SegmentSpec::new(name.clone(), Home::Trace, rows, cols);
        self.seg(spec, Source::Trace { name, pad })
    }

    fn range(&mut self, bits: u32, terms: Vec<(i64, SegId)>, constant: i64) {
        let vars = terms.first().map_or(0, |(_, s)| self.segments[*s].vars());
        self.ranges.entry(bits).or_default().push(RangeItem {
            terms,
            constant,
            vars,
        });
    }

    /// `Σ terms + constant ∈ [0, 2^32)`: a committed high limb `hi` and the checks
    /// `hi ∈ [0, 2^16)`, `Σ terms + constant - 2^16 hi ∈ [0, 2^16)`.
    fn width(&mut self, name: String, terms: Vec<(i64, SegId)>, constant: i64) {
        let like = self.segments[terms[0].1].clone();
        let spec = SegmentSpec {
            name,
            home: Home::Trace,
            ..like
        };
        let hi = self.seg(
            spec,
            Source::Hi {
                terms: terms.clone(),
                constant,
            },
        );
        self.range(LIMB_BITS, vec![(1, hi)], 0);
        let mut lo = terms;
        lo.push((-(1i64 << LIMB_BITS), hi));
        self.range(LIMB_BITS, lo, constant);
    }

    /// `v ∈ [-2^31, 2^31)`.
    fn signed32(&mut self, seg: SegId) {
        let name = format!("{}.hi", self.segments[seg].name);
        self.width(name, vec![(1, seg)], 1i64 << 31);
    }

    /// The rescale `q, rem` of `name` (`rows x cols`), range- and width-checked.
    fn rescaled(&mut self, name: &str, rows: usize, cols: usize, f: u32) -> (SegId, SegId) {
        let q = self.trace(name.to_string(), rows, cols, 0);
        let rem = self.trace(format!("{name}.rem"), rows, cols, 1i64 << (f - 1));
        self.range(f, vec![(1, rem)], 0);
        self.signed32(q);
        (q, rem)
    }
}

impl Builder {
    /// The softmax segments, relation and ranges on logits `z` and gradient `grad`.
    fn softmax(
        &mut self,
        layer: usize,
        z: SegId,
        grad: SegId,
        batch: usize,
        classes: usize,
        f: u32,
    ) {
        use super::softmax::Softmax;
        let mut part = |what: &str, part: SoftmaxPart, cols: usize| {
            let spec =
                SegmentSpec::new(format!("{layer}.softmax.{what}"), Home::Trace, batch, cols);
            self.seg(spec, Source::Softmax(part))
        };
        let m = part("max", SoftmaxPart::Max, 1);
        let q = part("exp_idx", SoftmaxPart::Q, classes);
        let r = part("exp_idx.rem", SoftmaxPart::R, classes);
        let t = part("exp_row", SoftmaxPart::T, classes);
        let e = part("exp", SoftmaxPart::E, classes);
        let a = part("argmax", SoftmaxPart::Argmax, classes);
        let s = part("sum", SoftmaxPart::Sum, 1);
        let s_bc = part("sum.bc", SoftmaxPart::SumBc, classes);
        let p = part("p", SoftmaxPart::P, classes);
        let rem = part("p.rem", SoftmaxPart::Rem, classes);
        let rows = self.segments[q].log_rows;
        let cols = self.segments[q].log_cols;
        let mult_vars = log2_ceil(crate::layers::softmax::EXP_ROWS);
        let mult = self.seg(
            SegmentSpec::flat(format!("mult.exp.{layer}"), Home::Trace, mult_vars),
            Source::ExpMult,
        );
        let shift = f - crate::layers::softmax::EXP_STEP_BITS;
        self.range(shift, vec![(1, r)], 0);
        self.width(format!("{layer}.softmax.exp_idx.hi"), vec![(1, q)], 0);
        self.range(1, vec![(1, a)], 0);
        self.width(
            format!("{layer}.softmax.clamp.hi"),
            vec![(1, q), (-1, t)],
            0,
        );
        self.width(format!("{layer}.softmax.p.rem.hi"), vec![(1, rem)], 0);
        self.width(
            format!("{layer}.softmax.p.room.hi"),
            vec![(1, s_bc), (-1, rem)],
            -1,
        );
        self.width(format!("{layer}.softmax.p.hi"), vec![(1, p)], 0);
        self.relations.push(Relation::Softmax(Box::new(Softmax {
            name: format!("{layer}.softmax"),
            z,
            m,
            q,
            r,
            t,
            e,
            a,
            s,
            s_bc,
            p,
            rem,
            grad,
            mult,
            rows,
            cols,
            classes,
            frac_bits: f,
        })));
    }
}

struct DenseState {
    layer: usize,
    inputs: usize,
    outputs: usize,
    x: SegId,
    w: SegId,
    b: SegId,
    w_next: SegId,
    b_next: SegId,
}

impl Plan {
    /// The plan of `arch` at batch `batch` (dense and ReLU layers only).
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
        let input = bld.trace("input".into(), batch, arch.input_len(), 0);
        let lb = log2_ceil(batch);
        let (mut cur, mut width) = (input, arch.input_len());
        let mut dense = Vec::new();
        let mut signs = BTreeMap::new();
        for (k, spec) in arch.layers.iter().enumerate() {
            match spec {
                LayerSpec::Dense(d) => {
                    let (ni, no) = (d.inputs, d.outputs);
                    if ni != width {
                        return Err(shape_error("dense input width"));
                    }
                    let mut param = |bias: bool, next: bool| {
                        let (rows, cols) = if bias { (1, no) } else { (no, ni) };
                        let (home, suffix) = if next {
                            (Home::Next, ".next")
                        } else {
                            (Home::Model, "")
                        };
                        let what = if bias { "b" } else { "w" };
                        let spec =
                            SegmentSpec::new(format!("{k}.{what}{suffix}"), home, rows, cols);
                        bld.seg(
                            spec,
                            Source::Param {
                                layer: k,
                                bias,
                                next,
                            },
                        )
                    };
                    let (w, b) = (param(false, false), param(true, false));
                    let (w_next, b_next) = (param(false, true), param(true, true));
                    for s in [w, b] {
                        let spec = &bld.segments[s];
                        let shape = super::softmax::PadShape {
                            rows: spec.rows,
                            cols: spec.cols,
                            log_rows: spec.log_rows,
                            log_cols: spec.log_cols,
                        };
                        if shape.is_padded() {
                            let name = format!("{}.pad", spec.name);
                            bld.relations.push(Relation::PadZero {
                                name,
                                seg: s,
                                shape,
                            });
                        }
                    }
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
                        inner: log2_ceil(ni),
                        cols: log2_ceil(no),
                        shift: f,
                    }));
                    dense.push(DenseState {
                        layer: k,
                        inputs: ni,
                        outputs: no,
                        x: cur,
                        w,
                        b,
                        w_next,
                        b_next,
                    });
                    (cur, width) = (q, no);
                }
                LayerSpec::Relu => {
                    let z = cur;
                    let sign = bld.trace(format!("{k}.relu.sign"), batch, width, 0);
                    let out = bld.trace(format!("{k}.relu.fwd"), batch, width, 0);
                    bld.relations.push(Relation::Hadamard(Hadamard {
                        name: format!("{k}.relu.fwd"),
                        out,
                        lhs: z,
                        rhs: sign,
                    }));
                    bld.range(1, vec![(1, sign)], 0);
                    bld.width(format!("{k}.relu.fwd.hi"), vec![(1, out)], 0);
                    bld.width(format!("{k}.relu.gap.hi"), vec![(1, out), (-1, z)], 0);
                    signs.insert(k, sign);
                    cur = out;
                }
                _ => {
                    return Err(NnError::BadParameter {
                        name: "model",
                        what: format!(
                            "{}: only dense and ReLU layers are proven so far (layer {k})",
                            arch.kind.name()
                        ),
                    })
                }
            }
        }
        if width != arch.classes {
            return Err(shape_error("output width"));
        }
        let n_layers = arch.layers.len();
        let mut dy = bld.trace(format!("{n_layers}.softmax.grad"), batch, arch.classes, 0);
        bld.softmax(n_layers, cur, dy, batch, arch.classes, f);
        let mut dense_iter = dense.iter().rev();
        for k in (0..n_layers).rev() {
            if let Some(sign) = signs.get(&k) {
                let dx = bld.trace(format!("{k}.relu.dx"), batch, width_of(&bld, dy), 0);
                bld.relations.push(Relation::Hadamard(Hadamard {
                    name: format!("{k}.relu.dx"),
                    out: dx,
                    lhs: dy,
                    rhs: *sign,
                }));
                dy = dx;
                continue;
            }
            let Some(d) = dense_iter.next() else {
                return Err(shape_error("layer order"));
            };
            debug_assert_eq!(d.layer, k);
            let (ni, no) = (d.inputs, d.outputs);
            let next_dy = if k > 0 {
                let name = format!("{k}.dense.dx");
                let (q, rem) = bld.rescaled(&name, batch, ni, f);
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
                    cols: log2_ceil(ni),
                    shift: f,
                }));
                Some(q)
            } else {
                None
            };
            let name = format!("{k}.dense.dw");
            let (dw, rem) = bld.rescaled(&name, no, ni, f);
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
                cols: log2_ceil(ni),
                shift: f,
            }));
            let db = bld.trace(format!("{k}.dense.db"), 1, no, 0);
            bld.relations.push(Relation::ColumnSum(ColumnSum {
                name: format!("{k}.dense.db"),
                out: db,
                input: dy,
            }));
            for (what, old, new, grad, rows, cols) in [
                ("w", d.w, d.w_next, dw, no, ni),
                ("b", d.b, d.b_next, db, 1, no),
            ] {
                let name = format!("{k}.sgd.{what}");
                let rem = bld.trace(format!("{name}.rem"), rows, cols, 1i64 << (f - 1));
                bld.range(f, vec![(1, rem)], 0);
                bld.relations.push(Relation::Sgd(Sgd {
                    name,
                    old,
                    new,
                    grad,
                    rem,
                }));
                bld.signed32(new);
            }
            if let Some(q) = next_dy {
                dy = q;
            }
        }
        let mut ranges = Vec::new();
        for (bits, items) in std::mem::take(&mut bld.ranges) {
            let vars: Vec<usize> = items.iter().map(|i| i.vars).collect();
            let (offsets, end) = super::layout::pack(&vars, 0);
            let spec = SegmentSpec::flat(format!("mult.{bits}"), Home::Trace, bits as usize);
            let mult = bld.seg(spec, Source::Mult { bits });
            ranges.push(RangeCheck {
                bits,
                items,
                offsets,
                vars: log2_ceil(end),
                mult,
            });
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

fn width_of(bld: &Builder, seg: SegId) -> usize {
    bld.segments[seg].cols
}

fn shape_error(what: &'static str) -> NnError {
    NnError::Shape {
        context: what,
        expected: 0,
        actual: 0,
    }
}
