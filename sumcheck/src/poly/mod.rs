//! Multilinear tables: dense [`Fr`](kaizen_field::Fr) tables, small-integer tables that stay
//! integers until the first challenge binds them, and eq tables.
//!
//! # Variable order (used everywhere in this crate)
//!
//! A table of `2^k` entries is the multilinear polynomial `f(x_0, .., x_{k-1})` with
//! `f(bits(i)) = table[i]`, where `x_0` is the **most significant** bit of the index
//! (`i = Σ_j x_j 2^(k-1-j)`), the same order as `kaizen_field::batch::eq_expand`. A point
//! `point[0..k]` gives `x_j = point[j]`, and sumcheck binds `point[0]` first: binding the
//! top variable folds the low half of the table with the high half.
//!
//! ```text
//!   index i (k = 3):   0    1    2    3  |  4    5    6    7
//!   x_0 (msb)          0    0    0    0  |  1    1    1    1     <- bound first (round 0)
//!   x_1                0    0    1    1  |  0    0    1    1     <- round 1
//!   x_2 (lsb)          0    1    0    1  |  0    1    0    1     <- bound last
//!
//!   bind x_0 := r:   t'[i] = t[i] + r (t[i + 4] - t[i]),  i < 4   (table halves in place)
//! ```
//!
//! | module | contents |
//! |---|---|
//! | [`dense`] | [`DenseTable`]: `Vec<Fr>` with evaluation and binding |
//! | [`small`] | [`SmallTable`]: `i8/i16/i32` values; [`Multilinear`]: small until first bind |
//! | [`eq`] | [`eq_table`], [`eq_eval`], [`SplitEq`] (Gruen's split for sumcheck) |

pub mod dense;
pub mod eq;
pub mod small;

pub use dense::{evaluate_slice, DenseTable};
pub(crate) use eq::eq_eval_checked;
pub use eq::{eq_eval, eq_table, SplitEq};
pub use small::{Multilinear, SmallTable};

/// `log2(len)` for a power of two, or `None`.
pub(crate) fn log2_exact(len: usize) -> Option<usize> {
    if len.is_power_of_two() {
        Some(len.trailing_zeros() as usize)
    } else {
        None
    }
}
