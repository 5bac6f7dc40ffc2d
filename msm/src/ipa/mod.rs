//! Zero-knowledge inner-product argument: for a hiding commitment `P = <a, G> + rho H` and a
//! public vector `b` of length `C = 2^k`, prove `<a, b> = v` (public `v`) in `k` rounds.
//!
//! | module | contents |
//! |---|---|
//! | this one | protocol, labels, [`prove`] / [`prove_small`] (fast prover), [`RoundChallenge`] |
//! | [`fold`] | `G' = G_L + x G_R` for all points at once: shared-scalar chain, batch-affine |
//! | [`reference`] | [`prove_reference`]: every round as an MSM over the original generators |
//!
//! ## Construction
//!
//! Bulletproofs' recursive halving (Bünz et al. 2018, Protocol 2) with blinded cross terms and
//! a final two-generator Schnorr (Okamoto) step, as in Hyrax's zero-knowledge variant
//! (Wahby et al. 2018, appendix on `proof-of-dot-prod`). Version 2: the round challenge
//! multiplies (no inverse anywhere) and is a 128-bit endomorphism scalar (below).
//!
//! ```text
//! transcript ← k, v;  x0 ← challenge;  U' = x0 U;  P_0 = P + v U'
//! round j (a, b, G of length m, halves _L/_R of length m/2; l_j, r_j fresh blinds):
//!     L_j = <a_L, G_R> + <a_L, b_R> U' + l_j H
//!     R_j = <a_R, G_L> + <a_R, b_L> U' + r_j H
//!     transcript ← L_j, R_j;  x_j ← round challenge
//!     a ← x_j a_L + a_R    b ← b_L + x_j b_R    G ← G_L + x_j G_R
//!     P_{j+1} = x_j P_j + x_j^2 L_j + R_j       rho ← x_j rho + x_j^2 l_j + r_j
//! final (a, b, G of length 1, so P_k = a (G + b U') + rho H =: a Q + rho H):
//!     A = d Q + s H (d, s fresh);  transcript ← A;  c ← challenge
//!     z1 = d + c a,  z2 = s + c rho
//! verifier: z1 Q + z2 H == A + c P_k
//! ```
//!
//! (`<x a_L + a_R, G_L + x G_R> = x <a, G> + x^2 <a_L, G_R> + <a_R, G_L>`, and the same for
//! `b`.) `U` is scaled by the challenge `x0` drawn after `v` (and, by the caller, `P`) are
//! fixed: a `P` with a hidden `U` component `delta U` would otherwise prove `<a, b> = v + delta`.
//! Zero knowledge (honest verifier): every `L_j`, `R_j`, `A` is uniform by its fresh `H`
//! blind, and `(z1, z2)` is uniform given `c`; a simulator picks `L_j, R_j, z1, z2` at random
//! and solves for `A`. Soundness: the usual 3^k-tree extraction (each round is a polynomial
//! of degree 2 in `x_j` with three distinct challenges determining it), then the Schnorr step
//! extracts `(a, rho)`.
//!
//! ## Round challenges: 128 bits, endomorphism form
//!
//! `x_j = k1 + k2 lambda` where `(k1, k2)` are the low and high 64-bit halves of the low 128
//! bits of a squeezed scalar (`lambda` the GLV eigenvalue of BN254 G1, [`RoundChallenge`]).
//! Then `x_j G = k1 G + k2 phi(G)` with two 64-bit halves and no decomposition, which is
//! what makes the prover's generator fold cheap ([`fold`]). Soundness with these challenges:
//! the map `(k1, k2) -> x` is injective on `[0, 2^64)^2` (a collision is a non-zero vector of
//! the GLV lattice `{(c1, c2): c1 + c2 lambda = 0 mod r}` with entries below `2^64`, while the
//! lattice's shortest vectors have length about `2^126`), so the challenge set has `2^128`
//! elements; the low 128 bits of a uniform scalar are within statistical distance
//! `2^128 / r < 2^-125` of uniform. Each round's extraction fails only if the challenge hits
//! one of at most 2 bad values for the polynomial identity of that round: `2^-127` per round,
//! `k 2^-127 <= 2^-122` for `k <= 32` rounds. `x0` and `c` stay full 254-bit scalars.
//! A recursive verifier re-running this transcript must take the same 128 bits (a range
//! decomposition of the squeezed element).
//!
//! The folded generator is `G_final = <s, G>` with `s_i = prod_j (bit_j(i) ? x_j : 1)`,
//! bits taken most significant first ([`fold_coefficients`]).
//!
//! ## Prover schedule
//!
//! [`prove`] folds the generators every round with [`fold::fold_generators_vartime`]
//! (about 64 doublings and 26 additions per point, batch-affine), so round `j`'s `L_j`,
//! `R_j` are MSMs of `C / 2^(j+1)` terms over the folded generators. [`prove_small`] runs the
//! first [`SMALL_ROUNDS`] rounds' MSMs on the ORIGINAL small integers (see there).
//! Both produce the reference's bytes exactly (the group elements are equal; the transcript
//! is unchanged).
//!
//! Cost at `C = 2^20` (R = 1 opening of an `i16` table): the folds touch
//! `C/2 + C/4 + .. ~ C` points, about `95 C ~ 10^8` batch-affine operations (each ~7
//! multiplications on the SIMD kernels), which is the floor of any prover that folds `G`
//! with 128-bit challenges (64 doublings per point cannot be shared between points); the
//! messages add `C` small-scalar terms per round for 4 rounds, then full-width MSMs of
//! `C/16 + C/32 + ..` terms per message. The fold is about 75% of the prover's time. The
//! former schedule (254-bit challenges, `G` never folded for 6 rounds, then folded by
//! `C / 64` MSMs of 64 points) spent the time of about 23 MSMs of `C/2` full-width terms:
//! 10 on the messages of rounds 1..5 (two `C/2`-term MSMs each) and 13 on the 64-point fold
//! MSMs (measured under the same load: 103 s for that fold, 7.8 s for one `C/2`-term MSM).
//!
//! The caller absorbs the statement (`P` or what determines it, and `b` or what determines
//! it) before calling; this module absorbs `k`, `v` and the proof messages.

