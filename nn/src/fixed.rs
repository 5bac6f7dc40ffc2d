//! Fixed-point arithmetic: the scale, the rescale, width checks and accumulation bounds.
//!
//! A real number `x` is stored as the signed integer `round(x * 2^f)` in an `i32`; products
//! of two such numbers (scale `2^2f`) are summed in `i64` accumulators and brought back to
//! scale `2^f` by a **rescale**:
//!
//! ```text
//! rescale(x, s):   x + 2^(s-1) = q * 2^s + r,   0 <= r < 2^s,   result q   (s >= 1)
//! ```
//!
//! i.e. a floor division of `x + 2^(s-1)` (a public constant offset) by `2^s`: round to
//! nearest, ties up. The offset makes rounding unbiased on average — a plain floor drifts every
//! weight down by half an ulp per update, which SGD notices. The proof checks exactly this
//! equation with a lookup `r in [0, 2^s)`; `s` is `f` everywhere except average pooling
//! (`s = 2`) and the exp-table index (`s = f - 8`, a plain floor, see `layers::softmax`).
//!
//! ## Default scale: f = 16
//!
//! SGD moves a weight by `lr/B * grad`, typically 1e-4..1e-3 of a unit for a
//! Fashion-MNIST MLP at `lr = 0.1`, `B = 16`. With `f = 12` (ulp 2.4e-4) most updates round to
//! 0 or ±1 ulp and training stalls; with `f = 16` (ulp 1.5e-5) they keep 1-2 significant
//! digits, and training follows the f32 trainer. `f = 16` is also the largest scale whose
//! remainders fit one 2^16-row lookup table. Range: activations up to ±32768 (i32), products
//! of an activation below 2^24 and a weight below 2^20 summed over 2^16 terms stay within the
//! 2^62 accumulator budget. `f` is configurable in `8..=16`.
//!
//! ## Overflow
//!
//! Every accumulation first checks its worst case `max|a| * max|b| * terms + extra < 2^62`
//! ([`check_mac_bound`]) and otherwise fails with [`NnError::AccumulatorBound`]; every value
//! stored back in an `i32` is checked by [`narrow`]. Nothing wraps.

use crate::error::{NnError, Result};

/// The default number of fractional bits.
pub const DEFAULT_FRAC_BITS: u32 = 16;
/// Smallest supported number of fractional bits (the exp table needs `f >= 8`).
pub const MIN_FRAC_BITS: u32 = 8;
/// Largest supported number of fractional bits (remainders must fit a 2^16-row table).
pub const MAX_FRAC_BITS: u32 = 16;
/// Accumulators stay below this magnitude, so `x + 2^(s-1)` never overflows an `i64`.
pub const ACC_LIMIT: u128 = 1 << 62;

/// The fixed-point scale `2^f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedPoint {
    frac_bits: u32,
}

impl Default for FixedPoint {
    fn default() -> Self {
        Self {
            frac_bits: DEFAULT_FRAC_BITS,
        }
    }
}

impl FixedPoint {
    /// A scale of `2^frac_bits`, `frac_bits` in `MIN_FRAC_BITS..=MAX_FRAC_BITS`.
    pub fn new(frac_bits: u32) -> Result<Self> {
        if !(MIN_FRAC_BITS..=MAX_FRAC_BITS).contains(&frac_bits) {
            return Err(NnError::BadParameter {
                name: "frac_bits",
                what: format!("{frac_bits} not in {MIN_FRAC_BITS}..={MAX_FRAC_BITS}"),
            });
        }
        Ok(Self { frac_bits })
    }

    /// `f`.
    pub fn frac_bits(self) -> u32 {
        self.frac_bits
    }

    /// The integer representing 1.0.
    pub fn one(self) -> i64 {
        1 << self.frac_bits
    }

    /// `round(x * 2^f)` (ties away from zero), checked to fit an `i32`.
    pub fn encode(self, x: f64) -> Result<i32> {
        let v = (x * self.one() as f64).round();
        if !(v >= i32::MIN as f64 && v <= i32::MAX as f64) {
            return Err(NnError::Overflow {
                layer: usize::MAX,
                op: "encode",
                value: if v.is_nan() { 0 } else { v as i128 },
                bits: 32,
            });
        }
        Ok(v as i32)
    }

