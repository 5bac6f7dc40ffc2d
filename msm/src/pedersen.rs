//! Hiding Pedersen vector commitments over BN254 G1, and the blinding-factor source.
//!
//! `Com(m; rho) = sum_i m_i G_i + rho H`, with transparent generators from [`crate::generators`]:
//!
//! | generator | domain tag | index |
//! |---|---|---|
//! | `G_0 .. G_{C-1}` (message) | [`TAG_G`] = `b"kaizen/pedersen/v1/G"` | `i` |
//! | `H` (blinding) | [`TAG_H`] = `b"kaizen/pedersen/v1/H"` | `0` |
//! | `U` (inner-product value of the IPA) | [`TAG_U`] = `b"kaizen/pedersen/v1/U"` | `0` |
//!
//! Three separate tags mean three independent hash families, so nobody knows a discrete-log
//! relation between any two of these points. `G` is a prefix family: the first `C` message
//! generators are the same for every `C`.
//!
//! Blinding factors come from a [`Blinder`]: a SHA-256 keyed stream indexed by a domain and a
//! position, so that every blinding factor depends on the seed and a fixed index only (never
//! on the thread that computed it), and proofs are reproducible from their seed.

use kaizen_field::{Fr, PrimeField};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::bn254::{Bn254, G1Affine, G1Projective};
use crate::fixed_base::FixedBaseTable;
use crate::generators::{generator, generators};
use crate::pippenger::{
    msm_many_small_vartime, msm_many_vartime, msm_small_vartime, msm_vartime, SmallScalar,
};

/// Domain tag of the message generators `G_i`.
pub const TAG_G: &[u8] = b"kaizen/pedersen/v1/G";
/// Domain tag of the blinding generator `H`.
pub const TAG_H: &[u8] = b"kaizen/pedersen/v1/H";
/// Domain tag of the inner-product generator `U`.
pub const TAG_U: &[u8] = b"kaizen/pedersen/v1/U";

/// Window width of the fixed-base table of `H` (32 windows of 256 entries: 16 K points,
/// 1 MB; one blinding term then costs about 64 affine additions).
const H_WINDOW: u32 = 8;

/// Pedersen generators `G_0 .. G_{C-1}`, `U`, `H`.
#[derive(Debug, Clone)]
pub struct PedersenGens {
    /// `G_0 .. G_{C-1}, U, H`: one slice so that a single MSM covers a whole IPA check.
    guh: Vec<G1Affine>,
    h_table: FixedBaseTable<Bn254>,
}

impl PedersenGens {
    /// Derives `C = len` message generators and `U`, `H` (see the module doc).
    pub fn new(len: usize) -> Self {
        let mut guh = generators::<Bn254>(TAG_G, len);
        guh.push(generator::<Bn254>(TAG_U, 0));
        let h = generator::<Bn254>(TAG_H, 0);
        guh.push(h);
        let h_table = FixedBaseTable::with_window(&[h], H_WINDOW);
        Self { guh, h_table }
    }

    /// Number of message generators `C`.
    pub fn len(&self) -> usize {
        self.guh.len() - 2
    }

    /// Whether there are no message generators.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The message generators `G_0 .. G_{C-1}`.
    pub fn g(&self) -> &[G1Affine] {
        &self.guh[..self.len()]
    }

    /// `G_0 .. G_{C-1}, U, H` in one slice.
    pub fn g_u_h(&self) -> &[G1Affine] {
        &self.guh
    }

    /// The inner-product generator `U`.
    pub fn u(&self) -> G1Affine {
        self.guh[self.len()]
    }

    /// The blinding generator `H`.
    pub fn h(&self) -> G1Affine {
        self.guh[self.len() + 1]
    }

    /// `rho H` by the fixed-base table.
    pub fn blind_vartime(&self, rho: &Fr) -> G1Projective {
        self.h_table.msm_vartime(core::slice::from_ref(rho))
    }

    /// `sum_i m_i G_i + rho H` (`m.len() <= C`: a shorter message uses a prefix of `G`).
    pub fn commit(&self, m: &[Fr], rho: &Fr) -> G1Projective {
        assert!(
            m.len() <= self.len(),
            "pedersen: {} values, C = {}",
            m.len(),
            self.len()
        );
        msm_vartime(&self.guh[..m.len()], m) + self.blind_vartime(rho)
    }

