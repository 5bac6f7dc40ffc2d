//! The per-iteration witness trace: every intermediate integer the training proof needs,
//! each array stored in the smallest integer type that holds all its values.
//!
//! Entries are named `"<layer>.<kind>.<what>"` (for example `"3.dense.fwd.rem"`,
//! `"loss.softmax.exp_idx"`, `"0.sgd.w_new"`), in the order the trainer produced them, which
//! is the same for every iteration of a model. A disabled trace records nothing and costs
//! nothing; layers ask [`Witness::enabled`] before computing remainders.
//!
//! ```text
//! Witness::recording()        arrays on the heap (IntVec)
//! Witness::spilling(dir)?     arrays appended to one file in dir and memory-mapped back
//!                             (module spill); the file is removed on drop unless kept
//! get(name) / entries()       the same read API either way: an IntSlice (&[u8], &[i16], ...)
//!                             that carries its IntType, hence its bit width
//! ```
//! Recording never fails at the call site: a spill write error stops the recording and is
//! returned by [`Witness::check`], which [`crate::Model::train_step`] calls before returning.

mod ints;
mod spill;

use std::path::{Path, PathBuf};

use memmap2::Mmap;

use crate::error::{NnError, Result};
pub use ints::{IntSlice, IntType, IntVec};
use spill::SpillFile;

/// Where one array lives.
#[derive(Debug)]
enum Data {
    Mem(IntVec),
    Mapped { ty: IntType, map: Mmap },
}

#[derive(Debug)]
struct Entry {
    name: String,
    data: Data,
}

impl Entry {
    fn values(&self) -> Option<IntSlice<'_>> {
        match &self.data {
            Data::Mem(v) => Some(v.as_slice()),
            Data::Mapped { ty, map } => IntSlice::from_bytes(*ty, map),
        }
    }
}

/// One named array of the trace, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    /// `"<layer>.<kind>.<what>"`.
    pub name: &'a str,
    /// The values, with their type.
    pub values: IntSlice<'a>,
}

/// The witness trace of one training iteration.
#[derive(Debug, Default)]
pub struct Witness {
    enabled: bool,
    entries: Vec<Entry>,
    spill: Option<SpillFile>,
    failure: Option<NnError>,
}

impl Witness {
    /// A trace that records on the heap.
    pub fn recording() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// A trace that records into a new uniquely named file in `dir` (memory-mapped back).
    pub fn spilling(dir: &Path) -> Result<Self> {
        let file = SpillFile::create(dir).map_err(|source| NnError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Self {
            enabled: true,
            spill: Some(file),
            ..Self::default()
        })
    }

    /// A trace that records nothing.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Whether this trace records.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The spill file, if this trace spills.
    pub fn spill_path(&self) -> Option<&Path> {
        self.spill.as_ref().map(SpillFile::path)
    }

    /// Keeps the spill file after the trace is dropped; returns its path.
    pub fn keep_spill_file(&mut self) -> Option<PathBuf> {
        self.spill.as_mut().map(|s| {
            s.keep();
            s.path().to_path_buf()
        })
    }

    /// Bytes of the spill file (arrays plus alignment padding), 0 if not spilling.
    pub fn spill_file_bytes(&self) -> u64 {
        self.spill.as_ref().map_or(0, SpillFile::len)
    }

    /// The error that stopped the recording, if any (a spill write failure).
    pub fn check(&mut self) -> Result<()> {
        match self.failure.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn record<T: Copy + Into<i64>>(&mut self, name: impl FnOnce() -> String, values: &[T]) {
        if !self.enabled {
            return;
        }
        let name = name();
        let data = match self.spill.as_mut() {
            Some(file) if !values.is_empty() => {
                let (lo, hi) = ints::range(values);
                let ty = IntType::narrowest(lo, hi);
                match file.append(ty, values) {
                    Ok(map) if IntSlice::from_bytes(ty, &map).is_some() => Data::Mapped { ty, map },
                    outcome => {
                        let source = match outcome {
                            Err(e) => e,
                            Ok(_) => std::io::Error::other(format!("{name}: misaligned map")),
                        };
                        self.failure = Some(NnError::Io {
                            path: file.path().to_path_buf(),
                            source,
                        });
                        self.enabled = false;
                        return;
                    }
                }
            }
            _ => Data::Mem(IntVec::narrow(values)),
        };
        self.entries.push(Entry { name, data });
    }

    /// Records an array of `i32`.
    pub fn record_i32(&mut self, name: impl FnOnce() -> String, values: &[i32]) {
        self.record(name, values);
    }

    /// Records an array of `i64`.
    pub fn record_i64(&mut self, name: impl FnOnce() -> String, values: &[i64]) {
        self.record(name, values);
    }

    /// Records an array of `u32` (remainders).
    pub fn record_u32(&mut self, name: impl FnOnce() -> String, values: &[u32]) {
        self.record(name, values);
    }

    /// Records flags or small indices.
    pub fn record_u8(&mut self, name: impl FnOnce() -> String, values: &[u8]) {
        self.record(name, values);
    }

    /// The entries, in the order recorded.
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        self.entries.iter().filter_map(|e| {
            e.values().map(|values| EntryRef {
                name: &e.name,
                values,
            })
        })
    }

