//! Poseidon over BN254 `Fr` and the transcript built on it.
//!
//! # Parameters (the standard BN254 instance of circomlib / `poseidonperm_x5_254_3`)
//!
//! "Poseidon: A New Hash Function for Zero-Knowledge Proof Systems" (Grassi, Khovratovich,
//! Rechberger, Roy, Schofnegger; USENIX Security 2021, ePrint 2019/458), instance
//! `x^5`, 254-bit prime field (BN254 `Fr`), width `t = 3` (rate 2, capacity 1),
//! `R_F = 8` full rounds (4 before and 4 after) and `R_P = 57` partial rounds, 128-bit security.
//! Each round: add the round constants, apply `x^5` (to all cells in full rounds, to cell 0
//! in partial rounds), multiply by the MDS matrix.
//!
//! Constants' origin: generated at first use by the Grain LFSR of the authors' reference
//! script `generate_parameters_grain.sage 1 0 254 3 8 57` (re-implemented in `grain`), which
//! is how circomlib's and the reference `poseidonperm_x5_254_3` constants were made. The tests
//! pin published constants and the reference test vector `perm([0, 1, 2])` (whose first cell
//! is circomlib's `poseidon([1, 2])`).
//!
//! The same instance over BN254 `Fq` (the CycleFold side) is [`fq`]: [`PoseidonParams`] and
//! [`permute_with`] are generic over the field, the Grain LFSR too.

pub mod fq;
mod grain;

use std::sync::OnceLock;

use kaizen_field::{Field, Fr, PrimeField};

use super::Transcript;

/// Width of the permutation.
pub const WIDTH: usize = 3;
/// Full rounds.
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 57;

/// Round constants (`(R_F + R_P) x t`) and the MDS matrix over `F` (`Fr` here, `Fq` in [`fq`]).
#[derive(Debug, Clone)]
pub struct PoseidonParams<F: PrimeField = Fr> {
    /// `round_constants[round][cell]`.
    pub round_constants: Vec<[F; WIDTH]>,
    /// `mds[row][col]`.
    pub mds: [[F; WIDTH]; WIDTH],
}

impl<F: PrimeField> PoseidonParams<F> {
    /// Generates the parameters with the Grain LFSR (see the module doc).
    pub(crate) fn generate() -> Self {
        // The field size in bits, as the Grain initialisation takes it (254 for Fr and Fq).
        let field_bits = F::NUM_BITS as usize;
        let mut g = grain::Grain::new(
            field_bits as u16,
            WIDTH as u16,
            FULL_ROUNDS as u16,
            PARTIAL_ROUNDS as u16,
        );
        let round_constants = (0..FULL_ROUNDS + PARTIAL_ROUNDS)
            .map(|_| core::array::from_fn(|_| g.next_constant(field_bits)))
            .collect();
        // Cauchy matrix from 2t distinct seeds (re-drawn as a whole set on a repeat, as the
        // reference does; for these parameters the first draw is distinct).
        let seeds = loop {
            let s: [F; 2 * WIDTH] = core::array::from_fn(|_| g.next_reduced(field_bits));
            let distinct = (0..2 * WIDTH).all(|i| (0..i).all(|j| s[i] != s[j]));
            if distinct {
                break s;
            }
        };
        let mds = core::array::from_fn(|i| {
            core::array::from_fn(|j| (seeds[i] + seeds[WIDTH + j]).inverse().unwrap_or(F::ZERO))
        });
        Self {
            round_constants,
            mds,
        }
    }
}

impl PoseidonParams {
    /// The parameters (generated once per process).
    pub fn get() -> &'static Self {
        static PARAMS: OnceLock<PoseidonParams> = OnceLock::new();
        PARAMS.get_or_init(Self::generate)
    }
}

#[inline(always)]
fn sbox<F: PrimeField>(x: F) -> F {
    let x2 = x.square();
    x2.square() * x
}

/// The Poseidon permutation on a width-3 state.
pub fn permute(state: &mut [Fr; WIDTH]) {
    permute_with(PoseidonParams::get(), state);
}

