//! The 2-D sliding-window wiring of [`Layer::Im2col`](super::Layer::Im2col) and
//! [`Layer::Col2im`](super::Layer::Col2im): stride 1, no padding, square kernel.
//!
//! ```text
//! tensor  T[n, c, Y, X]          variables [n (batch) ‖ c (chan) ‖ Y (in_h) ‖ X (in_w)]
//! patches P[(n, y, x), (c, i, j)] variables [n ‖ y (out_h) ‖ x (out_w) ‖ c ‖ i (kernel) ‖ j (kernel)]
//! im2col:  P[n,y,x,c,i,j] = T[n, c, y+i, x+j]   for y < out_h, x < out_w, i, j < kernel; else 0
//! col2im:  T[n,c,Y,X]     = Σ_{y+i=Y, x+j=X} P[n,y,x,c,i,j]   (the transposed wiring, scatter-add)
//! ```
//! Both are linear, so a claim on the output reduces by one degree-2 sumcheck over the input:
//! `out~(r) = Σ_z in(z) · W_r(z)`, with a wiring table that factorises per axis. The one
//! 1-D piece both directions need is
//! `A(a, b, s) = Σ_{y < out, i < kernel} eq(a, y) eq(b, i) eq(s, y + i)`
//! (`a` on an output axis, `b` on the kernel axis, `s` on the input axis):
//! - im2col, claim `r` on P, wiring over T: `eq(r_n, n) eq(r_c, c) A(r_y, r_i, Y) A(r_x, r_j, X)`;
//! - col2im, claim `p` on T, wiring over P: `eq(p_n, n) eq(p_c, c) A(y, i, p_Y) A(x, j, p_X)`.
//!
//! The verifier evaluates `A` at field points in `O(out · kernel + 2^in_vars)`.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;

use crate::poly::eq_table;

/// The shape of a sliding window (see the [module doc](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window2d {
    /// `log2` of the batch count.
    pub batch_vars: usize,
    /// `log2` of the (padded) channel count.
    pub chan_vars: usize,
    /// `log2` of the padded input height.
    pub in_h_vars: usize,
    /// `log2` of the padded input width.
    pub in_w_vars: usize,
    /// Real output height (`out_h + kernel - 1 <= 2^in_h_vars`).
    pub out_h: usize,
    /// `log2` of the padded output height.
    pub out_h_vars: usize,
    /// Real output width.
    pub out_w: usize,
    /// `log2` of the padded output width.
    pub out_w_vars: usize,
    /// Real kernel side.
    pub kernel: usize,
    /// `log2` of the padded kernel side.
    pub kernel_vars: usize,
}

impl Window2d {
    /// Variables of the tensor `T`.
    pub fn tensor_vars(&self) -> usize {
        self.batch_vars + self.chan_vars + self.in_h_vars + self.in_w_vars
    }

    /// Variables of the patch matrix `P`.
    pub fn patch_vars(&self) -> usize {
        self.batch_vars + self.out_h_vars + self.out_w_vars + self.chan_vars + 2 * self.kernel_vars
    }

    /// `log2` of the patch matrix's row count (`n, y, x`).
    pub fn patch_row_vars(&self) -> usize {
        self.batch_vars + self.out_h_vars + self.out_w_vars
    }

    /// Sizes consistent: every real extent fits its padded axis and the window fits the input.
    pub(crate) fn is_valid(&self) -> bool {
        let fits = |real: usize, vars: usize| vars < 32 && real >= 1 && real <= 1usize << vars;
        fits(self.out_h, self.out_h_vars)
            && fits(self.out_w, self.out_w_vars)
            && fits(self.kernel, self.kernel_vars)
            && fits(self.out_h + self.kernel - 1, self.in_h_vars)
            && fits(self.out_w + self.kernel - 1, self.in_w_vars)
            && self.batch_vars < 32
            && self.chan_vars < 32
    }

    /// The ten shape numbers in a fixed order (transcript).
    pub(crate) fn numbers(&self) -> [usize; 10] {
        [
            self.batch_vars,
            self.chan_vars,
            self.in_h_vars,
            self.in_w_vars,
            self.out_h,
            self.out_h_vars,
            self.out_w,
            self.out_w_vars,
            self.kernel,
            self.kernel_vars,
        ]
    }

