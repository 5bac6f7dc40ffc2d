//! The constraint builder: allocates variables with their values, records rows, and lowers
//! them to a [`Ccs`] (R1CS form, or R1CS plus degree-5 rows).

use kaizen_field::{Fr, PrimeField};

use super::lc::{Lc, Var};
use super::{Ccs, SparseMatrix};

/// One recorded row.
#[derive(Debug, Clone)]
enum Row<F: PrimeField> {
    /// `<a, z> · <b, z> = <c, z>`.
    R1cs { a: Lc<F>, b: Lc<F>, c: Lc<F> },
    /// `<x, z>^5 = <y, z>` (a Poseidon S-box).
    Pow5 { x: Lc<F>, y: Lc<F> },
}

/// A constraint system over `F` under construction, with the values of its variables (the
/// shape never depends on the values: running a gadget on any inputs gives the same [`Ccs`]).
#[derive(Debug, Clone)]
pub struct ConstraintSystem<F: PrimeField = Fr> {
    public: Vec<F>,
    witness: Vec<F>,
    rows: Vec<Row<F>>,
    names: Vec<&'static str>,
}

impl<F: PrimeField> Default for ConstraintSystem<F> {
    fn default() -> Self {
        Self {
            public: Vec::new(),
            witness: Vec::new(),
            rows: Vec::new(),
            names: Vec::new(),
        }
    }
}

/// The values of a built system, `z = (w, 1, x)` by [`Assignment::z`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment<F: PrimeField = Fr> {
    /// Public inputs `x`.
    pub public: Vec<F>,
    /// Witness `w`.
    pub witness: Vec<F>,
}

impl<F: PrimeField> Assignment<F> {
    /// `z = (w, 1, x)`.
    pub fn z(&self) -> Vec<F> {
        let mut z = Vec::with_capacity(self.witness.len() + 1 + self.public.len());
        z.extend_from_slice(&self.witness);
        z.push(F::ONE);
        z.extend_from_slice(&self.public);
        z
    }
}

impl<F: PrimeField> ConstraintSystem<F> {
    /// An empty system.
    pub fn new() -> Self {
        Self::default()
    }

    /// A public input with its value.
    pub fn alloc_public(&mut self, value: F) -> Var {
        self.public.push(value);
        Var::Public(self.public.len() - 1)
    }

    /// A witness variable with its value.
    pub fn alloc_witness(&mut self, value: F) -> Var {
        self.witness.push(value);
        Var::Witness(self.witness.len() - 1)
    }

    /// The value of a variable.
    pub fn var_value(&self, v: Var) -> F {
        match v {
            Var::One => F::ONE,
            Var::Public(i) => self.public[i],
            Var::Witness(i) => self.witness[i],
        }
    }

    /// The value of a linear combination.
    pub fn value(&self, lc: &Lc<F>) -> F {
        lc.terms()
            .iter()
            .map(|(v, c)| self.var_value(*v) * *c)
            .sum()
    }

    /// Rows recorded so far.
    pub fn num_rows(&self) -> usize {
        self.rows.len()
    }

    /// Witness variables allocated so far.
    pub fn num_witness(&self) -> usize {
        self.witness.len()
    }

    /// Enforces `a · b = c`.
    pub fn enforce_r1cs(&mut self, name: &'static str, a: Lc<F>, b: Lc<F>, c: Lc<F>) {
        self.rows.push(Row::R1cs { a, b, c });
        self.names.push(name);
    }

    /// Enforces `a = b` (one row `(a - b) · 1 = 0`).
    pub fn enforce_equal(&mut self, name: &'static str, a: &Lc<F>, b: &Lc<F>) {
        self.enforce_r1cs(name, a - b, Lc::constant(F::ONE), Lc::zero());
    }

    /// Enforces `x^5 = y` (one degree-5 row).
    pub fn enforce_pow5(&mut self, name: &'static str, x: Lc<F>, y: Lc<F>) {
        self.rows.push(Row::Pow5 { x, y });
        self.names.push(name);
    }

    /// A new witness `a · b` (one row).
    pub fn mul(&mut self, name: &'static str, a: &Lc<F>, b: &Lc<F>) -> Var {
        let out = self.alloc_witness(self.value(a) * self.value(b));
        self.enforce_r1cs(name, a.clone(), b.clone(), out.into());
        out
    }

    /// A new witness `x^5` (one degree-5 row).
    pub fn pow5(&mut self, name: &'static str, x: &Lc<F>) -> Var {
        let v = self.value(x);
        let out = self.alloc_witness(v.square().square() * v);
        self.enforce_pow5(name, x.clone(), out.into());
        out
    }

    /// Lowers the rows to a CCS over `z = (w, 1, x)`.
    ///
    /// Without degree-5 rows the result is R1CS (`A∘B − C`); otherwise a fourth matrix `D`
    /// carries the S-box inputs and the CCS is `A∘B − C + D∘D∘D∘D∘D` (an R1CS row has a zero
    /// `D` row, an S-box row zero `A`, `B` rows and its output in `C`).
    pub fn build(self) -> (Ccs<F>, Assignment<F>) {
        let num_witness = self.witness.len();
        let num_public = self.public.len();
        let num_cols = num_witness + 1 + num_public;
        let col = |v: Var| match v {
            Var::Witness(i) => i,
            Var::One => num_witness,
            Var::Public(i) => num_witness + 1 + i,
        };
        let num_rows = self.rows.len();
        let has_pow5 = self.rows.iter().any(|r| matches!(r, Row::Pow5 { .. }));
        let num_matrices = if has_pow5 { 4 } else { 3 };
        let mut entries: Vec<Vec<(usize, usize, F)>> = vec![Vec::new(); num_matrices];
        for (row, r) in self.rows.iter().enumerate() {
            let mut put = |m: usize, lc: &Lc<F>| {
                // `Lc` terms are sorted by variable and the column map is monotone within
                // each kind, but `One` sits between witnesses and publics: sort per row.
                let mut cols: Vec<(usize, usize, F)> =
                    lc.terms().iter().map(|(v, c)| (row, col(*v), *c)).collect();
                cols.sort_by_key(|e| e.1);
                entries[m].extend(cols);
            };
            match r {
                Row::R1cs { a, b, c } => {
                    put(0, a);
                    put(1, b);
                    put(2, c);
                }
                Row::Pow5 { x, y } => {
                    put(2, y);
                    put(3, x);
                }
            }
        }
        let matrices = entries
            .into_iter()
            .map(|entries| SparseMatrix {
                num_rows,
                num_cols,
                entries,
            })
            .collect();
        let (multisets, constants) = if has_pow5 {
            (
                vec![vec![0, 1], vec![2], vec![3; 5]],
                vec![F::ONE, -F::ONE, F::ONE],
            )
        } else {
            (vec![vec![0, 1], vec![2]], vec![F::ONE, -F::ONE])
        };
        let ccs = Ccs {
            num_rows,
            num_witness,
            num_public,
            matrices,
            multisets,
            constants,
            row_names: self.names,
        };
        let assignment = Assignment {
            public: self.public,
            witness: self.witness,
        };
        (ccs, assignment)
    }
}
