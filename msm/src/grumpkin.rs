//! Grumpkin: `y^2 = x^3 - 17` over BN254's `Fr`, prime order `q` (scalar field `Fq`): the other
//! half of the BN254/Grumpkin cycle. Generator `(1, sqrt(-16))` with
//! `y = 17631683881184975370165255887551781615748388533673675138860` (the conventional one,
//! as in Aztec's barretenberg and arkworks' `ark-grumpkin`).
//!
//! GLV constants as for BN254 (see `bn254.rs`), with the roles of the two fields exchanged.

use kaizen_field::{Fq, FqParams, Fr, FrParams};

use crate::curve::{fe, Affine, Curve, Projective};

/// Marker type of Grumpkin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Grumpkin;

impl Curve for Grumpkin {
    type BaseParams = FrParams;
    type ScalarParams = FqParams;
    const NAME: &'static str = "grumpkin";
    /// b = -17 = r - 17.
    const B: Fr = fe([
        0x43e1_f593_efff_fff0,
        0x2833_e848_79b9_7091,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ]);
    const GENERATOR: (Fr, Fr) = (
        fe([1, 0, 0, 0]),
        fe([
            0x833f_c48d_823f_272c,
            0x2d27_0d45_f118_1294,
            0xcf13_5e75_06a4_5d63,
            0x2,
        ]),
    );
    const ENDO_BETA: Fr = fe([
        0xb8ca_0b2d_3663_6f23,
        0xcc37_a73f_ec2b_c5e9,
        0x048b_6e19_3fd8_4104,
        0x3064_4e72_e131_a029,
    ]);
    const ENDO_LAMBDA: Fq = fe([
        0xe4bd_44e5_607c_fd48,
        0xc28f_069f_bb96_6e3d,
        0x5e6d_d9e7_e0ac_ccb0,
        0x3064_4e72_e131_a029,
    ]);
    const GLV_BASIS: [[i128; 2]; 2] = [
        [
            147_946_756_881_789_319_000_765_030_803_803_410_729,
            -9_931_322_734_385_697_762,
        ],
        [
            9_931_322_734_385_697_762,
            147_946_756_881_789_319_010_696_353_538_189_108_491,
        ],
    ];
    const GLV_G: [[u64; 3]; 2] = [
        [0x5398_fd03_00ff_6560, 0x4cce_f014_a773_d2d2, 0x2],
        [0xd91d_232e_c7e0_b3d2, 0x2, 0],
    ];
}

/// A Grumpkin point, affine.
pub type GrumpkinAffine = Affine<Grumpkin>;
/// A Grumpkin point, Jacobian.
pub type GrumpkinProjective = Projective<Grumpkin>;