    /// Splits a tensor point into `(n, c, Y, X)`.
    pub(crate) fn split_tensor<'a>(&self, p: &'a [Fr]) -> Option<[&'a [Fr]; 4]> {
        let (n, rest) = p.split_at_checked(self.batch_vars)?;
        let (c, rest) = rest.split_at_checked(self.chan_vars)?;
        let (y, x) = rest.split_at_checked(self.in_h_vars)?;
        (x.len() == self.in_w_vars).then_some([n, c, y, x])
    }

    /// Splits a patch point into `(n, y, x, c, i, j)`.
    pub(crate) fn split_patch<'a>(&self, p: &'a [Fr]) -> Option<[&'a [Fr]; 6]> {
        let (n, rest) = p.split_at_checked(self.batch_vars)?;
        let (y, rest) = rest.split_at_checked(self.out_h_vars)?;
        let (x, rest) = rest.split_at_checked(self.out_w_vars)?;
        let (c, rest) = rest.split_at_checked(self.chan_vars)?;
        let (i, j) = rest.split_at_checked(self.kernel_vars)?;
        (j.len() == self.kernel_vars).then_some([n, y, x, c, i, j])
    }

    /// The wiring's MLE for an im2col claim at patch point `r`, at tensor point `s`.
    pub(crate) fn im2col_wiring_eval(&self, r: &[Fr], s: &[Fr]) -> Option<Fr> {
        let [rn, ry, rx, rc, ri, rj] = self.split_patch(r)?;
        let [sn, sc, sy, sx] = self.split_tensor(s)?;
        Some(
            eq_points(rn, sn)?
                * eq_points(rc, sc)?
                * axis_eval(ry, ri, sy, self.out_h, self.kernel)
                * axis_eval(rx, rj, sx, self.out_w, self.kernel),
        )
    }

    /// The wiring's MLE for a col2im claim at tensor point `p`, at patch point `s`.
    pub(crate) fn col2im_wiring_eval(&self, p: &[Fr], s: &[Fr]) -> Option<Fr> {
        let [pn, pc, py, px] = self.split_tensor(p)?;
        let [sn, sy, sx, sc, si, sj] = self.split_patch(s)?;
        Some(
            eq_points(pn, sn)?
                * eq_points(pc, sc)?
                * axis_eval(sy, si, py, self.out_h, self.kernel)
                * axis_eval(sx, sj, px, self.out_w, self.kernel),
        )
    }
}

fn eq_points(a: &[Fr], b: &[Fr]) -> Option<Fr> {
    crate::poly::eq_eval_checked(a, b).ok()
}

/// `A(a, b, s) = Σ_{y < out, i < kernel} eq(a, y) eq(b, i) eq(s, y + i)` (the points' lengths
/// give the padded axes; `out + kernel - 1 <= 2^|s|` is the caller's validated shape).
pub(crate) fn axis_eval(a: &[Fr], b: &[Fr], s: &[Fr], out: usize, kernel: usize) -> Fr {
    let (ea, eb, es) = (eq_table(a), eq_table(b), eq_table(s));
    let mut total = Fr::ZERO;
    for (y, wa) in ea.iter().take(out).enumerate() {
        // Σ_i eq(b, i) eq(s, y + i): the kernel row slid to offset y.
        let slid: Fr = eb
            .iter()
            .take(kernel)
            .zip(es.iter().skip(y))
            .map(|(wb, ws)| *wb * *ws)
            .sum();
        total += *wa * slid;
    }
    total
}

/// Prover side (tables; panics on caller shape bugs like the rest of the layer code, so the
/// verifier's lints do not apply here).
#[allow(clippy::indexing_slicing, clippy::panic)]
pub(crate) mod tables {
    use kaizen_field::Fr;
    use rayon::prelude::*;

    use super::Window2d;
    use crate::poly::eq_table;

    /// im2col of `tensor` (row-major in the tensor's variable order) into the patch matrix.
    pub(crate) fn im2col(w: &Window2d, tensor: &[Fr]) -> Vec<Fr> {
        let (ch, ih, iw) = (1 << w.chan_vars, 1 << w.in_h_vars, 1 << w.in_w_vars);
        let (oh, ow, kk) = (1 << w.out_h_vars, 1 << w.out_w_vars, 1 << w.kernel_vars);
        let row_len = ch * kk * kk;
        let mut out = vec![Fr::ZERO; (1 << w.patch_row_vars()) * row_len];
        // Row (n, y, x): out[(c, i, j)] = T[n, c, y + i, x + j] inside the real window.
        out.par_chunks_mut(row_len)
            .enumerate()
            .for_each(|(r, row)| {
                let (n, y, x) = (r / (oh * ow), (r / ow) % oh, r % ow);
                if y >= w.out_h || x >= w.out_w {
                    return;
                }
                for c in 0..ch {
                    let plane = &tensor[(n * ch + c) * ih * iw..][..ih * iw];
                    for i in 0..w.kernel {
                        for j in 0..w.kernel {
                            row[(c * kk + i) * kk + j] = plane[(y + i) * iw + x + j];
                        }
                    }
                }
            });
        out
    }

