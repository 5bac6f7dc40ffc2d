//! The proof directory of `kaizen train --prove DIR`: what is in it, how it is written
//! (atomically, never over an existing file without `--force`) and read back (every file's
//! format checked, errors naming the file).
//!
//! ```text
//! DIR/run.kzr            magic "KZRUN\0\0\1" | u32 len | model name | u32 batch | f64 lr
//!                        | u64 seed | u32 frac bits | u64 dataset rows | 32-byte system digest
//! DIR/dataset.kzc        magic "KZDATA\0\1" | u32 len | DatasetCommitment bytes
//! DIR/iter-000000.kzp    magic "KZITER\0\1" | u64 iteration | u32 len | IterationStatement bytes
//!  ..                    | u32 len | IterationProof bytes
//! ```
//! All integers little-endian. Each file is written to a hidden temporary file in `DIR` and
//! renamed over its final name, so a crash leaves either the old file or the new one.
//! The statement and proof bytes are versioned by `kaizen_nn::proof` itself.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use kaizen_nn::proof::{DatasetCommitment, IterationProof, IterationStatement};
use kaizen_nn::{ModelKind, TrainConfig};

use super::CliError;

/// Magic of `run.kzr`.
const MAGIC_RUN: &[u8; 8] = b"KZRUN\0\0\x01";
/// Magic of `dataset.kzc`.
const MAGIC_DATASET: &[u8; 8] = b"KZDATA\0\x01";
/// Magic of `iter-*.kzp`.
pub(crate) const MAGIC_ITERATION: &[u8; 8] = b"KZITER\0\x01";

/// File name of the run header.
const RUN_FILE: &str = "run.kzr";
/// File name of the dataset commitment.
const DATASET_FILE: &str = "dataset.kzc";

/// What a verifier needs to rebuild the public parameters of a run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunHeader {
    /// The training configuration (model, batch, lr, seed, frac bits).
    pub(crate) config: TrainConfig,
    /// Rows of the committed dataset.
    pub(crate) dataset_len: u64,
    /// Digest of the proof system's public parameters.
    pub(crate) system_digest: [u8; 32],
}

/// One `iter-*.kzp` file, decoded.
#[derive(Debug)]
pub(crate) struct IterationFile {
    /// The iteration number in the header (0-based: iteration t takes W_t to W_{t+1}).
    pub(crate) iteration: u64,
    /// The public statement.
    pub(crate) statement: IterationStatement,
    /// The proof.
    pub(crate) proof: IterationProof,
}

/// The file name of iteration `t`.
pub(crate) fn iteration_file_name(t: u64) -> String {
    format!("iter-{t:06}.kzp")
}

fn bad(path: &Path, what: impl Into<String>) -> CliError {
    CliError::BadFile {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

fn io_err(path: &Path, e: std::io::Error) -> CliError {
    CliError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, then renamed over `path`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(path, e));
    }
    Ok(())
}

/// A byte reader that reports truncation as an error naming the file.
struct Reader<'a> {
    path: &'a Path,
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], CliError> {
        if self.bytes.len() < n {
            return Err(bad(self.path, format!("truncated in {what}")));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], CliError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u32(&mut self, what: &str) -> Result<u32, CliError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64, CliError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    fn sized(&mut self, what: &str) -> Result<&'a [u8], CliError> {
        let n = self.u32(what)? as usize;
        self.take(n, what)
    }

    fn magic(&mut self, magic: &[u8; 8], kind: &str) -> Result<(), CliError> {
        let got = self.take(8, "the magic number")?;
        if got == magic {
            Ok(())
        } else if got.get(..6) == magic.get(..6) {
            Err(bad(
                self.path,
                format!(
                    "{kind} format version {} is not supported (this kaizen reads {})",
                    got.get(7).copied().unwrap_or(0),
                    magic[7]
                ),
            ))
        } else {
            Err(bad(self.path, format!("not a kaizen {kind} file")))
        }
    }

    fn finish(&self) -> Result<(), CliError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(bad(
                self.path,
                format!("{} trailing bytes after the last field", self.bytes.len()),
            ))
        }
    }
}