    /// The real number an integer at this scale stands for.
    pub fn decode(self, x: i64) -> f64 {
        x as f64 / self.one() as f64
    }

    /// A pixel `p in 0..=255` as the fixed-point value `round(p * 2^f / 255)`, in integers.
    pub fn pixel(self, p: u8) -> i32 {
        ((((p as i64) << self.frac_bits) + 127) / 255) as i32
    }
}

/// The rounding rescale by `2^s` (`s >= 1`): returns `(q, r)` with
/// `x + 2^(s-1) = q * 2^s + r`, `0 <= r < 2^s`. Requires `|x| < 2^62`.
#[inline]
pub fn rescale(x: i64, s: u32) -> (i64, u32) {
    debug_assert!((1..=32).contains(&s));
    debug_assert!((x.unsigned_abs() as u128) < ACC_LIMIT);
    let y = x + (1i64 << (s - 1));
    (y >> s, (y & ((1i64 << s) - 1)) as u32)
}

/// Narrows an accumulator result to `i32`, or fails naming the layer and operation.
#[inline]
pub fn narrow(value: i64, layer: usize, op: &'static str) -> Result<i32> {
    i32::try_from(value).map_err(|_| NnError::Overflow {
        layer,
        op,
        value: value as i128,
        bits: 32,
    })
}

/// Largest magnitude in a slice (0 for an empty slice).
pub fn max_abs(v: &[i32]) -> u64 {
    v.iter().map(|x| x.unsigned_abs() as u64).max().unwrap_or(0)
}

/// Checks that `terms` products of magnitudes at most `max_a`, `max_b`, plus `extra`, stay
/// below [`ACC_LIMIT`].
pub fn check_mac_bound(
    layer: usize,
    op: &'static str,
    max_a: u64,
    max_b: u64,
    terms: usize,
    extra: u64,
) -> Result<()> {
    let bound = (max_a as u128) * (max_b as u128) * (terms.max(1) as u128) + extra as u128;
    if bound >= ACC_LIMIT {
        return Err(NnError::AccumulatorBound {
            layer,
            op,
            terms,
            max_a,
            max_b,
        });
    }
    Ok(())
}

/// Rescales every accumulator by `2^s` into `out`, recording remainders in `rem` if given.
/// The first (lowest-index) value that does not fit an `i32` is the reported error, so the
/// error does not depend on the thread count.
pub fn rescale_all(
    out: &mut [i32],
    mut rem: Option<&mut [u32]>,
    acc: &[i64],
    s: u32,
    layer: usize,
    op: &'static str,
) -> Result<()> {
    for (i, (&a, o)) in acc.iter().zip(out.iter_mut()).enumerate() {
        let (q, r) = rescale(a, s);
        *o = narrow(q, layer, op)?;
        if let Some(rem) = rem.as_deref_mut() {
            rem[i] = r;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescale_is_round_half_up_floor_division() {
        for x in -1000i64..1000 {
            for s in 1..6 {
                let (q, r) = rescale(x, s);
                assert_eq!(x + (1 << (s - 1)), q * (1 << s) + r as i64, "x={x} s={s}");
                assert!((r as i64) < (1 << s));
                let exact = x as f64 / (1u64 << s) as f64;
                assert!((q as f64 - exact).abs() <= 0.5, "x={x} s={s} q={q}");
            }
        }
    }

    #[test]
    fn narrow_rejects_out_of_range() {
        assert!(narrow(i32::MAX as i64, 0, "t").is_ok());
        assert!(matches!(
            narrow(i32::MAX as i64 + 1, 3, "t"),
            Err(NnError::Overflow {
                layer: 3,
                bits: 32,
                ..
            })
        ));
    }

    #[test]
    fn frac_bits_range_checked() {
        assert!(FixedPoint::new(7).is_err());
        assert!(FixedPoint::new(17).is_err());
        assert_eq!(FixedPoint::new(12).unwrap().one(), 4096);
        let fp = FixedPoint::default();
        assert_eq!(fp.pixel(255), 1 << 16);
        assert_eq!(fp.pixel(0), 0);
    }

    #[test]
    fn mac_bound() {
        assert!(check_mac_bound(0, "t", 1 << 30, 1 << 30, 3, 0).is_ok());
        assert!(check_mac_bound(0, "t", 1 << 31, 1 << 31, 1, 0).is_err());
    }
}
