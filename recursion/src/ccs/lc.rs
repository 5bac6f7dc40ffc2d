//! Variables and linear combinations of the constraint builder.
//!
//! A [`Lc`] is a sorted list of `(variable, coefficient)` with distinct variables and no zero
//! coefficient, so adding two combinations is one merge (`O(len_a + len_b)`) and combinations
//! that are re-mixed many times (Poseidon's partial rounds) never accumulate duplicates.

use core::ops::{Add, Mul, Neg, Sub};

use kaizen_field::{Field, Fr};

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

/// A linear combination `Σ coeff · var` (sorted by variable, no zero coefficient).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lc {
    terms: Vec<(Var, Fr)>,
}

impl Lc {
    /// The zero combination.
    pub fn zero() -> Self {
        Self::default()
    }

    /// The constant `c`.
    pub fn constant(c: Fr) -> Self {
        Self::term(Var::One, c)
    }

    /// `coeff · var`.
    pub fn term(var: Var, coeff: Fr) -> Self {
        if coeff.is_zero() {
            Self::zero()
        } else {
            Self {
                terms: vec![(var, coeff)],
            }
        }
    }

    /// The terms, sorted by variable.
    pub fn terms(&self) -> &[(Var, Fr)] {
        &self.terms
    }

    /// The constant part (coefficient of [`Var::One`]).
    pub fn constant_part(&self) -> Fr {
        match self.terms.first() {
            Some((Var::One, c)) => *c,
            _ => Fr::ZERO,
        }
    }

    /// `Some(c)` if the combination is the constant `c` (no variable).
    pub fn as_constant(&self) -> Option<Fr> {
        match self.terms.as_slice() {
            [] => Some(Fr::ZERO),
            [(Var::One, c)] => Some(*c),
            _ => None,
        }
    }

    /// `self + s · other` by one merge of the two sorted term lists.
    pub fn add_scaled(&self, s: Fr, other: &Lc) -> Lc {
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
    pub fn scale(&self, s: Fr) -> Lc {
        if s.is_zero() {
            return Lc::zero();
        }
        Lc {
            terms: self.terms.iter().map(|(v, c)| (*v, s * *c)).collect(),
        }
    }

    /// `Σ coeffs[k] · lcs[k]`.
    pub fn combination(coeffs: &[Fr], lcs: &[Lc]) -> Lc {
        coeffs
            .iter()
            .zip(lcs)
            .fold(Lc::zero(), |acc, (c, l)| acc.add_scaled(*c, l))
    }
}

impl From<Var> for Lc {
    fn from(v: Var) -> Self {
        Lc::term(v, Fr::ONE)
    }
}

impl Add<&Lc> for &Lc {
    type Output = Lc;
    fn add(self, rhs: &Lc) -> Lc {
        self.add_scaled(Fr::ONE, rhs)
    }
}

impl Sub<&Lc> for &Lc {
    type Output = Lc;
    fn sub(self, rhs: &Lc) -> Lc {
        self.add_scaled(-Fr::ONE, rhs)
    }
}

impl Add<Fr> for &Lc {
    type Output = Lc;
    fn add(self, rhs: Fr) -> Lc {
        self.add_scaled(rhs, &Lc::from(Var::One))
    }
}

impl Mul<Fr> for &Lc {
    type Output = Lc;
    fn mul(self, rhs: Fr) -> Lc {
        self.scale(rhs)
    }
}

impl Neg for &Lc {
    type Output = Lc;
    fn neg(self) -> Lc {
        self.scale(-Fr::ONE)
    }
}
