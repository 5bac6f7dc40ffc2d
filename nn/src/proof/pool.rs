//! 2x2 max-pool (stride 2) on padded tensors `[n, c, Y, X]`: the window bits are the low bits
//! of `Y` and `X`, so a window is a sub-cube and pooling is a map of point coordinates
//! ([`PoolGrid`]), no GKR wiring.
//!
//! ```text
//! choice ∈ {0,1} on the input grid, Σ_window choice = 1          (range 1 bit; check maxpool)
//! gap = broadcast(out) - in,  gap ≥ 0                              (check maxpool; width range)
//! choice ∘ gap = 0                                                 (Hadamard: the chosen input is the max)
//! dx = choice ∘ broadcast(dy)                                      (GKR Hadamard; check maxpool)
//! ```
//! Together: `out` is the window's maximum and `dx` routes `dy` to a maximal entry (the
//! trainer's first maximum; on ties any maximal entry satisfies the relations).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::Layer;
use kaizen_sumcheck::EvaluationClaim;

use super::builder::Builder;
use super::layout::{Home, SegId, SegmentSpec};
use super::relations::{shape_error, Relation, Source};
use super::softmax::{Lin, Side};
use super::verify::pow2;
use super::wiring::Tab;
use super::ProofError;
use crate::error::Result;
use crate::layers::pool::Pool2;

const CHECK: &str = "maxpool";

/// The input grid of a pool: `pre` leading variables (sample, channel), then `h` of `Y`
/// and `w` of `X`; the last variable of each of `Y` and `X` is the window bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PoolGrid {
    /// Variables before `Y`.
    pub pre: usize,
    /// Variables of `Y` (input).
    pub h: usize,
    /// Variables of `X` (input).
    pub w: usize,
}

impl PoolGrid {
    /// Variables of the input grid.
    pub fn in_vars(&self) -> usize {
        self.pre + self.h + self.w
    }

    /// Variables of the pooled grid.
    pub fn out_vars(&self) -> usize {
        self.in_vars() - 2
    }

    /// The pooled point of an input point (window bits dropped): `bcast(T)~(ρ) = T~(proj ρ)`.
    pub fn project(&self, p: &[Fr]) -> Vec<Fr> {
        let (pre_y, x) = p.split_at((self.pre + self.h).min(p.len()));
        let keep_y = pre_y
            .get(..pre_y.len().saturating_sub(1))
            .unwrap_or_default();
        let keep_x = x.get(..x.len().saturating_sub(1)).unwrap_or_default();
        [keep_y, keep_x].concat()
    }

    /// The input point with `1/2` at both window bits: `Σ_window T = 4 T~(halves(p))`.
    pub fn halves(&self, p: &[Fr]) -> Vec<Fr> {
        let half = Fr::from_u64(2).inverse().unwrap_or(Fr::ZERO);
        let (pre_u, v) = p.split_at((self.pre + self.h).saturating_sub(1).min(p.len()));
        [pre_u, &[half], v, &[half]].concat()
    }

    /// `bcast(T)` on the input grid (prover side).
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn broadcast(&self, pooled: &[Fr]) -> Vec<Fr> {
        let (ow, iw) = (1usize << (self.w - 1), 1usize << self.w);
        let rows = 1usize << (self.pre + self.h);
        let mut out = vec![Fr::ZERO; rows * iw];
        for (r, row) in out.chunks_mut(iw).enumerate() {
            let src = &pooled[(r >> 1) * ow..][..ow];
            for (xx, o) in row.iter_mut().enumerate() {
                *o = src[xx >> 1];
            }
        }
        out
    }
}

/// Which step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolKind {
    /// `out = max over the window of input`.
    Fwd {
        /// The input.
        input: SegId,
        /// The pooled output.
        out: SegId,
        /// The one-hot window choice.
        choice: SegId,
        /// `broadcast(out) - input`.
        gap: SegId,
    },
    /// `dx = choice ∘ broadcast(dy)`.
    Dx {
        /// The forward's choice.
        choice: SegId,
        /// The output gradient.
        dy: SegId,
        /// The input gradient.
        dx: SegId,
    },
}

/// One relation of a max-pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolStep {
    /// Relation name.
    pub name: String,
    /// The input grid.
    pub grid: PoolGrid,
    /// The step.
    pub kind: PoolKind,
}

/// What the backward pass needs of a forward max-pool.
pub(crate) struct PoolState {
    layer: usize,
    grid: PoolGrid,
    input: SegId,
    choice: SegId,
}

