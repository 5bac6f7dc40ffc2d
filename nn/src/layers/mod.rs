//! Layers, each with an integer forward and backward pass.
//!
//! | module | layer |
//! |---|---|
//! | [`dense`] | fully connected `y = W x + b` |
//! | [`conv`] | 2-D convolution, any square kernel (3x3, 5x5 used), stride, zero padding |
//! | [`activation`] | ReLU |
//! | [`pool`] | 2x2 max and average pooling, stride 2 |
//! | [`softmax`] | softmax with a table-lookup exp, cross-entropy gradient |
//! | [`sgd`] | the SGD update with a fixed-point learning rate |
//!
//! Tensors are flat `i32` slices in row-major `[batch, channels, height, width]` order (a
//! dense layer's `[batch, features]` is the flattening of that, so flatten is free). All values
//! are at scale `2^f`. Each pass records its outputs and the remainders of its rescales in the
//! [`Witness`] under `"<layer>.<kind>.<what>"`.

pub mod activation;
pub mod conv;
pub mod dense;
pub mod pool;
pub mod sgd;
pub mod softmax;

use crate::error::Result;
use crate::fixed::{rescale_all, FixedPoint};
use crate::witness::Witness;

/// What every layer call needs to know about its place: its index and the scale.
#[derive(Debug, Clone, Copy)]
pub struct LayerCtx {
    /// Index of the layer in its model (names witness entries and errors).
    pub index: usize,
    /// The fixed-point scale.
    pub fp: FixedPoint,
}

/// Rescales accumulators by `2^s`, records `<index>.<kind>.<what>` (quotients) and
/// `<index>.<kind>.<what>.rem` (remainders) when tracing, and returns the quotients.
pub(crate) fn finish(
    ctx: LayerCtx,
    wit: &mut Witness,
    acc: &[i64],
    s: u32,
    kind: &'static str,
    what: &'static str,
) -> Result<Vec<i32>> {
    let mut out = vec![0i32; acc.len()];
    if wit.enabled() {
        let mut rem = vec![0u32; acc.len()];
        rescale_all(&mut out, Some(&mut rem), acc, s, ctx.index, what)?;
        wit.record_i32(|| format!("{}.{kind}.{what}", ctx.index), &out);
        wit.record_u32(|| format!("{}.{kind}.{what}.rem", ctx.index), &rem);
    } else {
        rescale_all(&mut out, None, acc, s, ctx.index, what)?;
    }
    Ok(out)
}

/// Fails with [`crate::NnError::Shape`] unless `actual == expected`.
pub(crate) fn expect_len(context: &'static str, expected: usize, actual: usize) -> Result<()> {
    if expected != actual {
        return Err(crate::NnError::Shape {
            context,
            expected,
            actual,
        });
    }
    Ok(())
}

/// Gradients of a parametric layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamGrads {
    /// Gradient with respect to the input (absent for the first layer).
    pub dx: Option<Vec<i32>>,
    /// Gradient with respect to the weights, scale `2^f`, summed over the batch.
    pub dw: Vec<i32>,
    /// Gradient with respect to the bias, scale `2^f`, summed over the batch.
    pub db: Vec<i32>,
}