fn put_sized(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

impl RunHeader {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC_RUN.to_vec();
        put_sized(&mut out, self.config.model.name().as_bytes());
        out.extend_from_slice(&(self.config.batch as u32).to_le_bytes());
        out.extend_from_slice(&self.config.lr.to_bits().to_le_bytes());
        out.extend_from_slice(&self.config.seed.to_le_bytes());
        out.extend_from_slice(&self.config.frac_bits.to_le_bytes());
        out.extend_from_slice(&self.dataset_len.to_le_bytes());
        out.extend_from_slice(&self.system_digest);
        out
    }

    fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, CliError> {
        let mut r = Reader { path, bytes };
        r.magic(MAGIC_RUN, "run header")?;
        let name = std::str::from_utf8(r.sized("the model name")?)
            .map_err(|_| bad(path, "the model name is not UTF-8"))?;
        let model = ModelKind::from_name(name).map_err(|e| bad(path, e.to_string()))?;
        let batch = r.u32("the batch size")? as usize;
        let lr = f64::from_bits(r.u64("the learning rate")?);
        let seed = r.u64("the seed")?;
        let frac_bits = r.u32("the fractional bits")?;
        let dataset_len = r.u64("the dataset size")?;
        let system_digest = r.array("the system digest")?;
        r.finish()?;
        Ok(Self {
            config: TrainConfig {
                model,
                batch,
                lr,
                seed,
                frac_bits,
                ..TrainConfig::default()
            },
            dataset_len,
            system_digest,
        })
    }
}

/// Encodes an iteration file.
pub(crate) fn encode_iteration(statement: &IterationStatement, proof: &IterationProof) -> Vec<u8> {
    let mut out = MAGIC_ITERATION.to_vec();
    out.extend_from_slice(&statement.iteration.to_le_bytes());
    put_sized(&mut out, &statement.to_bytes());
    put_sized(&mut out, &proof.to_bytes());
    out
}

/// Decodes an iteration file (`path` only names it in errors).
pub(crate) fn decode_iteration(path: &Path, bytes: &[u8]) -> Result<IterationFile, CliError> {
    let mut r = Reader { path, bytes };
    r.magic(MAGIC_ITERATION, "iteration proof")?;
    let iteration = r.u64("the iteration number")?;
    let statement = IterationStatement::from_bytes(r.sized("the statement")?)
        .map_err(|e| bad(path, format!("statement: {e}")))?;
    let proof = IterationProof::from_bytes(r.sized("the proof")?)
        .map_err(|e| bad(path, format!("proof: {e}")))?;
    r.finish()?;
    if statement.iteration != iteration {
        return Err(bad(
            path,
            format!(
                "header says iteration {iteration}, statement says {}",
                statement.iteration
            ),
        ));
    }
    Ok(IterationFile {
        iteration,
        statement,
        proof,
    })
}

/// A proof directory being written.
#[derive(Debug)]
pub(crate) struct RunWriter {
    dir: PathBuf,
}