/// Plans the max-pool of layer `k` on `x`; returns the backward state and the output.
pub(crate) fn forward(
    bld: &mut Builder,
    k: usize,
    pool: &Pool2,
    x: SegId,
    batch: usize,
) -> Result<(PoolState, SegId)> {
    let axes = bld.spec(x).col_axes();
    let [(c, _), (h, lh), (w, lw)] = axes[..] else {
        return Err(shape_error("max-pool input axes"));
    };
    if (c, h, w) != (pool.channels, pool.in_h, pool.in_w) || lh == 0 || lw == 0 {
        return Err(shape_error("max-pool input"));
    }
    let out = bld.trace_tensor(format!("{k}.maxpool.fwd"), batch, &[c, h / 2, w / 2], 0);
    let like = |name: String| SegmentSpec {
        name,
        home: Home::Trace,
        ..bld.spec(x).clone()
    };
    let choice_spec = like(format!("{k}.maxpool.choice"));
    let gap_spec = like(format!("{k}.maxpool.gap"));
    let choice = bld.seg(
        choice_spec,
        Source::PoolChoice {
            argmax: format!("{k}.maxpool.argmax"),
            input: x,
            out,
        },
    );
    let gap = bld.seg(gap_spec, Source::PoolGap { input: x, out });
    let grid = PoolGrid {
        pre: bld.spec(x).log_rows + bld.spec(x).log_cols - lh - lw,
        h: lh,
        w: lw,
    };
    if bld.spec(out).vars() != grid.out_vars() {
        return Err(shape_error("max-pool output"));
    }
    bld.range(1, vec![(1, choice)], 0);
    bld.width(format!("{k}.maxpool.gap.hi"), vec![(1, gap)], 0);
    bld.relations.push(Relation::MaxPool(Box::new(PoolStep {
        name: format!("{k}.maxpool.fwd"),
        grid,
        kind: PoolKind::Fwd {
            input: x,
            out,
            choice,
            gap,
        },
    })));
    let state = PoolState {
        layer: k,
        grid,
        input: x,
        choice,
    };
    Ok((state, out))
}

/// Plans the max-pool backward; returns `dx`.
pub(crate) fn backward(bld: &mut Builder, st: &PoolState, dy: SegId) -> SegId {
    let name = format!("{}.maxpool.dx", st.layer);
    let dx = bld.trace_like(name.clone(), st.input, 0);
    bld.relations.push(Relation::MaxPool(Box::new(PoolStep {
        name,
        grid: st.grid,
        kind: PoolKind::Dx {
            choice: st.choice,
            dy,
            dx,
        },
    })));
    dx
}

/// Runs one max-pool step (written once for both sides).
pub(crate) fn run<S: Side>(st: &PoolStep, side: &mut S) -> std::result::Result<(), ProofError> {
    let g = st.grid;
    let name = st.name.as_str();
    match st.kind {
        PoolKind::Fwd {
            input,
            out,
            choice,
            gap,
        } => {
            let rho = side.point(g.in_vars());
            let vg = side.claim(gap, rho.clone())?;
            let vi = side.claim(input, rho.clone())?;
            let vo = side.claim(out, g.project(&rho))?;
            side.check(vg == vo - vi, CHECK, name)?;
            let p = side.point(g.out_vars());
            let va = side.claim(choice, g.halves(&p))?;
            side.check(pow2(2) * va == Fr::ONE, CHECK, name)?;
            side.hadamard(
                name,
                g.in_vars(),
                &Lin::zero(),
                &Lin::seg(choice),
                &Lin::seg(gap),
            )
        }
        PoolKind::Dx { choice, dy, dx } => {
            let rho = side.point(g.in_vars());
            let value = side.claim(dx, rho.clone())?;
            let layer = Layer::Hadamard { vars: g.in_vars() };
            let claim = EvaluationClaim { point: rho, value };
            let (c, d) = side.gkr(
                name,
                CHECK,
                layer,
                claim,
                &Tab::Seg(choice),
                &Tab::Bcast(dy, g),
            )?;
            let d = d.ok_or_else(|| ProofError::Malformed(format!("{name}: no aux claim")))?;
            side.record(choice, c.point, c.value)?;
            side.record(dy, g.project(&d.point), d.value)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use kaizen_sumcheck::poly::evaluate_slice;

    #[test]
    fn broadcast_projects_and_window_sums_halve() {
        let g = PoolGrid { pre: 1, h: 2, w: 2 };
        let pooled: Vec<Fr> = (0..8u64).map(|i| Fr::from_u64(i * i + 1)).collect();
        let b = g.broadcast(&pooled);
        assert_eq!(b.len(), 32);
        // Input (pre=1, Y=3, X=2) is in window (1, 1, 1) of the pooled grid.
        assert_eq!(b[16 + 3 * 4 + 2], pooled[4 + 2 + 1]);
        let rho: Vec<Fr> = (0..5).map(|i| Fr::from_u64(7 * i + 3)).collect();
        assert_eq!(
            evaluate_slice(&b, &rho),
            evaluate_slice(&pooled, &g.project(&rho))
        );
        let p: Vec<Fr> = (0..3).map(|i| Fr::from_u64(5 * i + 2)).collect();
        // Σ over each window of the broadcast = 4 × the pooled value.
        assert_eq!(
            pow2(2) * evaluate_slice(&b, &g.halves(&p)),
            pow2(2) * evaluate_slice(&pooled, &p)
        );
    }
}