pub mod fold;
pub mod reference;

pub use reference::prove_reference;

use kaizen_field::{batch, Field, Fr, PrimeField};
use rayon::prelude::*;

use crate::bn254::{Bn254, G1Affine, G1Projective};
use crate::curve::Curve;
use crate::pedersen::{Blinder, PedersenGens};
use crate::pippenger::{msm_many_small_vartime, msm_small_vartime, msm_vartime, SmallScalar};
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
/// Label of the round challenge `x_j` (its low 128 bits are used, see [`RoundChallenge`]; the
/// label names the 128-bit GLV form so that transcripts of the earlier full-width protocol differ).
pub const LABEL_X: &[u8] = b"ipa/x-glv128";
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
    /// value is a product of `k` factors, `prod_j ((1 - z_j) + x_j z_j)`.
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

    /// `b` folded by the challenges: `<s, b>` with `s` = [`fold_coefficients`]`(xs)`
    /// (`s` is only read for `Dense`, where it must have `b.len()` entries).
    pub(crate) fn folded(&self, s: &[Fr], xs: &[Fr]) -> Fr {
        match self {
            PublicVector::Dense(b) => b.iter().zip(s).map(|(b, s)| *b * *s).sum(),
            PublicVector::Eq(z) => z
                .iter()
                .zip(xs)
                .map(|(z, x)| Fr::ONE - *z + *x * *z)
                .product(),
        }
    }
}

/// `s_i = prod_j (bit_j(i) ? xs[j] : 1)` for `i < 2^k`, bit 0 the most significant: built
/// level by level (product tree, `2^(j+1)` multiplications at level `j`, `2^(k+1)` in all).
pub fn fold_coefficients(xs: &[Fr]) -> Vec<Fr> {
    let mut s = vec![Fr::ONE];
    for x in xs {
        s = s.par_iter().flat_map_iter(|v| [*v, *v * *x]).collect();
    }
    s
}

