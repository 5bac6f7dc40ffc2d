//! The Poseidon permutation and the Poseidon duplex transcript as circuits.
//!
//! Per round: add the round constants (free: constant terms of the combinations), the S-box
//! `x^5` as one degree-5 row on every cell (full rounds) or on cell 0 (partial rounds), then
//! the MDS matrix (free: the new cells are linear combinations of the old). Cells that skip
//! the S-box stay linear combinations; [`Lc`] merges terms, so cells 1 and 2 of the partial
//! rounds grow by one term per round (at most 57 + 3) instead of doubling.
//!
//! The transcript absorbs exactly the field elements of
//! [`kaizen_sumcheck::PoseidonTranscript`]: labels, byte strings and length tags are packed by
//! the native [`byte_string_elements`] / [`field_vector_tag`] into constants (no rows); only
//! field elements held in variables are absorbed as variables.

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_sumcheck::transcript::poseidon::{
    byte_string_elements, field_vector_tag, permute_with, PoseidonParams, DOMAIN_TAG, FULL_ROUNDS,
    PARTIAL_ROUNDS, WIDTH,
};

use crate::ccs::{ConstraintSystem, Lc};

/// Rows of one permutation: one degree-5 row per S-box.
pub const ROWS_PER_PERMUTATION: usize = FULL_ROUNDS * WIDTH + PARTIAL_ROUNDS;

/// The permutation on a state of linear combinations: [`ROWS_PER_PERMUTATION`] rows, or none
/// when every cell is a constant (a transcript's prefix of labels and public constants is
/// evaluated natively; constness is structural, so the shape still never depends on values).
pub fn permute(cs: &mut ConstraintSystem, state: &[Lc; WIDTH]) -> [Lc; WIDTH] {
    permute_in(cs, PoseidonParams::get(), state)
}

/// [`permute`] over any field with its parameters (`Fq`:
/// `kaizen_sumcheck::transcript::poseidon::fq::params`).
pub fn permute_in<F: PrimeField>(
    cs: &mut ConstraintSystem<F>,
    params: &PoseidonParams<F>,
    state: &[Lc<F>; WIDTH],
) -> [Lc<F>; WIDTH] {
    if let [Some(a), Some(b), Some(c)] = state.each_ref().map(Lc::as_constant) {
        let mut s = [a, b, c];
        permute_with(params, &mut s);
        return s.map(Lc::constant);
    }
    let half = FULL_ROUNDS / 2;
    let mut s = state.clone();
    for (round, rc) in params.round_constants.iter().enumerate() {
        for (cell, c) in s.iter_mut().zip(rc) {
            *cell = &*cell + *c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for cell in s.iter_mut() {
                *cell = cs.pow5("poseidon/full-sbox", cell).into();
            }
        } else {
            s[0] = cs.pow5("poseidon/partial-sbox", &s[0]).into();
        }
        // state ← MDS · state
        s = core::array::from_fn(|i| Lc::combination(&params.mds[i], &s));
    }
    s
}

/// The in-circuit twin of [`kaizen_sumcheck::PoseidonTranscript`]: same absorb sequence, same
/// challenges. Labels and byte strings are public constants of the circuit.
#[derive(Debug, Clone)]
pub struct PoseidonTranscriptVar {
    state: [Lc; WIDTH],
    /// Rate cells filled since the last permutation (0 or 1).
    pos: usize,
}

impl PoseidonTranscriptVar {
    /// Mirrors `PoseidonTranscript::new(protocol)`.
    pub fn new(cs: &mut ConstraintSystem, protocol: &[u8]) -> Self {
        let mut t = Self {
            state: [
                Lc::constant(Fr::from_u64(DOMAIN_TAG)),
                Lc::zero(),
                Lc::zero(),
            ],
            pos: 0,
        };
        t.push_bytes(cs, protocol);
        t
    }

    fn push(&mut self, cs: &mut ConstraintSystem, x: &Lc) {
        let cell = &mut self.state[1 + self.pos];
        *cell = &*cell + x;
        self.pos += 1;
        if self.pos == WIDTH - 1 {
            self.state = permute(cs, &self.state);
            self.pos = 0;
        }
    }

    fn push_bytes(&mut self, cs: &mut ConstraintSystem, bytes: &[u8]) {
        for x in byte_string_elements(bytes) {
            self.push(cs, &Lc::constant(x));
        }
    }

    /// Mirrors `absorb_bytes(label, bytes)` (both constants of the circuit).
    pub fn absorb_bytes(&mut self, cs: &mut ConstraintSystem, label: &[u8], bytes: &[u8]) {
        self.push_bytes(cs, label);
        self.push_bytes(cs, bytes);
    }

    /// Mirrors `absorb_u64(label, value)` (a constant).
    pub fn absorb_u64(&mut self, cs: &mut ConstraintSystem, label: &[u8], value: u64) {
        self.absorb_bytes(cs, label, &value.to_le_bytes());
    }

    /// Mirrors `absorb_bytes(label, bytes)` for a byte string of known length `len` whose
    /// packed elements (`byte_string_elements` without its length tag: `⌈len / 31⌉` of them)
    /// are variables, e.g. a compressed point ([`crate::gadgets::hypernova::point_elements`]).
    /// Malformed when the number of elements does not fit `len`.
    pub fn absorb_packed_bytes(
        &mut self,
        cs: &mut ConstraintSystem,
        label: &[u8],
        len: usize,
        elements: &[Lc],
    ) -> Result<(), crate::ccs::CcsMalformed> {
        if elements.len() != len.div_ceil(31) {
            return Err(crate::ccs::CcsMalformed::Length {
                expected: len.div_ceil(31),
                actual: elements.len(),
            });
        }
        self.push_bytes(cs, label);
        self.push(cs, &Lc::constant(Fr::from_u64(2 * len as u64)));
        for e in elements {
            self.push(cs, e);
        }
        Ok(())
    }

    /// Mirrors `absorb_frs(label, values)`.
    pub fn absorb_frs(&mut self, cs: &mut ConstraintSystem, label: &[u8], values: &[Lc]) {
        self.push_bytes(cs, label);
        self.push(cs, &Lc::constant(field_vector_tag(values.len())));
        for v in values {
            self.push(cs, v);
        }
    }

    /// Mirrors `absorb_fr(label, value)`.
    pub fn absorb_fr(&mut self, cs: &mut ConstraintSystem, label: &[u8], value: &Lc) {
        self.absorb_frs(cs, label, core::slice::from_ref(value));
    }

    /// Mirrors `challenge(label)`: the label, one permutation, rate cell 1.
    pub fn challenge(&mut self, cs: &mut ConstraintSystem, label: &[u8]) -> Lc {
        self.push_bytes(cs, label);
        self.state = permute(cs, &self.state);
        self.pos = 0;
        self.state[1].clone()
    }

    /// The state's values (to compare with `PoseidonTranscript::state`).
    pub fn state_values(&self, cs: &ConstraintSystem) -> [Fr; WIDTH] {
        core::array::from_fn(|i| cs.value(&self.state[i]))
    }
}
