//! Zero-knowledge inner-product argument: for a hiding commitment `P = <a, G> + rho H` and a
//! public vector `b` of length `C = 2^k`, prove `<a, b> = v` (public `v`) in `k` rounds.
//!
//! ## Construction
//!
//! Bulletproofs' recursive halving (Bünz et al. 2018, Protocol 2) with blinded cross terms and
//! a final two-generator Schnorr (Okamoto) step, as in Hyrax's zero-knowledge variant
//! (Wahby et al. 2018, appendix on `proof-of-dot-prod`):
//!
//! ```text
//! transcript ← k, v;  x0 ← challenge;  U' = x0 U;  P_0 = P + v U'
//! round j (a, b, G of length m, halves _L/_R of length m/2; l_j, r_j fresh blinds):
//!     L_j = <a_L, G_R> + <a_L, b_R> U' + l_j H
//!     R_j = <a_R, G_L> + <a_R, b_L> U' + r_j H
//!     transcript ← L_j, R_j;  x_j ← challenge
//!     a ← a_L + x_j a_R    b ← b_L + x_j^-1 b_R    G ← G_L + x_j^-1 G_R
//!     P_{j+1} = P_j + x_j^-1 L_j + x_j R_j       rho ← rho + x_j^-1 l_j + x_j r_j
//! final (a, b, G of length 1, so P_k = a (G + b U') + rho H =: a Q + rho H):
//!     A = d Q + s H (d, s fresh);  transcript ← A;  c ← challenge
//!     z1 = d + c a,  z2 = s + c rho
//! verifier: z1 Q + z2 H == A + c P_k
//! ```
//!
//! `U` is scaled by the challenge `x0` drawn after `v` (and, by the caller, `P`) are fixed: a
//! `P` with a hidden `U` component `delta U` would otherwise prove `<a, b> = v + delta`.
//! Zero knowledge (honest verifier): every `L_j`, `R_j`, `A` is uniform by its fresh `H`
//! blind, and `(z1, z2)` is uniform given `c`; a simulator picks `L_j, R_j, z1, z2` at random
//! and solves for `A`. Soundness: the usual 3^k-tree extraction (each round is a Laurent
//! polynomial of degree -1..1 in `x_j`), then the Schnorr step extracts `(a, rho)`.
//!
//! The folded generator is `G_final = <s, G>` with `s_i = prod_j (bit_j(i) ? x_j^-1 : 1)`,
//! bits taken most significant first ([`fold_coefficients`]).
//!
//! ## Prover schedule
//!
//! Folding `G` point by point costs `C / 2` scalar multiplications in the first round alone
//! (about ten MSM terms each). Instead the prover keeps a *base* vector and the fold weights
//! `prefix` relative to it (`G_i = sum_t prefix[t] base_{t m + i}`) and computes `L_j`, `R_j`
//! as one MSM over the base with scalars `prefix[t] a_m` ([`prove_reference`] does this for
//! every round: `k` MSMs of `C` terms). Every [`FOLD_EVERY`] rounds the base is folded
//! explicitly (`|base| / 2^FOLD_EVERY` MSMs of `2^FOLD_EVERY` points, batch-normalised), so
//! later rounds work on a base `2^FOLD_EVERY` times shorter. [`prove_small`] runs round 0 on
//! small-integer scalars (the `R = 1` opening of an `i8`/`i16` table). Both produce the
//! reference's bytes exactly (the group elements are equal; the transcript is unchanged).
//!
//! The caller absorbs the statement (`P` or what determines it, and `b` or what determines
//! it) before calling; this module absorbs `k`, `v` and the proof messages.

use kaizen_field::{batch, Field, Fr};
use rayon::prelude::*;

use crate::bn254::{G1Affine, G1Projective};
use crate::pedersen::{Blinder, PedersenGens};
use crate::pippenger::{msm_many_vartime, msm_small_vartime, msm_vartime, SmallScalar};
use crate::transcript::ProofTranscript;

