//! The `Fq` side of the cycle (CycleFold, Kothapalli–Setty–Tzialla, ePrint 2023/1192;
//! RECURSION.md section 3): the G1 operations of a fold, proven by a circuit over `Fq`, where
//! BN254 G1's coordinates live.
//!
//! [`ScalarMulAddCircuit`] proves `out = P + ρ · Q` for a 128-bit `ρ` (the commitment fold
//! `C' = C_1 + ρ C_2` of [`crate::ccs::committed`]). Its public input is
//! `(ρ, P.x, P.y, Q.x, Q.y, out.x, out.y)` (an affine identity is `(0, 0)`); since `ρ < 2^128 <
//! q`, the integer `ρ` is the same element of `Fr` and `Fq`.
//!
//! ```text
//!   bits of ρ (128 boolean rows, 1 recomposition)          "cyclefold/rho-bit", "cyclefold/rho"
//!   P, Q: identity flag, on-curve (7 rows each)             "g1/identity-flag", "g1/on-curve"
//!   acc = O; for i = 127 .. 0:  acc = 2 acc + b_i Q          "g1/double" 8, "g1/select" 3, "g1/add" 12
//!        (the first step is acc = b_127 Q: no double, no add)
//!   acc = P + acc                                           "g1/add" 12
//!   out = acc (affine)                                      "cyclefold/output-*" 8
//! ```
//!
//! The group law uses complete projective formulas ([`g1`]): prover-chosen points may be the
//! identity or equal ±each other, and every case is proven correctly. Rows: measured and pinned
//! in `tests/cyclefold.rs` ([`ROWS`]). A cheaper gadget (incomplete affine additions with
//! exception flags, ~0.8 k rows, RECURSION.md section 3) is a later optimisation.
//!
//! | module | contents |
//! |---|---|
//! | [`g1`] | G1 gadgets over `Fq`: complete addition (12 rows), doubling (8), select (3), checked inputs (7), affine output (8) |
//! | [`nova`] | native Nova folding of relaxed R1CS over `Fq` with Grumpkin commitments: [`nova::prove_fold`], [`nova::verify_fold`], [`nova::decide`] |

pub mod g1;
pub mod nova;

use kaizen_field::{Field, Fq};
use kaizen_msm::G1Affine;

use crate::ccs::{Assignment, Ccs, ConstraintSystem, Lc, Var};
use crate::gadgets::recompose;
use g1::{
    add, alloc_affine, alloc_public_point, double, enforce_affine_output, select_or_identity,
    to_projective, ProjectiveVar,
};

/// Bits of the fold challenge.
pub const RHO_BITS: usize = 128;

/// Rows of [`ScalarMulAddCircuit`]: `129 + 14 + 3 + 127 · 23 + 12 + 8` (see the module doc).
pub const ROWS: usize = RHO_BITS + 1 + 2 * 7 + 3 + (RHO_BITS - 1) * 23 + 12 + 8;

/// The statement `out = P + ρ Q` with its witness values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalarMulAddCircuit {
    /// `P`.
    pub p: G1Affine,
    /// `Q`.
    pub q: G1Affine,
    /// `ρ < 2^128`.
    pub rho: u128,
    /// `out` (the prover's claim; [`Self::honest`] computes it).
    pub out: G1Affine,
}

impl ScalarMulAddCircuit {
    /// The statement with the true `out = P + ρ Q` (computed by `msm`'s G1).
    pub fn honest(p: G1Affine, q: G1Affine, rho: u128) -> Self {
        Self {
            p,
            q,
            rho,
            out: scalar_mul_add(&p, &q, rho),
        }
    }

    /// Synthesizes the circuit (the shape never depends on the values).
    pub fn synthesize(&self, cs: &mut ConstraintSystem<Fq>) {
        let rho: Lc<Fq> = cs.alloc_public(Fq::from_u128(self.rho)).into();
        let p = alloc_affine(cs, &self.p);
        let q = alloc_affine(cs, &self.q);
        let out = alloc_public_point(cs, &self.out);
        let bits: Vec<Var> = (0..RHO_BITS)
            .map(|i| {
                let b = cs.alloc_witness(Fq::from_u64(((self.rho >> i) & 1) as u64));
                let bl: Lc<Fq> = b.into();
                let one_minus = &Lc::constant(Fq::ONE) - &bl;
                cs.enforce_r1cs("cyclefold/rho-bit", bl, one_minus, Lc::zero());
                b
            })
            .collect();
        cs.enforce_equal("cyclefold/rho", &recompose(&bits), &rho);

        let q = to_projective(&q);
        let mut acc: Option<ProjectiveVar> = None;
        for b in bits.iter().rev() {
            let selected = select_or_identity(cs, *b, &q);
            acc = Some(match acc {
                None => selected,
                Some(a) => {
                    let doubled = double(cs, &a);
                    add(cs, &doubled, &selected)
                }
            });
        }
        let scaled = acc.unwrap_or_else(|| to_projective(&p));
        let result = add(cs, &to_projective(&p), &scaled);
        enforce_affine_output(cs, &result, &out);
    }

    /// The CCS (R1CS over `Fq`) and its assignment.
    pub fn build(&self) -> (Ccs<Fq>, Assignment<Fq>) {
        let mut cs = ConstraintSystem::<Fq>::new();
        self.synthesize(&mut cs);
        cs.build()
    }
}

/// The native twin: `P + ρ Q` by `msm`'s G1 (`ρ < 2^128` as a scalar).
pub fn scalar_mul_add(p: &G1Affine, q: &G1Affine, rho: u128) -> G1Affine {
    let scalar = kaizen_field::Fr::from_u128(rho);
    (p.to_projective() + q.to_projective().mul_vartime(&scalar)).to_affine()
}
