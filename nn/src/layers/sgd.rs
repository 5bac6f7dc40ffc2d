//! The SGD update with a fixed-point learning rate.
//!
//! ```text
//! lr_q  = round(lr * 2^f / B)                   (the batch mean folded into the rate)
//! w_new = w - rescale(lr_q * g, f)              g = gradient summed over the batch, scale 2^f
//! ```
//! The proof sees `lr_q` as a public constant; the remainder of each rescale, the old and new
//! weights and the gradient are witnessed.

use super::{expect_len, LayerCtx};
use crate::error::{NnError, Result};
use crate::fixed::{check_mac_bound, max_abs, narrow, rescale, FixedPoint};
use crate::witness::Witness;

/// A learning rate at scale `2^f`, batch mean included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearningRate {
    q: i64,
}

impl LearningRate {
    /// `round(lr * 2^f / batch)`; fails unless it is positive and fits 31 bits.
    pub fn new(fp: FixedPoint, lr: f64, batch: usize) -> Result<Self> {
        let q = (lr * fp.one() as f64 / batch.max(1) as f64).round();
        if !(q >= 1.0 && q < (1u64 << 31) as f64) || batch == 0 {
            return Err(NnError::BadParameter {
                name: "learning rate",
                what: format!(
                    "lr = {lr} at batch {batch} is {q} at scale 2^{}: must be in 1..2^31",
                    fp.frac_bits()
                ),
            });
        }
        Ok(Self { q: q as i64 })
    }

    /// The integer rate `lr_q`.
    pub fn quantised(self) -> i64 {
        self.q
    }
}

/// Applies one update to `w` in place, recording `<k>.sgd.<name>.{old,grad,rem,new}`.
pub fn sgd_update(
    ctx: LayerCtx,
    wit: &mut Witness,
    w: &mut [i32],
    lr: LearningRate,
    grad: &[i32],
    name: &'static str,
) -> Result<()> {
    expect_len("sgd gradient", w.len(), grad.len())?;
    let f = ctx.fp.frac_bits();
    check_mac_bound(ctx.index, "sgd", lr.q as u64, max_abs(grad), 1, 0)?;
    let k = ctx.index;
    wit.record_i32(|| format!("{k}.sgd.{name}.old"), w);
    wit.record_i32(|| format!("{k}.sgd.{name}.grad"), grad);
    // Checked in a first pass and written in a second, so an error leaves `w` intact without
    // a copy of the weights (the largest layer has 8 M).
    let step = |wv: i32, g: i32| {
        let (delta, r) = rescale(lr.q * g as i64, f);
        (wv as i64 - delta, r)
    };
    for (&wv, &g) in w.iter().zip(grad) {
        narrow(step(wv, g).0, k, "sgd")?;
    }
    let mut rems = if wit.enabled() {
        Vec::with_capacity(w.len())
    } else {
        Vec::new()
    };
    for (wv, &g) in w.iter_mut().zip(grad) {
        let (new, r) = step(*wv, g);
        *wv = new as i32; // fits: checked in the first pass
        if wit.enabled() {
            rems.push(r);
        }
    }
    wit.record_u32(|| format!("{k}.sgd.{name}.rem"), &rems);
    wit.record_i32(|| format!("{k}.sgd.{name}.new"), w);
    Ok(())
}
