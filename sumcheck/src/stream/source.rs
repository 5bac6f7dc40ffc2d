//! Table sources for the streaming prover: anything that can fill a buffer with the field
//! values of a range of entries, read in chunks.
//!
//! | source | storage | resident memory |
//! |---|---|---|
//! | `[Fr]`, [`DenseTable`] | memory | the table |
//! | [`SmallSlice`] | `&[i8/i16/i32]` in memory | the table |
//! | [`FileTable`] | a file, positional reads (`pread`) | the read buffers only (the page cache is not the process's) |
//! | [`MappedTable`] | a `memmap2` mapping | every page touched counts toward RSS until the kernel reclaims it |
//!
//! File format: `len` little-endian values, `len` a power of two; [`Encoding::Fr`] is the
//! canonical 32-byte encoding (validated when the file is opened), the small encodings are
//! two's complement. Conversions to `Fr` happen on every read (a streaming pass re-reads); for
//! `Fr` files [`TableSource::read_scaled`] folds the conversion (the canonical limbs are read as
//! a Montgomery form and multiplied by `R`) and the caller's weight into one batch product.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use kaizen_field::{batch, Field, Fr, PrimeField, SmallInt};
use rayon::prelude::*;

use crate::poly::DenseTable;

/// A table read in chunks.
pub trait TableSource: Sync {
    /// Number of entries (a power of two).
    fn len(&self) -> usize;
    /// Whether the table is empty (never for a valid source).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// `out[i] = table[start + i]`.
    fn read(&self, start: usize, out: &mut [Fr]);
    /// `out[i] = s · table[start + i]` (sources override it to fuse the product with the
    /// conversion, with the `field` batch kernel).
    fn read_scaled(&self, start: usize, out: &mut [Fr], s: Fr) {
        self.read(start, out);
        if s != Fr::ONE {
            for o in out.iter_mut() {
                *o *= s;
            }
        }
    }
}

/// The field element `R = 2^256 mod p`: an element whose Montgomery limbs are `x` is
/// `x · R^-1`, so scaling it by `s · R` gives `s · x` in one product.
fn mont_r() -> Fr {
    Fr::from_u64(1 << 32).pow(&[8])
}

/// `out = s · table` from canonical 32-byte encodings, converted by one batch product.
fn decode_fr_scaled(bytes: &[u8], out: &mut [Fr], s: Fr) {
    let raw: Vec<Fr> = bytes
        .chunks_exact(32)
        .map(|b| {
            let mut l = [0u64; 4];
            for (limb, w) in l.iter_mut().zip(b.chunks_exact(8)) {
                let mut a = [0u8; 8];
                a.copy_from_slice(w);
                *limb = u64::from_le_bytes(a);
            }
            // Canonical (checked when the file was opened), so a valid Montgomery form.
            Fr::from_mont_limbs(l)
        })
        .collect();
    batch::scale(out, &raw, s * mont_r());
}

impl TableSource for [Fr] {
    fn len(&self) -> usize {
        <[Fr]>::len(self)
    }
    fn read(&self, start: usize, out: &mut [Fr]) {
        out.copy_from_slice(&self[start..start + out.len()]);
    }
    fn read_scaled(&self, start: usize, out: &mut [Fr], s: Fr) {
        let src = &self[start..start + out.len()];
        if s == Fr::ONE {
            out.copy_from_slice(src);
        } else {
            batch::scale(out, src, s);
        }
    }
}

impl TableSource for DenseTable {
    fn len(&self) -> usize {
        DenseTable::len(self)
    }
    fn read(&self, start: usize, out: &mut [Fr]) {
        self.evals().read(start, out);
    }
    fn read_scaled(&self, start: usize, out: &mut [Fr], s: Fr) {
        self.evals().read_scaled(start, out, s);
    }
}

/// Small integers in memory.
#[derive(Debug, Clone, Copy)]
pub struct SmallSlice<'a, S: SmallInt>(pub &'a [S]);

