//! Softmax with a table-lookup exp, and the cross-entropy gradient.
//!
//! ## The exp table (fixed)
//!
//! Domain: `d = max_j z_j - z_i >= 0`, the distance of a logit below the largest one, in
//! steps of `2^-8`: `d = q * 2^(f-8) + r`, `0 <= r < 2^(f-8)` (a plain floor division).
//! The table has [`EXP_ROWS`] `= 4097` rows:
//!
//! ```text
//! E[t] = round(2^f * exp(-(t + 1/2) / 256))   for t in 0..4096   (the bucket's midpoint)
//! E[4096] = 0                                 for every q >= 4096 (d >= 16: exp(-16) < 2^-23)
//! row t = min(q, 4096)
//! ```
//!
//! `E` is computed in integers only (a Q64 Taylor series for `exp(-1/512)` and
//! `exp(-1/256)`, then repeated Q64 multiplication), so it is the same on every platform.
//!
//! ## Softmax and gradient
//!
//! ```text
//! S   = sum_j E[t_j]                        (S >= E[0] > 0: the largest logit has d = 0)
//! p_i = floor(E[t_i] * 2^f / S)             E[t_i] * 2^f = p_i * S + rem_i, 0 <= rem_i < S
//! g_i = p_i - [i = label] * 2^f             dL/dz_i of the cross-entropy, scale 2^f
//! ```
//! The loss itself is only reported (computed in `f64` from the logits), never proven.

use super::{expect_len, LayerCtx};
use crate::error::{NnError, Result};
use crate::witness::Witness;

/// Rows of the exp table (4096 buckets of width 2^-8 over `[0, 16)`, plus a zero row).
pub const EXP_ROWS: usize = 4097;
/// The table's resolution: `d` is bucketed in steps of `2^-EXP_STEP_BITS`.
pub const EXP_STEP_BITS: u32 = 8;

/// `exp(-1 / den)` in Q64 (value times 2^64), by its alternating Taylor series in integers.
fn exp_neg_recip_q64(den: u128) -> u128 {
    let one = 1u128 << 64;
    let (mut term, mut sum_pos, mut sum_neg) = (one, one, 0u128);
    for k in 1..20u128 {
        term /= den * k;
        if k % 2 == 1 {
            sum_neg += term;
        } else {
            sum_pos += term;
        }
    }
    sum_pos - sum_neg
}

/// The exp table at scale `2^f`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpTable {
    frac_bits: u32,
    rows: Vec<i64>,
}

impl ExpTable {
    /// Builds the table for `f` fractional bits (`8 <= f <= 32`).
    pub fn new(frac_bits: u32) -> Self {
        let step = exp_neg_recip_q64(256);
        let mut v = exp_neg_recip_q64(512);
        let mut rows = Vec::with_capacity(EXP_ROWS);
        for _ in 0..EXP_ROWS - 1 {
            let shift = 64 - frac_bits;
            rows.push(((v + (1u128 << (shift - 1))) >> shift) as i64);
            v = (v * step) >> 64;
        }
        rows.push(0);
        Self { frac_bits, rows }
    }

    /// The rows.
    pub fn rows(&self) -> &[i64] {
        &self.rows
    }

    /// `(q, r, row)` for a distance `d >= 0`.
    #[inline]
    pub fn index(&self, d: i64) -> (i64, i64, usize) {
        let s = self.frac_bits - EXP_STEP_BITS;
        let (q, r) = (d >> s, d & ((1i64 << s) - 1));
        (q, r, q.min(EXP_ROWS as i64 - 1) as usize)
    }
}

/// What the loss layer returns for a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct LossOut {
    /// `dL/dz`, `[batch, classes]`, scale `2^f`.
    pub grad: Vec<i32>,
    /// Sum over the batch of the cross-entropy (reported only).
    pub loss_sum: f64,
    /// Samples whose largest logit is the label.
    pub correct: usize,
}

/// Index of the first largest value.
pub fn argmax(z: &[i32]) -> usize {
    let mut best = 0;
    for (i, &v) in z.iter().enumerate() {
        if v > z[best] {
            best = i;
        }
    }
    best
}