/// The permutation with the given parameters (any field: see [`fq`]).
pub fn permute_with<F: PrimeField>(p: &PoseidonParams<F>, state: &mut [F; WIDTH]) {
    let half = FULL_ROUNDS / 2;
    for (round, rc) in p.round_constants.iter().enumerate() {
        for (s, c) in state.iter_mut().zip(rc) {
            *s += *c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for s in state.iter_mut() {
                *s = sbox(*s);
            }
        } else {
            state[0] = sbox(state[0]);
        }
        let old = *state;
        for (row, s) in p.mds.iter().zip(state.iter_mut()) {
            *s = row[0] * old[0] + row[1] * old[1] + row[2] * old[2];
        }
    }
}

/// circomlib's `poseidon([a, b])`: the first cell of `permute([0, a, b])`.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    let mut s = [Fr::ZERO, a, b];
    permute(&mut s);
    s[0]
}

/// A duplex sponge over `Fr`: capacity cell 0, rate cells 1 and 2.
///
/// - `new(protocol)`: capacity cell = a fixed domain tag; the protocol label is absorbed as
///   the first item.
/// - absorb an item: `label` (packed), length tag, payload elements, each added into the
///   rate (permuting when the two rate cells are used).
/// - challenge: permute (always: pending input is mixed in and each squeeze sees a fresh
///   state), output rate cell 1. A squeezed element is uniform in `Fr` under the sponge
///   model, so no wide reduction is needed (and none would be cheap inside a circuit).
///
/// Bytes are packed 31 per element (little-endian, so every chunk is `< 2^248 < p`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoseidonTranscript {
    state: [Fr; WIDTH],
    /// Rate cells filled since the last permutation (0 or 1).
    pos: usize,
}

/// Capacity-cell tag separating this transcript from other uses of the permutation.
pub const DOMAIN_TAG: u64 = 0x6b61_697a_656e_0001; // "kaizen" v1

/// The elements a byte string is absorbed as: the tag `2 len`, then the bytes packed 31 per
/// element, little-endian (public so that the in-circuit transcript absorbs the same constants).
pub fn byte_string_elements(bytes: &[u8]) -> impl Iterator<Item = Fr> + '_ {
    core::iter::once(Fr::from_u64(2 * bytes.len() as u64)).chain(bytes.chunks(31).map(|chunk| {
        let mut buf = [0u8; 32];
        buf[..chunk.len()].copy_from_slice(chunk);
        // 31 bytes < 2^248 < p: always canonical.
        Fr::from_bytes(&buf).unwrap_or(Fr::ZERO)
    }))
}

/// The tag a vector of `count` field elements is prefixed with (`2 count + 1`, odd, so it never
/// equals a byte string's tag).
pub fn field_vector_tag(count: usize) -> Fr {
    Fr::from_u64(2 * count as u64 + 1)
}

impl PoseidonTranscript {
    fn push(&mut self, x: Fr) {
        self.state[1 + self.pos] += x;
        self.pos += 1;
        if self.pos == WIDTH - 1 {
            permute(&mut self.state);
            self.pos = 0;
        }
    }

    /// Byte strings are prefixed with `2 len`, field vectors with `2 count + 1`, so the
    /// two kinds of item never encode alike.
    fn push_bytes(&mut self, bytes: &[u8]) {
        for x in byte_string_elements(bytes) {
            self.push(x);
        }
    }

    /// The sponge state (for golden tests).
    pub fn state(&self) -> [Fr; WIDTH] {
        self.state
    }
}

impl Transcript for PoseidonTranscript {
    fn new(protocol: &'static [u8]) -> Self {
        let mut t = Self {
            state: [Fr::from_u64(DOMAIN_TAG), Fr::ZERO, Fr::ZERO],
            pos: 0,
        };
        t.push_bytes(protocol);
        t
    }

    fn absorb_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        self.push_bytes(label);
        self.push_bytes(bytes);
    }

    fn absorb_frs(&mut self, label: &'static [u8], values: &[Fr]) {
        self.push_bytes(label);
        self.push(field_vector_tag(values.len()));
        for v in values {
            self.push(*v);
        }
    }

    fn challenge(&mut self, label: &'static [u8]) -> Fr {
        self.push_bytes(label);
        permute(&mut self.state);
        self.pos = 0;
        self.state[1]
    }
}
