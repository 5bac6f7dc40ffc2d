//! Prover side: every segment's padded integer values from the trainer's trace and the two
//! models, then the derived segments (width limbs, LogUp multiplicities), and the tables.

use std::collections::HashMap;

use super::layout::{Home, Layout, SegId, SegmentSpec};
use super::relations::{Plan, RangeCheck, RangeItem, Relation, SoftmaxPart, Source};
use super::softmax::Softmax;
use super::LIMB_BITS;
use crate::error::{NnError, Result};
use crate::layers::softmax::ExpTable;
use crate::model::Model;
use crate::witness::Witness;

/// A trace as named integer arrays.
pub(crate) type TraceMap = HashMap<String, Vec<i64>>;

/// The trace entries of `wit` by name.
pub(crate) fn trace_map(wit: &Witness) -> TraceMap {
    wit.entries()
        .map(|e| (e.name.to_string(), e.values.to_i64()))
        .collect()
}

fn missing(name: &str) -> NnError {
    NnError::BadParameter {
        name: "proof witness",
        what: format!("trace entry {name} missing or of the wrong size"),
    }
}

/// `rows x cols` row-major values into a `2^lr x 2^lc` array, padding with `pad`.
fn pad_matrix(v: &[i64], rows: usize, cols: usize, lr: usize, lc: usize, pad: i64) -> Vec<i64> {
    let pc = 1usize << lc;
    let mut out = vec![pad; (1usize << lr) * pc];
    for (r, row) in v.chunks(cols).take(rows).enumerate() {
        out[r * pc..r * pc + cols].copy_from_slice(row);
    }
    out
}

/// Real values of a segment (`rows x axes`, row-major) into its padded layout (every axis
/// padded on its own), padding entries `pad`.
fn pad_segment(v: &[i64], spec: &SegmentSpec, pad: i64) -> Vec<i64> {
    if spec.axes.is_empty() {
        return pad_matrix(v, spec.rows, spec.cols, spec.log_rows, spec.log_cols, pad);
    }
    let mut axes = vec![(spec.rows, spec.log_rows)];
    axes.extend(spec.col_axes());
    let mut out = vec![pad; 1usize << spec.vars()];
    // Walk the real multi-index in row-major order, keeping its padded position.
    let mut idx = vec![0usize; axes.len()];
    for &x in v {
        let at = axes
            .iter()
            .zip(&idx)
            .fold(0usize, |acc, (&(_, log), &i)| (acc << log) | i);
        out[at] = x;
        for d in (0..axes.len()).rev() {
            idx[d] += 1;
            if idx[d] < axes[d].0 {
                break;
            }
            idx[d] = 0;
        }
    }
    out
}

/// The one-hot window choice of a max-pool on its padded input grid: the trainer's arg-max
/// (row-major in the window, on the real outputs), the window's first entry elsewhere.
fn pool_choice(input: &SegmentSpec, out: &SegmentSpec, argmax: &[i64]) -> Vec<i64> {
    let mut ind = vec![0i64; 1usize << input.vars()];
    let axes = out.col_axes();
    let [(c, lc), (h, lh), (w, lw)] = axes[..] else {
        return ind;
    };
    let (iw, ih) = (1usize << (lw + 1), 1usize << (lh + 1));
    for n in 0..1usize << out.log_rows {
        for ch in 0..1usize << lc {
            for u in 0..1usize << lh {
                for v in 0..1usize << lw {
                    let real = n < out.rows && ch < c && u < h && v < w;
                    let a = if real {
                        argmax[((n * c + ch) * h + u) * w + v] as usize
                    } else {
                        0
                    };
                    let (y, x) = (2 * u + a / 2, 2 * v + a % 2);
                    ind[(((n << lc) + ch) * ih + y) * iw + x] = 1;
                }
            }
        }
    }
    ind
}

/// `broadcast(out) - input` on the pool's padded input grid.
fn pool_gap(input: &SegmentSpec, values_in: &[i64], values_out: &[i64]) -> Vec<i64> {
    let lw = input.col_axes().last().map_or(0, |a| a.1);
    let (iw, ow) = (1usize << lw, 1usize << lw.saturating_sub(1));
    values_in
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (row, col) = (i / iw, i % iw);
            values_out[(row / 2) * ow + col / 2] - x
        })
        .collect()
}

