//! Variables and linear combinations of the constraint builder.
//!
//! A [`Lc`] is a sorted list of `(variable, coefficient)` with distinct variables and no zero
//! coefficient, so adding two combinations is one merge (`O(len_a + len_b)`) and combinations
//! that are re-mixed many times (Poseidon's partial rounds) never accumulate duplicates.

use core::ops::{Add, Mul, Neg, Sub};

use kaizen_field::{Fr, PrimeField};

/// A variable of the builder. Columns are assigned by [`ConstraintSystem::build`]
/// (`z = (w, 1, x)`, see the module doc of [`crate::ccs`]).
///
/// [`ConstraintSystem::build`]: super::ConstraintSystem::build
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Var {
    /// The constant 1.
    One,
    /// The `i`-th public input.
    Public(usize),
    /// The `i`-th witness variable.
    Witness(usize),
}

/// A linear combination `Σ coeff · var` over `F` (sorted by variable, no zero coefficient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lc<F: PrimeField = Fr> {
    terms: Vec<(Var, F)>,
}

impl<F: PrimeField> Default for Lc<F> {
    fn default() -> Self {
        Self { terms: Vec::new() }
    }
}

impl<F: PrimeField> Lc<F> {
    /// The zero combination.
    pub fn zero() -> Self {
        Self::default()
    }

    /// The constant `c`.
    pub fn constant(c: F) -> Self {
        Self::term(Var::One, c)
    }

    /// `coeff · var`.
    pub fn term(var: Var, coeff: F) -> Self {
        if coeff.is_zero() {
            Self::zero()
        } else {
            Self {
                terms: vec![(var, coeff)],
            }
        }
    }

    /// The terms, sorted by variable.
    pub fn terms(&self) -> &[(Var, F)] {
        &self.terms
    }

    /// The constant part (coefficient of [`Var::One`]).
    pub fn constant_part(&self) -> F {
        match self.terms.first() {
            Some((Var::One, c)) => *c,
            _ => F::ZERO,
        }
    }

    /// `Some(c)` if the combination is the constant `c` (no variable).
    pub fn as_constant(&self) -> Option<F> {
        match self.terms.as_slice() {
            [] => Some(F::ZERO),
            [(Var::One, c)] => Some(*c),
            _ => None,
        }
    }

    /// `self + s · other` by one merge of the two sorted term lists.
    pub fn add_scaled(&self, s: F, other: &Lc<F>) -> Lc<F> {
        if s.is_zero() {
            return self.clone();
        }
        let mut out = Vec::with_capacity(self.terms.len() + other.terms.len());
        let (mut a, mut b) = (self.terms.iter().peekable(), other.terms.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some((va, ca)), Some((vb, cb))) => {
                    if va < vb {
                        out.push((*va, *ca));
                        a.next();
                    } else if vb < va {
                        out.push((*vb, s * *cb));
                        b.next();
                    } else {
                        let c = *ca + s * *cb;
                        if !c.is_zero() {
                            out.push((*va, c));
                        }
                        a.next();
                        b.next();
                    }
                }
                (Some((va, ca)), None) => {
                    out.push((*va, *ca));
                    a.next();
                }
                (None, Some((vb, cb))) => {
                    out.push((*vb, s * *cb));
                    b.next();
                }
                (None, None) => break,
            }
        }
        Lc { terms: out }
    }

    /// `s · self`.
    pub fn scale(&self, s: F) -> Lc<F> {
        if s.is_zero() {
            return Lc::zero();
        }
        Lc {
            terms: self.terms.iter().map(|(v, c)| (*v, s * *c)).collect(),
        }
    }

    /// `Σ coeffs[k] · lcs[k]`.
    pub fn combination(coeffs: &[F], lcs: &[Lc<F>]) -> Lc<F> {
        coeffs
            .iter()
            .zip(lcs)
            .fold(Lc::zero(), |acc, (c, l)| acc.add_scaled(*c, l))
    }
}

impl<F: PrimeField> From<Var> for Lc<F> {
    fn from(v: Var) -> Self {
        Lc::term(v, F::ONE)
    }
}

impl<F: PrimeField> Add<&Lc<F>> for &Lc<F> {
    type Output = Lc<F>;
    fn add(self, rhs: &Lc<F>) -> Lc<F> {
        self.add_scaled(F::ONE, rhs)
    }
}

impl<F: PrimeField> Sub<&Lc<F>> for &Lc<F> {
    type Output = Lc<F>;
    fn sub(self, rhs: &Lc<F>) -> Lc<F> {
        self.add_scaled(-F::ONE, rhs)
    }
}

impl<F: PrimeField> Add<F> for &Lc<F> {
    type Output = Lc<F>;
    fn add(self, rhs: F) -> Lc<F> {
        self.add_scaled(rhs, &Lc::<F>::from(Var::One))
    }
}

impl<F: PrimeField> Mul<F> for &Lc<F> {
    type Output = Lc<F>;
    fn mul(self, rhs: F) -> Lc<F> {
        self.scale(rhs)
    }
}

impl<F: PrimeField> Neg for &Lc<F> {
    type Output = Lc<F>;
    fn neg(self) -> Lc<F> {
        self.scale(-F::ONE)
    }
}
