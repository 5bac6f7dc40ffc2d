//! x86-64 kernels. File names carry the ISA extensions they need.

mod mont_mul_adx;
mod mont_sqr_adx;

pub use mont_mul_adx::mont_mul_adx;
pub use mont_sqr_adx::mont_sqr_adx;