/// A round challenge `x = k1 + k2 lambda` with `k1, k2 < 2^64` (module doc, "Round
/// challenges"): the low and high halves of the low 128 bits of a squeezed scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundChallenge {
    /// Coefficient of `1`.
    pub k1: u64,
    /// Coefficient of `lambda`.
    pub k2: u64,
}

impl RoundChallenge {
    /// Squeezes the challenge of one round (label [`LABEL_X`]).
    pub fn squeeze<T: ProofTranscript>(transcript: &mut T) -> Self {
        let limbs = transcript.challenge_scalar(LABEL_X).to_canonical_limbs();
        Self {
            k1: limbs[0],
            k2: limbs[1],
        }
    }

    /// `x = k1 + k2 lambda` in `Fr`.
    pub fn scalar(&self) -> Fr {
        Fr::from_u64(self.k1) + Fr::from_u64(self.k2) * Bn254::ENDO_LAMBDA
    }
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
/// Same transcript and bytes as [`prove_reference`]; the generators are folded every round
/// (see the module doc, "Prover schedule").
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

/// [`prove`] for a small-integer vector `a` (the `R = 1` opening of a small table): the
/// first [`SMALL_ROUNDS`] rounds' `L_j`, `R_j` are small-scalar MSMs on the original
/// integers (see [`SMALL_ROUNDS`]).
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

/// Rounds of [`prove_small`] whose `L_j`, `R_j` are computed from the ORIGINAL small vector
/// `a0`: after `j` rounds `a = sum_s e_s a0[s m .. (s + 1) m]` (`m = C / 2^j`, `2^j` blocks,
/// `e_s = prod_{i < j} (bit i of s, most significant first, is 0 ? x_i : 1)`), so
/// `<a_L, G_R> = sum_s e_s <a0 block s, left half, G_R>`: `2^j` small-scalar MSMs of `m / 2`
/// terms over the same points, then one `2^j`-term MSM. Round `j` thus costs `C / 2` small
/// terms per message instead of `C / 2^(j+1)` full-width ones: it pays while `2^j` is below
/// the cost ratio of a full-width term to a small one (about 8 for 16-bit integers).
pub const SMALL_ROUNDS: usize = 4;

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

