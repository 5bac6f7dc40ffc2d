//! Versioned checkpoint files.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! "KAIZENNN"            8-byte magic
//! version      u32      = CHECKPOINT_VERSION
//! name_len u8, name     model name (mlp, lenet5, vgg11, lenet-ref)
//! frac_bits    u32
//! iterations   u64      iterations trained
//! seed         u64      seed of initialisation and schedule
//! layers       u32      then per layer: w_len u32, b_len u32, w_len i32, b_len i32
//! sha256      32 bytes  of everything above
//! ```
//! Saving writes a temporary file in the target directory and renames it over the target;
//! an existing file is kept unless `force`. Loading checks magic, version, digest, and that
//! every layer's parameter count matches the named architecture.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{FileProblem, NnError, Result};
use crate::fixed::FixedPoint;
use crate::model::{Architecture, LayerParams, Model, ModelKind};

/// The checkpoint format version this build writes and reads.
pub const CHECKPOINT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"KAIZENNN";

/// A trained model and where its training stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The model.
    pub model: Model,
    /// Iterations trained.
    pub iterations: u64,
    /// Seed of initialisation and schedule.
    pub seed: u64,
}

impl Checkpoint {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&CHECKPOINT_VERSION.to_le_bytes());
        let name = self.model.arch.kind.name().as_bytes();
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        out.extend_from_slice(&self.model.fp.frac_bits().to_le_bytes());
        out.extend_from_slice(&self.iterations.to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&(self.model.params.len() as u32).to_le_bytes());
        for p in &self.model.params {
            out.extend_from_slice(&(p.w.len() as u32).to_le_bytes());
            out.extend_from_slice(&(p.b.len() as u32).to_le_bytes());
            for v in p.w.iter().chain(&p.b) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        out
    }

    /// Decodes a checkpoint; `path` only names the source in errors.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self> {
        let bad = |what| NnError::BadFile {
            path: path.to_path_buf(),
            what,
        };
        let body_len = bytes
            .len()
            .checked_sub(32)
            .ok_or(bad(FileProblem::Truncated {
                expected: 32,
                actual: bytes.len() as u64,
            }))?;
        let (body, digest) = bytes.split_at(body_len);
        let mut r = Reader {
            bytes: body,
            pos: 0,
        };
        let magic = r.take(8).map_err(&bad)?;
        if magic != MAGIC {
            let found = u32::from_be_bytes(
                magic
                    .get(..4)
                    .and_then(|m| m.try_into().ok())
                    .unwrap_or_default(),
            );
            return Err(bad(FileProblem::BadMagic {
                found,
                expected: u32::from_be_bytes(*b"KAIZ"),
            }));
        }
        let version = r.u32().map_err(&bad)?;
        if version != CHECKPOINT_VERSION {
            return Err(bad(FileProblem::Version {
                found: version,
                expected: CHECKPOINT_VERSION,
            }));
        }
        if Sha256::digest(body).as_slice() != digest {
            return Err(bad(FileProblem::Digest));
        }
        let name_len = r.take(1).map_err(&bad)?.first().copied().unwrap_or(0) as usize;
        let name = std::str::from_utf8(r.take(name_len).map_err(&bad)?)
            .map_err(|_| bad(FileProblem::Field("model name")))?;
        let kind = ModelKind::from_name(name).map_err(|_| bad(FileProblem::Field("model name")))?;
        let fp = FixedPoint::new(r.u32().map_err(&bad)?)
            .map_err(|_| bad(FileProblem::Field("frac_bits")))?;
        let iterations = r.u64().map_err(&bad)?;
        let seed = r.u64().map_err(&bad)?;
        let arch = Architecture::new(kind);
        let layers = r.u32().map_err(&bad)? as usize;
        if layers != arch.layers.len() {
            return Err(bad(FileProblem::Field("layer count")));
        }
        let mut params = Vec::with_capacity(layers);
        for spec in &arch.layers {
            let (nw, nb) = (
                r.u32().map_err(&bad)? as usize,
                r.u32().map_err(&bad)? as usize,
            );
            if (nw, nb) != spec.param_shape() {
                return Err(bad(FileProblem::Field("parameter count")));
            }
            let w = r.i32s(nw).map_err(&bad)?;
            let b = r.i32s(nb).map_err(&bad)?;
            params.push(LayerParams { w, b });
        }
        if r.pos != body.len() {
            return Err(bad(FileProblem::Trailing {
                expected: r.pos as u64 + 32,
                actual: bytes.len() as u64,
            }));
        }
        Ok(Self {
            model: Model { arch, fp, params },
            iterations,
            seed,
        })
    }

    /// Writes the checkpoint to `path` via a temporary file and a rename; an existing `path`
    /// is an error unless `force`.
    pub fn save(&self, path: &Path, force: bool) -> Result<()> {
        if path.exists() && !force {
            return Err(NnError::Exists {
                path: path.to_path_buf(),
            });
        }
        let io = |source| NnError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{file_name}.tmp.{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&self.to_bytes())?;
            f.sync_all()
        };
        if let Err(e) = write() {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// Reads a checkpoint file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| NnError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, &bytes)
    }
}

/// A bounds-checked cursor.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], FileProblem> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let slice = end.and_then(|e| self.bytes.get(self.pos..e));
        match slice {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(FileProblem::Truncated {
                expected: self.pos as u64 + n as u64 + 32,
                actual: self.bytes.len() as u64 + 32,
            }),
        }
    }

    fn array<const N: usize>(&mut self) -> std::result::Result<[u8; N], FileProblem> {
        self.take(N)?
            .try_into()
            .map_err(|_| FileProblem::Field("integer"))
    }

    fn u32(&mut self) -> std::result::Result<u32, FileProblem> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> std::result::Result<u64, FileProblem> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn i32s(&mut self, n: usize) -> std::result::Result<Vec<i32>, FileProblem> {
        let raw = self.take(n.checked_mul(4).ok_or(FileProblem::Field("length"))?)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| i32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
            .collect())
    }
}
