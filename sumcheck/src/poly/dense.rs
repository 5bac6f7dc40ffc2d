//! Dense multilinear tables over `Fr` (index order: see the [module doc](super)).

use kaizen_field::{batch, Fr};

use super::log2_exact;

/// A multilinear polynomial given by its `2^num_vars` evaluations on the Boolean cube.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenseTable {
    evals: Vec<Fr>,
    num_vars: usize,
}

impl DenseTable {
    /// Wraps evaluations; `evals.len()` must be a power of two (panics otherwise: a caller bug).
    pub fn new(evals: Vec<Fr>) -> Self {
        let num_vars = log2_exact(evals.len()).unwrap_or_else(|| {
            panic!(
                "kaizen-sumcheck: DenseTable::new: length {} is not a power of two",
                evals.len()
            )
        });
        Self { evals, num_vars }
    }

    /// Number of variables `k` (the table has `2^k` entries).
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.evals.len()
    }

    /// Whether the table is empty (never: a table has at least one entry).
    pub fn is_empty(&self) -> bool {
        self.evals.is_empty()
    }

    /// The evaluations.
    pub fn evals(&self) -> &[Fr] {
        &self.evals
    }

    /// The evaluations, mutably (for fused passes that bind in place; see
    /// [`Self::truncate_to_low_half`]).
    pub(crate) fn evals_mut(&mut self) -> &mut [Fr] {
        &mut self.evals
    }

    /// Drops the high half after the low half was bound in place (what [`Self::bind_top`]
    /// does after its fold).
    pub(crate) fn truncate_to_low_half(&mut self) {
        assert!(
            self.num_vars > 0,
            "kaizen-sumcheck: truncate_to_low_half on a constant table"
        );
        self.evals.truncate(self.evals.len() / 2);
        self.num_vars -= 1;
    }

    /// Consumes the table and returns its evaluations.
    pub fn into_evals(self) -> Vec<Fr> {
        self.evals
    }

    /// Binds the top variable `x_0 := r` in place with the field fold kernel; the table
    /// halves. Panics on a table with no variables left.
    pub fn bind_top(&mut self, r: Fr) {
        assert!(
            self.num_vars > 0,
            "kaizen-sumcheck: bind_top on a constant table"
        );
        batch::bind_top(&mut self.evals, r);
        self.truncate_to_low_half();
    }

    /// `f(point)`, `point.len() == num_vars` (panics otherwise). Cost: `2^k` multiplications
    /// (repeated binding on a scratch copy of half the table).
    pub fn evaluate(&self, point: &[Fr]) -> Fr {
        assert_eq!(
            point.len(),
            self.num_vars,
            "kaizen-sumcheck: DenseTable::evaluate: point has {} coordinates, table {} variables",
            point.len(),
            self.num_vars
        );
        evaluate_slice(&self.evals, point)
    }
}

/// `T~(point)` for the table `values` (`2^point.len()` entries, the crate's variable order),
/// without taking ownership: the top variable is folded into a scratch half, then the rest in
/// place. Panics if `values` has the wrong length (a caller bug).
pub fn evaluate_slice(values: &[Fr], point: &[Fr]) -> Fr {
    assert_eq!(
        values.len(),
        1usize << point.len(),
        "kaizen-sumcheck: evaluate_slice: {} values for a point of {} coordinates",
        values.len(),
        point.len()
    );
    let Some((first, rest)) = point.split_first() else {
        return values[0];
    };
    let half = values.len() / 2;
    let mut scratch = vec![Fr::ZERO; half];
    batch::fold(&mut scratch, &values[..half], &values[half..], *first);
    let mut len = half;
    for r in rest {
        let h = len / 2;
        let (lo, hi) = scratch[..len].split_at_mut(h);
        batch::fold_in_place(lo, hi, *r);
        len = h;
    }
    scratch[0]
}
