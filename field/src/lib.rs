//! # kaizen-field
//!
//! Montgomery prime fields for BN254 (`Fr`, `Fq`), the scalar asm path, and the batch
//! kernels (AVX-512 IFMA, AVX2, NEON, portable) that every prover loop runs on.
//!
//! ```text
//! asm ──> field ──┬──> msm ───────┐
//!                 └──> sumcheck ──┴──> recursion ──> nn ──> kaizen
//! ```
//!
//! Owns: Montgomery prime fields, scalar backends (portable, asm), batch/vector kernels
//! with run-time dispatch. Must not: allocate in hot kernels.
//!
//! | module | layer | contents |
//! |---|---|---|
//! | [`limbs`] | 1 | adc / sbb / mac on `[u64; 4]`, `const fn` big-integer helpers |
//! | [`mont`] | 2 | CIOS Montgomery multiply / square / reduce, asm dispatch |
//! | [`fp`] | 3 | [`Fp<P>`]: a prime field element; [`FpParams`]: the constants of a field |
//! | [`bn254`] | 3 | [`Fr`], [`Fq`] |
//! | `inv`, `sqrt` | 3 | inversion, square roots, Legendre symbol |
//! | [`traits`] | – | [`Field`], [`PrimeField`] |
//! | [`wide`] | 3 | deferred-reduction sums: `WideAcc` (Σ a b), `SmallCombiner` (Σ w s, small s) |
//! | [`backend`] | – | [`Backend`] resolution from the CPU and `KAIZEN_SIMD` |
//! | [`batch`] | 4 | slice kernels, one module per backend |
//! | [`par`] | – | the one rayon shim (fixed chunks, one threshold) |
//! | [`testing`] | – | seeded randomness for tests and benches (`KAIZEN_TEST_SEED`) |

pub mod backend;
pub mod batch;
pub mod bn254;
pub mod fp;
mod inv;
pub mod limbs;
pub mod mont;
pub mod par;
mod sqrt;
pub mod testing;
pub mod traits;
pub mod wide;

pub use backend::{backend, Backend, BackendError};
pub use bn254::{Fq, FqParams, Fr, FrParams};
pub use fp::{Fp, FpParams};
pub use traits::{Field, PrimeField};

/// Errors of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// A 32-byte encoding of an integer `>= p`.
    #[error("non-canonical {field} encoding: the integer is not below the modulus")]
    NonCanonical {
        /// "fr" or "fq".
        field: &'static str,
    },
}

/// Small integers that batch kernels and tables take without widening to a field element.
pub trait SmallInt: Copy + Send + Sync + 'static + bytemuck::Pod {
    /// Bit width of the type.
    const BITS: u32;
    /// Whether the type is signed.
    const SIGNED: bool;
    /// The value as `i64`.
    fn to_i64(self) -> i64;
}

macro_rules! small_int {
    ($($t:ty: $signed:expr),*) => {$(
        impl SmallInt for $t {
            const BITS: u32 = <$t>::BITS;
            const SIGNED: bool = $signed;
            #[inline(always)]
            fn to_i64(self) -> i64 {
                self as i64
            }
        }
    )*};
}
small_int!(i8: true, i16: true, i32: true, u8: false, u16: false, u32: false);
