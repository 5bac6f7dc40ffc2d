//! Softmax and the cross-entropy gradient (`layers::softmax`), proven on the padded
//! `2^b x 2^c` grid of logits `z` (`μ` = the public mask of the real classes, `s = f - 8`):
//!
//! ```text
//! d   = μ ⊗ m - z + 2^(f+4) (1 - μ)          (pad columns land on the zero row of the table)
//! d   = 2^s q + r,  r ∈ [0, 2^s),  q ≥ 0       check softmax-index (linear, tensor MLEs)
//! a ∈ {0,1},  Σ_c a = 1,  a ∘ d = 0            m is a logit (softmax-argmax) and ≥ all: m = max
//! t = min(q, 4096):  q - t ≥ 0, (q - t) ∘ (4096 - t) = 0
//! (t, E) ∈ {(i, E_i)}: LogUp on t + β E, β squeezed after J_t    (softmax-exp)
//! S = Σ_c E,  S_bc = S ⊗ 1                     (softmax-sum, linear)
//! 2^f E = p ∘ S_bc + rem,  rem ≥ 0,  S_bc - 1 - rem ≥ 0,  p ≥ 0     (Hadamard + ranges)
//! grad = p - 2^f onehot                        (softmax-grad, with the dataset's label columns)
//! ```
//! The protocol is written once, generic over `Side`: the prover computes and sends, the
//! verifier receives and checks, step for step.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::Layer;
use kaizen_sumcheck::logup::LookupTable;
use kaizen_sumcheck::{eq_table, EvaluationClaim};

use super::layout::SegId;
use super::verify::{half_point, pow2};
use super::wiring::Tab;
use super::ProofError;

/// Label of the exp lookup's column-combination challenge `β`.
pub const LABEL_BETA: &[u8] = b"zkpot/exp-beta";

/// `Σ coeff · segment + constant`, entry-wise (all segments of one shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lin {
    /// `(coefficient, segment)`.
    pub terms: Vec<(i64, SegId)>,
    /// Constant.
    pub constant: i64,
}

impl Lin {
    /// One segment.
    pub fn seg(s: SegId) -> Self {
        Self {
            terms: vec![(1, s)],
            constant: 0,
        }
    }

    /// The zero function.
    pub fn zero() -> Self {
        Self {
            terms: Vec::new(),
            constant: 0,
        }
    }
}

/// The softmax relation's segments and shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Softmax {
    /// Relation name.
    pub name: String,
    /// Logits `z` (the last dense layer's output).
    pub z: SegId,
    /// Row maxima `m` (`2^b x 1`).
    pub m: SegId,
    /// Exp index quotient `q`.
    pub q: SegId,
    /// Exp index remainder `r`.
    pub r: SegId,
    /// Clamped table row `t`.
    pub t: SegId,
    /// Table values `E`.
    pub e: SegId,
    /// Arg-max indicator `a`.
    pub a: SegId,
    /// Row sums `S` (`2^b x 1`).
    pub s: SegId,
    /// `S` broadcast over the columns.
    pub s_bc: SegId,
    /// Probabilities `p`.
    pub p: SegId,
    /// Division remainders.
    pub rem: SegId,
    /// The gradient (the backward pass's input).
    pub grad: SegId,
    /// Multiplicities of the exp table rows.
    pub mult: SegId,
    /// `log2` rows.
    pub rows: usize,
    /// `log2` columns.
    pub cols: usize,
    /// Real classes.
    pub classes: usize,
    /// Fractional bits `f`.
    pub frac_bits: u32,
}

/// The last real row of the exp table (`E = 0`).
pub const EXP_LAST: i64 = (crate::layers::softmax::EXP_ROWS - 1) as i64;

impl Softmax {
    /// The index shift `s = f - 8`.
    pub fn shift(&self) -> u32 {
        self.frac_bits - crate::layers::softmax::EXP_STEP_BITS
    }

    /// Offset of pad columns, `2^(f+4)`: their `q >= 4096`, so their table row is the zero row.
    pub fn pad_offset(&self) -> i64 {
        1i64 << (self.frac_bits + 4)
    }
}

/// `μ~(p_c) = Σ_{c < classes} eq(p_c, c)`.
pub fn class_mask(p_c: &[Fr], classes: usize) -> Fr {
    eq_table(p_c).iter().take(classes).copied().sum()
}

