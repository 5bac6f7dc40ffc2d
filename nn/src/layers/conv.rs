//! 2-D convolution with a square kernel, stride and zero padding.
//!
//! ```text
//! forward:   y[b,o,u,v]  = rescale( sum_{c,i,j} W[o,c,i,j] x[b,c,u*s+i-p,v*s+j-p] + (bias[o] << f), f )
//! backward:  dx[b,c,h,w] = rescale( sum of W[o,c,i,j] dy[b,o,u,v] over all (o,i,j,u,v) with
//!                                   u*s+i-p = h, v*s+j-p = w, f )
//!            dW[o,c,i,j] = rescale( sum_{b,u,v} dy[b,o,u,v] x[b,c,u*s+i-p,v*s+j-p], f )
//!            db[o]       = sum_{b,u,v} dy[b,o,u,v]
//! ```
//! Out-of-range input positions read as 0 (zero padding). Computed through an im2col matrix
//! `cols[(c,i,j), (u,v)]` per sample; each output is one sum in a fixed order, so results do
//! not depend on the thread count. Weights are `[out_ch, in_ch, k, k]`.

use rayon::prelude::*;

use super::{expect_len, finish, finish_rows, LayerCtx, ParamGrads};
use crate::error::{NnError, Result};
use crate::fixed::{check_mac_bound, max_abs, narrow};
use crate::witness::Witness;

/// Shape of a convolution (with the input size it is applied to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conv {
    /// Input channels.
    pub in_ch: usize,
    /// Output channels.
    pub out_ch: usize,
    /// Kernel side.
    pub kernel: usize,
    /// Stride.
    pub stride: usize,
    /// Zero padding on every side.
    pub padding: usize,
    /// Input height.
    pub in_h: usize,
    /// Input width.
    pub in_w: usize,
}

impl Conv {
    /// Checks that the kernel fits the padded input.
    pub fn validate(&self) -> Result<()> {
        if self.kernel == 0
            || self.stride == 0
            || self.in_h + 2 * self.padding < self.kernel
            || self.in_w + 2 * self.padding < self.kernel
        {
            return Err(NnError::BadParameter {
                name: "conv",
                what: format!("{self:?}: kernel does not fit the padded input"),
            });
        }
        Ok(())
    }

    /// Output height.
    pub fn out_h(&self) -> usize {
        (self.in_h + 2 * self.padding - self.kernel) / self.stride + 1
    }

    /// Output width.
    pub fn out_w(&self) -> usize {
        (self.in_w + 2 * self.padding - self.kernel) / self.stride + 1
    }

    /// Values per input sample.
    pub fn in_len(&self) -> usize {
        self.in_ch * self.in_h * self.in_w
    }

    /// Values per output sample.
    pub fn out_len(&self) -> usize {
        self.out_ch * self.out_h() * self.out_w()
    }

    /// Weights per output channel (`in_ch * k * k`).
    pub fn patch(&self) -> usize {
        self.in_ch * self.kernel * self.kernel
    }

    /// Number of weights.
    pub fn weight_len(&self) -> usize {
        self.out_ch * self.patch()
    }

    /// The input position read by patch row `(c,i,j)` at output `(u,v)`, if inside the image.
    #[inline]
    fn source(&self, i: usize, j: usize, u: usize, v: usize) -> Option<(usize, usize)> {
        let h = (u * self.stride + i).checked_sub(self.padding)?;
        let w = (v * self.stride + j).checked_sub(self.padding)?;
        (h < self.in_h && w < self.in_w).then_some((h, w))
    }

    /// im2col of one sample: `cols[(c,i,j) * P + (u,v)]`, `P = out_h * out_w` (zero where
    /// the window reads padding).
    pub(crate) fn im2col<T: Copy + Default>(&self, x: &[T]) -> Vec<T> {
        let mut cols = vec![T::default(); self.patch() * self.out_h() * self.out_w()];
        self.patch_pairs(|col, src| cols[col] = x[src]);
        cols
    }

    /// col2im of one sample: `x[src] += cols[col]` for every pair im2col copies.
    pub(crate) fn col2im_add<T: Copy + std::ops::AddAssign>(&self, cols: &[T], x: &mut [T]) {
        self.patch_pairs(|col, src| x[src] += cols[col]);
    }