    /// [`Self::commit`] for small-integer messages (small-scalar MSM path).
    pub fn commit_small<S: SmallScalar>(&self, m: &[S], rho: &Fr) -> G1Projective {
        assert!(
            m.len() <= self.len(),
            "pedersen: {} values, C = {}",
            m.len(),
            self.len()
        );
        msm_small_vartime(&self.guh[..m.len()], m) + self.blind_vartime(rho)
    }

    /// Commits every `row_len`-chunk of `table` with its own blinding factor `rhos[i]`.
    /// Panics (caller bug) unless `table.len() == rhos.len() * row_len` and `row_len <= C`.
    pub fn commit_rows(&self, table: &[Fr], row_len: usize, rhos: &[Fr]) -> Vec<G1Affine> {
        self.check_rows(table.len(), row_len, rhos.len());
        let sets: Vec<&[Fr]> = table.chunks(row_len).collect();
        let sums = msm_many_vartime(&self.guh[..row_len], &sets);
        self.add_blinds(sums, rhos)
    }

    /// [`Self::commit_rows`] for small-integer tables (small-scalar MSM path: an `i16` table
    /// pays for 16-bit scalars).
    pub fn commit_rows_small<S: SmallScalar>(
        &self,
        table: &[S],
        row_len: usize,
        rhos: &[Fr],
    ) -> Vec<G1Affine> {
        self.check_rows(table.len(), row_len, rhos.len());
        let sets: Vec<&[S]> = table.chunks(row_len).collect();
        let sums = msm_many_small_vartime(&self.guh[..row_len], &sets);
        self.add_blinds(sums, rhos)
    }

    fn check_rows(&self, len: usize, row_len: usize, rows: usize) {
        assert!(
            row_len >= 1 && row_len <= self.len() && rows.checked_mul(row_len) == Some(len),
            "pedersen: {len} values as {rows} rows of {row_len} (C = {})",
            self.len()
        );
    }

    fn add_blinds(&self, sums: Vec<G1Projective>, rhos: &[Fr]) -> Vec<G1Affine> {
        let blinded: Vec<G1Projective> = sums
            .into_par_iter()
            .zip(rhos.par_iter())
            .map(|(s, rho)| s + self.blind_vartime(rho))
            .collect();
        G1Projective::batch_to_affine(&blinded)
    }
}

/// Domain-separation prefix of [`Blinder`] outputs.
const BLINDER_DST: &[u8] = b"kaizen/msm/blinder/v1\0";

/// A keyed source of blinding scalars: `scalar(i)` is the 512-bit reduction of
/// `SHA-256(DST ‖ key ‖ 0 ‖ i) ‖ SHA-256(DST ‖ key ‖ 1 ‖ i)` (statistically uniform), and
/// [`Blinder::derive`] gives an independent stream for a sub-domain.
///
/// The key is secret: whoever knows it learns every blinding factor, hence the committed data.
/// A key must be fresh for every proof (or derived from one fresh key by distinct domains);
/// reusing a key for two openings of different statements reveals the witness.
#[derive(Clone)]
pub struct Blinder {
    key: [u8; 32],
}

impl core::fmt::Debug for Blinder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Blinder { key: <secret> }")
    }
}

impl Blinder {
    /// A stream keyed by a secret 32-byte seed (from an OS random generator in production).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self { key: seed }
    }

    /// An independent stream for `domain` (`key' = SHA-256(DST ‖ key ‖ 2 ‖ len ‖ domain)`).
    pub fn derive(&self, domain: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(BLINDER_DST);
        h.update(self.key);
        h.update([2u8]);
        h.update((domain.len() as u64).to_le_bytes());
        h.update(domain);
        Self {
            key: h.finalize().into(),
        }
    }

    /// Scalar number `index` of this stream.
    pub fn scalar(&self, index: u64) -> Fr {
        let mut wide = [0u8; 64];
        for (half, out) in wide.chunks_exact_mut(32).enumerate() {
            let mut h = Sha256::new();
            h.update(BLINDER_DST);
            h.update(self.key);
            h.update([half as u8]);
            h.update(index.to_le_bytes());
            out.copy_from_slice(&h.finalize());
        }
        Fr::from_bytes_wide(&wide)
    }

    /// Scalars `0 .. n` of this stream.
    pub fn scalars(&self, n: usize) -> Vec<Fr> {
        (0..n as u64)
            .into_par_iter()
            .map(|i| self.scalar(i))
            .collect()
    }
}
