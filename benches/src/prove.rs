//! The `prove` suite: the per-iteration proof of training on the embedded Fashion-MNIST
//! subset (`kaizen_nn::proof`).
//!
//! Model: `--model M` (default `mlp`); batch: `--batch B` (default 16). The prover trains and
//! proves `ITERATIONS` consecutive iterations (after a warm-up iteration); figures are medians.
//!
//! | figure | meaning |
//! |---|---|
//! | `prove.<M>.b<B>.ms` | one iteration: train with a trace, commit, prove (wall) |
//! | `prove.<M>.b<B>.{witness,commit,sumcheck,lookups,opening}_ms` | its phase split |
//! | `verify.<M>.b<B>.ms` | verifying one iteration's proof |
//! | `proof.<M>.b<B>.bytes` | encoded proof of one iteration (statement excluded) |
//! | `statement.<M>.b<B>.bytes` | encoded statement (both model commitments) |
//! | `prove.<M>.b<B>.peak_rss_mib` | peak resident memory while proving one iteration |
//! | `setup.<M>.b<B>.ms` | public parameters + committing the dataset and `W_0` (once per run) |
//!
//! The peak is the process's `VmHWM`, reset before the measured iteration through
//! `/proc/self/clear_refs` (Linux), so it includes what the process already holds (dataset,
//! parameters, the prover's state); where the reset is unavailable it is the process peak.

use std::time::Instant;

use kaizen_nn::proof::{verify_iteration, PhaseTimes, ProofSystem, Prover};
use kaizen_nn::{FashionMnist, ModelKind, TrainConfig};

use crate::timing::peak_rss_mib;
use crate::{BenchError, Figure};

/// Measured iterations (after one warm-up).
const ITERATIONS: usize = 5;
/// Measured iterations in quick mode.
const QUICK_ITERATIONS: usize = 1;

fn bad(what: impl std::fmt::Display) -> BenchError {
    BenchError::BadOption {
        suite: "prove",
        what: what.to_string(),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the suite.
pub fn run(opts: &crate::SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let model = ModelKind::from_name(opts.model.as_deref().unwrap_or("mlp")).map_err(bad)?;
    let batch = opts.batch.unwrap_or(16);
    let data = FashionMnist::embedded().map_err(bad)?;
    let config = TrainConfig {
        model,
        batch,
        ..TrainConfig::default()
    };
    let name = model.name();
    let tag = |what: &str, suffix: &str| format!("{what}.{name}.b{batch}{suffix}");

    let start = Instant::now();
    let system = ProofSystem::setup(&config, data.train.len()).map_err(bad)?;
    let (mut prover, dataset) =
        Prover::new(&system, &config, &data.train, [0x6b; 32]).map_err(bad)?;
    let setup_ms = start.elapsed().as_secs_f64() * 1e3;

    // Warm-up (first-touch allocations, generator tables).
    prover.prove_next(&data.train).map_err(bad)?;

    let runs = if opts.quick {
        QUICK_ITERATIONS
    } else {
        ITERATIONS
    };
    let (mut prove_ms, mut verify_ms, mut phases) = (Vec::new(), Vec::new(), Vec::new());
    let (mut proof_bytes, mut statement_bytes, mut peak) = (0, 0, f64::NAN);
    for k in 0..runs {
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let start = Instant::now();
        let (statement, proof, _) = prover.prove_next(&data.train).map_err(bad)?;
        prove_ms.push(start.elapsed().as_secs_f64() * 1e3);
        if k == 0 && (reset || runs == 1) {
            peak = peak_rss_mib();
        }
        phases.push(prover.phase_times());
        let start = Instant::now();
        verify_iteration(&system, &dataset, &statement, &proof).map_err(|e| {
            bad(format!(
                "the honest proof of iteration {k} was rejected: {e}"
            ))
        })?;
        verify_ms.push(start.elapsed().as_secs_f64() * 1e3);
        proof_bytes = proof.to_bytes().len();
        statement_bytes = statement.to_bytes().len();
    }

    let phase = |f: fn(&PhaseTimes) -> f64| median(phases.iter().map(f).collect());
    let mut figures = vec![
        Figure::new(tag("prove", ".ms"), median(prove_ms), "ms"),
        Figure::new(tag("prove", ".witness_ms"), phase(|p| p.witness_ms), "ms"),
        Figure::new(tag("prove", ".commit_ms"), phase(|p| p.commit_ms), "ms"),
        Figure::new(tag("prove", ".sumcheck_ms"), phase(|p| p.sumcheck_ms), "ms"),
        Figure::new(tag("prove", ".lookups_ms"), phase(|p| p.lookups_ms), "ms"),
        Figure::new(tag("prove", ".opening_ms"), phase(|p| p.opening_ms), "ms"),
        Figure::new(tag("verify", ".ms"), median(verify_ms), "ms"),
        Figure::new(tag("proof", ".bytes"), proof_bytes as f64, "bytes"),
        Figure::new(tag("statement", ".bytes"), statement_bytes as f64, "bytes"),
        Figure::new(tag("setup", ".ms"), setup_ms, "ms"),
    ];
    if peak.is_finite() {
        figures.push(Figure::new(tag("prove", ".peak_rss_mib"), peak, "MiB"));
    }
    Ok(figures)
}
