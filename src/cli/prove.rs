//! `kaizen train --prove DIR`, `kaizen verify DIR` and `kaizen demo`: train with a proof per
//! iteration, check a proof directory, or do both on the embedded data.

use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use kaizen_nn::proof::{verify_iteration, ProofSystem, Prover};
use kaizen_nn::{FashionMnist, ModelKind, TrainConfig};

use super::run_dir::{self, RunReader, RunWriter};
use super::CliError;

/// Seed of the prover's blinding randomness: derived from the training seed so that a run is
/// reproducible byte for byte (a deployment that wants hiding against someone who knows
/// the training seed passes its own secret seed here).
fn prover_seed(config: &TrainConfig) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&config.seed.to_le_bytes());
    seed[8..24].copy_from_slice(b"kaizen/prover/v1");
    seed
}

/// One proven iteration, as reported.
#[derive(Debug, Clone)]
pub(crate) struct ProvenIteration {
    pub(crate) iteration: u64,
    pub(crate) loss: f64,
    pub(crate) prove_ms: f64,
    pub(crate) proof_bytes: usize,
}

/// Trains `iterations` steps of `config` on `data`, proving each into `dir`.
pub(crate) fn prove_run(
    config: &TrainConfig,
    data: &FashionMnist,
    iterations: u64,
    dir: &Path,
    force: bool,
    show_progress: bool,
) -> Result<Vec<ProvenIteration>, CliError> {
    let writer = RunWriter::create(dir, force)?;
    let system = ProofSystem::setup(config, data.train.len())?;
    let (mut prover, dataset) = Prover::new(&system, config, &data.train, prover_seed(config))?;
    writer.start(
        &run_dir::header_for(config, data.train.len(), system.digest()),
        &dataset,
    )?;
    let bar = if show_progress {
        let bar = ProgressBar::new(iterations);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} proven  {msg}  [{elapsed} < {eta}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut out = Vec::new();
    for _ in 0..iterations {
        let start = Instant::now();
        let (statement, proof, stats) = prover.prove_next(&data.train)?;
        let loss = stats.loss_sum / config.batch as f64;
        let prove_ms = start.elapsed().as_secs_f64() * 1e3;
        let proof_bytes = writer.write_iteration(&statement, &proof)?;
        bar.inc(1);
        bar.set_message(format!("loss {loss:.4}  {prove_ms:.0} ms/iteration"));
        out.push(ProvenIteration {
            iteration: statement.iteration,
            loss,
            prove_ms,
            proof_bytes,
        });
    }
    bar.finish_and_clear();
    Ok(out)
}

/// The verdict on one iteration file.
#[derive(Debug)]
pub(crate) struct Verdict {
    pub(crate) file: String,
    pub(crate) verify_ms: f64,
    pub(crate) result: Result<(), String>,
}

/// Verifies every iteration in `dir` and the chain between them: iteration numbers 0, 1, ..
/// in order, each proof's model-before equal to the previous model-after.
pub(crate) fn verify_run(dir: &Path) -> Result<Vec<Verdict>, CliError> {
    let run = RunReader::open(dir)?;
    let system = ProofSystem::setup(&run.header.config, run.header.dataset_len as usize)?;
    if system.digest() != run.header.system_digest {
        return Err(CliError::BadFile {
            path: dir.join("run.kzr"),
            what: "the public parameters it names differ from the ones this kaizen derives \
                   from its configuration"
                .into(),
        });
    }
    if run.iterations.is_empty() {
        return Err(CliError::BadFile {
            path: dir.to_path_buf(),
            what: "holds no iteration proofs (iter-*.kzp)".into(),
        });
    }
    let mut verdicts = Vec::new();
    let mut previous_model = None;
    for (k, path) in run.iterations.iter().enumerate() {
        let file = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let start = Instant::now();
        let checked = run_dir::read(path)
            .and_then(|bytes| run_dir::decode_iteration(path, &bytes))
            .map_err(|e| e.to_string())
            .and_then(|it| {
                let expected = k as u64;
                if file != run_dir::iteration_file_name(it.iteration) {
                    return Err(format!(
                        "holds iteration {}: renamed or moved file",
                        it.iteration
                    ));
                }
                if it.iteration != expected {
                    return Err(format!(
                        "iteration {} where {expected} was expected (missing or extra file)",
                        it.iteration
                    ));
                }
                if let Some(prev) = &previous_model {
                    if *prev != it.statement.model_before {
                        return Err("chain broken: its model-before commitment is not the \
                                    previous iteration's model-after"
                            .into());
                    }
                }
                verify_iteration(&system, &run.dataset, &it.statement, &it.proof)
                    .map_err(|e| e.to_string())?;
                previous_model = Some(it.statement.model_after.clone());
                Ok(it.iteration)
            });
        let verify_ms = start.elapsed().as_secs_f64() * 1e3;
        let failed = checked.is_err();
        verdicts.push(Verdict {
            file,
            verify_ms,
            result: checked.map(|_| ()),
        });
        if failed {
            // Later links cannot be checked against a model we do not trust.
            previous_model = None;
        }
    }
    Ok(verdicts)
}

/// Prints the verdicts; `Err` if any failed (the process then exits non-zero).
pub(crate) fn report_verdicts(dir: &Path, verdicts: &[Verdict]) -> Result<(), CliError> {
    println!("{:<16} {:>10}  result", "file", "verify ms");
    for v in verdicts {
        match &v.result {
            Ok(()) => println!("{:<16} {:>10.1}  ok", v.file, v.verify_ms),
            Err(e) => println!("{:<16} {:>10.1}  REJECTED: {e}", v.file, v.verify_ms),
        }
    }
    summarize(dir, verdicts)
}

/// The last line of a verification: all verified, or `Err` naming how many failed.
fn summarize(dir: &Path, verdicts: &[Verdict]) -> Result<(), CliError> {
    let failed = verdicts.iter().filter(|v| v.result.is_err()).count();
    if failed == 0 {
        println!(
            "{}: all {} iterations verified, chain intact",
            dir.display(),
            verdicts.len()
        );
        Ok(())
    } else {
        Err(CliError::VerificationFailed {
            failed,
            total: verdicts.len(),
        })
    }
}

/// `kaizen demo`: train the MLP on the embedded subset for `iterations` steps, prove each
/// into a temporary directory, verify the directory, print a summary.
pub(crate) fn run_demo(iterations: u64) -> Result<(), CliError> {
    let data = FashionMnist::embedded()?;
    let config = TrainConfig {
        model: ModelKind::Mlp,
        max_iterations: Some(iterations),
        ..TrainConfig::default()
    };
    let dir = tempfile::Builder::new()
        .prefix("kaizen-demo-")
        .tempdir()
        .map_err(|e| CliError::Io {
            path: std::env::temp_dir(),
            source: e,
        })?;
    println!(
        "kaizen demo: {} on the embedded Fashion-MNIST subset ({} images), batch {}, lr {}, {} iterations",
        config.model.name(),
        data.train.len(),
        config.batch,
        config.lr,
        iterations
    );
    let proven = prove_run(&config, &data, iterations, dir.path(), false, false)?;
    let verdicts = verify_run(dir.path())?;
    println!(
        "{:>9} {:>9} {:>10} {:>12} {:>10}  verified",
        "iteration", "loss", "prove ms", "proof bytes", "verify ms"
    );
    for (p, v) in proven.iter().zip(&verdicts) {
        println!(
            "{:>9} {:>9.4} {:>10.1} {:>12} {:>10.1}  {}",
            p.iteration,
            p.loss,
            p.prove_ms,
            p.proof_bytes,
            v.verify_ms,
            match &v.result {
                Ok(()) => "yes".to_string(),
                Err(e) => format!("NO: {e}"),
            }
        );
    }
    summarize(dir.path(), &verdicts)
}
