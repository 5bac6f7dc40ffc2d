//! # kaizen-benches
//!
//! Benchmark suites over every kaizen crate, in two forms:
//! - criterion benches (`cargo bench -p kaizen-benches --bench <suite>`), for statistics;
//! - the suites behind `kaizen bench <suite> [--json]`: a fixed list of named figures per
//!   suite, measured in one process (references such as arkworks and halo2curves measured
//!   in the same run, so ratios are meaningful on a noisy machine).
//!
//! | module | suite | figures |
//! |---|---|---|
//! | [`report`] | – | [`Figure`], [`Report`] (human table, one-line JSON) |
//! | [`timing`] | – | [`timing::measure`]: median-of-runs timer; [`timing::peak_rss_mib`] |
//! | [`field`] | `field` | scalar and batch field arithmetic per backend |
//! | [`commit`] | `commit` | Hyrax commit / open / verify (R = 1 and 2^10), accumulator fold and decider, claim aggregation k = 1, 8, 64 |
//! | [`msm`] | `msm` | BN254 / Grumpkin MSM: full, i16, i8 scalars; 1 and all threads |
//! | [`sumcheck`] | `sumcheck` | sumcheck provers (dense, eq, small-value) |
//! | [`train`] | `train` | fixed-point training iteration time and witness size |
//! | [`prove`] | `prove` | per-iteration proof of training: prove / verify time, phases, bytes, peak memory |
//!
//! Owns: measurement. Must not: hold any protocol logic.

pub mod commit;
pub mod field;
pub mod msm;
pub mod prove;
pub mod report;
pub mod sumcheck;
pub mod timing;
pub mod train;

pub use report::{Figure, Report};

/// Options shared by all suites (each suite reads what applies to it).
#[derive(Debug, Clone, Default)]
pub struct SuiteOptions {
    /// log2 of the problem size, where the suite has one.
    pub log_n: Option<u32>,
    /// Model name (train / prove / ivc suites).
    pub model: Option<String>,
    /// Batch size (train / prove / ivc suites).
    pub batch: Option<usize>,
    /// Quick mode: fewer repetitions (CI smoke runs).
    pub quick: bool,
}

/// Why a suite could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// No suite of that name.
    #[error("unknown bench suite {name:?} (known: {known})")]
    UnknownSuite {
        /// The name asked for.
        name: String,
        /// The known suite names.
        known: String,
    },
    /// A suite option is out of range or missing.
    #[error("bench suite {suite}: {what}")]
    BadOption {
        /// The suite.
        suite: &'static str,
        /// What is wrong.
        what: String,
    },
}

/// A suite: a name and a function producing its figures.
pub type SuiteFn = fn(&SuiteOptions) -> Result<Vec<Figure>, BenchError>;

/// Every suite `kaizen bench` knows, by name.
pub fn suites() -> Vec<(&'static str, SuiteFn)> {
    vec![
        ("field", field::run as SuiteFn),
        ("commit", commit::run as SuiteFn),
        ("msm", msm::run as SuiteFn),
        ("sumcheck", sumcheck::run as SuiteFn),
        ("train", train::run as SuiteFn),
        ("prove", prove::run as SuiteFn),
    ]
}

/// Runs one suite by name and wraps its figures in a [`Report`].
pub fn run_suite(name: &str, opts: &SuiteOptions) -> Result<Report, BenchError> {
    let all = suites();
    let Some((suite, f)) = all.iter().find(|(n, _)| *n == name) else {
        let known = all.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
        return Err(BenchError::UnknownSuite {
            name: name.to_string(),
            known,
        });
    };
    let figures = f(opts)?;
    Ok(Report::new(suite, figures))
}