    /// Calls `f(column index, input index)` for every in-image pair of im2col, in row order.
    fn patch_pairs(&self, mut f: impl FnMut(usize, usize)) {
        let (k, oh, ow) = (self.kernel, self.out_h(), self.out_w());
        let p = oh * ow;
        for c in 0..self.in_ch {
            let base = c * self.in_h * self.in_w;
            for i in 0..k {
                for j in 0..k {
                    let row = ((c * k + i) * k + j) * p;
                    for u in 0..oh {
                        for v in 0..ow {
                            if let Some((h, w)) = self.source(i, j, u, v) {
                                f(row + u * ow + v, base + h * self.in_w + w);
                            }
                        }
                    }
                }
            }
        }
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
        self.validate()?;
        expect_len("conv weights", self.weight_len(), w.len())?;
        expect_len("conv bias", self.out_ch, bias.len())?;
        expect_len("conv input", batch * self.in_len(), x.len())?;
        let f = ctx.fp.frac_bits();
        let (r, p) = (self.patch(), self.out_h() * self.out_w());
        check_mac_bound(
            ctx.index,
            "conv.fwd",
            max_abs(w),
            max_abs(x),
            r,
            max_abs(bias) << f,
        )?;
        let mut acc = vec![0i64; batch * self.out_len()];
        acc.par_chunks_mut(self.out_len())
            .zip(x.par_chunks(self.in_len()))
            .for_each(|(acc_b, xb)| {
                let cols = self.im2col(xb);
                for (o, acc_o) in acc_b.chunks_mut(p).enumerate() {
                    acc_o.fill((bias[o] as i64) << f);
                    for (rr, &wv) in w[o * r..(o + 1) * r].iter().enumerate() {
                        if wv == 0 {
                            continue;
                        }
                        let wv = wv as i64;
                        for (a, &cv) in acc_o.iter_mut().zip(&cols[rr * p..(rr + 1) * p]) {
                            *a += wv * cv as i64;
                        }
                    }
                }
            });
        finish(ctx, wit, &acc, f, "conv", "fwd")
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
        self.validate()?;
        expect_len("conv weights", self.weight_len(), w.len())?;
        expect_len("conv input", batch * self.in_len(), x.len())?;
        expect_len("conv output gradient", batch * self.out_len(), dy.len())?;
        let f = ctx.fp.frac_bits();
        let (k, r, p) = (self.kernel, self.patch(), self.out_h() * self.out_w());
        let (oh, ow) = (self.out_h(), self.out_w());
        let (mw, mx, mdy) = (max_abs(w), max_abs(x), max_abs(dy));

        let dx = if need_dx {
            check_mac_bound(ctx.index, "conv.dx", mw, mdy, self.out_ch * k * k, 0)?;
            let mut acc = vec![0i64; batch * self.in_len()];
            acc.par_chunks_mut(self.in_len())
                .zip(dy.par_chunks(self.out_len()))
                .for_each(|(acc_b, dyb)| {
                    // dcols[(c,i,j), (u,v)] = sum_o W[o,(c,i,j)] dy[o,(u,v)], then col2im.
                    let mut dcol = vec![0i64; p];
                    for c in 0..self.in_ch {
                        for i in 0..k {
                            for j in 0..k {
                                let rr = (c * k + i) * k + j;
                                dcol.fill(0);
                                for o in 0..self.out_ch {
                                    let wv = w[o * r + rr] as i64;
                                    if wv == 0 {
                                        continue;
                                    }
                                    for (a, &d) in dcol.iter_mut().zip(&dyb[o * p..(o + 1) * p]) {
                                        *a += wv * d as i64;
                                    }
                                }
                                let acc_c = &mut acc_b[c * self.in_h * self.in_w..];
                                for u in 0..oh {
                                    for v in 0..ow {
                                        if let Some((h, ww)) = self.source(i, j, u, v) {
                                            acc_c[h * self.in_w + ww] += dcol[u * ow + v];
                                        }
                                    }
                                }
                            }
                        }
                    }
                });
            Some(finish(ctx, wit, &acc, f, "conv", "dx")?)
        } else {
            None
        };

        check_mac_bound(ctx.index, "conv.dw", mdy, mx, batch * p, 0)?;
        let cols: Vec<Vec<i32>> = x
            .par_chunks(self.in_len())
            .map(|xb| self.im2col(xb))
            .collect();
        let dw = finish_rows(ctx, wit, self.out_ch, r, f, "conv", "dw", |o, acc_o| {
            for (b, cb) in cols.iter().enumerate() {
                let dyo = &dy[b * self.out_len() + o * p..][..p];
                for (rr, a) in acc_o.iter_mut().enumerate() {
                    let s: i64 = dyo
                        .iter()
                        .zip(&cb[rr * p..(rr + 1) * p])
                        .map(|(&d, &c)| d as i64 * c as i64)
                        .sum();
                    *a += s;
                }
            }
        })?;
        drop(cols);

        let mut db = Vec::with_capacity(self.out_ch);
        for o in 0..self.out_ch {
            let s: i64 = (0..batch)
                .map(|b| {
                    dy[b * self.out_len() + o * p..][..p]
                        .iter()
                        .map(|&d| d as i64)
                        .sum::<i64>()
                })
                .sum();
            db.push(narrow(s, ctx.index, "conv.db")?);
        }
        wit.record_i32(|| format!("{}.conv.db", ctx.index), &db);
        Ok(ParamGrads { dx, dw, db })
    }
}