impl<S: SmallInt> TableSource for SmallSlice<'_, S> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn read(&self, start: usize, out: &mut [Fr]) {
        for (o, v) in out.iter_mut().zip(&self.0[start..]) {
            *o = Fr::from_i64(v.to_i64());
        }
    }
}

/// How the values of a table file are stored (all little-endian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Canonical 32-byte field elements.
    Fr,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
}

impl Encoding {
    /// Bytes per value.
    pub fn width(self) -> usize {
        match self {
            Self::Fr => 32,
            Self::I8 => 1,
            Self::I16 => 2,
            Self::I32 => 4,
        }
    }

    /// Decodes `out.len()` values from `bytes` (validated: cannot fail for `Fr` files that
    /// passed [`FileTable::open`]'s check; a file changed afterwards decodes garbage as 0).
    fn decode(self, bytes: &[u8], out: &mut [Fr]) {
        let w = self.width();
        for (o, b) in out.iter_mut().zip(bytes.chunks_exact(w)) {
            *o = match self {
                Self::Fr => {
                    let mut a = [0u8; 32];
                    a.copy_from_slice(b);
                    Fr::from_bytes(&a).unwrap_or(Fr::ZERO)
                }
                Self::I8 => Fr::from_i64(i64::from(b[0] as i8)),
                Self::I16 => Fr::from_i64(i64::from(i16::from_le_bytes([b[0], b[1]]))),
                Self::I32 => Fr::from_i64(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
            };
        }
    }

    /// Writes `values` in this encoding (small encodings: values must fit; for tests,
    /// benches and spilling).
    pub fn encode_fr(values: &[Fr]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_bytes()).collect()
    }
}

/// A bad table file: the error names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The file cannot be opened, mapped or read.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O cause.
        #[source]
        cause: std::io::Error,
    },
    /// The file's size is not a power of two values of the encoding's width.
    #[error("{path}: {bytes} bytes is not a power of two of {width}-byte values")]
    Length {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// Bytes per value.
        width: usize,
    },
    /// A field element is not below the modulus.
    #[error("{path}: non-canonical field element at byte offset {offset}")]
    NonCanonical {
        /// The file.
        path: PathBuf,
        /// Byte offset of the element.
        offset: u64,
    },
}

fn check_len(path: &Path, bytes: u64, enc: Encoding) -> Result<usize, StreamError> {
    let w = enc.width() as u64;
    let n = bytes / w;
    if !bytes.is_multiple_of(w) || !n.is_power_of_two() {
        return Err(StreamError::Length {
            path: path.to_path_buf(),
            bytes,
            width: enc.width(),
        });
    }
    usize::try_from(n).map_err(|_| StreamError::Length {
        path: path.to_path_buf(),
        bytes,
        width: enc.width(),
    })
}

/// Checks that every 32-byte element of `bytes` is canonical (in parallel chunks).
fn validate_fr(path: &Path, base: u64, bytes: &[u8]) -> Result<(), StreamError> {
    bytes
        .par_chunks(32 << 12)
        .enumerate()
        .try_for_each(|(c, chunk)| {
            for (i, b) in chunk.chunks_exact(32).enumerate() {
                let mut a = [0u8; 32];
                a.copy_from_slice(b);
                if Fr::from_bytes(&a).is_err() {
                    return Err(StreamError::NonCanonical {
                        path: path.to_path_buf(),
                        offset: base + ((c << 12) + i) as u64 * 32,
                    });
                }
            }
            Ok(())
        })
}

/// A table file read with positional reads: the process holds only the read buffers.
#[derive(Debug)]
pub struct FileTable {
    file: File,
    path: PathBuf,
    encoding: Encoding,
    len: usize,
}