/// Label of the round count `k`.
pub const LABEL_ROUNDS: &[u8] = b"ipa/rounds";
/// Label of the claimed inner product `v`.
pub const LABEL_VALUE: &[u8] = b"ipa/value";
/// Label of the challenge `x0` scaling `U`.
pub const LABEL_U_SCALE: &[u8] = b"ipa/u-scale";
/// Label of `L_j`.
pub const LABEL_L: &[u8] = b"ipa/L";
/// Label of `R_j`.
pub const LABEL_R: &[u8] = b"ipa/R";
/// Label of the round challenge `x_j`.
pub const LABEL_X: &[u8] = b"ipa/x";
/// Label of the Schnorr commitment `A`.
pub const LABEL_A: &[u8] = b"ipa/A";
/// Label of the Schnorr challenge `c`.
pub const LABEL_C: &[u8] = b"ipa/c";

/// The public vector `b`.
#[derive(Debug, Clone, Copy)]
pub enum PublicVector<'a> {
    /// Given entry by entry.
    Dense(&'a [Fr]),
    /// `b_i = eq(point, i)`, `point[0]` the most significant bit of `i`: the verifier's folded
    /// value is a product of `k` factors, `prod_j ((1 - z_j) + x_j^-1 z_j)`.
    Eq(&'a [Fr]),
}

impl PublicVector<'_> {
    /// Number of entries, `None` if an `Eq` point has too many coordinates to index.
    pub fn len(&self) -> Option<usize> {
        match self {
            PublicVector::Dense(b) => Some(b.len()),
            PublicVector::Eq(z) => 1usize.checked_shl(u32::try_from(z.len()).ok()?),
        }
    }

    /// Whether the vector is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The entries.
    pub fn to_dense(&self) -> Vec<Fr> {
        match self {
            PublicVector::Dense(b) => b.to_vec(),
            PublicVector::Eq(z) => {
                let mut out = vec![Fr::ZERO; 1 << z.len()];
                batch::eq_expand(&mut out, z, Fr::ONE);
                out
            }
        }
    }

    /// `b` folded by the challenges: `<s, b>` with `s` = [`fold_coefficients`]`(x_inv)`
    /// (`s` is only read for `Dense`, where it must have `b.len()` entries).
    pub(crate) fn folded(&self, s: &[Fr], x_inv: &[Fr]) -> Fr {
        match self {
            PublicVector::Dense(b) => b.iter().zip(s).map(|(b, s)| *b * *s).sum(),
            PublicVector::Eq(z) => z
                .iter()
                .zip(x_inv)
                .map(|(z, xi)| Fr::ONE - *z + *xi * *z)
                .product(),
        }
    }
}

/// `s_i = prod_j (bit_j(i) ? x_inv[j] : 1)` for `i < 2^k`, bit 0 the most significant.
pub fn fold_coefficients(x_inv: &[Fr]) -> Vec<Fr> {
    let mut s = vec![Fr::ONE];
    for xi in x_inv {
        s = s.par_iter().flat_map_iter(|v| [*v, *v * *xi]).collect();
    }
    s
}

/// A zero-knowledge inner-product proof: `k` pairs `(L_j, R_j)`, the Schnorr commitment `A`
/// and responses `z1`, `z2`. Encoded size `2 k 32 + 96` bytes plus a 3-byte header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpaProof {
    /// `L_0 .. L_{k-1}`.
    pub l: Vec<G1Affine>,
    /// `R_0 .. R_{k-1}`.
    pub r: Vec<G1Affine>,
    /// The Schnorr commitment `A = d Q + s H`.
    pub a: G1Affine,
    /// `z1 = d + c a_final`.
    pub z1: Fr,
    /// `z2 = s + c rho_final`.
    pub z2: Fr,
}

