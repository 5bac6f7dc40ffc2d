//! The `train` suite: one fixed-point training iteration of a model on the embedded
//! Fashion-MNIST subset.
//!
//! Figures (for `--model M`, default `mlp`, and `--batch B`, default 16):
//! - `train.<M>.b<B>.iter_ms`: median wall time of one iteration (forward, loss, backward,
//!   SGD), no witness recorded;
//! - `witness.<M>.b<B>.bytes`: bytes of one iteration's witness trace (narrowest types);
//! - `train.<M>.b<B>.peak_rss_mib`: the process's peak resident memory after the runs.

use std::time::Duration;

use kaizen_nn::{FashionMnist, ModelKind, TrainConfig, Trainer, Witness};

use crate::timing::{measure, ms, peak_rss_mib};
use crate::{BenchError, Figure};

fn bad(what: String) -> BenchError {
    BenchError::BadOption {
        suite: "train",
        what,
    }
}

/// Runs the suite.
pub fn run(opts: &crate::SuiteOptions) -> Result<Vec<crate::Figure>, crate::BenchError> {
    let model = ModelKind::from_name(opts.model.as_deref().unwrap_or("mlp"))
        .map_err(|e| bad(e.to_string()))?;
    let batch = opts.batch.unwrap_or(16);
    let data = FashionMnist::embedded().map_err(|e| bad(e.to_string()))?;
    let config = TrainConfig {
        model,
        batch,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(&config, data.train.len()).map_err(|e| bad(e.to_string()))?;
    let mut wit = Witness::recording();
    trainer
        .step(&data.train, &mut wit)
        .map_err(|e| bad(e.to_string()))?;
    let bytes = wit.total_bytes();
    drop(wit);
    let budget = Duration::from_secs(if opts.quick { 1 } else { 5 });
    let mut failure = None;
    let t = measure(budget, 3, || {
        if let Err(e) = trainer.step(&data.train, &mut Witness::disabled()) {
            failure.get_or_insert(e.to_string());
        }
    });
    if let Some(e) = failure {
        return Err(bad(e));
    }
    let name = model.name();
    Ok(vec![
        Figure::new(format!("train.{name}.b{batch}.iter_ms"), ms(t), "ms"),
        Figure::new(
            format!("witness.{name}.b{batch}.bytes"),
            bytes as f64,
            "bytes",
        ),
        Figure::new(
            format!("train.{name}.b{batch}.peak_rss_mib"),
            peak_rss_mib(),
            "MiB",
        ),
    ])
}
