//! The per-iteration witness trace: every intermediate integer the training proof needs,
//! each array stored in the smallest integer type that holds all its values.
//!
//! Entries are named `"<layer>.<kind>.<what>"` (for example `"3.dense.fwd.rem"`,
//! `"loss.softmax.exp_idx"`, `"0.sgd.w_new"`), in the order the trainer produced them, which
//! is the same for every iteration of a model. A disabled trace records nothing and costs
//! nothing; layers ask [`Witness::enabled`] before computing remainders.

/// A vector of integers in its narrowest type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntVec {
    /// All values in `0..=255`.
    U8(Vec<u8>),
    /// All values in `-128..=127`.
    I8(Vec<i8>),
    /// All values in `0..=65535`.
    U16(Vec<u16>),
    /// All values in `i16`.
    I16(Vec<i16>),
    /// All values in `u32`.
    U32(Vec<u32>),
    /// All values in `i32`.
    I32(Vec<i32>),
    /// Anything else.
    I64(Vec<i64>),
}

impl IntVec {
    /// Narrowest representation of `values`.
    pub fn from_i64(values: &[i64]) -> Self {
        let lo = values.iter().copied().min().unwrap_or(0);
        let hi = values.iter().copied().max().unwrap_or(0);
        let fits = |min: i64, max: i64| lo >= min && hi <= max;
        if fits(0, u8::MAX as i64) {
            IntVec::U8(values.iter().map(|&v| v as u8).collect())
        } else if fits(i8::MIN as i64, i8::MAX as i64) {
            IntVec::I8(values.iter().map(|&v| v as i8).collect())
        } else if fits(0, u16::MAX as i64) {
            IntVec::U16(values.iter().map(|&v| v as u16).collect())
        } else if fits(i16::MIN as i64, i16::MAX as i64) {
            IntVec::I16(values.iter().map(|&v| v as i16).collect())
        } else if fits(0, u32::MAX as i64) {
            IntVec::U32(values.iter().map(|&v| v as u32).collect())
        } else if fits(i32::MIN as i64, i32::MAX as i64) {
            IntVec::I32(values.iter().map(|&v| v as i32).collect())
        } else {
            IntVec::I64(values.to_vec())
        }
    }

    /// Narrowest representation of `values`.
    pub fn from_i32(values: &[i32]) -> Self {
        Self::from_i64(&values.iter().map(|&v| v as i64).collect::<Vec<_>>())
    }

    /// Narrowest representation of `values`.
    pub fn from_u32(values: &[u32]) -> Self {
        Self::from_i64(&values.iter().map(|&v| v as i64).collect::<Vec<_>>())
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            IntVec::U8(v) => v.len(),
            IntVec::I8(v) => v.len(),
            IntVec::U16(v) => v.len(),
            IntVec::I16(v) => v.len(),
            IntVec::U32(v) => v.len(),
            IntVec::I32(v) => v.len(),
            IntVec::I64(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per value.
    pub fn width_bytes(&self) -> usize {
        match self {
            IntVec::U8(_) | IntVec::I8(_) => 1,
            IntVec::U16(_) | IntVec::I16(_) => 2,
            IntVec::U32(_) | IntVec::I32(_) => 4,
            IntVec::I64(_) => 8,
        }
    }

    /// Storage size in bytes.
    pub fn byte_len(&self) -> usize {
        self.len() * self.width_bytes()
    }

    /// The value at `i`, widened.
    pub fn get(&self, i: usize) -> Option<i64> {
        match self {
            IntVec::U8(v) => v.get(i).map(|&x| x as i64),
            IntVec::I8(v) => v.get(i).map(|&x| x as i64),
            IntVec::U16(v) => v.get(i).map(|&x| x as i64),
            IntVec::I16(v) => v.get(i).map(|&x| x as i64),
            IntVec::U32(v) => v.get(i).map(|&x| x as i64),
            IntVec::I32(v) => v.get(i).map(|&x| x as i64),
            IntVec::I64(v) => v.get(i).copied(),
        }
    }

    /// All values, widened.
    pub fn to_i64(&self) -> Vec<i64> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}

/// One named array of the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessEntry {
    /// `"<layer>.<kind>.<what>"`.
    pub name: String,
    /// The values.
    pub values: IntVec,
}

/// The witness trace of one training iteration.
#[derive(Debug, Clone, Default)]
pub struct Witness {
    enabled: bool,
    entries: Vec<WitnessEntry>,
}

impl Witness {
    /// A trace that records.
    pub fn recording() -> Self {
        Self {
            enabled: true,
            entries: Vec::new(),
        }
    }

    /// A trace that records nothing.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Whether this trace records.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Records an array of `i32`.
    pub fn record_i32(&mut self, name: impl FnOnce() -> String, values: &[i32]) {
        if self.enabled {
            self.entries.push(WitnessEntry {
                name: name(),
                values: IntVec::from_i32(values),
            });
        }
    }

    /// Records an array of `i64`.
    pub fn record_i64(&mut self, name: impl FnOnce() -> String, values: &[i64]) {
        if self.enabled {
            self.entries.push(WitnessEntry {
                name: name(),
                values: IntVec::from_i64(values),
            });
        }
    }

    /// Records an array of `u32` (remainders).
    pub fn record_u32(&mut self, name: impl FnOnce() -> String, values: &[u32]) {
        if self.enabled {
            self.entries.push(WitnessEntry {
                name: name(),
                values: IntVec::from_u32(values),
            });
        }
    }

    /// Records flags or small indices.
    pub fn record_u8(&mut self, name: impl FnOnce() -> String, values: &[u8]) {
        if self.enabled {
            self.entries.push(WitnessEntry {
                name: name(),
                values: IntVec::U8(values.to_vec()),
            });
        }
    }

    /// The entries, in the order recorded.
    pub fn entries(&self) -> &[WitnessEntry] {
        &self.entries
    }

    /// The entry of a given name.
    pub fn get(&self, name: &str) -> Option<&IntVec> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.values)
    }

    /// Total number of values.
    pub fn total_values(&self) -> usize {
        self.entries.iter().map(|e| e.values.len()).sum()
    }

    /// Total storage in bytes.
    pub fn total_bytes(&self) -> usize {
        self.entries.iter().map(|e| e.values.byte_len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowest_type_is_chosen() {
        assert!(matches!(IntVec::from_i64(&[0, 255]), IntVec::U8(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 127]), IntVec::I8(_)));
        assert!(matches!(IntVec::from_i64(&[0, 65535]), IntVec::U16(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 32767]), IntVec::I16(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 32768]), IntVec::I32(_)));
        assert!(matches!(IntVec::from_i64(&[0, 1 << 31]), IntVec::U32(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 1 << 31]), IntVec::I64(_)));
        let v = IntVec::from_i64(&[-5, 300, 7]);
        assert_eq!(v.to_i64(), vec![-5, 300, 7]);
        assert_eq!(v.byte_len(), 6);
    }

    #[test]
    fn disabled_records_nothing() {
        let mut w = Witness::disabled();
        w.record_i32(|| "x".into(), &[1, 2]);
        assert_eq!(w.total_bytes(), 0);
        let mut w = Witness::recording();
        w.record_i32(|| "x".into(), &[1, 2]);
        assert_eq!(w.total_bytes(), 2);
        assert_eq!(w.get("x").map(IntVec::len), Some(2));
    }
}