/// Proves `<a, b> = v` for `P = <a, G_{0..C}> + rho H`, returns `(v, proof)`. `a.len()` must be
/// a power of two, at most `gens.len()`, and equal to `b`'s length (caller bugs panic).
/// Blinds come from `blinder.derive(b"ipa")`: the blinder must be fresh for this proof.
///
/// Same transcript and bytes as [`prove_reference`]; the generators are folded explicitly
/// every [`FOLD_EVERY`] rounds (see the module doc, "Prover schedule").
pub fn prove<T: ProofTranscript>(
    gens: &PedersenGens,
    transcript: &mut T,
    a: &[Fr],
    rho: Fr,
    b: &PublicVector<'_>,
    blinder: &Blinder,
) -> (Fr, IpaProof) {
    prove_scheduled::<T, i8>(gens, transcript, Witness::Field(a), rho, b, blinder)
}

/// [`prove`] for a small-integer vector `a` (the `R = 1` opening of a small table): round 0's
/// `L_0`, `R_0` are small-scalar MSMs, `a` widens to `Fr` when `x_0` mixes its halves.
pub fn prove_small<T: ProofTranscript, S: SmallScalar>(
    gens: &PedersenGens,
    transcript: &mut T,
    a: &[S],
    rho: Fr,
    b: &PublicVector<'_>,
    blinder: &Blinder,
) -> (Fr, IpaProof) {
    prove_scheduled(gens, transcript, Witness::Small(a), rho, b, blinder)
}

/// Rounds between explicit generator folds: after `FOLD_EVERY` rounds over the current base
/// vector (MSMs of its full length, scalars `prefix[t] a[i]`), the base is replaced by its
/// fold `base'_i = sum_t prefix[t] base_{t m' + i}` (`m'` MSMs of `2^FOLD_EVERY` points) and the
/// prefix restarts at `[1]`. Measured with `kaizen bench commit --log-n 16 --quick` (R = 1,
/// 2 threads, Zen 4 EPYC shared with other builds, load ~9; `open.n16` over `verify.n16`,
/// i.e. in units of one 2^16 MSM, to cancel the load): never folding 14-21, every 1 round 22,
/// 2: 24, 3: 13, 4: 9.9, 5: 9.4, 6: 8.6, 8: 9.0 (tiny MSMs cost far more per point than large
/// ones, so short fold intervals lose).
pub const FOLD_EVERY: usize = 6;