    /// col2im: the scatter-add transpose of [`im2col`].
    pub(crate) fn col2im(w: &Window2d, patches: &[Fr]) -> Vec<Fr> {
        let (ch, ih, iw) = (1 << w.chan_vars, 1 << w.in_h_vars, 1 << w.in_w_vars);
        let (oh, ow, kk) = (1 << w.out_h_vars, 1 << w.out_w_vars, 1 << w.kernel_vars);
        let row_len = ch * kk * kk;
        let plane_rows = oh * ow;
        let mut out = vec![Fr::ZERO; 1 << w.tensor_vars()];
        // One sample per task: every output entry is summed in a fixed order.
        out.par_chunks_mut(ch * ih * iw)
            .enumerate()
            .for_each(|(n, sample)| {
                for y in 0..w.out_h {
                    for x in 0..w.out_w {
                        let row = &patches[(n * plane_rows + y * ow + x) * row_len..][..row_len];
                        for c in 0..ch {
                            for i in 0..w.kernel {
                                for j in 0..w.kernel {
                                    sample[(c * ih + y + i) * iw + x + j] +=
                                        row[(c * kk + i) * kk + j];
                                }
                            }
                        }
                    }
                }
            });
        out
    }

    /// `A(a, b, ·)` as a table over the input axis: `out[Y] = Σ_{y+i=Y} eq(a, y) eq(b, i)`.
    fn axis_to_input(a: &[Fr], b: &[Fr], in_vars: usize, out: usize, kernel: usize) -> Vec<Fr> {
        let (ea, eb) = (eq_table(a), eq_table(b));
        let mut t = vec![Fr::ZERO; 1 << in_vars];
        for y in 0..out {
            for i in 0..kernel {
                t[y + i] += ea[y] * eb[i];
            }
        }
        t
    }

    /// `A(·, ·, s)` as a table over (output axis, kernel axis): `out[y, i] = eq(s, y + i)`.
    fn axis_to_patch(
        s: &[Fr],
        out_vars: usize,
        k_vars: usize,
        out: usize,
        kernel: usize,
    ) -> Vec<Fr> {
        let es = eq_table(s);
        let kk = 1 << k_vars;
        let mut t = vec![Fr::ZERO; (1 << out_vars) * kk];
        for y in 0..out {
            for i in 0..kernel {
                t[y * kk + i] = es[y + i];
            }
        }
        t
    }

    /// `Σ_c coeffs[c] · W_{r_c}` over the tensor for im2col claims at patch points `points`.
    pub(crate) fn im2col_wiring(w: &Window2d, points: &[&[Fr]], coeffs: &[Fr]) -> Vec<Fr> {
        let mut out = vec![Fr::ZERO; 1 << w.tensor_vars()];
        let xy = 1usize << (w.in_h_vars + w.in_w_vars);
        for (p, alpha) in points.iter().zip(coeffs) {
            let Some([rn, ry, rx, rc, ri, rj]) = w.split_patch(p) else {
                panic!("kaizen-sumcheck: im2col claim point length");
            };
            let nc: Vec<Fr> = eq_table(&[rn, rc].concat());
            let ay = axis_to_input(ry, ri, w.in_h_vars, w.out_h, w.kernel);
            let ax = axis_to_input(rx, rj, w.in_w_vars, w.out_w, w.kernel);
            // W(n, c, Y, X) = eq(r_n, n) eq(r_c, c) A_y(Y) A_x(X) (n, c adjacent in T).
            out.par_chunks_mut(xy).zip(&nc).for_each(|(plane, e)| {
                let s = *alpha * *e;
                for (row, yv) in plane.chunks_mut(ax.len()).zip(&ay) {
                    let sy = s * *yv;
                    for (o, xv) in row.iter_mut().zip(&ax) {
                        *o += sy * *xv;
                    }
                }
            });
        }
        out
    }

