//! The Grain LFSR of the Poseidon reference implementation
//! (`generate_parameters_grain.sage` of the Hades/Poseidon authors), which derives round
//! constants and the Cauchy MDS matrix from the instance parameters alone.
//!
//! - State: 80 bits, initialised (most significant first) with
//!   `field (2 bits, 1 = GF(p)) | sbox (4 bits, 0 = x^alpha) | n (12 bits, field size) |
//!   t (12 bits) | R_F (10 bits) | R_P (10 bits) | 30 ones`.
//! - Step: `b_80 = b_62 ^ b_51 ^ b_38 ^ b_23 ^ b_13 ^ b_0`, shift left by one.
//! - The first 160 output bits are discarded.
//! - Output bits come in pairs `(b, c)`: if `b = 1` output `c`, else drop both (self-shrinking).
//! - A field element is `n` output bits read most significant first; a round constant is
//!   re-drawn while it is `>= p`; a matrix seed is taken mod p as drawn.
//! - Round constants come first (`(R_F + R_P) · t` of them), then `2t` distinct matrix seeds
//!   `x_0..x_{t-1}, y_0..y_{t-1}` and `M[i][j] = 1 / (x_i + y_j)`.

use kaizen_field::limbs::{lt4, sub4};
use kaizen_field::PrimeField;

/// The self-shrinking Grain LFSR.
#[derive(Debug, Clone)]
pub(crate) struct Grain {
    bits: [bool; 80],
    /// Index of bit `b_0` in the ring buffer.
    head: usize,
}

impl Grain {
    /// Initialised for a prime field of `n` bits, S-box `x^alpha`, width `t`, rounds `r_f`, `r_p`.
    pub(crate) fn new(n: u16, t: u16, r_f: u16, r_p: u16) -> Self {
        let mut bits = [false; 80];
        let mut pos = 0;
        let mut push = |value: u64, width: usize| {
            for k in (0..width).rev() {
                bits[pos] = (value >> k) & 1 == 1;
                pos += 1;
            }
        };
        push(1, 2); // GF(p)
        push(0, 4); // x^alpha
        push(n.into(), 12);
        push(t.into(), 12);
        push(r_f.into(), 10);
        push(r_p.into(), 10);
        push((1 << 30) - 1, 30);
        let mut g = Self { bits, head: 0 };
        for _ in 0..160 {
            g.step();
        }
        g
    }

    fn bit(&self, i: usize) -> bool {
        self.bits[(self.head + i) % 80]
    }

    /// One LFSR step; returns the new bit.
    fn step(&mut self) -> bool {
        let b =
            self.bit(62) ^ self.bit(51) ^ self.bit(38) ^ self.bit(23) ^ self.bit(13) ^ self.bit(0);
        self.bits[self.head] = b;
        self.head = (self.head + 1) % 80;
        b
    }

    /// One output bit of the self-shrinking generator.
    fn next_bit(&mut self) -> bool {
        loop {
            let keep = self.step();
            let bit = self.step();
            if keep {
                return bit;
            }
        }
    }

    /// `n <= 256` output bits as an integer, most significant first (little-endian limbs).
    fn next_int(&mut self, n: usize) -> [u64; 4] {
        let mut limbs = [0u64; 4];
        for k in (0..n).rev() {
            if self.next_bit() {
                limbs[k / 64] |= 1 << (k % 64);
            }
        }
        limbs
    }

    /// A round constant: `n`-bit draws until one is `< p`.
    pub(crate) fn next_constant<F: PrimeField>(&mut self, n: usize) -> F {
        loop {
            if let Some(x) = F::from_canonical_limbs(self.next_int(n)) {
                return x;
            }
        }
    }

    /// A matrix seed: one `n`-bit draw reduced mod p.
    pub(crate) fn next_reduced<F: PrimeField>(&mut self, n: usize) -> F {
        let mut x = self.next_int(n);
        while !lt4(&x, &F::MODULUS) {
            x = sub4(&x, &F::MODULUS).0;
        }
        F::from_canonical_limbs(x).unwrap_or(F::ZERO)
    }
}