/// The prover's vector `a` before the first challenge.
enum Witness<'a, S> {
    Field(&'a [Fr]),
    Small(&'a [S]),
}

fn prove_scheduled<T: ProofTranscript, S: SmallScalar>(
    gens: &PedersenGens,
    transcript: &mut T,
    a_in: Witness<'_, S>,
    rho: Fr,
    b: &PublicVector<'_>,
    blinder: &Blinder,
) -> (Fr, IpaProof) {
    let c = match &a_in {
        Witness::Field(a) => a.len(),
        Witness::Small(a) => a.len(),
    };
    assert!(
        c.is_power_of_two() && c <= gens.len() && b.len() == Some(c),
        "ipa: |a| = {c}, |b| = {:?}, C = {}",
        b.len(),
        gens.len()
    );
    let k = c.trailing_zeros() as usize;
    let blinds = blinder.derive(b"ipa");
    let mut b = b.to_dense();
    let v = match &a_in {
        Witness::Field(a) => batch::inner_product(a, &b),
        Witness::Small(a) => small_inner_product(a, &b),
    };
    transcript.absorb_bytes(LABEL_ROUNDS, &(k as u64).to_le_bytes());
    transcript.absorb_scalar(LABEL_VALUE, &v);
    let x0 = transcript.challenge_scalar(LABEL_U_SCALE);

    // base: the current explicit generators; prefix: the fold weights relative to it, so the
    // current folded generators are G_i = sum_t prefix[t] base_{t m + i} (m = |a|).
    let mut base: Vec<G1Affine> = gens.g()[..c].to_vec();
    let mut prefix = vec![Fr::ONE];
    let mut rho = rho;
    let mut a: Vec<Fr> = match &a_in {
        Witness::Field(a) => a.to_vec(),
        // Widened by round 0's fold (or here when there is no round).
        Witness::Small(sa) if k == 0 => sa.iter().map(|s| small_to_fr(*s)).collect(),
        Witness::Small(_) => Vec::new(),
    };
    let (mut ls, mut rs) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for round in 0..k {
        let half = (c >> round) / 2;
        let (l_blind, r_blind) = (
            blinds.scalar(2 * round as u64),
            blinds.scalar(2 * round as u64 + 1),
        );
        let (bl, br) = b.split_at(half);
        // L = <a_L, G_R> + <a_L, b_R> x0 U + l H,  R = <a_R, G_L> + <a_R, b_L> x0 U + r H.
        let (lp, rp) = match (&a_in, round) {
            (Witness::Small(sa), 0) => {
                let (al, ar) = sa.split_at(half);
                let (gl, gr) = base.split_at(half);
                rayon::join(
                    || {
                        msm_small_vartime(gr, al)
                            + tail(gens, small_inner_product(al, br) * x0, l_blind)
                    },
                    || {
                        msm_small_vartime(gl, ar)
                            + tail(gens, small_inner_product(ar, bl) * x0, r_blind)
                    },
                )
            }
            _ => {
                let (al, ar) = a.split_at(half);
                rayon::join(
                    || {
                        cross_msm(&base, &prefix, al, true)
                            + tail(gens, batch::inner_product(al, br) * x0, l_blind)
                    },
                    || {
                        cross_msm(&base, &prefix, ar, false)
                            + tail(gens, batch::inner_product(ar, bl) * x0, r_blind)
                    },
                )
            }
        };
        let lr = G1Projective::batch_to_affine(&[lp, rp]);
        let (l_pt, r_pt) = (lr[0], lr[1]);
        transcript.absorb_point(LABEL_L, &l_pt);
        transcript.absorb_point(LABEL_R, &r_pt);
        let x = transcript.challenge_scalar(LABEL_X);
        let x_inv = x
            .inverse()
            .expect("ipa: zero challenge (probability 2^-254)");

        a = match (&a_in, round) {
            (Witness::Small(sa), 0) => {
                let (al, ar) = sa.split_at(half);
                small_axpy(al, ar, x)
            }
            _ => {
                let (al, ar) = a.split_at(half);
                axpy(al, ar, x)
            }
        };
        b = axpy(bl, br, x_inv);
        rho += x_inv * l_blind + x * r_blind;
        prefix = prefix
            .par_iter()
            .flat_map_iter(|v| [*v, *v * x_inv])
            .collect();
        if prefix.len() == 1 << FOLD_EVERY && round + 1 < k {
            base = fold_base(&base, &prefix);
            prefix = vec![Fr::ONE];
        }
        ls.push(l_pt);
        rs.push(r_pt);
    }

    // Schnorr step on Q = G_final + b_final U' (G_final = <prefix, base>), witness
    // (a_final, rho).
    let (a_f, b_f) = (a[0], b[0]);
    let (d, s) = (blinds.scalar(2 * k as u64), blinds.scalar(2 * k as u64 + 1));
    let mut sa = vec![Fr::ZERO; base.len()];
    batch::scale(&mut sa, &prefix, d);
    let a_pt = (msm_vartime(&base, &sa) + tail(gens, d * b_f * x0, s)).to_affine();
    (
        v,
        schnorr_finish(transcript, ls, rs, a_pt, (d, s), (a_f, rho)),
    )
}

/// The end of the Schnorr step shared by every prover: absorbs `A`, draws `c`, and answers
/// `z1 = d + c a_final`, `z2 = s + c rho` for the blinds `(d, s)`.
fn schnorr_finish<T: ProofTranscript>(
    transcript: &mut T,
    l: Vec<G1Affine>,
    r: Vec<G1Affine>,
    a: G1Affine,
    (d, s): (Fr, Fr),
    (a_final, rho): (Fr, Fr),
) -> IpaProof {
    transcript.absorb_point(LABEL_A, &a);
    let ch = transcript.challenge_scalar(LABEL_C);
    IpaProof {
        l,
        r,
        a,
        z1: d + ch * a_final,
        z2: s + ch * rho,
    }
}

/// `u U + h H`.
fn tail(gens: &PedersenGens, u: Fr, h: Fr) -> G1Projective {
    msm_vartime(&[gens.u(), gens.h()], &[u, h])
}

/// The generator part of `L` (`right`: `<v, G_R>`) or `R` (`<v, G_L>`) for the current
/// folded generators `G_i = sum_t prefix[t] base_{t m + i}`, `m = 2 |v|`: one MSM over the
/// matching half of every block of `base`, scalars `prefix[t] v[i]` (`|base| / 2` terms).
fn cross_msm(base: &[G1Affine], prefix: &[Fr], v: &[Fr], right: bool) -> G1Projective {
    let half = v.len();
    let block = 2 * half;
    let mut pts = Vec::with_capacity(base.len() / 2);
    let mut sc = vec![Fr::ZERO; base.len() / 2];
    for (t, chunk) in base.chunks(block).enumerate() {
        let (gl, gr) = chunk.split_at(half);
        pts.extend_from_slice(if right { gr } else { gl });
        batch::scale(&mut sc[t * half..(t + 1) * half], v, prefix[t]);
    }
    msm_vartime(&pts, &sc)
}

/// The explicit fold `base'_i = sum_t prefix[t] base_{t m' + i}`, `m' = |base| / |prefix|`:
/// `m'` MSMs of `|prefix|` points, normalised to affine in one batch.
fn fold_base(base: &[G1Affine], prefix: &[Fr]) -> Vec<G1Affine> {
    let m = base.len() / prefix.len();
    let folded: Vec<G1Projective> = (0..m)
        .into_par_iter()
        .map(|i| {
            let pts: Vec<G1Affine> = (0..prefix.len()).map(|t| base[t * m + i]).collect();
            msm_vartime(&pts, prefix)
        })
        .collect();
    G1Projective::batch_to_affine(&folded)
}

/// `<a, b>` for small `a`.
fn small_inner_product<S: SmallScalar>(a: &[S], b: &[Fr]) -> Fr {
    a.par_iter()
        .zip(b.par_iter())
        .with_min_len(1 << 12)
        .map(|(s, b)| small_to_fr(*s) * *b)
        .sum()
}

/// `lo + r hi` for small halves.
fn small_axpy<S: SmallScalar>(lo: &[S], hi: &[S], r: Fr) -> Vec<Fr> {
    lo.par_iter()
        .zip(hi.par_iter())
        .with_min_len(1 << 12)
        .map(|(l, h)| small_to_fr(*l) + r * small_to_fr(*h))
        .collect()
}

/// A small integer as a field element (negative values as `p - |s|`).
pub fn small_to_fr<S: SmallScalar>(s: S) -> Fr {
    let (m, neg) = s.split();
    let f = Fr::from_u64(m);
    if neg {
        -f
    } else {
        f
    }
}

/// The reference prover: every round's `L_j`, `R_j` and the Schnorr `A` as MSMs over the
/// ORIGINAL generators (`C` full-width scalars per round, `k C` in all). Same transcript and
/// bytes as [`prove`] (tested equal); kept as the baseline the fast path is checked against.
pub fn prove_reference<T: ProofTranscript>(
    gens: &PedersenGens,
    transcript: &mut T,
    a: &[Fr],
    rho: Fr,
    b: &PublicVector<'_>,
    blinder: &Blinder,
) -> (Fr, IpaProof) {
    let c = a.len();
    assert!(
        c.is_power_of_two() && c <= gens.len() && b.len() == Some(c),
        "ipa: |a| = {c}, |b| = {:?}, C = {}",
        b.len(),
        gens.len()
    );
    let k = c.trailing_zeros() as usize;
    let blinds = blinder.derive(b"ipa");
    let mut b = b.to_dense();
    let mut a = a.to_vec();
    let v = batch::inner_product(&a, &b);
    transcript.absorb_bytes(LABEL_ROUNDS, &(k as u64).to_le_bytes());
    transcript.absorb_scalar(LABEL_VALUE, &v);
    let x0 = transcript.challenge_scalar(LABEL_U_SCALE);

    let bases: Vec<G1Affine> = gens.g()[..c]
        .iter()
        .copied()
        .chain([gens.u(), gens.h()])
        .collect();
    let mut rho = rho;
    let mut prefix = vec![Fr::ONE];
    let (mut ls, mut rs) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for round in 0..k {
        let block = a.len();
        let half = block / 2;
        let (al, ar) = a.split_at(half);
        let (bl, br) = b.split_at(half);
        let (l_blind, r_blind) = (
            blinds.scalar(2 * round as u64),
            blinds.scalar(2 * round as u64 + 1),
        );
        // For every block t of the current folding (weight prefix[t]), L pairs a_L with the
        // block's right half (G_R) and R pairs a_R with its left half (G_L): gather those
        // halves so that each MSM has C / 2 + 2 non-zero terms.
        let gather = |right: bool, v: &[Fr], blind: Fr, cross: Fr| {
            let mut pts = Vec::with_capacity(c / 2 + 2);
            let mut sc = vec![Fr::ZERO; c / 2];
            for (t, chunk) in bases[..c].chunks(block).enumerate() {
                let (gl, gr) = chunk.split_at(half);
                pts.extend_from_slice(if right { gr } else { gl });
                batch::scale(&mut sc[t * half..(t + 1) * half], v, prefix[t]);
            }
            pts.extend([gens.u(), gens.h()]);
            sc.extend([cross * x0, blind]);
            msm_vartime(&pts, &sc)
        };
        let (lp, rp) = rayon::join(
            || gather(true, al, l_blind, batch::inner_product(al, br)),
            || gather(false, ar, r_blind, batch::inner_product(ar, bl)),
        );
        let lr = G1Projective::batch_to_affine(&[lp, rp]);
        let (l_pt, r_pt) = (lr[0], lr[1]);
        transcript.absorb_point(LABEL_L, &l_pt);
        transcript.absorb_point(LABEL_R, &r_pt);
        let x = transcript.challenge_scalar(LABEL_X);
        let x_inv = x
            .inverse()
            .expect("ipa: zero challenge (probability 2^-254)");

        a = axpy(al, ar, x);
        b = axpy(bl, br, x_inv);
        rho += x_inv * l_blind + x * r_blind;
        prefix = prefix
            .par_iter()
            .flat_map_iter(|v| [*v, *v * x_inv])
            .collect();
        ls.push(l_pt);
        rs.push(r_pt);
    }

    // Schnorr step on Q = G_final + b_final U' (G_final = <prefix, G>), witness (a_final, rho).
    let (a_f, b_f) = (a[0], b[0]);
    let (d, s) = (blinds.scalar(2 * k as u64), blinds.scalar(2 * k as u64 + 1));
    let mut sa = vec![Fr::ZERO; c + 2];
    batch::scale(&mut sa[..c], &prefix, d);
    sa[c] = d * b_f * x0;
    sa[c + 1] = s;
    let a_pt = msm_many_vartime(&bases, &[&sa])[0].to_affine();
    (
        v,
        schnorr_finish(transcript, ls, rs, a_pt, (d, s), (a_f, rho)),
    )
}

/// `lo + r hi`.
fn axpy(lo: &[Fr], hi: &[Fr], r: Fr) -> Vec<Fr> {
    let mut scaled = vec![Fr::ZERO; hi.len()];
    batch::scale(&mut scaled, hi, r);
    let mut out = vec![Fr::ZERO; lo.len()];
    batch::add(&mut out, lo, &scaled);
    out
}
