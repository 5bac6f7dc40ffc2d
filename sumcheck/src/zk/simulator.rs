//! The zero-knowledge argument of the [module doc](super) made executable: an honest
//! verifier's fixed coins ([`ProgrammedTranscript`]), the simulator ([`simulate`]) that builds a
//! view from the claim `H` and the final value `f(r)` alone, and the inverse of the honest
//! prover's map from masks to views ([`explaining_mask`]).
//!
//! Not part of any proof: tests use these to show that, under fixed challenges, the honest
//! prover produces the simulator's view byte for byte with exactly one mask, whatever the
//! witness — so a uniform mask gives the simulator's (uniform) distribution.

use std::collections::VecDeque;

use kaizen_field::Fr;

use super::mask::{pow2, MaskPolynomial};
use crate::proof::SumcheckProof;
use crate::prover::{prove, SumcheckInstance};
use crate::transcript::Transcript;
use crate::univariate::{CompressedPoly, UniPoly};

/// A "transcript" whose challenges are fixed in advance (an honest verifier's coins) and which
/// ignores what it absorbs. **Not a Fiat–Shamir transcript**: for simulators and tests only.
/// Asking for more challenges than were programmed is a caller bug (panics).
#[derive(Debug, Clone, Default)]
pub struct ProgrammedTranscript {
    challenges: VecDeque<Fr>,
}

impl ProgrammedTranscript {
    /// Challenges returned in order.
    pub fn with_challenges(challenges: impl IntoIterator<Item = Fr>) -> Self {
        Self {
            challenges: challenges.into_iter().collect(),
        }
    }

    /// Challenges not yet drawn.
    pub fn remaining(&self) -> usize {
        self.challenges.len()
    }
}

impl Transcript for ProgrammedTranscript {
    fn new(_protocol: &'static [u8]) -> Self {
        Self::default()
    }

    fn absorb_bytes(&mut self, _label: &'static [u8], _bytes: &[u8]) {}

    fn absorb_frs(&mut self, _label: &'static [u8], _values: &[Fr]) {}

    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        self.challenges.pop_front().unwrap_or_else(|| {
            panic!(
                "ProgrammedTranscript: no challenge left for {:?}",
                String::from_utf8_lossy(label)
            )
        })
    }
}

/// What the sumcheck part of a zero-knowledge proof shows the verifier (the commitment and
/// its opening aside: hiding and zero knowledge by the hook's obligations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// `G`.
    pub mask_sum: Fr,
    /// The round messages of `f + ρ g`.
    pub sumcheck: SumcheckProof,
    /// `g(r)`.
    pub mask_eval: Fr,
}

/// The full round polynomials of `proof` from its claim (the claims chain of the verifier).
pub fn round_polys(proof: &SumcheckProof, claim: Fr, point: &[Fr]) -> Vec<UniPoly> {
    assert_eq!(proof.rounds.len(), point.len(), "round_polys: point length");
    let mut claim = claim;
    proof
        .rounds
        .iter()
        .zip(point)
        .map(|(c, r)| {
            let s = c.decompress(claim);
            claim = s.evaluate(*r);
            s
        })
        .collect()
}

/// The simulator: a view of a masked sumcheck of `n = point.len()` rounds and degree `degree`
/// with claim `claim` and final value `f(point) = final_value`, under the fixed challenges
/// `rho` (non-zero) and `point`, without the witness. `G` and every message coefficient are
/// drawn uniformly from `next`; `g(r)` is solved from the final check.
pub fn simulate(
    degree: usize,
    claim: Fr,
    final_value: Fr,
    rho: Fr,
    point: &[Fr],
    mut next: impl FnMut() -> Fr,
) -> View {
    let rho_inv = rho.inverse().expect("simulate: ρ = 0");
    let mask_sum = next();
    let rounds: Vec<CompressedPoly> = point
        .iter()
        .map(|_| CompressedPoly {
            coeffs_except_linear: (0..degree).map(|_| next()).collect(),
        })
        .collect();
    let sumcheck = SumcheckProof { rounds };
    let masked_claim = claim + rho * mask_sum;
    let last = round_polys(&sumcheck, masked_claim, point)
        .last()
        .zip(point.last())
        .map_or(masked_claim, |(s, r)| s.evaluate(*r));
    View {
        mask_sum,
        sumcheck,
        mask_eval: (last - final_value) * rho_inv,
    }
}

/// `Φ_f^-1(view)`: the unique mask with which the honest prover on `instance` (claim `H`),
/// under the fixed challenges `rho` and `point`, sends `view`'s `G` and round messages
/// (module doc). Consumes the instance's rounds (it runs its unmasked sumcheck on them).
pub fn explaining_mask<I: SumcheckInstance + ?Sized>(
    instance: &mut I,
    view: &View,
    rho: Fr,
    point: &[Fr],
) -> MaskPolynomial {
    let (n, d) = (instance.num_rounds(), instance.degree());
    let claim = instance.input_claim();
    let unmasked = prove(
        instance,
        &mut ProgrammedTranscript::with_challenges(point.iter().copied()),
    );
    let f_rounds = round_polys(&unmasked.proof, claim, point);
    let masked = round_polys(&view.sumcheck, claim + rho * view.mask_sum, point);
    let rho_inv = rho.inverse().expect("explaining_mask: ρ = 0");
    // Round i: ρ s^g_i = s_i - s^f_i, and the X^k coefficient of s^g_i is 2^(n-1-i) g_{i,k}.
    let mut coeffs = vec![Fr::ZERO];
    for (i, (s, sf)) in masked.iter().zip(&f_rounds).enumerate() {
        let inv_scale = pow2(n - 1 - i).inverse().expect("2 is invertible");
        for k in 1..=d {
            let delta = s.coeffs[k] - sf.coeffs.get(k).copied().unwrap_or(Fr::ZERO);
            coeffs.push(delta * rho_inv * inv_scale);
        }
    }
    // G = 2^n a_0 + 2^(n-1) Σ_i g_i(1).
    let ones: Fr = coeffs[1..].iter().copied().sum();
    coeffs[0] = if n == 0 {
        view.mask_sum
    } else {
        (view.mask_sum - pow2(n - 1) * ones) * pow2(n).inverse().expect("2 is invertible")
    };
    MaskPolynomial::from_coeffs(n, d, coeffs)
}