impl FileTable {
    /// Opens `path`; checks the size and (for [`Encoding::Fr`]) that every element is
    /// canonical, in one pass of 1 MiB reads.
    pub fn open(path: impl AsRef<Path>, encoding: Encoding) -> Result<Self, StreamError> {
        let path = path.as_ref().to_path_buf();
        let io = |cause| StreamError::Io {
            path: path.clone(),
            cause,
        };
        let file = File::open(&path).map_err(io)?;
        let bytes = file.metadata().map_err(io)?.len();
        let len = check_len(&path, bytes, encoding)?;
        if encoding == Encoding::Fr {
            let mut buf = vec![0u8; 1 << 20];
            let mut off = 0u64;
            while off < bytes {
                let n = (bytes - off).min(buf.len() as u64) as usize;
                file.read_exact_at(&mut buf[..n], off).map_err(io)?;
                validate_fr(&path, off, &buf[..n])?;
                off += n as u64;
            }
        }
        Ok(Self {
            file,
            path,
            encoding,
            len,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl TableSource for FileTable {
    fn len(&self) -> usize {
        self.len
    }

    /// Panics if the file became unreadable after it was opened, naming the file.
    fn read(&self, start: usize, out: &mut [Fr]) {
        let bytes = self.bytes(start, out.len());
        self.encoding.decode(&bytes, out);
    }

    fn read_scaled(&self, start: usize, out: &mut [Fr], s: Fr) {
        let bytes = self.bytes(start, out.len());
        match self.encoding {
            Encoding::Fr => decode_fr_scaled(&bytes, out, s),
            _ => {
                self.encoding.decode(&bytes, out);
                out.iter_mut().for_each(|o| *o *= s);
            }
        }
    }
}

impl FileTable {
    /// The bytes of `len` values from `start`. Panics if the file became unreadable after it
    /// was opened (an environment failure the prover cannot recover from), naming the file.
    fn bytes(&self, start: usize, len: usize) -> Vec<u8> {
        let w = self.encoding.width();
        let mut bytes = vec![0u8; len * w];
        if let Err(e) = self.file.read_exact_at(&mut bytes, (start * w) as u64) {
            panic!("kaizen-sumcheck: reading {}: {e}", self.path.display());
        }
        bytes
    }
}

/// A table file mapped with `memmap2` (pages touched count toward RSS until reclaimed).
#[derive(Debug)]
pub struct MappedTable {
    map: memmap2::Mmap,
    encoding: Encoding,
    len: usize,
}

impl MappedTable {
    /// Maps `path` read-only and validates it like [`FileTable::open`].
    pub fn open(path: impl AsRef<Path>, encoding: Encoding) -> Result<Self, StreamError> {
        let path = path.as_ref();
        let io = |cause| StreamError::Io {
            path: path.to_path_buf(),
            cause,
        };
        let file = File::open(path).map_err(io)?;
        // SAFETY: the mapping is read-only and private to this process; the file must not be
        // truncated while mapped (the documented precondition of `Mmap::map`): the prover owns
        // its witness files for the length of the proof.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        let len = check_len(path, map.len() as u64, encoding)?;
        if encoding == Encoding::Fr {
            validate_fr(path, 0, &map)?;
        }
        Ok(Self { map, encoding, len })
    }
}

impl TableSource for MappedTable {
    fn len(&self) -> usize {
        self.len
    }
    fn read(&self, start: usize, out: &mut [Fr]) {
        let w = self.encoding.width();
        self.encoding
            .decode(&self.map[start * w..(start + out.len()) * w], out);
    }
    fn read_scaled(&self, start: usize, out: &mut [Fr], s: Fr) {
        let w = self.encoding.width();
        let bytes = &self.map[start * w..(start + out.len()) * w];
        match self.encoding {
            Encoding::Fr => decode_fr_scaled(bytes, out, s),
            _ => {
                self.encoding.decode(bytes, out);
                out.iter_mut().for_each(|o| *o *= s);
            }
        }
    }
}
