//! The two BN254 fields: `Fr` (scalar field, the main proof field) and `Fq` (base field,
//! curve coordinates). Each is its modulus and a multiplicative generator; every Montgomery
//! constant is derived in `FpParams` and pinned against independent values in the tests.

use crate::fp::{Fp, FpParams};

/// Parameters of the BN254 scalar field
/// r = 21888242871839275222246405745257275088548364400416034343698204186575808495617.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FrParams;

impl FpParams for FrParams {
    const MODULUS: [u64; 4] = [
        0x43e1_f593_f000_0001,
        0x2833_e848_79b9_7091,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ];
    /// 5 generates Fr^* (2-adicity 28).
    const GENERATOR: u64 = 5;
    const NAME: &'static str = "fr";
}

/// Parameters of the BN254 base field
/// q = 21888242871839275222246405745257275088696311157297823662689037894645226208583.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FqParams;

impl FpParams for FqParams {
    const MODULUS: [u64; 4] = [
        0x3c20_8c16_d87c_fd47,
        0x9781_6a91_6871_ca8d,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ];
    /// 3 generates Fq^* (q = 3 mod 4, 2-adicity 1).
    const GENERATOR: u64 = 3;
    const NAME: &'static str = "fq";
}

/// BN254 scalar field element.
pub type Fr = Fp<FrParams>;
/// BN254 base field element.
pub type Fq = Fp<FqParams>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traits::PrimeField;

    #[test]
    fn derived_constants_match_independent_values() {
        // R = 2^256 mod r and -r^-1 mod 2^64 as published (e.g. gnark / arkworks BN254 Fr).
        assert_eq!(
            FrParams::R,
            [
                0xac96341c4ffffffb,
                0x36fc76959f60cd29,
                0x666ea36f7879462e,
                0x0e0a77c19a07df2f
            ]
        );
        assert_eq!(FrParams::INV, 0xc2e1f593efffffff);
        assert_eq!(
            FqParams::R,
            [
                0xd35d438dc58f0d9d,
                0x0a78eb28f5c70b3d,
                0x666ea36f7879462c,
                0x0e0a77c19a07df2f
            ]
        );
        assert_eq!(FqParams::INV, 0x87d20782e4866389);
        assert_eq!(FrParams::TWO_ADICITY, 28);
        assert_eq!(FqParams::TWO_ADICITY, 1);
        assert_eq!(Fr::NUM_BITS, 254);
        assert_eq!(Fq::NUM_BITS, 254);
        // Spare-bit precondition of mont.rs.
        assert!(FrParams::MODULUS[3] < 1 << 62 && FqParams::MODULUS[3] < 1 << 62);
    }

    #[test]
    fn root_of_unity_has_exact_order() {
        let w = Fr::TWO_ADIC_ROOT_OF_UNITY;
        let mut x = w;
        for _ in 0..27 {
            x = x.square();
            assert_ne!(x, Fr::ONE);
        }
        assert_eq!(x.square(), Fr::ONE);
        assert_eq!(Fq::TWO_ADIC_ROOT_OF_UNITY, -Fq::ONE);
    }
}