/// The exp table as lookup rows `i + β E_i`, padded to `2^13` with the zero row.
pub fn exp_table(frac_bits: u32, beta: Fr) -> LookupTable {
    let table = crate::layers::softmax::ExpTable::new(frac_bits);
    let rows = table.rows();
    let n = rows.len().next_power_of_two();
    let last = Fr::from_i64(EXP_LAST);
    let mut out: Vec<Fr> = rows
        .iter()
        .enumerate()
        .map(|(i, e)| Fr::from_u64(i as u64) + beta * Fr::from_i64(*e))
        .collect();
    out.resize(n, last);
    LookupTable::Custom(out)
}

/// A real array in a padded segment: its axes `(real, log2 padded)` in variable order (rows
/// first), e.g. `[(rows, log_rows), (cols, log_cols)]` or a tensor's `[(o), (c), (k), (k)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PadShape {
    /// `(real, log2 padded)` per axis.
    pub axes: Vec<(usize, usize)>,
}

impl PadShape {
    /// The shape of a segment (rows, then its column axes).
    pub fn of(spec: &super::layout::SegmentSpec) -> Self {
        let mut axes = vec![(spec.rows, spec.log_rows)];
        axes.extend(spec.col_axes());
        Self { axes }
    }

    /// Variables of the padded array.
    pub fn vars(&self) -> usize {
        self.axes.iter().map(|a| a.1).sum()
    }

    /// Whether the array has padding at all.
    pub fn is_padded(&self) -> bool {
        self.axes.iter().any(|&(real, log)| real != 1 << log)
    }

    /// The padding indicator `1 - Π_axes [i_axis < real]` as a table.
    pub fn mask_table(&self) -> Vec<Fr> {
        let mut inside = vec![true];
        for &(real, log) in &self.axes {
            inside = inside
                .iter()
                .flat_map(|&o| (0..1usize << log).map(move |i| o && i < real))
                .collect();
        }
        inside
            .into_iter()
            .map(|o| if o { Fr::ZERO } else { Fr::ONE })
            .collect()
    }

    /// Its MLE: `1 - Π_axes Σ_{i < real} eq(p_axis, i)`.
    pub fn mask_eval(&self, point: &[Fr]) -> Fr {
        let mut rest = point;
        let mut inside = Fr::ONE;
        for &(real, log) in &self.axes {
            let (p, tail) = rest.split_at(log.min(rest.len()));
            inside *= class_mask(p, real);
            rest = tail;
        }
        Fr::ONE - inside
    }
}