/// The base segments (parameters and trace entries); derived ones are empty.
pub(crate) fn base_values(
    plan: &Plan,
    trace: &TraceMap,
    before: &Model,
    after: &Model,
) -> Result<Vec<Vec<i64>>> {
    let mut values = Vec::with_capacity(plan.segments.len());
    for (spec, source) in plan.segments.iter().zip(&plan.sources) {
        let v = match source {
            Source::Param { layer, bias, next } => {
                let model = if *next { after } else { before };
                let p = model
                    .params
                    .get(*layer)
                    .ok_or_else(|| missing(&spec.name))?;
                let raw: Vec<i64> = if *bias { &p.b } else { &p.w }
                    .iter()
                    .map(|&x| x as i64)
                    .collect();
                if raw.len() != spec.rows * spec.cols {
                    return Err(missing(&spec.name));
                }
                pad_segment(&raw, spec, 0)
            }
            Source::Trace { name, pad } => {
                let raw = trace.get(name).ok_or_else(|| missing(name))?;
                if raw.len() != spec.rows * spec.cols {
                    return Err(missing(name));
                }
                pad_segment(raw, spec, *pad)
            }
            Source::Hi { .. }
            | Source::Mult { .. }
            | Source::Softmax(_)
            | Source::ExpMult
            | Source::PoolChoice { .. }
            | Source::PoolGap { .. } => Vec::new(),
        };
        values.push(v);
    }
    Ok(values)
}

/// `Σ c seg + constant`, entry-wise.
pub(crate) fn combination(values: &[Vec<i64>], terms: &[(i64, SegId)], constant: i64) -> Vec<i64> {
    let len = terms.first().map_or(0, |(_, s)| values[*s].len());
    let mut out = vec![constant; len];
    for (c, s) in terms {
        for (o, v) in out.iter_mut().zip(&values[*s]) {
            *o += c * v;
        }
    }
    out
}

/// The packed witness of a range check (unused slots are 0).
pub(crate) fn range_witness(values: &[Vec<i64>], range: &RangeCheck) -> Vec<i64> {
    let mut w = vec![0i64; 1 << range.vars];
    for (item, &off) in range.items.iter().zip(&range.offsets) {
        let RangeItem {
            terms, constant, ..
        } = item;
        let v = combination(values, terms, *constant);
        w[off..off + v.len()].copy_from_slice(&v);
    }
    w
}

/// The softmax arrays on the padded grid of logits `z` (see [`super::softmax`]), computed
/// exactly as `layers::softmax` does on the real classes; returns them by part and the
/// gradient for the labels.
fn softmax_arrays(
    sm: &Softmax,
    z: &[i64],
    labels: &[i64],
) -> (HashMap<SoftmaxPart, Vec<i64>>, Vec<i64>) {
    let table = ExpTable::new(sm.frac_bits);
    let (rows, cols) = (1usize << sm.rows, 1usize << sm.cols);
    let f = sm.frac_bits;
    let mut out: HashMap<SoftmaxPart, Vec<i64>> = HashMap::new();
    let mut grad = vec![0i64; rows * cols];
    let mut put = |part: SoftmaxPart, i: usize, v: i64, len: usize| {
        let e = out.entry(part).or_insert_with(|| vec![0; len]);
        e[i] = v;
    };
    for b in 0..rows {
        let zr = &z[b * cols..(b + 1) * cols];
        let real = &zr[..sm.classes];
        // The first largest value, as `layers::softmax::argmax`.
        let top = (0..real.len()).fold(0, |best, i| if real[i] > real[best] { i } else { best });
        let m = real[top];
        put(SoftmaxPart::Max, b, m, rows);
        let mut es = vec![0i64; cols];
        for c in 0..cols {
            let i = b * cols + c;
            let d = if c < sm.classes {
                m - zr[c]
            } else {
                sm.pad_offset() - zr[c]
            };
            let (q, r, t) = table.index(d);
            es[c] = table.rows()[t];
            put(SoftmaxPart::Q, i, q, rows * cols);
            put(SoftmaxPart::R, i, r, rows * cols);
            put(SoftmaxPart::T, i, t as i64, rows * cols);
            put(SoftmaxPart::E, i, es[c], rows * cols);
            put(SoftmaxPart::Argmax, i, i64::from(c == top), rows * cols);
        }
        let sum: i64 = es.iter().sum();
        put(SoftmaxPart::Sum, b, sum, rows);
        let label = labels.get(b).copied().unwrap_or(-1);
        for c in 0..cols {
            let i = b * cols + c;
            let num = es[c] << f;
            let (p, rem) = (num / sum, num % sum);
            put(SoftmaxPart::SumBc, i, sum, rows * cols);
            put(SoftmaxPart::P, i, p, rows * cols);
            put(SoftmaxPart::Rem, i, rem, rows * cols);
            grad[i] = p - if c as i64 == label { 1i64 << f } else { 0 };
        }
    }
    (out, grad)
}

