//! The reference prover of [`super`]: no generator fold at all.

use kaizen_field::{batch, Fr};
use rayon::prelude::*;

use super::{
    axpy, schnorr_finish, IpaProof, PublicVector, RoundChallenge, LABEL_L, LABEL_R, LABEL_ROUNDS,
    LABEL_U_SCALE, LABEL_VALUE,
};
use crate::bn254::{G1Affine, G1Projective};
use crate::pedersen::{Blinder, PedersenGens};
use crate::pippenger::{msm_many_vartime, msm_vartime};
use crate::transcript::ProofTranscript;

/// The reference prover: every round's `L_j`, `R_j` and the Schnorr `A` as MSMs over the
/// ORIGINAL generators (`C` full-width scalars per round, `k C` in all), the folded
/// generators being `G_i = sum_t prefix[t] G_{t m + i}` (`m` the current length). Same
/// transcript and bytes as [`super::prove`] (tested equal); kept as the baseline the fast
/// path is checked against.
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
        let x = RoundChallenge::squeeze(transcript).scalar();

        // a <- x a_L + a_R,  b <- b_L + x b_R,  G <- G_L + x G_R (prefix [p] -> [p, p x]).
        a = axpy(ar, al, x);
        b = axpy(bl, br, x);
        rho = x * rho + x * x * l_blind + r_blind;
        prefix = prefix.par_iter().flat_map_iter(|v| [*v, *v * x]).collect();
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