/// One side of the protocol: the prover computes and sends, the verifier receives and checks.
pub(crate) trait Side {
    /// A fresh random point of `n` coordinates.
    fn point(&mut self, n: usize) -> Vec<Fr>;
    /// A challenge.
    fn challenge(&mut self, label: &'static [u8]) -> Fr;
    /// Segment `seg` at `local`: sent by the prover, received by the verifier; recorded as a
    /// claim to open.
    fn claim(&mut self, seg: SegId, local: Vec<Fr>) -> Result<Fr, ProofError>;
    /// Records a claim the sub-protocol already fixed (a GKR result): nothing is sent.
    fn record(&mut self, seg: SegId, local: Vec<Fr>, value: Fr) -> Result<(), ProofError>;
    /// One GKR layer on `claim` about its output: the prover builds its operands from
    /// `input` and `aux`; returns the claims on the input and (if the layer has one) on the
    /// auxiliary operand. A failed layer is `Rejected { check }`.
    fn gkr(
        &mut self,
        name: &str,
        check: &'static str,
        layer: Layer,
        claim: EvaluationClaim,
        input: &Tab,
        aux: &Tab,
    ) -> Result<(EvaluationClaim, Option<EvaluationClaim>), ProofError>;
    /// `ok` or `Rejected { check }` (the prover does not check).
    fn check(&self, ok: bool, check: &'static str, name: &str) -> Result<(), ProofError>;
    /// `out = lhs ∘ rhs` on `2^vars` entries by a GKR Hadamard layer at a fresh point.
    fn hadamard(
        &mut self,
        name: &str,
        vars: usize,
        out: &Lin,
        lhs: &Lin,
        rhs: &Lin,
    ) -> Result<(), ProofError>;
    /// `0 = lhs ∘ mask` where `mask` is the public indicator of the padding of a
    /// `rows x cols` array stored as `2^log_rows x 2^log_cols` (GKR Hadamard, fresh point).
    fn pad_zero(&mut self, name: &str, lhs: SegId, shape: &PadShape) -> Result<(), ProofError>;
    /// A LogUp of the witness `Σ coeff · segment` (`2^vars` entries) in `table`,
    /// multiplicities in `mult`; returns the witness claim.
    fn lookup(
        &mut self,
        name: &str,
        table: &LookupTable,
        vars: usize,
        witness: &[(Fr, SegId)],
        mult: SegId,
    ) -> Result<EvaluationClaim, ProofError>;
}

/// `Σ c v + constant` for claims on every term of `lin` at `local`.
pub(crate) fn lin_at<S: Side>(side: &mut S, lin: &Lin, local: &[Fr]) -> Result<Fr, ProofError> {
    let mut v = Fr::from_i64(lin.constant);
    for &(c, seg) in &lin.terms {
        v += Fr::from_i64(c) * side.claim(seg, local.to_vec())?;
    }
    Ok(v)
}

/// Runs the softmax protocol (every step but the gradient, which the batch binding does).
pub(crate) fn run<S: Side>(sm: &Softmax, side: &mut S) -> Result<(), ProofError> {
    let (b, c) = (sm.rows, sm.cols);
    let name = sm.name.as_str();
    let s = sm.shift();
    // d = μ ⊗ m - z + 2^(f+4)(1 - μ) = 2^s q + r at a random point.
    let p = side.point(b + c);
    let (pb, pc) = p.split_at(b.min(p.len()));
    let mu = class_mask(pc, sm.classes);
    let m = side.claim(sm.m, pb.to_vec())?;
    let z = side.claim(sm.z, p.clone())?;
    let q = side.claim(sm.q, p.clone())?;
    let r = side.claim(sm.r, p.clone())?;
    let d = mu * m - z + Fr::from_i64(sm.pad_offset()) * (Fr::ONE - mu);
    side.check(d == pow2(s) * q + r, "softmax-index", name)?;
    // Arg-max indicator: Σ_c a = 1 per row, a ∘ d = 0.
    let pa = side.point(b);
    let a_half = side.claim(sm.a, half_point_cols(&pa, c))?;
    side.check(pow2(c as u32) * a_half == Fr::ONE, "softmax-argmax", name)?;
    let d_lin = Lin {
        terms: vec![(1i64 << s, sm.q), (1, sm.r)],
        constant: 0,
    };
    side.hadamard(name, b + c, &Lin::zero(), &Lin::seg(sm.a), &d_lin)?;
    // Clamp: (q - t) ∘ (4096 - t) = 0.
    let q_minus_t = Lin {
        terms: vec![(1, sm.q), (-1, sm.t)],
        constant: 0,
    };
    let room = Lin {
        terms: vec![(-1, sm.t)],
        constant: EXP_LAST,
    };
    side.hadamard(name, b + c, &Lin::zero(), &q_minus_t, &room)?;
    // Exp lookup on t + β E.
    let beta = side.challenge(LABEL_BETA);
    let table = exp_table(sm.frac_bits, beta);
    let w = side.lookup(
        name,
        &table,
        b + c,
        &[(Fr::ONE, sm.t), (beta, sm.e)],
        sm.mult,
    )?;
    let t = side.claim(sm.t, w.point.clone())?;
    let e = side.claim(sm.e, w.point.clone())?;
    side.check(t + beta * e == w.value, "softmax-exp", name)?;
    // Row sums and their broadcast.
    let ps = side.point(b);
    let sum = side.claim(sm.s, ps.clone())?;
    let e_half = side.claim(sm.e, half_point_cols(&ps, c))?;
    side.check(sum == pow2(c as u32) * e_half, "softmax-sum", name)?;
    let pbc = side.point(b + c);
    let s_bc = side.claim(sm.s_bc, pbc.clone())?;
    let s_row = side.claim(sm.s, pbc.get(..b).unwrap_or_default().to_vec())?;
    side.check(s_bc == s_row, "softmax-sum", name)?;
    // Division: 2^f E - rem = p ∘ S_bc.
    let out = Lin {
        terms: vec![(1i64 << sm.frac_bits, sm.e), (-1, sm.rem)],
        constant: 0,
    };
    side.hadamard(name, b + c, &out, &Lin::seg(sm.p), &Lin::seg(sm.s_bc))
}

/// `p ‖ (1/2, .., 1/2)` with `cols` halves: `Σ_c T(p, c) = 2^cols T~(p, 1/2..)`.
pub fn half_point_cols(p: &[Fr], cols: usize) -> Vec<Fr> {
    let halves = half_point(cols, &[]);
    [p, &halves].concat()
}
