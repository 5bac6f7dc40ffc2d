//! BN254 G1 arithmetic as a circuit over `Fq` (the coordinates' field): points with an
//! identity flag, complete projective addition and doubling, and the conditional select.
//!
//! Formulas: Renes–Costello–Batina, "Complete addition formulas for prime order elliptic
//! curves" (ePrint 2015/1060), algorithms 7 (addition) and 9 (doubling) for `a = 0`, with
//! `b3 = 3 b = 9`. They are complete on a prime-order curve: correct for every pair of points,
//! the identity `(0 : 1 : 0)` and `P = ±Q` included, so a prover-chosen input needs no
//! exception handling. Products of two variables are rows; sums and products by constants are
//! free (linear combinations).
//!
//! | gadget | rows |
//! |---|---|
//! | [`add`] | 12 |
//! | [`double`] | 8 |
//! | [`select_or_identity`] | 3 |
//! | [`alloc_affine`] (curve and identity checks) | 7 |
//! | [`enforce_affine_output`] | 8 |

use kaizen_field::{Field, Fq};
use kaizen_msm::G1Affine;

use crate::ccs::{ConstraintSystem, Lc, Var};

/// `3 b` for `y^2 = x^3 + 3`.
const B3: u64 = 9;

/// A projective point `(X : Y : Z)` in linear combinations.
#[derive(Debug, Clone)]
pub struct ProjectiveVar {
    /// `X`.
    pub x: Lc<Fq>,
    /// `Y`.
    pub y: Lc<Fq>,
    /// `Z`.
    pub z: Lc<Fq>,
}

/// An affine point `(x, y)` with its identity flag (the identity is `(0, 0)`, flag 1, as in
/// `msm`'s encoding).
#[derive(Debug, Clone)]
pub struct AffineVar {
    /// `x`.
    pub x: Lc<Fq>,
    /// `y`.
    pub y: Lc<Fq>,
    /// 1 for the identity, else 0.
    pub is_identity: Lc<Fq>,
}

type Cs = ConstraintSystem<Fq>;

fn mul(cs: &mut Cs, name: &'static str, a: &Lc<Fq>, b: &Lc<Fq>) -> Lc<Fq> {
    cs.mul(name, a, b).into()
}

fn scale(a: &Lc<Fq>, k: u64) -> Lc<Fq> {
    a.scale(Fq::from_u64(k))
}

/// `P_1 + P_2` (algorithm 7, complete): 12 rows.
pub fn add(cs: &mut Cs, p1: &ProjectiveVar, p2: &ProjectiveVar) -> ProjectiveVar {
    let n = "g1/add";
    let t0 = mul(cs, n, &p1.x, &p2.x);
    let t1 = mul(cs, n, &p1.y, &p2.y);
    let t2 = mul(cs, n, &p1.z, &p2.z);
    // t3 = (X1 + Y1)(X2 + Y2) − t0 − t1 = X1 Y2 + X2 Y1
    let t3 = &mul(cs, n, &(&p1.x + &p1.y), &(&p2.x + &p2.y)) - &(&t0 + &t1);
    // t4 = (Y1 + Z1)(Y2 + Z2) − t1 − t2 = Y1 Z2 + Y2 Z1
    let t4 = &mul(cs, n, &(&p1.y + &p1.z), &(&p2.y + &p2.z)) - &(&t1 + &t2);
    // y3 = (X1 + Z1)(X2 + Z2) − t0 − t2 = X1 Z2 + X2 Z1
    let y3 = &mul(cs, n, &(&p1.x + &p1.z), &(&p2.x + &p2.z)) - &(&t0 + &t2);
    let t0_3 = scale(&t0, 3);
    let t2_b3 = scale(&t2, B3);
    let z3 = &t1 + &t2_b3;
    let t1m = &t1 - &t2_b3;
    let y3_b3 = scale(&y3, B3);
    // X3 = t3 t1m − t4 y3_b3;  Y3 = t1m z3 + y3_b3 t0_3;  Z3 = z3 t4 + t0_3 t3
    let x3 = &mul(cs, n, &t3, &t1m) - &mul(cs, n, &t4, &y3_b3);
    let y3 = &mul(cs, n, &t1m, &z3) + &mul(cs, n, &y3_b3, &t0_3);
    let z3 = &mul(cs, n, &z3, &t4) + &mul(cs, n, &t0_3, &t3);
    ProjectiveVar {
        x: x3,
        y: y3,
        z: z3,
    }
}

/// `2 P` (algorithm 9, complete): 8 rows.
pub fn double(cs: &mut Cs, p: &ProjectiveVar) -> ProjectiveVar {
    let n = "g1/double";
    let t0 = mul(cs, n, &p.y, &p.y);
    let z8 = scale(&t0, 8);
    let t1 = mul(cs, n, &p.y, &p.z);
    let t2 = scale(&mul(cs, n, &p.z, &p.z), B3);
    let x3 = mul(cs, n, &t2, &z8);
    let y3 = &t0 + &t2;
    let z3 = mul(cs, n, &t1, &z8);
    let t0 = &t0 - &scale(&t2, 3);
    let y3 = &x3 + &mul(cs, n, &t0, &y3);
    let t1 = mul(cs, n, &p.x, &p.y);
    let x3 = scale(&mul(cs, n, &t0, &t1), 2);
    ProjectiveVar {
        x: x3,
        y: y3,
        z: z3,
    }
}