impl RunWriter {
    /// Creates `dir` (or reuses an empty one). A directory that already holds a run is an
    /// error unless `force`, checked before anything is written.
    pub(crate) fn create(dir: &Path, force: bool) -> Result<Self, CliError> {
        if dir.exists() {
            if !dir.is_dir() {
                return Err(bad(dir, "exists and is not a directory"));
            }
            let holds_run = fs::read_dir(dir)
                .map_err(|e| io_err(dir, e))?
                .next()
                .is_some();
            if holds_run && !force {
                return Err(CliError::WouldOverwrite(dir.to_path_buf()));
            }
        } else {
            fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        }
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// Writes the header and the dataset commitment.
    pub(crate) fn start(
        &self,
        header: &RunHeader,
        dataset: &DatasetCommitment,
    ) -> Result<(), CliError> {
        write_atomic(&self.dir.join(RUN_FILE), &header.to_bytes())?;
        let mut bytes = MAGIC_DATASET.to_vec();
        put_sized(&mut bytes, &dataset.to_bytes());
        write_atomic(&self.dir.join(DATASET_FILE), &bytes)
    }

    /// Writes one iteration's statement and proof; returns the file's size in bytes.
    pub(crate) fn write_iteration(
        &self,
        statement: &IterationStatement,
        proof: &IterationProof,
    ) -> Result<usize, CliError> {
        let bytes = encode_iteration(statement, proof);
        let path = self.dir.join(iteration_file_name(statement.iteration));
        write_atomic(&path, &bytes)?;
        Ok(bytes.len())
    }
}

/// A proof directory read back: header, dataset commitment, the iteration files in order.
#[derive(Debug)]
pub(crate) struct RunReader {
    /// The run header.
    pub(crate) header: RunHeader,
    /// The dataset commitment.
    pub(crate) dataset: DatasetCommitment,
    /// Paths of `iter-*.kzp`, sorted by name (= by iteration).
    pub(crate) iterations: Vec<PathBuf>,
}

impl RunReader {
    /// Opens `dir`; a missing or malformed header or dataset file is an error naming it.
    pub(crate) fn open(dir: &Path) -> Result<Self, CliError> {
        if !dir.is_dir() {
            return Err(bad(
                dir,
                "is not a proof directory (kaizen train --prove DIR)",
            ));
        }
        let run_path = dir.join(RUN_FILE);
        let header = RunHeader::from_bytes(&run_path, &read(&run_path)?)?;
        let data_path = dir.join(DATASET_FILE);
        let data_bytes = read(&data_path)?;
        let mut r = Reader {
            path: &data_path,
            bytes: &data_bytes,
        };
        r.magic(MAGIC_DATASET, "dataset commitment")?;
        let dataset = DatasetCommitment::from_bytes(r.sized("the commitment")?)
            .map_err(|e| bad(&data_path, e.to_string()))?;
        r.finish()?;
        let mut iterations: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| io_err(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("iter-") && n.ends_with(".kzp"))
            })
            .collect();
        iterations.sort();
        Ok(Self {
            header,
            dataset,
            iterations,
        })
    }
}

/// Reads a whole file; errors name it.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    fs::read(path).map_err(|e| io_err(path, e))
}

/// The header a run with `config` on `dataset_len` rows writes.
pub(crate) fn header_for(config: &TrainConfig, dataset_len: usize, digest: [u8; 32]) -> RunHeader {
    RunHeader {
        config: config.clone(),
        dataset_len: dataset_len as u64,
        system_digest: digest,
    }
}

/// Which kind of kaizen file `bytes` is, by magic.
pub(crate) fn file_kind(bytes: &[u8]) -> Option<&'static str> {
    let magic = bytes.get(..6)?;
    [
        (MAGIC_RUN, "run header"),
        (MAGIC_DATASET, "dataset commitment"),
        (MAGIC_ITERATION, "iteration proof"),
    ]
    .into_iter()
    .find(|(m, _)| m.get(..6) == Some(magic))
    .map(|(_, k)| k)
}

/// Decodes a run header (for `kaizen inspect`).
pub(crate) fn decode_header(path: &Path, bytes: &[u8]) -> Result<RunHeader, CliError> {
    RunHeader::from_bytes(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_rejects_damage() {
        let h = header_for(
            &TrainConfig {
                lr: 0.05,
                seed: 7,
                ..TrainConfig::default()
            },
            1000,
            [9u8; 32],
        );
        let bytes = h.to_bytes();
        let p = Path::new("run.kzr");
        assert_eq!(RunHeader::from_bytes(p, &bytes).unwrap(), h);
        for cut in 0..bytes.len() {
            let e = RunHeader::from_bytes(p, &bytes[..cut]).unwrap_err();
            assert!(matches!(e, CliError::BadFile { .. }), "{e}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(RunHeader::from_bytes(p, &longer)
            .unwrap_err()
            .to_string()
            .contains("trailing"));
        let mut v2 = bytes.clone();
        v2[7] = 2;
        assert!(RunHeader::from_bytes(p, &v2)
            .unwrap_err()
            .to_string()
            .contains("version 2"));
        assert_eq!(file_kind(&bytes), Some("run header"));
        assert_eq!(file_kind(b"garbage!"), None);
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_holding_a_run_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("run.kzr"), b"old").unwrap();
        let e = RunWriter::create(dir.path(), false).unwrap_err();
        assert!(matches!(e, CliError::WouldOverwrite(_)));
        assert_eq!(fs::read(dir.path().join("run.kzr")).unwrap(), b"old");
        RunWriter::create(dir.path(), true).unwrap();
    }
}
