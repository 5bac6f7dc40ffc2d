//! Window size and signed-digit recoding from the scalars' real bit width.
//!
//! Every scalar reaches the bucket code as a magnitude `m < 2^127` and a sign (full field
//! scalars after the GLV split, small integers directly; the sign is applied to the base,
//! never folded into a 254-bit field element).
//!
//! ## Signed digits
//!
//! With window width `c` and `W` windows, let `H = sum_{w < W-1} 2^(c-1) 2^(c w)` and
//! `u_w` the `c`-bit chunks of `m + H`. Then
//!
//! ```text
//! m = sum_{w < W-1} (u_w - 2^(c-1)) 2^(c w)  +  ((m + H) >> c (W-1)) 2^(c (W-1))
//! ```
//!
//! so the lower windows get digits in `[-2^(c-1), 2^(c-1))` and the top window the
//! non-negative rest. With `W = ceil((b + 1) / c)` for `b`-bit magnitudes the top digit is at
//! most `2^(c-1)` (since `H < 2^(c (W-1))`), so `2^(c-1)` buckets serve every window. With one
//! window (`c > b`) the digit is the magnitude itself and the bucket count is the largest
//! magnitude present, not a power of two: for `i8` data that is at most 128 buckets.
//!
//! ## Choice of `c`
//!
//! A window costs one batch-affine addition per non-zero digit and about
//! [`BUCKET_COST`] additions' worth of work per bucket (the running-sum reduction does a
//! mixed and a full XYZZ addition per bucket, ~24 multiplications, against ~6 for a
//! batch-affine addition). [`Plan::choose`] minimises
//! `sum_windows (items + BUCKET_COST * buckets)` over `c`.

/// Bucket-reduction cost per bucket, in batch-affine additions (see the module doc).
/// Multiplication counts: XYZZ madd 8M+2S plus XYZZ add 12M+2S = 24 against 5M+1S.
/// Since `reduce.rs` runs the reduction of 1024 buckets or more as two batch-affine
/// additions per bucket, the true figure there is nearer 2; not re-tuned, because at
/// n = 2^20 both values choose the same plans (one window of 2^15 buckets for i16 data,
/// c = 16 for full-width GLV halves).
pub const BUCKET_COST: u64 = 4;

/// Largest window width considered (2^21 buckets of 64 bytes = 128 MiB per window).
pub const MAX_C: u32 = 22;

/// How scalars of a given width are cut into windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Window width in bits.
    pub c: u32,
    /// Number of windows.
    pub windows: u32,
    /// Offset `H` added before cutting (see the module doc).
    pub offset: u128,
    /// Buckets of the lower windows (`2^(c-1)`).
    pub low_buckets: usize,
    /// Buckets of the top window (largest possible top digit).
    pub top_buckets: usize,
}

impl Plan {
    /// The plan for window width `c` and magnitudes at most `max_mag` (`0 < max_mag < 2^127`).
    pub fn with_c(c: u32, max_mag: u128) -> Self {
        assert!((1..=MAX_C).contains(&c), "window width {c} out of range");
        assert!(
            max_mag < 1u128 << 127,
            "magnitude too wide for the bucket code"
        );
        let bits = 128 - max_mag.leading_zeros();
        let windows = (bits + 1).div_ceil(c).max(1);
        let mut offset: u128 = 0;
        for w in 0..windows - 1 {
            offset += 1u128 << (c * w + c - 1);
        }
        let top = (max_mag + offset) >> (c * (windows - 1));
        Self {
            c,
            windows,
            offset,
            low_buckets: 1usize << (c - 1),
            top_buckets: top as usize,
        }
    }

    /// The cheapest plan for `items` scalars of largest magnitude `max_mag` (module doc).
    pub fn choose(items: usize, max_mag: u128) -> Self {
        let bits = 128 - max_mag.leading_zeros();
        let mut best: Option<(u64, Plan)> = None;
        for c in 1..=MAX_C.min(bits + 1) {
            let plan = Self::with_c(c, max_mag);
            let cost = plan.cost(items as u64);
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, plan));
            }
        }
        best.map_or_else(|| Self::with_c(1, max_mag), |(_, p)| p)
    }

    fn cost(&self, items: u64) -> u64 {
        let low = (self.windows as u64 - 1) * (items + BUCKET_COST * self.low_buckets as u64);
        low + items + BUCKET_COST * self.top_buckets as u64
    }

    /// Buckets of window `w`.
    #[inline]
    pub fn buckets(&self, w: u32) -> usize {
        if w + 1 == self.windows {
            self.top_buckets
        } else {
            self.low_buckets
        }
    }

    /// The bucket code of magnitude `mag` with sign `neg` in window `w`: 0 for a zero digit,
    /// else `|d| << 1 | (d < 0)` (bucket `|d| - 1`).
    #[inline(always)]
    pub fn code(&self, mag: u128, neg: bool, w: u32) -> u32 {
        let mh = mag + self.offset;
        let (abs, dneg) = if w + 1 == self.windows {
            ((mh >> (self.c * w)) as u32, false)
        } else {
            let u = ((mh >> (self.c * w)) as u32) & ((1u32 << self.c) - 1);
            let half = 1u32 << (self.c - 1);
            if u >= half {
                (u - half, false)
            } else {
                (half - u, true)
            }
        };
        if abs == 0 {
            0
        } else {
            (abs << 1) | (dneg ^ neg) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recomposes the digits of every magnitude up to a bound and compares.
    #[test]
    fn digits_recompose_and_fit_buckets() {
        for max in [1u128, 2, 3, 7, 8, 127, 128, 255, 1000, 32767, 32768, 65535] {
            for c in 1..=12u32 {
                let plan = Plan::with_c(c, max);
                for m in (0..=max)
                    .step_by(((max / 300) as usize).max(1))
                    .chain([max])
                {
                    let mut acc: i128 = 0;
                    for w in 0..plan.windows {
                        let code = plan.code(m, false, w);
                        if code == 0 {
                            continue;
                        }
                        let abs = (code >> 1) as i128;
                        assert!(
                            abs as usize <= plan.buckets(w),
                            "c={c} max={max} m={m} w={w}"
                        );
                        let d = if code & 1 == 1 { -abs } else { abs };
                        acc += d << (c * w);
                        // The sign flips with neg.
                        assert_eq!(plan.code(m, true, w), code ^ 1);
                    }
                    assert_eq!(acc, m as i128, "c={c} max={max}");
                }
            }
        }
        // 127-bit magnitudes.
        let max = (1u128 << 127) - 1;
        for c in [13u32, 16, 17] {
            let plan = Plan::with_c(c, max);
            for m in [0, 1, max, max / 3, 1u128 << 100] {
                let mut acc: i128 = 0;
                for w in 0..plan.windows {
                    let code = plan.code(m, false, w);
                    if code != 0 {
                        assert!((code >> 1) as usize <= plan.buckets(w));
                        let abs = ((code >> 1) as i128) << (c * w);
                        acc = if code & 1 == 1 {
                            acc.wrapping_sub(abs)
                        } else {
                            acc.wrapping_add(abs)
                        };
                    }
                }
                assert_eq!(acc as u128, m);
            }
        }
    }

    #[test]
    fn one_window_for_small_widths() {
        let p = Plan::choose(1 << 20, 128);
        assert_eq!((p.windows, p.top_buckets), (1, 128));
        let p = Plan::choose(1 << 20, 32767);
        assert_eq!(p.windows, 1);
        let p = Plan::choose(1 << 21, (1 << 127) - 1);
        assert!(p.windows > 1 && p.c >= 12);
    }
}
