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

/// Like [`finish`] for `rows * row_len` accumulators that `fill_row(row, acc_row)` computes
/// one row at a time (rows in parallel): no `i64` buffer of the whole output exists, which
/// keeps large weight gradients at `i32` (plus `u32` remainders when tracing). The reported
/// overflow is the lowest-index one, whatever the thread count.
pub(crate) fn finish_rows(
    ctx: LayerCtx,
    wit: &mut Witness,
    rows: usize,
    row_len: usize,
    s: u32,
    kind: &'static str,
    what: &'static str,
    fill_row: impl Fn(usize, &mut [i64]) + Sync,
) -> Result<Vec<i32>> {
    use rayon::prelude::*;
    let tracing = wit.enabled();
    let mut out = vec![0i32; rows * row_len];
    let mut rem = vec![0u32; if tracing { rows * row_len } else { 0 }];
    let row = |(i, o): (usize, &mut [i32]), r: Option<&mut [u32]>| {
        let mut acc = vec![0i64; row_len];
        fill_row(i, &mut acc);
        rescale_all(o, r, &acc, s, ctx.index, what)
    };
    let outcomes: Vec<Result<()>> = if tracing {
        out.par_chunks_mut(row_len.max(1))
            .enumerate()
            .zip(rem.par_chunks_mut(row_len.max(1)))
            .map(|(o, r)| row(o, Some(r)))
            .collect()
    } else {
        out.par_chunks_mut(row_len.max(1))
            .enumerate()
            .map(|o| row(o, None))
            .collect()
    };
    outcomes.into_iter().collect::<Result<()>>()?;
    if tracing {
        wit.record_i32(|| format!("{}.{kind}.{what}", ctx.index), &out);
        wit.record_u32(|| format!("{}.{kind}.{what}.rem", ctx.index), &rem);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NnError;

    fn ctx() -> LayerCtx {
        LayerCtx {
            index: 3,
            fp: FixedPoint::new(16).unwrap(),
        }
    }

    fn row_values(i: usize, acc: &mut [i64]) {
        for (j, a) in acc.iter_mut().enumerate() {
            *a = ((i * 7919 + j * 104_729) as i64 % 2_000_003 - 1_000_001) << 12;
        }
    }

    #[test]
    fn finish_rows_equals_finish_with_and_without_trace() {
        let (rows, len) = (37, 129);
        let mut all = vec![0i64; rows * len];
        for (i, row) in all.chunks_mut(len).enumerate() {
            row_values(i, row);
        }
        for trace in [false, true] {
            let mk = || {
                if trace {
                    Witness::recording()
                } else {
                    Witness::disabled()
                }
            };
            let (mut a, mut b) = (mk(), mk());
            let whole = finish(ctx(), &mut a, &all, 16, "dense", "dw").unwrap();
            let by_rows = finish_rows(ctx(), &mut b, rows, len, 16, "dense", "dw", row_values);
            assert_eq!(whole, by_rows.unwrap());
            assert_eq!(a.len(), if trace { 2 } else { 0 });
            assert!(a.entries().eq(b.entries()));
        }
    }

    #[test]
    fn finish_rows_reports_the_lowest_overflow() {
        let big = |i: usize, acc: &mut [i64]| {
            acc.fill(0);
            if i >= 5 {
                acc[9 - i % 3] = (i as i64 + 1) << 48;
            }
        };
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let err = pool
                .install(|| {
                    finish_rows(
                        ctx(),
                        &mut Witness::recording(),
                        64,
                        10,
                        16,
                        "dense",
                        "dw",
                        big,
                    )
                })
                .unwrap_err();
            match err {
                NnError::Overflow { layer, value, .. } => {
                    assert_eq!(layer, 3);
                    assert_eq!(value, 6 << 32);
                }
                other => panic!("{other}"),
            }
        }
    }
}
