//! Where every committed array lives: segments of `J_t` and `W_{t+1}`.
//!
//! A segment is a `2^a x 2^b` array (a tensor padded to powers of two, row-major) placed at an
//! offset that is a multiple of its size, so its MLE is the table's MLE with the top variables
//! fixed to the offset's bits: `T~(p) = J~(bits(offset / 2^(a+b)) ‖ p)`.
//!
//! ```text
//! J_t  (2^n = R x C):  [ model block W_t (2^m, R_W = 2^m / C rows) | trace segments ...    | 0 ]
//!                        segments sorted by size, aligned            sorted by size, aligned
//! W_{t+1} (2^m):       [ same model layout                                                   ]
//! ```
//! The model block is a power of two of at least `C` entries, so its rows are whole Hyrax rows:
//! the first `R_W` rows of `J_t` are the public commitment to `W_t`.

use kaizen_field::Fr;
use sha2::{Digest, Sha256};

use crate::error::{NnError, Result};

/// Index of a segment in [`Layout::segments`] (and in the plan's segment list).
pub type SegId = usize;

/// Which committed table a segment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Home {
    /// The model block of `J_t` (= `W_t`).
    Model,
    /// `W_{t+1}` (its own commitment, the model block of `J_{t+1}`).
    Next,
    /// The trace part of `J_t`.
    Trace,
}

/// A segment as the plan declares it: name, home and real / padded shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentSpec {
    /// Unique name (trace entries keep their trainer names).
    pub name: String,
    /// The committed table.
    pub home: Home,
    /// Real rows (1 for a vector).
    pub rows: usize,
    /// Real columns.
    pub cols: usize,
    /// `log2` of the padded row count.
    pub log_rows: usize,
    /// `log2` of the padded column count.
    pub log_cols: usize,
    /// The column axes `(real, log2 padded)` of a tensor whose axes are padded one by one
    /// (`[c, h, w]` of an image batch); empty for one column axis of `cols`.
    pub axes: Vec<(usize, usize)>,
}

impl SegmentSpec {
    /// A `rows x cols` array padded to powers of two.
    pub fn new(name: impl Into<String>, home: Home, rows: usize, cols: usize) -> Self {
        Self {
            name: name.into(),
            home,
            rows,
            cols,
            log_rows: log2_ceil(rows),
            log_cols: log2_ceil(cols),
            axes: Vec::new(),
        }
    }

    /// A `rows x (axes[0] x axes[1] x ..)` tensor, every axis padded to a power of two on its
    /// own (one axis: the same as [`SegmentSpec::new`]).
    pub fn tensor(name: impl Into<String>, home: Home, rows: usize, axes: &[usize]) -> Self {
        if let [cols] = axes {
            return Self::new(name, home, rows, *cols);
        }
        let axes: Vec<(usize, usize)> = axes.iter().map(|&a| (a, log2_ceil(a))).collect();
        Self {
            name: name.into(),
            home,
            rows,
            cols: axes.iter().map(|a| a.0).product(),
            log_rows: log2_ceil(rows),
            log_cols: axes.iter().map(|a| a.1).sum(),
            axes,
        }
    }

    /// The column axes `(real, log2)` (one axis `(cols, log_cols)` if not a tensor).
    pub fn col_axes(&self) -> Vec<(usize, usize)> {
        if self.axes.is_empty() {
            vec![(self.cols, self.log_cols)]
        } else {
            self.axes.clone()
        }
    }

    /// A table of exactly `2^vars` entries (multiplicities).
    pub fn flat(name: impl Into<String>, home: Home, vars: usize) -> Self {
        Self {
            name: name.into(),
            home,
            rows: 1,
            cols: 1 << vars,
            log_rows: 0,
            log_cols: vars,
            axes: Vec::new(),
        }
    }

    /// Variables of the padded segment.
    pub fn vars(&self) -> usize {
        self.log_rows + self.log_cols
    }
}

/// `ceil(log2(n))` (0 for `n <= 1`).
pub fn log2_ceil(n: usize) -> usize {
    n.max(1).next_power_of_two().trailing_zeros() as usize
}

/// Places items of sizes `2^vars[i]` from `start`, largest first (ties in order), each at a
/// multiple of its size. Returns the offsets (in input order) and the end.
pub fn pack(vars: &[usize], start: usize) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..vars.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(vars[i]));
    let mut offsets = vec![0; vars.len()];
    let mut cursor = start;
    for i in order {
        let size = 1usize << vars[i];
        let at = cursor.div_ceil(size) * size;
        offsets[i] = at;
        cursor = at + size;
    }
    (offsets, cursor)
}

/// The layout: every segment's offset in its table, and the tables' sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The segments (plan order) with their offsets.
    pub segments: Vec<SegmentSpec>,
    /// `offsets[s]`: offset of segment `s` in its table (`J_t` for Model/Trace, `W_{t+1}` for Next).
    pub offsets: Vec<usize>,
    /// `log2` of the model block (`W_t`, `W_{t+1}`).
    pub model_vars: usize,
    /// `log2` of `J_t`.
    pub j_vars: usize,
    /// `log2 C`.
    pub log_cols: usize,
}

