//! The `train` suite: one fixed-point training iteration of a model on the embedded
//! Fashion-MNIST subset.
//!
//! Models: `--model M` (`mlp`, `lenet5`, `vgg11`); without it `mlp` and `lenet5` (a few
//! seconds; `vgg11` runs only when asked). Batch: `--batch B`, default 16.
//!
//! Figures per model:
//! - `train.<M>.b<B>.iter_ms`: median wall time of one iteration (forward, loss, backward,
//!   SGD), no witness recorded;
//! - `witness.<M>.b<B>.bytes`: bytes of one iteration's witness trace (narrowest types);
//! - `train.<M>.b<B>.peak_rss_mib`: peak resident memory of an iteration recording its
//!   witness on the heap;
//! - `train.<M>.b<B>.spill_peak_rss_mib`: the same with the witness spilled to a
//!   memory-mapped file in the temporary directory.
//!
//! Peaks are the process's `VmHWM`, reset before each measured iteration by writing `5` to
//! `/proc/self/clear_refs` (Linux), so they include what the process already holds (the
//! embedded data set, the model). Where the reset is unavailable the peak figures are given
//! only for the first model, as the process-wide peak.

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

/// Resets the process's peak resident memory to its current value; false if unsupported.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Runs one iteration tracing into `wit`; returns the peak RSS (MiB) if it is measurable.
fn traced_step(
    trainer: &mut Trainer,
    data: &FashionMnist,
    wit: &mut Witness,
    first: bool,
) -> Result<Option<f64>, BenchError> {
    let reset = reset_peak_rss();
    trainer
        .step(&data.train, wit)
        .map_err(|e| bad(e.to_string()))?;
    Ok((reset || first).then(peak_rss_mib))
}

fn run_model(
    model: ModelKind,
    batch: usize,
    data: &FashionMnist,
    budget: Duration,
    first: bool,
) -> Result<Vec<Figure>, BenchError> {
    let config = TrainConfig {
        model,
        batch,
        ..TrainConfig::default()
    };
    let fresh = || Trainer::new(&config, data.train.len()).map_err(|e| bad(e.to_string()));
    let name = model.name();
    let tag = |what: &str| format!("train.{name}.b{batch}.{what}");
    let mut figures = Vec::new();

    let spill_dir = std::env::temp_dir();
    let mut spilled = Witness::spilling(&spill_dir).map_err(|e| bad(e.to_string()))?;
    // The same first iteration twice, from fresh trainers (one model in memory at a time).
    let spill_peak = traced_step(&mut fresh()?, data, &mut spilled, first)?;
    let spilled_bytes = spilled.total_bytes();
    drop(spilled);

    let mut trainer = fresh()?;
    let mut wit = Witness::recording();
    let heap_peak = traced_step(&mut trainer, data, &mut wit, first)?;
    let bytes = wit.total_bytes();
    drop(wit);
    if bytes != spilled_bytes {
        return Err(bad(format!(
            "{name}: spilled witness has {spilled_bytes} bytes, heap witness {bytes}"
        )));
    }

    let mut failure = None;
    let t = measure(budget, 3, || {
        if let Err(e) = trainer.step(&data.train, &mut Witness::disabled()) {
            failure.get_or_insert(e.to_string());
        }
    });
    if let Some(e) = failure {
        return Err(bad(e));
    }
    figures.push(Figure::new(tag("iter_ms"), ms(t), "ms"));
    figures.push(Figure::new(
        format!("witness.{name}.b{batch}.bytes"),
        bytes as f64,
        "bytes",
    ));
    if let Some(p) = heap_peak {
        figures.push(Figure::new(tag("peak_rss_mib"), p, "MiB"));
    }
    if let Some(p) = spill_peak {
        figures.push(Figure::new(tag("spill_peak_rss_mib"), p, "MiB"));
    }
    Ok(figures)
}

/// Runs the suite.
pub fn run(opts: &crate::SuiteOptions) -> Result<Vec<crate::Figure>, crate::BenchError> {
    let models = match opts.model.as_deref() {
        Some(m) => vec![ModelKind::from_name(m).map_err(|e| bad(e.to_string()))?],
        None => vec![ModelKind::Mlp, ModelKind::Lenet5],
    };
    let batch = opts.batch.unwrap_or(16);
    if batch == 0 {
        return Err(bad("batch must be at least 1".into()));
    }
    let data = FashionMnist::embedded().map_err(|e| bad(e.to_string()))?;
    let budget = Duration::from_secs(if opts.quick { 1 } else { 4 });
    let mut figures = Vec::new();
    for (i, &model) in models.iter().enumerate() {
        figures.extend(run_model(model, batch, &data, budget, i == 0)?);
    }
    Ok(figures)
}
