//! 2x2 pooling with stride 2 over `[batch, channels, h, w]` (h and w even).
//!
//! ```text
//! max:  y = max of the window; arg-max a in 0..4 (row-major, first maximum) recorded (u8)
//!       dx[window a] = dy, 0 elsewhere
//! avg:  sum + 2 = y * 4 + r, 0 <= r < 4   (rescale by 2^2: round to nearest)
//!       dy + 2 = g * 4 + r', every input of the window gets g
//! ```

use super::{expect_len, finish, LayerCtx};
use crate::error::{NnError, Result};
use crate::witness::Witness;

/// Shape of a 2x2 pooling layer's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool2 {
    /// Channels.
    pub channels: usize,
    /// Input height (even).
    pub in_h: usize,
    /// Input width (even).
    pub in_w: usize,
}

impl Pool2 {
    /// Fails unless the input sides are even and non-zero.
    pub fn validate(&self) -> Result<()> {
        if self.in_h == 0 || self.in_w == 0 || (self.in_h | self.in_w) & 1 != 0 {
            return Err(NnError::BadParameter {
                name: "pool",
                what: format!(
                    "2x2 pooling needs even sides, got {}x{}",
                    self.in_h, self.in_w
                ),
            });
        }
        Ok(())
    }

    /// Values per input sample.
    pub fn in_len(&self) -> usize {
        self.channels * self.in_h * self.in_w
    }

    /// Values per output sample.
    pub fn out_len(&self) -> usize {
        self.in_len() / 4
    }

    /// Input index of window element `a` (0..4) of output index `o` (within all samples).
    #[inline]
    fn source(&self, o: usize, a: usize) -> usize {
        let (oh, ow) = (self.in_h / 2, self.in_w / 2);
        let plane = o / (oh * ow);
        let (u, v) = ((o / ow) % oh, o % ow);
        plane * self.in_h * self.in_w + (2 * u + a / 2) * self.in_w + 2 * v + a % 2
    }

    /// Max-pool forward; returns the outputs and the arg-max of every window.
    pub fn max_forward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        x: &[i32],
        batch: usize,
    ) -> Result<(Vec<i32>, Vec<u8>)> {
        self.validate()?;
        expect_len("max-pool input", batch * self.in_len(), x.len())?;
        let n = batch * self.out_len();
        let mut y = Vec::with_capacity(n);
        let mut arg = Vec::with_capacity(n);
        for o in 0..n {
            let mut best = (x[self.source(o, 0)], 0u8);
            for a in 1..4 {
                let v = x[self.source(o, a)];
                if v > best.0 {
                    best = (v, a as u8);
                }
            }
            y.push(best.0);
            arg.push(best.1);
        }
        wit.record_u8(|| format!("{}.maxpool.argmax", ctx.index), &arg);
        wit.record_i32(|| format!("{}.maxpool.fwd", ctx.index), &y);
        Ok((y, arg))
    }

    /// Max-pool backward: routes each `dy` to its window's arg-max.
    pub fn max_backward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        arg: &[u8],
        dy: &[i32],
        batch: usize,
    ) -> Result<Vec<i32>> {
        expect_len("max-pool gradient", batch * self.out_len(), dy.len())?;
        expect_len("max-pool arg-max", dy.len(), arg.len())?;
        let mut dx = vec![0i32; batch * self.in_len()];
        for (o, (&d, &a)) in dy.iter().zip(arg).enumerate() {
            dx[self.source(o, a as usize)] = d;
        }
        wit.record_i32(|| format!("{}.maxpool.dx", ctx.index), &dx);
        Ok(dx)
    }

    /// Average-pool forward.
    pub fn avg_forward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        x: &[i32],
        batch: usize,
    ) -> Result<Vec<i32>> {
        self.validate()?;
        expect_len("avg-pool input", batch * self.in_len(), x.len())?;
        let acc: Vec<i64> = (0..batch * self.out_len())
            .map(|o| (0..4).map(|a| x[self.source(o, a)] as i64).sum())
            .collect();
        finish(ctx, wit, &acc, 2, "avgpool", "fwd")
    }

    /// Average-pool backward: every input of a window gets `rescale(dy, 2)`.
    pub fn avg_backward(
        &self,
        ctx: LayerCtx,
        wit: &mut Witness,
        dy: &[i32],
        batch: usize,
    ) -> Result<Vec<i32>> {
        expect_len("avg-pool gradient", batch * self.out_len(), dy.len())?;
        let acc: Vec<i64> = dy.iter().map(|&d| d as i64).collect();
        let g = finish(ctx, wit, &acc, 2, "avgpool", "dx")?;
        let mut dx = vec![0i32; batch * self.in_len()];
        for (o, &gv) in g.iter().enumerate() {
            for a in 0..4 {
                dx[self.source(o, a)] = gv;
            }
        }
        Ok(dx)
    }
}
