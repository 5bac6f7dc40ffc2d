//! Lookup tables: the range `[0, 2^k)` (its MLE in closed form) and a caller-given table.
//! Row order follows the crate's variable order (row `y` is the index with `y_0` its most
//! significant bit).
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::HashMap;

use kaizen_field::{Field, Fr, PrimeField};

use super::{LABEL_LOGUP_STATEMENT, MAX_TABLE_VARS};
use crate::error::Malformed;
use crate::transcript::Transcript;

/// A lookup table of `2^k` rows, `k <= MAX_TABLE_VARS`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupTable {
    /// `t(y) = y` for `y` in `[0, 2^bits)`: `t~(y) = Σ_j y_j 2^(bits-1-j)`.
    Range {
        /// `k`: the table has `2^bits` rows.
        bits: usize,
    },
    /// Caller-given rows (e.g. an exp table); the length must be a power of two (pad with a
    /// repeated row). A value that appears twice gets its multiplicity on the first row.
    Custom(Vec<Fr>),
}

impl LookupTable {
    /// The range table `[0, 2^bits)`.
    pub fn range(bits: usize) -> Self {
        Self::Range { bits }
    }

    /// `k`, or `Malformed::Shape` if the table is too large or not a power of two.
    pub fn num_vars(&self) -> Result<usize, Malformed> {
        let k = match self {
            Self::Range { bits } => *bits,
            Self::Custom(rows) if rows.len().is_power_of_two() => {
                rows.len().trailing_zeros() as usize
            }
            Self::Custom(_) => return Err(Malformed::Shape { layer: 0 }),
        };
        if k > MAX_TABLE_VARS {
            return Err(Malformed::Shape { layer: 0 });
        }
        Ok(k)
    }

    /// The rows (a fresh vector for the range table).
    pub fn rows(&self) -> Vec<Fr> {
        match self {
            Self::Range { bits } => (0..1u64 << bits).map(Fr::from_u64).collect(),
            Self::Custom(rows) => rows.clone(),
        }
    }

    /// `t~(point)`: closed form for the range (`O(k)`), folding for a custom table
    /// (`O(2^k)`). `Malformed::PointLength` if the point has the wrong length.
    pub fn evaluate(&self, point: &[Fr]) -> Result<Fr, Malformed> {
        let k = self.num_vars()?;
        if point.len() != k {
            return Err(Malformed::PointLength {
                expected: k,
                actual: point.len(),
            });
        }
        match self {
            Self::Range { .. } => Ok(point.iter().fold(Fr::ZERO, |acc, y| acc.double() + *y)),
            Self::Custom(rows) => {
                let mut cur = rows.clone();
                for r in point {
                    let half = cur.len() / 2;
                    let (lo, hi) = cur.split_at(half);
                    cur = lo
                        .iter()
                        .zip(hi)
                        .map(|(a, b)| *a + *r * (*b - *a))
                        .collect();
                }
                cur.first().copied().ok_or(Malformed::Shape { layer: 0 })
            }
        }
    }

    /// A row lookup: the index of `value`'s (first) row, if any.
    pub(crate) fn indexer(&self) -> impl Fn(&Fr) -> Option<usize> + Sync + '_ {
        let map: Option<HashMap<[u8; 32], usize>> = match self {
            Self::Range { .. } => None,
            Self::Custom(rows) => {
                let mut m = HashMap::with_capacity(rows.len());
                for (i, r) in rows.iter().enumerate() {
                    m.entry(r.to_bytes()).or_insert(i);
                }
                Some(m)
            }
        };
        let bits = match self {
            Self::Range { bits } => *bits,
            Self::Custom(_) => 0,
        };
        move |v: &Fr| match &map {
            Some(m) => m.get(&v.to_bytes()).copied(),
            None => {
                let b = v.to_bytes();
                let (low, high) = b.split_at(8);
                if high.iter().any(|x| *x != 0) {
                    return None;
                }
                let mut w = [0u8; 8];
                w.copy_from_slice(low);
                let x = u64::from_le_bytes(w);
                (bits < 64 && x < 1u64 << bits).then_some(x as usize)
            }
        }
    }

    /// Absorbs the kind and (custom) the rows. A custom table of `2^16` rows absorbs 2 MiB:
    /// cheap with SHA-256; a Poseidon transcript should absorb a digest instead (to come with
    /// the commitment of tables in \[commit\]).
    pub(crate) fn absorb<T: Transcript>(&self, transcript: &mut T) {
        match self {
            Self::Range { bits } => {
                transcript.absorb_bytes(LABEL_LOGUP_STATEMENT, b"range");
                transcript.absorb_u64(LABEL_LOGUP_STATEMENT, *bits as u64);
            }
            Self::Custom(rows) => {
                transcript.absorb_bytes(LABEL_LOGUP_STATEMENT, b"custom");
                transcript.absorb_frs(LABEL_LOGUP_STATEMENT, rows);
            }
        }
    }
}
