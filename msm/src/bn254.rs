//! BN254 G1: `y^2 = x^3 + 3` over `Fq`, prime order `r` (scalar field `Fr`), generator `(1, 2)`.
//!
//! GLV constants (derived by the extended-Euclid lattice reduction of Guide to ECC, alg. 3.74,
//! and re-checked by the tests in `glv.rs`): `beta` is the cube root of unity in `Fq` with
//! `(beta x, y) = lambda (x, y)` for the cube root of unity `lambda` in `Fr`.

use kaizen_field::{Fq, FqParams, Fr, FrParams};

use crate::curve::{fe, Affine, Curve, Projective};

/// Marker type of BN254 G1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Bn254;

impl Curve for Bn254 {
    type BaseParams = FqParams;
    type ScalarParams = FrParams;
    const NAME: &'static str = "bn254";
    const B: Fq = fe([3, 0, 0, 0]);
    const GENERATOR: (Fq, Fq) = (fe([1, 0, 0, 0]), fe([2, 0, 0, 0]));
    /// beta = 2203960485148121921418603742825762020974279258880205651966.
    const ENDO_BETA: Fq = fe([
        0x5763_4731_77ff_fffe,
        0xd4f2_63f1_acdb_5c4f,
        0x59e2_6bce_a0d4_8bac,
        0,
    ]);
    /// lambda = 4407920970296243842393367215006156084916469457145843978461.
    const ENDO_LAMBDA: Fr = fe([
        0x8b17_ea66_b99c_90dd,
        0x5bfc_4108_8d8d_aaa7,
        0xb3c4_d79d_41a9_1758,
        0,
    ]);
    const GLV_BASIS: [[i128; 2]; 2] = [
        [
            9_931_322_734_385_697_763,
            -147_946_756_881_789_319_000_765_030_803_803_410_728,
        ],
        [
            147_946_756_881_789_319_010_696_353_538_189_108_491,
            9_931_322_734_385_697_763,
        ],
    ];
    const GLV_G: [[u64; 3]; 2] = [
        [0xd91d_232e_c7e0_b3d7, 0x2, 0],
        [0x7a7b_d9d4_391e_b18e, 0x4cce_f014_a773_d2cf, 0x2],
    ];
}

/// A BN254 G1 point, affine.
pub type G1Affine = Affine<Bn254>;
/// A BN254 G1 point, Jacobian.
pub type G1Projective = Projective<Bn254>;
