//! The plan builder: segments, their sources, relations and range items, in the order the
//! plan lists them (used by [`super::relations::Plan::new`] and the conv / pool plans).

use std::collections::BTreeMap;

use super::layout::{log2_ceil, Home, SegId, SegmentSpec};
use super::relations::{RangeItem, Relation, SoftmaxPart, Source};
use super::LIMB_BITS;

pub(crate) struct Builder {
    pub(crate) segments: Vec<SegmentSpec>,
    pub(crate) sources: Vec<Source>,
    pub(crate) relations: Vec<Relation>,
    pub(crate) ranges: BTreeMap<u32, Vec<RangeItem>>,
}

impl Builder {
    pub(crate) fn seg(&mut self, spec: SegmentSpec, source: Source) -> SegId {
        self.segments.push(spec);
        self.sources.push(source);
        self.segments.len() - 1
    }

    pub(crate) fn trace(&mut self, name: String, rows: usize, cols: usize, pad: i64) -> SegId {
        let spec = SegmentSpec::new(name.clone(), Home::Trace, rows, cols);
        self.seg(spec, Source::Trace { name, pad })
    }

    pub(crate) fn range(&mut self, bits: u32, terms: Vec<(i64, SegId)>, constant: i64) {
        let vars = terms.first().map_or(0, |(_, s)| self.segments[*s].vars());
        self.ranges.entry(bits).or_default().push(RangeItem {
            terms,
            constant,
            vars,
        });
    }

    /// `Σ terms + constant ∈ [0, 2^32)`: a committed high limb `hi` and the checks
    /// `hi ∈ [0, 2^16)`, `Σ terms + constant - 2^16 hi ∈ [0, 2^16)`.
    pub(crate) fn width(&mut self, name: String, terms: Vec<(i64, SegId)>, constant: i64) {
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
    pub(crate) fn signed32(&mut self, seg: SegId) {
        let name = format!("{}.hi", self.segments[seg].name);
        self.width(name, vec![(1, seg)], 1i64 << 31);
    }

    /// A trace segment of `rows x axes` (each axis padded on its own).
    pub(crate) fn trace_tensor(
        &mut self,
        name: String,
        rows: usize,
        axes: &[usize],
        pad: i64,
    ) -> SegId {
        let spec = SegmentSpec::tensor(name.clone(), Home::Trace, rows, axes);
        self.seg(spec, Source::Trace { name, pad })
    }

    /// A trace segment of the shape of `like` (same rows and axes).
    pub(crate) fn trace_like(&mut self, name: String, like: SegId, pad: i64) -> SegId {
        let spec = SegmentSpec {
            name: name.clone(),
            home: Home::Trace,
            ..self.segments[like].clone()
        };
        self.seg(spec, Source::Trace { name, pad })
    }

    /// A segment's spec.
    pub(crate) fn spec(&self, seg: SegId) -> &SegmentSpec {
        &self.segments[seg]
    }

    /// The real sizes of a segment's column axes.
    pub(crate) fn axes_of(&self, seg: SegId) -> Vec<usize> {
        self.segments[seg].col_axes().iter().map(|a| a.0).collect()
    }

    /// The rescale `q, rem` of `name` (`rows x axes`), range- and width-checked.
    pub(crate) fn rescaled_tensor(
        &mut self,
        name: &str,
        rows: usize,
        axes: &[usize],
        f: u32,
    ) -> (SegId, SegId) {
        let q = self.trace_tensor(name.to_string(), rows, axes, 0);
        let rem = self.trace_tensor(format!("{name}.rem"), rows, axes, 1i64 << (f - 1));
        self.range(f, vec![(1, rem)], 0);
        self.signed32(q);
        (q, rem)
    }

    /// The rescale `q, rem` of `name` (`rows x cols`), range- and width-checked.
    pub(crate) fn rescaled(
        &mut self,
        name: &str,
        rows: usize,
        cols: usize,
        f: u32,
    ) -> (SegId, SegId) {
        let q = self.trace(name.to_string(), rows, cols, 0);
        let rem = self.trace(format!("{name}.rem"), rows, cols, 1i64 << (f - 1));
        self.range(f, vec![(1, rem)], 0);
        self.signed32(q);
        (q, rem)
    }
}

impl Builder {
    /// The softmax segments, relation and ranges on logits `z` and gradient `grad`.
    pub(crate) fn softmax(
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
