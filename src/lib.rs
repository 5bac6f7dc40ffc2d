//! # kaizen
//!
//! A zero-knowledge proof-of-training engine: a prover trains a neural network by
//! mini-batch SGD on a committed dataset and proves every iteration; recursion makes one
//! constant-size proof of the whole run (see `DESIGN.md`).
//!
//! This crate is the command-line program and a thin facade: it re-exports the public API
//! of the workspace crates and holds no protocol logic.
//!
//! | crate | re-exported as | owns |
//! |---|---|---|
//! | `kaizen-field` | [`field`] | BN254 `Fr`/`Fq`, asm scalar path, SIMD batch kernels |
//! | `kaizen-msm` | [`msm`] | BN254 G1, Grumpkin, generators, MSM |
//! | `kaizen-nn` | [`nn`] | fixed-point training, models, datasets, witness traces |
//! | `kaizen-sumcheck` | [`sumcheck`] | tables, transcripts, sumcheck, LogUp, GKR |
//! | `kaizen-recursion` | [`recursion`] | Hyrax commitment facade, aggregation, accumulation |
//! | `kaizen-benches` | [`benches`] | benchmark suites behind `kaizen bench` |

pub use kaizen_benches as benches;
pub use kaizen_field as field;
pub use kaizen_field::{Fq, Fr};
pub use kaizen_msm as msm;
pub use kaizen_nn as nn;
pub use kaizen_recursion as recursion;
pub use kaizen_sumcheck as sumcheck;