/// Fills the derived segments: the softmax arrays, high limbs `(Σ c seg + constant) >> 16`
/// (floor), then the multiplicities of every lookup. Entries outside a table are not counted
/// (only a tampered witness has them; its proof is then rejected). Fails if the recomputed
/// softmax gradient differs from the trainer's (a bug, never a proof failure).
pub(crate) fn derive(plan: &Plan, trace: &TraceMap, values: &mut [Vec<i64>]) -> Result<()> {
    for rel in &plan.relations {
        let Relation::Softmax(sm) = rel else { continue };
        let labels = trace.get("labels").ok_or_else(|| missing("labels"))?;
        let (parts, grad) = softmax_arrays(sm, &values[sm.z], labels);
        if grad != values[sm.grad] {
            return Err(NnError::BadParameter {
                name: "proof witness",
                what: format!(
                    "{}: recomputed gradient differs from the trainer's",
                    sm.name
                ),
            });
        }
        for (s, source) in plan.sources.iter().enumerate() {
            if let Source::Softmax(part) = source {
                values[s] = parts.get(part).cloned().unwrap_or_default();
            }
        }
        let mut m = vec![0i64; 1 << plan.segments[sm.mult].vars()];
        for &t in &values[sm.t] {
            if let Some(x) = m.get_mut(t as usize) {
                *x += 1;
            }
        }
        values[sm.mult] = m;
    }
    for (s, source) in plan.sources.iter().enumerate() {
        match source {
            Source::PoolChoice { argmax, input, out } => {
                let arg = trace.get(argmax).ok_or_else(|| missing(argmax))?;
                let (si, so) = (&plan.segments[*input], &plan.segments[*out]);
                if arg.len() != so.rows * so.cols {
                    return Err(missing(argmax));
                }
                values[s] = pool_choice(si, so, arg);
            }
            Source::PoolGap { input, out } => {
                values[s] = pool_gap(&plan.segments[*input], &values[*input], &values[*out]);
            }
            _ => {}
        }
    }
    for (s, source) in plan.sources.iter().enumerate() {
        if let Source::Hi { terms, constant } = source {
            let v = combination(values, terms, *constant);
            values[s] = v.into_iter().map(|x| x >> LIMB_BITS).collect();
        }
    }
    for range in &plan.ranges {
        let w = range_witness(values, range);
        let rows = 1i64 << range.bits;
        let mut m = vec![0i64; rows as usize];
        for x in w {
            if (0..rows).contains(&x) {
                m[x as usize] += 1;
            }
        }
        values[range.mult] = m;
    }
    Ok(())
}

/// `J_t` (model block then trace) and `W_{t+1}` as integer tables.
pub(crate) fn tables(layout: &Layout, values: &[Vec<i64>]) -> (Vec<i64>, Vec<i64>) {
    let mut j = vec![0i64; 1 << layout.j_vars];
    let mut next = vec![0i64; 1 << layout.model_vars];
    for ((spec, &off), v) in layout.segments.iter().zip(&layout.offsets).zip(values) {
        let dst = match spec.home {
            Home::Next => &mut next,
            Home::Model | Home::Trace => &mut j,
        };
        dst[off..off + v.len()].copy_from_slice(v);
    }
    (j, next)
}

/// The model block of a model alone (what [`super::ModelCommitment`] commits).
pub(crate) fn model_table(plan: &Plan, layout: &Layout, model: &Model) -> Result<Vec<i64>> {
    let mut out = vec![0i64; 1 << layout.model_vars];
    for (s, source) in plan.sources.iter().enumerate() {
        if let Source::Param {
            layer,
            bias,
            next: false,
        } = source
        {
            let spec = &plan.segments[s];
            let p = model
                .params
                .get(*layer)
                .ok_or_else(|| missing(&spec.name))?;
            let raw: Vec<i64> = if *bias { &p.b } else { &p.w }
                .iter()
                .map(|&x| x as i64)
                .collect();
            let v = pad_segment(&raw, spec, 0);
            let off = layout.offsets[s];
            out[off..off + v.len()].copy_from_slice(&v);
        }
    }
    Ok(out)
}
