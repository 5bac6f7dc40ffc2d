//! Bytes of the proof objects; every decoder validates and never panics.
//!
//! All integers little-endian; points 32-byte compressed (validated: on the curve); field
//! elements canonical 32 bytes. Every object starts with `MAGIC ‖ VERSION ‖ kind`.
//!
//! ```text
//! ModelCommitment     header(1) | u32 n | n points
//! DatasetCommitment   header(2) | u64 len | u32 n | n points
//! IterationStatement  header(3) | u64 iteration | i64 lr_q | u64 seed | model before | model after
//!                                  (each model as its full ModelCommitment bytes, u32-length-prefixed)
//! IterationProof      header(4) then sections, each `u32 length ‖ payload`:
//!   trace-rows   u32 n | n points                         (J_t's rows after the model block)
//!   evals        u32 n | n Fr                             (every evaluation sent, in order)
//!   gkr          u32 n | n x (u32 len | GkrProof bytes)   (one per MatMul / Hadamard relation)
//!   logup        u32 n | n x (u32 len | LogupProof bytes) (one per range width)
//!   opening      RowOpenProof bytes                       (the one opening of J_t, W_{t+1}, D:
//!                                                           column sumcheck + IPA)
//! ```
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Fr, PrimeField};
use kaizen_msm::G1Affine;
use kaizen_recursion::RowOpenProof;
use kaizen_sumcheck::gkr::{decode_gkr_proof, GkrProof};
use kaizen_sumcheck::logup::{decode_logup_proof, LogupProof};

use super::statement::{DatasetCommitment, IterationStatement, ModelCommitment};
use super::ProofError;

/// First bytes of every encoded object.
pub const MAGIC: &[u8; 4] = b"KZPT";
/// Format version (2: one aggregated opening section replaces the per-table reductions and openings).
pub const VERSION: u8 = 2;
/// Kind byte of a [`ModelCommitment`].
pub const KIND_MODEL: u8 = 1;
/// Kind byte of a [`DatasetCommitment`].
pub const KIND_DATASET: u8 = 2;
/// Kind byte of an [`IterationStatement`].
pub const KIND_STATEMENT: u8 = 3;
/// Kind byte of an [`IterationProof`].
pub const KIND_PROOF: u8 = 4;
/// Cap on any count (points, evaluations, sub-proofs) a decoder accepts.
pub const MAX_COUNT: usize = 1 << 22;

/// One iteration's proof (see the module doc for its sections).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IterationProof {
    /// `J_t`'s trace rows (its model rows are the statement's `model_before`).
    pub trace_rows: Vec<G1Affine>,
    /// Every evaluation the prover sent, in transcript order.
    pub evals: Vec<Fr>,
    /// GKR proofs of the MatMul and Hadamard relations, in plan order.
    pub gkr: Vec<GkrProof>,
    /// LogUp proofs of the range checks, in plan order.
    pub logup: Vec<LogupProof>,
    /// The one opening of every claim on `J_t`, `W_{t+1}` and the dataset.
    pub opening: RowOpenProof,
}

fn header(kind: u8) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(VERSION);
    out.push(kind);
    out
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

fn put_points(out: &mut Vec<u8>, pts: &[G1Affine]) {
    put_u32(out, pts.len());
    for p in pts {
        out.extend_from_slice(&p.to_compressed());
    }
}

fn put_blobs(out: &mut Vec<u8>, blobs: impl ExactSizeIterator<Item = Vec<u8>>) {
    put_u32(out, blobs.len());
    for b in blobs {
        put_u32(out, b.len());
        out.extend_from_slice(&b);
    }
}

fn malformed(what: impl Into<String>) -> ProofError {
    ProofError::Malformed(what.into())
}

struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ProofError> {
        let (head, rest) = self
            .bytes
            .split_at_checked(n)
            .ok_or_else(|| malformed(format!("{}: truncated", self.what)))?;
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ProofError> {
        <[u8; N]>::try_from(self.take(N)?).map_err(|_| malformed(self.what))
    }

    fn header(&mut self, kind: u8) -> Result<(), ProofError> {
        let h: [u8; 6] = self.array()?;
        let (magic, rest) = h.split_at(4);
        if magic != MAGIC || rest != [VERSION, kind] {
            return Err(malformed(format!(
                "{}: bad magic, version or kind",
                self.what
            )));
        }
        Ok(())
    }

    fn u32(&mut self) -> Result<usize, ProofError> {
        Ok(u32::from_le_bytes(self.array()?) as usize)
    }

    fn u64(&mut self) -> Result<u64, ProofError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn count(&mut self) -> Result<usize, ProofError> {
        let n = self.u32()?;
        if n > MAX_COUNT {
            return Err(malformed(format!("{}: count {n} over the cap", self.what)));
        }
        Ok(n)
    }

    fn point(&mut self) -> Result<G1Affine, ProofError> {
        let b: [u8; 32] = self.array()?;
        G1Affine::from_compressed(&b).map_err(|e| malformed(format!("{}: {e}", self.what)))
    }

    fn points(&mut self) -> Result<Vec<G1Affine>, ProofError> {
        let n = self.count()?;
        (0..n).map(|_| self.point()).collect()
    }

    fn fr(&mut self) -> Result<Fr, ProofError> {
        let b: [u8; 32] = self.array()?;
        Fr::from_bytes(&b)
            .map_err(|_| malformed(format!("{}: non-canonical field element", self.what)))
    }

    fn blob(&mut self) -> Result<&'a [u8], ProofError> {
        let n = self.u32()?;
        self.take(n)
    }

    fn blobs<T>(
        &mut self,
        decode: impl Fn(&[u8]) -> Result<T, String>,
    ) -> Result<Vec<T>, ProofError> {
        let n = self.count()?;
        let what = self.what;
        (0..n)
            .map(|_| decode(self.blob()?).map_err(|e| malformed(format!("{what}: {e}"))))
            .collect()
    }

    fn finish(&self) -> Result<(), ProofError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(malformed(format!(
                "{}: {} trailing bytes",
                self.what,
                self.bytes.len()
            )))
        }
    }
}

