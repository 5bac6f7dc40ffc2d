//! The IDX format (as used by MNIST / Fashion-MNIST), raw or gzip-compressed.
//!
//! ```text
//! 0x00 0x00 <type = 0x08: u8> <ndims>   then ndims big-endian u32 sizes, then the data
//! ```
//! Only unsigned-byte data is read. A file is gzip if it starts with `1f 8b`. The data must
//! be exactly `prod(dims)` bytes: fewer is [`FileProblem::Truncated`], more is
//! [`FileProblem::Trailing`]; every error names the file.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::io::Read;
use std::path::Path;

use crate::error::{FileProblem, NnError, Result};

/// A decoded IDX array of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idx {
    /// The dimensions.
    pub dims: Vec<u32>,
    /// Row-major data, `prod(dims)` bytes.
    pub data: Vec<u8>,
}

fn bad(path: &Path, what: FileProblem) -> NnError {
    NnError::BadFile {
        path: path.to_path_buf(),
        what,
    }
}

/// Decodes IDX bytes (gzip or raw); `path` only names the source in errors.
pub fn parse_idx(path: &Path, bytes: &[u8]) -> Result<Idx> {
    let raw;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| bad(path, FileProblem::Gzip(e.to_string())))?;
        raw = out;
        &raw[..]
    } else {
        bytes
    };
    let truncated = |expected: u64| {
        bad(
            path,
            FileProblem::Truncated {
                expected,
                actual: bytes.len() as u64,
            },
        )
    };
    let head: [u8; 4] = bytes
        .get(..4)
        .and_then(|h| h.try_into().ok())
        .ok_or_else(|| truncated(4))?;
    let magic = u32::from_be_bytes(head);
    let ndims = head[3] as usize;
    if head[..3] != [0, 0, 0x08] || ndims == 0 {
        return Err(bad(
            path,
            FileProblem::BadMagic {
                found: magic,
                expected: 0x0000_0800,
            },
        ));
    }
    let header = 4 + 4 * ndims;
    let dim_bytes = bytes
        .get(4..header)
        .ok_or_else(|| truncated(header as u64))?;
    let dims: Vec<u32> = dim_bytes
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes(c.try_into().unwrap_or([0; 4])))
        .collect();
    // 255 dimensions of up to 2^32 - 1 overflow any integer: a product that does not fit
    // a u64 cannot describe a file, so it is refused rather than wrapped.
    let expected = dims
        .iter()
        .try_fold(1u64, |n, &d| n.checked_mul(d as u64))
        .and_then(|n| n.checked_add(header as u64))
        .ok_or_else(|| {
            bad(
                path,
                FileProblem::BadDims {
                    found: dims.clone(),
                    expected: "a product of dimensions below 2^64",
                },
            )
        })?;
    let actual = bytes.len() as u64;
    if actual < expected {
        return Err(truncated(expected));
    }
    if actual > expected {
        return Err(bad(path, FileProblem::Trailing { expected, actual }));
    }
    let data = bytes.get(header..).map(<[u8]>::to_vec).unwrap_or_default();
    Ok(Idx { dims, data })
}

/// Reads and decodes an IDX file.
pub fn read_idx(path: &Path) -> Result<Idx> {
    let bytes = std::fs::read(path).map_err(|source| NnError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_idx(path, &bytes)
}
