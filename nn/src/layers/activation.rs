//! ReLU.
//!
//! ```text
//! forward:   y = x if x > 0 else 0          sign s = [x > 0] recorded (u8)
//! backward:  dx = dy if x > 0 else 0
//! ```
//! No rescale: the proof shows `s` is the sign bit of `x` (a bit decomposition / range lookup)
//! and `y = s * x`, `dx = s * dy`.

use super::{expect_len, LayerCtx};
use crate::error::Result;
use crate::witness::Witness;

/// ReLU forward: returns `max(x, 0)`.
pub fn relu_forward(ctx: LayerCtx, wit: &mut Witness, x: &[i32]) -> Vec<i32> {
    let y: Vec<i32> = x.iter().map(|&v| v.max(0)).collect();
    if wit.enabled() {
        let signs: Vec<u8> = x.iter().map(|&v| u8::from(v > 0)).collect();
        wit.record_u8(|| format!("{}.relu.sign", ctx.index), &signs);
        wit.record_i32(|| format!("{}.relu.fwd", ctx.index), &y);
    }
    y
}

/// ReLU backward: `dy` where the forward input `x` was positive, 0 elsewhere.
pub fn relu_backward(ctx: LayerCtx, wit: &mut Witness, x: &[i32], dy: &[i32]) -> Result<Vec<i32>> {
    expect_len("relu gradient", x.len(), dy.len())?;
    let dx: Vec<i32> = x
        .iter()
        .zip(dy)
        .map(|(&v, &d)| if v > 0 { d } else { 0 })
        .collect();
    wit.record_i32(|| format!("{}.relu.dx", ctx.index), &dx);
    Ok(dx)
}
