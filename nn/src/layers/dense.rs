//! Fully connected layer.
//!
//! ```text
//! forward:   y[b,o]  = rescale( sum_i W[o,i] x[b,i] + (bias[o] << f), f )
//! backward:  dx[b,i] = rescale( sum_o W[o,i] dy[b,o], f )
//!            dW[o,i] = rescale( sum_b dy[b,o] x[b,i], f )
//!            db[o]   = sum_b dy[b,o]                       (already at scale 2^f)
//! ```
//! `W` is row-major `[outputs, inputs]`. Work is split by sample (forward, dx) or by output
//! row (dW); each sum runs in a fixed order, so results do not depend on the thread count.

use rayon::prelude::*;

use super::{expect_len, finish, finish_rows, LayerCtx, ParamGrads};
use crate::error::Result;
use crate::fixed::{check_mac_bound, max_abs, narrow};
use crate::witness::Witness;

/// Shape of a dense layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dense {
    /// Input features.
    pub inputs: usize,
    /// Output features.
    pub outputs: usize,
}

impl Dense {
    /// Number of weights.
    pub fn weight_len(&self) -> usize {
        self.inputs * self.outputs
    }

    /// Forward pass over `batch` samples.
    pub fn forward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        w: &[i32],
        bias: &[i32],
        x: &[i32],
        batch: usize,
    ) -> Result<Vec<i32>> {
        let (ni, no) = (self.inputs, self.outputs);
        expect_len("dense weights", ni * no, w.len())?;
        expect_len("dense bias", no, bias.len())?;
        expect_len("dense input", batch * ni, x.len())?;
        let f = ctx.fp.frac_bits();
        let extra = max_abs(bias) << f;
        check_mac_bound(ctx.index, "dense.fwd", max_abs(w), max_abs(x), ni, extra)?;
        let mut acc = vec![0i64; batch * no];
        acc.par_chunks_mut(no)
            .zip(x.par_chunks(ni))
            .for_each(|(acc_row, xb)| {
                for (o, a) in acc_row.iter_mut().enumerate() {
                    let wr = &w[o * ni..(o + 1) * ni];
                    let dot: i64 = wr.iter().zip(xb).map(|(&a, &b)| a as i64 * b as i64).sum();
                    *a = dot + ((bias[o] as i64) << f);
                }
            });
        finish(ctx, wit, &acc, f, "dense", "fwd")
    }

    /// Backward pass: gradients for input (if `need_dx`), weights and bias.
    pub fn backward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        w: &[i32],
        x: &[i32],
        dy: &[i32],
        batch: usize,
        need_dx: bool,
    ) -> Result<ParamGrads> {
        let (ni, no) = (self.inputs, self.outputs);
        expect_len("dense weights", ni * no, w.len())?;
        expect_len("dense input", batch * ni, x.len())?;
        expect_len("dense output gradient", batch * no, dy.len())?;
        let f = ctx.fp.frac_bits();
        let (mw, mx, mdy) = (max_abs(w), max_abs(x), max_abs(dy));

        let dx = if need_dx {
            check_mac_bound(ctx.index, "dense.dx", mw, mdy, no, 0)?;
            let mut acc = vec![0i64; batch * ni];
            acc.par_chunks_mut(ni)
                .zip(dy.par_chunks(no))
                .for_each(|(acc_row, dyb)| {
                    for (o, &d) in dyb.iter().enumerate() {
                        if d == 0 {
                            continue;
                        }
                        let d = d as i64;
                        for (a, &wv) in acc_row.iter_mut().zip(&w[o * ni..(o + 1) * ni]) {
                            *a += d * wv as i64;
                        }
                    }
                });
            Some(finish(ctx, wit, &acc, f, "dense", "dx")?)
        } else {
            None
        };

        check_mac_bound(ctx.index, "dense.dw", mdy, mx, batch, 0)?;
        let dw = finish_rows(ctx, wit, no, ni, f, "dense", "dw", |o, acc_row| {
            for b in 0..batch {
                let d = dy[b * no + o] as i64;
                if d == 0 {
                    continue;
                }
                for (a, &xv) in acc_row.iter_mut().zip(&x[b * ni..(b + 1) * ni]) {
                    *a += d * xv as i64;
                }
            }
        })?;

        let mut db = Vec::with_capacity(no);
        for o in 0..no {
            let s: i64 = (0..batch).map(|b| dy[b * no + o] as i64).sum();
            db.push(narrow(s, ctx.index, "dense.db")?);
        }
        wit.record_i32(|| format!("{}.dense.db", ctx.index), &db);
        Ok(ParamGrads { dx, dw, db })
    }
}