    /// `Σ_c coeffs[c] · W_{p_c}` over the patches for col2im claims at tensor points `points`.
    pub(crate) fn col2im_wiring(w: &Window2d, points: &[&[Fr]], coeffs: &[Fr]) -> Vec<Fr> {
        let mut out = vec![Fr::ZERO; 1 << w.patch_vars()];
        let (oh, ow) = (1usize << w.out_h_vars, 1usize << w.out_w_vars);
        let (ch, kk) = (1usize << w.chan_vars, 1usize << w.kernel_vars);
        let row_len = ch * kk * kk;
        for (p, alpha) in points.iter().zip(coeffs) {
            let Some([pn, pc, py, px]) = w.split_tensor(p) else {
                panic!("kaizen-sumcheck: col2im claim point length");
            };
            let (en, ec) = (eq_table(pn), eq_table(pc));
            let by = axis_to_patch(py, w.out_h_vars, w.kernel_vars, w.out_h, w.kernel);
            let bx = axis_to_patch(px, w.out_w_vars, w.kernel_vars, w.out_w, w.kernel);
            // W(n, y, x, c, i, j) = eq(p_n, n) eq(p_c, c) B_y(y, i) B_x(x, j).
            out.par_chunks_mut(row_len)
                .enumerate()
                .for_each(|(r, row)| {
                    let (n, y, x) = (r / (oh * ow), (r / ow) % oh, r % ow);
                    let s = *alpha * en[n];
                    for (c, block) in row.chunks_mut(kk * kk).enumerate() {
                        let sc = s * ec[c];
                        for (i, line) in block.chunks_mut(kk).enumerate() {
                            let si = sc * by[y * kk + i];
                            for (j, o) in line.iter_mut().enumerate() {
                                *o += si * bx[x * kk + j];
                            }
                        }
                    }
                });
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::poly::evaluate_slice;
    use kaizen_field::Field;

    fn shape() -> Window2d {
        Window2d {
            batch_vars: 1,
            chan_vars: 1,
            in_h_vars: 3,
            in_w_vars: 3,
            out_h: 4,
            out_h_vars: 2,
            out_w: 3,
            out_w_vars: 2,
            kernel: 3,
            kernel_vars: 2,
        }
    }

    fn pt(n: usize, seed: u64) -> Vec<Fr> {
        (0..n)
            .map(|i| Fr::from_u64(seed * 31 + i as u64 * 7 + 3))
            .collect()
    }

    #[test]
    fn wiring_tables_match_their_closed_forms_and_the_maps() {
        let w = shape();
        assert!(w.is_valid());
        let tensor: Vec<Fr> = (0..1u64 << w.tensor_vars()).map(Fr::from_u64).collect();
        let patches = tables::im2col(&w, &tensor);
        // An interior entry: n=1, y=2, x=1, c=1, i=2, j=0 reads T[1, 1, 4, 1].
        let (n, y, x, c, i, j) = (1, 2, 1, 1, 2, 0);
        let (row, col) = ((n * 4 + y) * 4 + x, (c * 4 + i) * 4 + j);
        assert_eq!(
            patches[row * 32 + col],
            tensor[((n * 2 + c) * 8 + y + i) * 8 + x + j]
        );
        let (r, s) = (pt(w.patch_vars(), 1), pt(w.tensor_vars(), 2));
        let wiring = tables::im2col_wiring(&w, &[&r], &[Fr::ONE]);
        assert_eq!(
            evaluate_slice(&wiring, &s),
            w.im2col_wiring_eval(&r, &s).unwrap()
        );
        let direct: Fr = tensor.iter().zip(&wiring).map(|(a, b)| *a * *b).sum();
        assert_eq!(direct, evaluate_slice(&patches, &r));
        let back = tables::col2im(&w, &patches);
        let (p, s2) = (pt(w.tensor_vars(), 3), pt(w.patch_vars(), 4));
        let wiring = tables::col2im_wiring(&w, &[&p], &[Fr::ONE]);
        assert_eq!(
            evaluate_slice(&wiring, &s2),
            w.col2im_wiring_eval(&p, &s2).unwrap()
        );
        let direct: Fr = patches.iter().zip(&wiring).map(|(a, b)| *a * *b).sum();
        assert_eq!(direct, evaluate_slice(&back, &p));
    }

    #[test]
    fn shapes_that_overflow_the_input_are_invalid() {
        let mut w = shape();
        w.out_h = 7;
        assert!(!w.is_valid());
        let mut w = shape();
        w.kernel = 5;
        assert!(!w.is_valid());
        assert!(shape().im2col_wiring_eval(&[], &[]).is_none());
    }
}