    // g: the folded generators after round 0 (round 0 reads gens.g() directly).
    let mut g: Vec<G1Affine> = Vec::new();
    let mut rho = rho;
    let mut a: Vec<Fr> = match &a_in {
        Witness::Field(a) => a.to_vec(),
        // Widened by round 0's fold (or here when there is no round).
        Witness::Small(sa) if k == 0 => sa.iter().map(|s| small_to_fr(*s)).collect(),
        Witness::Small(_) => Vec::new(),
    };
    // e_s of SMALL_ROUNDS (the weights of a0's blocks in the current a).
    let mut block_weights = vec![Fr::ONE];
    let (mut ls, mut rs) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for round in 0..k {
        let half = (c >> round) / 2;
        let (l_blind, r_blind) = (
            blinds.scalar(2 * round as u64),
            blinds.scalar(2 * round as u64 + 1),
        );
        let cur: &[G1Affine] = if round == 0 { &gens.g()[..c] } else { &g };
        let (gl, gr) = cur.split_at(half);
        let (bl, br) = b.split_at(half);
        // L = <a_L, G_R> + <a_L, b_R> x0 U + l H,  R = <a_R, G_L> + <a_R, b_L> x0 U + r H.
        let (lp, rp) = match &a_in {
            Witness::Small(sa) if round == 0 => {
                let (al, ar) = sa.split_at(half);
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
            Witness::Small(sa) if round < SMALL_ROUNDS => {
                let (al, ar) = a.split_at(half);
                rayon::join(
                    || {
                        blocks_msm(gr, sa, &block_weights, true)
                            + tail(gens, batch::inner_product(al, br) * x0, l_blind)
                    },
                    || {
                        blocks_msm(gl, sa, &block_weights, false)
                            + tail(gens, batch::inner_product(ar, bl) * x0, r_blind)
                    },
                )
            }
            _ => {
                let (al, ar) = a.split_at(half);
                rayon::join(
                    || msm_vartime(gr, al) + tail(gens, batch::inner_product(al, br) * x0, l_blind),
                    || msm_vartime(gl, ar) + tail(gens, batch::inner_product(ar, bl) * x0, r_blind),
                )
            }
        };
        let lr = G1Projective::batch_to_affine(&[lp, rp]);
        let (l_pt, r_pt) = (lr[0], lr[1]);
        transcript.absorb_point(LABEL_L, &l_pt);
        transcript.absorb_point(LABEL_R, &r_pt);
        let ch = RoundChallenge::squeeze(transcript);
        let x = ch.scalar();

        // a <- x a_L + a_R,  b <- b_L + x b_R,  G <- G_L + x G_R.
        a = match &a_in {
            Witness::Small(sa) if round == 0 => {
                let (al, ar) = sa.split_at(half);
                small_axpy(ar, al, x)
            }
            _ => {
                let (al, ar) = a.split_at(half);
                axpy(ar, al, x)
            }
        };
        b = axpy(bl, br, x);
        rho = x * rho + x * x * l_blind + r_blind;
        if matches!(a_in, Witness::Small(_)) && round + 1 < SMALL_ROUNDS {
            block_weights = block_weights.iter().flat_map(|e| [*e * x, *e]).collect();
        }
        let mut next = vec![G1Affine::IDENTITY; half];
        fold::fold_generators_vartime(&mut next, gl, gr, ch.k1, ch.k2);
        g = next;
        ls.push(l_pt);
        rs.push(r_pt);
    }

    // Schnorr step on Q = G_final + b_final U', witness (a_final, rho).
    let g_final = if k == 0 { gens.g()[0] } else { g[0] };
    let (a_f, b_f) = (a[0], b[0]);
    let (d, s) = (blinds.scalar(2 * k as u64), blinds.scalar(2 * k as u64 + 1));
    let a_pt = msm_vartime(&[g_final, gens.u(), gens.h()], &[d, d * b_f * x0, s]).to_affine();
    (
        v,
        schnorr_finish(transcript, ls, rs, a_pt, (d, s), (a_f, rho)),
    )
}

/// The generator part of `L` (`left_half`: `<a_L, G_R>`, `points = G_R`) or `R`
/// (`<a_R, G_L>`) in a small round: `a = sum_s weights[s] a0 block s` (see [`SMALL_ROUNDS`]),
/// so the sum is `sum_s weights[s] <half of a0 block s, points>`, one small-scalar MSM per
/// block over the shared points, then a `|weights|`-term MSM.
fn blocks_msm<S: SmallScalar>(
    points: &[G1Affine],
    a0: &[S],
    weights: &[Fr],
    left_half: bool,
) -> G1Projective {
    let half = points.len();
    let sets: Vec<&[S]> = a0
        .chunks(2 * half)
        .map(|blk| {
            if left_half {
                &blk[..half]
            } else {
                &blk[half..]
            }
        })
        .collect();
    let sums = msm_many_small_vartime(points, &sets);
    msm_vartime(&G1Projective::batch_to_affine(&sums), weights)
}

/// The end of the Schnorr step shared by every prover: absorbs `A`, draws `c`, and answers
/// `z1 = d + c a_final`, `z2 = s + c rho` for the blinds `(d, s)`.
pub(crate) fn schnorr_finish<T: ProofTranscript>(
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
pub(crate) fn tail(gens: &PedersenGens, u: Fr, h: Fr) -> G1Projective {
    msm_vartime(&[gens.u(), gens.h()], &[u, h])
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

/// `lo + r hi`.
pub(crate) fn axpy(lo: &[Fr], hi: &[Fr], r: Fr) -> Vec<Fr> {
    let mut scaled = vec![Fr::ZERO; hi.len()];
    batch::scale(&mut scaled, hi, r);
    let mut out = vec![Fr::ZERO; lo.len()];
    batch::add(&mut out, lo, &scaled);
    out
}