/// Softmax + cross-entropy gradient for `logits` `[batch, classes]` and `labels`.
pub fn softmax_xent(
    ctx: LayerCtx,
    wit: &mut Witness,
    table: &ExpTable,
    logits: &[i32],
    labels: &[u8],
    classes: usize,
) -> Result<LossOut> {
    let batch = labels.len();
    expect_len("softmax logits", batch * classes, logits.len())?;
    let f = ctx.fp.frac_bits();
    if table.frac_bits != f {
        return Err(NnError::BadParameter {
            name: "exp table",
            what: format!("built for f = {}, used with f = {f}", table.frac_bits),
        });
    }
    let n = logits.len();
    let (mut maxes, mut qs, mut rs, mut es, mut sums) = (
        Vec::with_capacity(batch),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(batch),
    );
    let (mut ps, mut rems, mut grad) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut loss_sum, mut correct) = (0.0f64, 0usize);
    for (b, z) in logits.chunks(classes).enumerate() {
        let label = labels[b] as usize;
        if label >= classes {
            return Err(NnError::BadParameter {
                name: "label",
                what: format!("{label} >= {classes} classes"),
            });
        }
        let top = argmax(z);
        correct += usize::from(top == label);
        let m = z[top] as i64;
        maxes.push(m);
        let first = es.len();
        for &zi in z {
            let (q, r, t) = table.index(m - zi as i64);
            qs.push(q);
            rs.push(r);
            es.push(table.rows[t]);
        }
        let e = &es[first..];
        let s: i64 = e.iter().sum();
        sums.push(s);
        for (i, &ei) in e.iter().enumerate() {
            let num = ei << f;
            let (p, rem) = (num / s, num % s);
            ps.push(p);
            rems.push(rem);
            let g = p - if i == label { 1i64 << f } else { 0 };
            grad.push(g as i32);
        }
        // Reported loss: log-sum-exp in f64 from the logits.
        let zf: Vec<f64> = z.iter().map(|&v| ctx.fp.decode(v as i64)).collect();
        let mf = zf[top];
        let lse = mf + zf.iter().map(|&v| (v - mf).exp()).sum::<f64>().ln();
        loss_sum += lse - zf[label];
    }
    if wit.enabled() {
        let k = ctx.index;
        wit.record_i64(|| format!("{k}.softmax.max"), &maxes);
        wit.record_i64(|| format!("{k}.softmax.exp_idx"), &qs);
        wit.record_i64(|| format!("{k}.softmax.exp_idx.rem"), &rs);
        wit.record_i64(|| format!("{k}.softmax.exp"), &es);
        wit.record_i64(|| format!("{k}.softmax.sum"), &sums);
        wit.record_i64(|| format!("{k}.softmax.p"), &ps);
        wit.record_i64(|| format!("{k}.softmax.p.rem"), &rems);
        wit.record_i32(|| format!("{k}.softmax.grad"), &grad);
    }
    Ok(LossOut {
        grad,
        loss_sum,
        correct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_exp() {
        for f in [8, 12, 16] {
            let t = ExpTable::new(f);
            assert_eq!(t.rows().len(), EXP_ROWS);
            assert_eq!(t.rows()[EXP_ROWS - 1], 0);
            for (i, &e) in t.rows()[..EXP_ROWS - 1].iter().enumerate() {
                let want = ((-(i as f64 + 0.5) / 256.0).exp() * (1u64 << f) as f64).round();
                assert!(
                    (e as f64 - want).abs() <= 1.0,
                    "f={f} i={i} e={e} want={want}"
                );
            }
            assert!(t.rows().windows(2).all(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn index_decomposes() {
        let t = ExpTable::new(16);
        assert_eq!(t.index(0), (0, 0, 0));
        assert_eq!(t.index(257), (1, 1, 1));
        assert_eq!(t.index(17 << 16), (17 * 256, 0, EXP_ROWS - 1));
    }
}
