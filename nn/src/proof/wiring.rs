//! Tables that GKR layers read without a segment of their own: a segment with its variables
//! permuted (a transpose, `[n, co, y, x]` read as `[(n, y, x), co]`), the im2col patches of
//! a segment, a pooled segment broadcast over its windows, and a product of two of these.
//! The prover materialises them ([`Tab`]); the verifier only maps points ([`VarPerm`],
//! [`super::pool::PoolGrid`]).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::Fr;
use kaizen_sumcheck::gkr::Window2d;

use super::layout::SegId;
use super::pool::PoolGrid;

/// A logical table whose variables are ranges of a stored segment's variables: `ranges` are
/// `(start, len)` of the stored point, listed in logical order (together a permutation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarPerm {
    /// Stored variable ranges, in logical order.
    pub ranges: Vec<(usize, usize)>,
}

impl VarPerm {
    /// Variables of the table.
    pub fn vars(&self) -> usize {
        self.ranges.iter().map(|r| r.1).sum()
    }

    /// A logical point as the stored point (`None` on a length mismatch).
    pub fn to_stored(&self, logical: &[Fr]) -> Option<Vec<Fr>> {
        let mut stored = vec![Fr::ZERO; self.vars()];
        let mut rest = logical;
        for &(start, len) in &self.ranges {
            let (piece, tail) = rest.split_at_checked(len)?;
            stored.get_mut(start..start + len)?.copy_from_slice(piece);
            rest = tail;
        }
        rest.is_empty().then_some(stored)
    }

    /// A stored point as the logical point (`None` on a length mismatch).
    pub fn to_logical(&self, stored: &[Fr]) -> Option<Vec<Fr>> {
        if stored.len() != self.vars() {
            return None;
        }
        let mut out = Vec::with_capacity(stored.len());
        for &(start, len) in &self.ranges {
            out.extend_from_slice(stored.get(start..start + len)?);
        }
        Some(out)
    }

    /// The logical table of a stored one (prover side): entry `w` is the stored entry whose
    /// index bits are `w`'s bits moved back to their stored ranges.
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn gather<T: Copy + Default>(&self, stored: &[T]) -> Vec<T> {
        let n = self.vars();
        let mut out = vec![T::default(); 1 << n];
        for (w, o) in out.iter_mut().enumerate() {
            let (mut idx, mut shift) = (0usize, n);
            for &(start, len) in &self.ranges {
                shift -= len;
                let piece = (w >> shift) & ((1 << len) - 1);
                idx |= piece << (n - start - len);
            }
            *o = stored[idx];
        }
        out
    }
}

/// How the prover builds a GKR operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tab {
    /// A segment as stored.
    Seg(SegId),
    /// A segment with permuted variables.
    Perm(SegId, VarPerm),
    /// The im2col patch matrix of a segment.
    Im2col(SegId, Window2d),
    /// A pooled segment broadcast over its 2x2 windows.
    Bcast(SegId, PoolGrid),
    /// `lhs · rhs` (`2^rows x 2^inner` times `2^inner x 2^cols`).
    Product {
        lhs: Box<Tab>,
        rhs: Box<Tab>,
        rows: usize,
        inner: usize,
        cols: usize,
    },
    /// The one unused entry of a layer without an auxiliary operand.
    Unused,
}