/// `b ? Q : O` for a boolean `b`: `(b X : b (Y − 1) + 1 : b Z)` (for `b = 0` the identity
/// `(0 : 1 : 0)`). 3 rows.
pub fn select_or_identity(cs: &mut Cs, b: Var, q: &ProjectiveVar) -> ProjectiveVar {
    let bl: Lc<Fq> = b.into();
    ProjectiveVar {
        x: mul(cs, "g1/select", &bl, &q.x),
        y: &mul(cs, "g1/select", &bl, &(&q.y - &Lc::constant(Fq::ONE))) + Fq::ONE,
        z: mul(cs, "g1/select", &bl, &q.z),
    }
}

/// Allocates an affine point as public inputs `(x, y)` and a witness identity flag (no row).
pub fn alloc_public_point(cs: &mut Cs, p: &G1Affine) -> AffineVar {
    let (x, y) = p.xy().unwrap_or((Fq::ZERO, Fq::ZERO));
    let x: Lc<Fq> = cs.alloc_public(x).into();
    let y: Lc<Fq> = cs.alloc_public(y).into();
    let flag = cs.alloc_witness(if p.is_identity() { Fq::ONE } else { Fq::ZERO });
    AffineVar {
        x,
        y,
        is_identity: flag.into(),
    }
}

/// `flag` boolean and `flag · x = flag · y = 0` (the identity is `(0, 0)`). 3 rows.
fn enforce_identity_flag(cs: &mut Cs, name: &'static str, p: &AffineVar) {
    let inf = &p.is_identity;
    let one_minus = &Lc::constant(Fq::ONE) - inf;
    cs.enforce_r1cs(name, inf.clone(), one_minus, Lc::zero());
    cs.enforce_r1cs(name, inf.clone(), p.x.clone(), Lc::zero());
    cs.enforce_r1cs(name, inf.clone(), p.y.clone(), Lc::zero());
}

/// Allocates an input point ([`alloc_public_point`]) and checks it: the identity flag, and
/// `y^2 = x^3 + 3` unless it is the identity. 7 rows.
pub fn alloc_affine(cs: &mut Cs, p: &G1Affine) -> AffineVar {
    let point = alloc_public_point(cs, p);
    enforce_identity_flag(cs, "g1/identity-flag", &point);
    let (x, y) = (&point.x, &point.y);
    let one_minus = &Lc::constant(Fq::ONE) - &point.is_identity;
    let x2 = mul(cs, "g1/on-curve", x, x);
    let x3 = mul(cs, "g1/on-curve", &x2, x);
    let y2 = mul(cs, "g1/on-curve", y, y);
    // (y^2 − x^3 − 3)(1 − flag) = 0
    let residual = &(&y2 - &x3) + (-Fq::from_u64(3));
    cs.enforce_r1cs("g1/on-curve", residual, one_minus, Lc::zero());
    point
}

/// The projective form `(x : y + flag : 1 − flag)` (the identity becomes `(0 : 1 : 0)`): free.
pub fn to_projective(p: &AffineVar) -> ProjectiveVar {
    ProjectiveVar {
        x: p.x.clone(),
        y: &p.y + &p.is_identity,
        z: &Lc::constant(Fq::ONE) - &p.is_identity,
    }
}

/// Enforces that `out` (from [`alloc_public_point`]; identity `(0, 0)`) is the projective `p`:
/// `Z · zinv = 1 − flag`, `Z · flag = 0` (so `Z = 0` exactly for the identity), `X = x Z`,
/// `(Y − y Z)(1 − flag) = 0`, and the identity flag of `out`. 8 rows, named `cyclefold/output-*`.
pub fn enforce_affine_output(cs: &mut Cs, p: &ProjectiveVar, out: &AffineVar) {
    let z = cs.value(&p.z);
    let zinv = cs.alloc_witness(z.inverse().unwrap_or(Fq::ZERO));
    let inf = &out.is_identity;
    let one_minus = &Lc::constant(Fq::ONE) - inf;
    cs.enforce_r1cs(
        "cyclefold/output-z",
        p.z.clone(),
        zinv.into(),
        one_minus.clone(),
    );
    cs.enforce_r1cs("cyclefold/output-z", p.z.clone(), inf.clone(), Lc::zero());
    cs.enforce_r1cs(
        "cyclefold/output-x",
        out.x.clone(),
        p.z.clone(),
        p.x.clone(),
    );
    let yz = mul(cs, "cyclefold/output-y", &out.y, &p.z);
    cs.enforce_r1cs("cyclefold/output-y", &p.y - &yz, one_minus, Lc::zero());
    enforce_identity_flag(cs, "cyclefold/output-flag", out);
}