impl Layout {
    /// Packs the plan's segments (model block first, then the trace). Model and Next segments
    /// must come in pairs of equal shapes in the same order.
    pub fn new(segments: &[SegmentSpec], log_cols: usize) -> Result<Self> {
        let pick = |home: Home| -> Vec<usize> {
            (0..segments.len())
                .filter(|&i| segments[i].home == home)
                .collect()
        };
        let (model, next, trace) = (pick(Home::Model), pick(Home::Next), pick(Home::Trace));
        let shapes =
            |ids: &[usize]| -> Vec<usize> { ids.iter().map(|&i| segments[i].vars()).collect() };
        if shapes(&model) != shapes(&next) {
            return Err(NnError::BadParameter {
                name: "proof layout",
                what: "model and next-model segments differ".into(),
            });
        }
        let mut offsets = vec![0; segments.len()];
        let (m_off, m_end) = pack(&shapes(&model), 0);
        let model_vars = log2_ceil(m_end).max(log_cols);
        for (k, (&a, &b)) in model.iter().zip(&next).enumerate() {
            offsets[a] = m_off[k];
            offsets[b] = m_off[k];
        }
        let (t_off, t_end) = pack(&shapes(&trace), 1 << model_vars);
        for (k, &a) in trace.iter().enumerate() {
            offsets[a] = t_off[k];
        }
        let j_vars = log2_ceil(t_end);
        if j_vars > kaizen_msm::hyrax::MAX_VARS {
            return Err(NnError::BadParameter {
                name: "proof layout",
                what: format!("J_t needs 2^{j_vars} entries"),
            });
        }
        Ok(Self {
            segments: segments.to_vec(),
            offsets,
            model_vars,
            j_vars,
            log_cols,
        })
    }

    /// Variables of a segment's table.
    pub fn table_vars(&self, home: Home) -> usize {
        match home {
            Home::Next => self.model_vars,
            Home::Model | Home::Trace => self.j_vars,
        }
    }

    /// Rows of the model block (`R_W`).
    pub fn model_rows(&self) -> usize {
        1 << (self.model_vars - self.log_cols)
    }

    /// Rows of `J_t`.
    pub fn j_rows(&self) -> usize {
        1 << (self.j_vars - self.log_cols)
    }

    /// A segment's local point as a point of its table: `bits(offset / 2^vars) ‖ local`.
    /// `None` if the point has the wrong length or the segment does not exist.
    pub fn global_point(&self, seg: SegId, local: &[Fr]) -> Option<Vec<Fr>> {
        let spec = self.segments.get(seg)?;
        let offset = *self.offsets.get(seg)?;
        if local.len() != spec.vars() {
            return None;
        }
        let top = self.table_vars(spec.home).checked_sub(spec.vars())?;
        let index = offset >> spec.vars();
        let mut point: Vec<Fr> = (0..top)
            .map(|j| {
                if (index >> (top - 1 - j)) & 1 == 1 {
                    Fr::ONE
                } else {
                    Fr::ZERO
                }
            })
            .collect();
        point.extend_from_slice(local);
        Some(point)
    }

    /// SHA-256 over every segment's name, home, shape and offset and the table sizes.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"kaizen/zkpot/layout/v1\0");
        for (s, off) in self.segments.iter().zip(&self.offsets) {
            h.update((s.name.len() as u64).to_le_bytes());
            h.update(s.name.as_bytes());
            h.update([s.home as u8]);
            for v in [s.rows, s.cols, s.log_rows, s.log_cols, *off] {
                h.update((v as u64).to_le_bytes());
            }
            // Tensor axes only when present (plain segments hash as before).
            for &(real, log) in &s.axes {
                h.update((real as u64).to_le_bytes());
                h.update((log as u64).to_le_bytes());
            }
        }
        for v in [self.model_vars, self.j_vars, self.log_cols] {
            h.update((v as u64).to_le_bytes());
        }
        h.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaizen_field::Field;

    #[test]
    fn pack_aligns_and_sorts() {
        let (off, end) = pack(&[2, 4, 3, 0], 0);
        assert_eq!(off, vec![24, 0, 16, 28]);
        assert_eq!(end, 29);
        let (off, end) = pack(&[3], 4);
        assert_eq!((off, end), (vec![8], 16));
    }

    #[test]
    fn global_points_fix_the_offset_bits() {
        let segs = vec![
            SegmentSpec::new("w", Home::Model, 3, 3),
            SegmentSpec::new("w'", Home::Next, 3, 3),
            SegmentSpec::new("t", Home::Trace, 1, 2),
        ];
        let l = Layout::new(&segs, 2).unwrap();
        assert_eq!(l.model_vars, 4);
        assert_eq!(l.offsets, vec![0, 0, 16]);
        assert_eq!(l.j_vars, 5);
        let p = l.global_point(2, &[Fr::from_u64(7)]).unwrap();
        let one = Fr::ONE;
        let zero = Fr::ZERO;
        assert_eq!(p, vec![one, zero, zero, zero, Fr::from_u64(7)]);
        assert!(l.global_point(2, &[]).is_none());
    }
}