impl ModelCommitment {
    /// `header ‖ u32 n ‖ n points`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_MODEL);
        put_points(&mut out, &self.rows);
        out
    }

    /// Decodes and validates [`Self::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        let mut r = Reader {
            bytes,
            what: "model commitment",
        };
        r.header(KIND_MODEL)?;
        let rows = r.points()?;
        r.finish()?;
        Ok(Self { rows })
    }
}

impl DatasetCommitment {
    /// `header ‖ u64 len ‖ u32 n ‖ n points`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_DATASET);
        out.extend_from_slice(&self.len.to_le_bytes());
        put_points(&mut out, &self.rows);
        out
    }

    /// Decodes and validates [`Self::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        let mut r = Reader {
            bytes,
            what: "dataset commitment",
        };
        r.header(KIND_DATASET)?;
        let len = r.u64()?;
        let rows = r.points()?;
        r.finish()?;
        Ok(Self { len, rows })
    }
}

impl IterationStatement {
    /// See the module doc.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_STATEMENT);
        out.extend_from_slice(&self.iteration.to_le_bytes());
        out.extend_from_slice(&self.lr_q.to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        put_blobs(
            &mut out,
            [self.model_before.to_bytes(), self.model_after.to_bytes()].into_iter(),
        );
        out
    }

    /// Decodes and validates [`Self::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        let mut r = Reader {
            bytes,
            what: "iteration statement",
        };
        r.header(KIND_STATEMENT)?;
        let iteration = r.u64()?;
        let lr_q = r.u64()? as i64;
        let seed = r.u64()?;
        let models = r.blobs(|b| ModelCommitment::from_bytes(b).map_err(|e| e.to_string()))?;
        r.finish()?;
        let mut models = models.into_iter();
        let (Some(model_before), Some(model_after), None) =
            (models.next(), models.next(), models.next())
        else {
            return Err(malformed(
                "iteration statement: expected two model commitments",
            ));
        };
        Ok(Self {
            iteration,
            lr_q,
            seed,
            model_before,
            model_after,
        })
    }
}

/// Names of the proof's sections, in file order.
pub const SECTIONS: [&str; 6] = ["header", "trace-rows", "evals", "gkr", "logup", "opening"];

impl IterationProof {
    fn section_payloads(&self) -> [Vec<u8>; 5] {
        let mut rows = Vec::new();
        put_points(&mut rows, &self.trace_rows);
        let mut evals = Vec::new();
        put_u32(&mut evals, self.evals.len());
        for e in &self.evals {
            evals.extend_from_slice(&e.to_bytes());
        }
        let mut gkr = Vec::new();
        put_blobs(&mut gkr, self.gkr.iter().map(GkrProof::to_bytes));
        let mut logup = Vec::new();
        put_blobs(&mut logup, self.logup.iter().map(LogupProof::to_bytes));
        [rows, evals, gkr, logup, self.opening.to_bytes()]
    }

    /// See the module doc.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(KIND_PROOF);
        for p in self.section_payloads() {
            put_u32(&mut out, p.len());
            out.extend_from_slice(&p);
        }
        out
    }

    /// `(name, encoded byte length)` of every section in file order; the lengths sum to
    /// `to_bytes().len()`.
    pub fn sections(&self) -> Vec<(&'static str, usize)> {
        let mut out = vec![("header", MAGIC.len() + 2)];
        for (name, p) in SECTIONS.iter().skip(1).zip(self.section_payloads()) {
            out.push((*name, 4 + p.len()));
        }
        out
    }

    /// Decodes and validates [`Self::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        let mut r = Reader {
            bytes,
            what: "iteration proof",
        };
        r.header(KIND_PROOF)?;
        let mut sec = |what: &'static str| -> Result<Reader<'_>, ProofError> {
            Ok(Reader {
                bytes: r.blob()?,
                what,
            })
        };
        let mut rows = sec("trace-rows")?;
        let trace_rows = rows.points()?;
        rows.finish()?;
        let mut ev = sec("evals")?;
        let n = ev.count()?;
        let evals = (0..n).map(|_| ev.fr()).collect::<Result<Vec<_>, _>>()?;
        ev.finish()?;
        let mut g = sec("gkr")?;
        let gkr = g.blobs(|b| decode_gkr_proof(b).map_err(|e| e.to_string()))?;
        g.finish()?;
        let mut l = sec("logup")?;
        let logup = l.blobs(|b| decode_logup_proof(b).map_err(|e| e.to_string()))?;
        l.finish()?;
        let o = sec("opening")?;
        let opening =
            RowOpenProof::from_bytes(o.bytes).map_err(|e| malformed(format!("opening: {e}")))?;
        r.finish()?;
        Ok(Self {
            trace_rows,
            evals,
            gkr,
            logup,
            opening,
        })
    }
}
