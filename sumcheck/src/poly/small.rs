//! Small-integer tables (`i8`/`i16`/`i32`, any [`SmallInt`]) that stay integers until a
//! challenge mixes them (as in Jolt's `CompactPolynomial`): the first bind computes
//! `a + r (b - a)` from the small values and the table becomes a [`DenseTable`].

use kaizen_field::{par, Fr, SmallInt};
use rayon::prelude::*;

use super::{log2_exact, DenseTable};
/// `Σ w_a s_a` over `Fr` with one reduction.
type SmallCombiner = kaizen_field::wide::SmallCombiner<kaizen_field::FrParams>;

/// A multilinear table of small integers (index order: see the [module doc](super)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallTable<S: SmallInt> {
    values: Vec<S>,
    num_vars: usize,
}

impl<S: SmallInt> SmallTable<S> {
    /// Wraps values; `values.len()` must be a power of two (panics otherwise: a caller bug).
    pub fn new(values: Vec<S>) -> Self {
        let num_vars = log2_exact(values.len()).unwrap_or_else(|| {
            panic!(
                "kaizen-sumcheck: SmallTable::new: length {} is not a power of two",
                values.len()
            )
        });
        Self { values, num_vars }
    }

    /// Number of variables.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// The values.
    pub fn values(&self) -> &[S] {
        &self.values
    }

    /// The same table over `Fr` (no challenge involved; for tests and references).
    pub fn to_dense(&self) -> DenseTable {
        DenseTable::new(
            self.values
                .iter()
                .map(|v| <Fr as kaizen_field::Field>::from_i64(v.to_i64()))
                .collect(),
        )
    }

    /// Binds the top `rs.len()` variables at once: `out[x] = Σ_a eq(rs, a) · t[a, x]`,
    /// computed from the small values with one reduction per output entry.
    /// `rs.len() == 1` is the ordinary first bind `a + r (b - a)`.
    pub fn bind_prefix(&self, rs: &[Fr]) -> DenseTable {
        let k = rs.len();
        assert!(
            k >= 1 && k <= self.num_vars,
            "kaizen-sumcheck: bind_prefix of {k} variables on a table of {}",
            self.num_vars
        );
        let mut w = vec![<Fr as kaizen_field::Field>::ZERO; 1 << k];
        kaizen_field::batch::eq_expand(&mut w, rs, <Fr as kaizen_field::Field>::ONE);
        let comb = SmallCombiner::new(&w);
        let stride = self.values.len() >> k;
        let mut out = vec![<Fr as kaizen_field::Field>::ZERO; stride];
        let values = &self.values;
        let fill = |start: usize, chunk: &mut [Fr]| {
            for (off, o) in chunk.iter_mut().enumerate() {
                let x = start + off;
                *o = comb.combine((0..1usize << k).map(|a| values[a * stride + x].to_i64()));
            }
        };
        if par::worth_splitting(stride) {
            out.par_chunks_mut(par::CHUNK)
                .enumerate()
                .for_each(|(c, chunk)| fill(c * par::CHUNK, chunk));
        } else {
            fill(0, &mut out);
        }
        DenseTable::new(out)
    }

    /// `f(point)`: one multi-variable bind from the small values, then dense folds.
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        assert_eq!(
            point.len(),
            self.num_vars,
            "kaizen-sumcheck: SmallTable::evaluate arity"
        );
        if point.is_empty() {
            return <Fr as kaizen_field::Field>::from_i64(self.values[0].to_i64());
        }
        let k = point.len().min(3);
        self.bind_prefix(&point[..k]).evaluate(&point[k..])
    }
}

/// A table that is small-integer backed until its first bind, dense afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Multilinear<S: SmallInt> {
    /// Not yet bound: small integers.
    Small(SmallTable<S>),
    /// Bound at least once (or given dense).
    Dense(DenseTable),
}

impl<S: SmallInt> Multilinear<S> {
    /// Number of variables.
    pub fn num_vars(&self) -> usize {
        match self {
            Self::Small(t) => t.num_vars(),
            Self::Dense(t) => t.num_vars(),
        }
    }

    /// Binds the top variable; a small table becomes dense here.
    pub fn bind_top(&mut self, r: Fr) {
        match self {
            Self::Small(t) => *self = Self::Dense(t.bind_prefix(&[r])),
            Self::Dense(t) => t.bind_top(r),
        }
    }

    /// `f(point)`.
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        match self {
            Self::Small(t) => t.evaluate(point),
            Self::Dense(t) => t.evaluate(point),
        }
    }
}
