//! NEON batch kernels. Kernels not yet specialised here re-export the portable ones.

pub use super::portable::*;