    /// Number of arrays.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of a given name.
    pub fn get(&self, name: &str) -> Option<IntSlice<'_>> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .and_then(Entry::values)
    }

    /// Total number of values.
    pub fn total_values(&self) -> usize {
        self.entries().map(|e| e.values.len()).sum()
    }

    /// Total storage of the arrays in bytes (narrowest types, no padding).
    pub fn total_bytes(&self) -> usize {
        self.entries().map(|e| e.values.byte_len()).sum()
    }

    /// Bytes of the arrays held on the heap (all of them unless spilling).
    pub fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .filter_map(|e| match &e.data {
                Data::Mem(v) => Some(v.byte_len()),
                Data::Mapped { .. } => None,
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(w: &mut Witness) {
        w.record_i32(|| "a".into(), &[1, -2, 300]);
        w.record_u8(|| "b".into(), &[7]);
        w.record_i64(|| "c".into(), &[i64::MIN, 5, i64::MAX]);
        w.record_u32(|| "d".into(), &[]);
        w.record_u32(|| "e".into(), &[u32::MAX, 0]);
    }

    #[test]
    fn disabled_records_nothing() {
        let mut w = Witness::disabled();
        w.record_i32(|| "x".into(), &[1, 2]);
        assert_eq!(w.total_bytes(), 0);
        assert!(w.is_empty());
        let mut w = Witness::recording();
        w.record_i32(|| "x".into(), &[1, 2]);
        assert_eq!(w.total_bytes(), 2);
        assert_eq!(w.get("x").map(|s| s.len()), Some(2));
    }

    #[test]
    fn spilled_equals_heap_and_file_goes_away() {
        let dir = std::env::temp_dir();
        let mut heap = Witness::recording();
        let mut disk = Witness::spilling(&dir).unwrap();
        fill(&mut heap);
        fill(&mut disk);
        disk.check().unwrap();
        let a: Vec<_> = heap.entries().collect();
        let b: Vec<_> = disk.entries().collect();
        assert_eq!(a, b);
        assert_eq!(disk.heap_bytes(), 0);
        assert_eq!(heap.heap_bytes(), heap.total_bytes());
        assert_eq!(disk.get("c").map(|s| s.bits()), Some(64));
        assert_eq!(disk.get("e"), Some(IntSlice::U32(&[u32::MAX, 0])));
        // 6 (i16) + 2 pad + 1 + 7 pad + 24 + 8 (u32), the empty array stays on the heap.
        assert_eq!(disk.spill_file_bytes(), 48);
        let path = disk.spill_path().unwrap().to_path_buf();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 48);
        drop(disk);
        assert!(!path.exists());
    }

    #[test]
    fn kept_file_survives_and_names_are_unique() {
        let dir = std::env::temp_dir();
        let mut w = Witness::spilling(&dir).unwrap();
        let other = Witness::spilling(&dir).unwrap();
        assert_ne!(w.spill_path(), other.spill_path());
        w.record_i32(|| "x".into(), &[1, 2, 3]);
        let path = w.keep_spill_file().unwrap();
        drop(w);
        assert_eq!(std::fs::read(&path).unwrap(), vec![1, 2, 3]);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn missing_directory_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join("kaizen-no-such-dir-for-witness");
        let err = Witness::spilling(&dir).unwrap_err();
        assert!(err.to_string().contains("kaizen-no-such-dir-for-witness"));
    }
}
