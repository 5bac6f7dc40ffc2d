//! Proof types and their byte encoding (decoding lives in the verifier's no-panic module).
//!
//! Encoding, all integers little-endian:
//! ```text
//!   SumcheckProof:  u32 rounds | u32 coeffs per round | rounds x coeffs x 32-byte Fr
//!   ProductProof:   SumcheckProof | u32 factors | factors x 32-byte Fr
//! ```

use kaizen_field::{Fr, PrimeField};

use crate::univariate::CompressedPoly;

/// The round messages of one sumcheck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumcheckProof {
    /// One compressed round polynomial per round.
    pub rounds: Vec<CompressedPoly>,
}

/// A sumcheck over a [`ProductStatement`](crate::ProductStatement) with the prover's claimed
/// evaluations of every factor at the final point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductProof {
    /// The round messages.
    pub sumcheck: SumcheckProof,
    /// `f_j(r)` for every factor `j`, at the sumcheck's final point `r`.
    pub factor_evals: Vec<Fr>,
}

impl SumcheckProof {
    /// The canonical bytes (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let per = self.rounds.first().map_or(0, |r| r.len());
        out.extend_from_slice(&(self.rounds.len() as u32).to_le_bytes());
        out.extend_from_slice(&(per as u32).to_le_bytes());
        for r in &self.rounds {
            assert_eq!(r.len(), per, "kaizen-sumcheck: rounds of different lengths");
            for c in &r.coeffs_except_linear {
                out.extend_from_slice(&c.to_bytes());
            }
        }
    }
}

impl ProductProof {
    /// The canonical bytes (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.sumcheck.write(&mut out);
        out.extend_from_slice(&(self.factor_evals.len() as u32).to_le_bytes());
        for e in &self.factor_evals {
            out.extend_from_slice(&e.to_bytes());
        }
        out
    }
}
