//! The spill file of a witness: arrays appended at 8-byte-aligned offsets, each mapped back
//! read-only with `memmap2` so the trace lives in the page cache rather than the heap.
//!
//! ```text
//! <dir>/kaizen-witness-<pid>-<seq>-<nanos>.bin   created with create_new (never reused)
//! [array 0][pad to 8][array 1][pad to 8]...       native byte order, narrowest type
//! ```
//! The file is removed when the [`SpillFile`] is dropped unless [`SpillFile::keep`] was called.
//! A mapping is valid only while nobody else writes the file: the name is unique and the
//! file is created fresh, so only a hostile process sharing the directory could.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use memmap2::{Mmap, MmapOptions};

use super::ints::IntType;

/// Values encoded per write.
const CHUNK: usize = 1 << 14;
/// Alignment of every array in the file (the widest type).
const ALIGN: u64 = 8;

static SEQ: AtomicU64 = AtomicU64::new(0);

/// An append-only file of witness arrays.
#[derive(Debug)]
pub(crate) struct SpillFile {
    path: PathBuf,
    file: File,
    end: u64,
    keep: bool,
}

impl SpillFile {
    /// Creates a new uniquely named file in `dir`.
    pub(crate) fn create(dir: &Path) -> io::Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut last = None;
        for _ in 0..64 {
            let seq = SEQ.fetch_add(1, Ordering::Relaxed);
            let name = format!("kaizen-witness-{}-{seq}-{nanos:09}.bin", std::process::id());
            let path = dir.join(name);
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        file,
                        end: 0,
                        keep: false,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no unique spill file name")))
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes written so far (arrays and padding).
    pub(crate) fn len(&self) -> u64 {
        self.end
    }

    /// Keeps the file after drop.
    pub(crate) fn keep(&mut self) {
        self.keep = true;
    }

    /// Appends `values` as type `ty` (every value must fit) and maps them back read-only.
    /// `values` must not be empty (an empty mapping is refused by the OS).
    pub(crate) fn append<T: Copy + Into<i64>>(
        &mut self,
        ty: IntType,
        values: &[T],
    ) -> io::Result<Mmap> {
        let pad = (ALIGN - self.end % ALIGN) % ALIGN;
        let mut buf = Vec::with_capacity(CHUNK * ty.byte_width());
        buf.resize(pad as usize, 0);
        let start = self.end + pad;
        for chunk in values.chunks(CHUNK) {
            ty.encode(chunk, &mut buf);
            self.file.write_all(&buf)?;
            buf.clear();
        }
        let len = values.len() * ty.byte_width();
        self.end = start + len as u64;
        // SAFETY: the region was just written through this handle to a file this process
        // created with `create_new`; nothing writes an existing region again, so the mapped
        // bytes do not change while the map lives (see the module notes on other processes).
        unsafe { MmapOptions::new().offset(start).len(len).map(&self.file) }
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        if !self.keep {
            // Best effort: a file that cannot be removed is only wasted disk space.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
