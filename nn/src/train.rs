//! The library entry points: train a model on Fashion-MNIST, evaluate it.
//!
//! ```text
//! let data = FashionMnist::embedded()?;            // or FashionMnist::load_dir(dir)?
//! let (model, report) = train(&TrainConfig::default(), &data, &mut |p: &Progress| { .. })?;
//! let eval = evaluate(&model, &data.test)?;
//! ```
//! [`Trainer`] runs single iterations (with a witness trace) for benches and the prover.

use std::time::Instant;

use crate::data::transform::encode_batch;
use crate::data::{BatchSchedule, Dataset, FashionMnist};
use crate::error::{NnError, Result};
use crate::fixed::{FixedPoint, DEFAULT_FRAC_BITS};
use crate::layers::sgd::LearningRate;
use crate::layers::softmax::{argmax, ExpTable};
use crate::model::{Model, ModelKind};
use crate::network::StepStats;
use crate::witness::Witness;

/// Training hyper-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// The model.
    pub model: ModelKind,
    /// Epochs over the training set.
    pub epochs: u32,
    /// Stop after this many iterations if fewer than the epochs give.
    pub max_iterations: Option<u64>,
    /// Batch size.
    pub batch: usize,
    /// Learning rate (of the batch-mean gradient).
    pub lr: f64,
    /// Seed of initialisation and batch schedule.
    pub seed: u64,
    /// Fixed-point fractional bits.
    pub frac_bits: u32,
    /// Record a witness trace every iteration (and report its size).
    pub record_witness: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            model: ModelKind::Mlp,
            epochs: 1,
            max_iterations: None,
            batch: 16,
            lr: 0.1,
            seed: 1,
            frac_bits: DEFAULT_FRAC_BITS,
            record_witness: false,
        }
    }
}

/// Progress after an iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Iterations done (1-based).
    pub iteration: u64,
    /// Iterations planned.
    pub total: u64,
    /// Mean loss of this batch.
    pub loss: f64,
    /// Accuracy on this batch (before the update).
    pub batch_accuracy: f64,
}

/// Accuracy and loss on a dataset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Samples evaluated.
    pub samples: usize,
    /// Fraction classified correctly.
    pub accuracy: f64,
}

/// Summary of a training run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    /// The model.
    pub model: ModelKind,
    /// Iterations run.
    pub iterations: u64,
    /// Mean training loss over the last (up to) 100 iterations.
    pub final_loss: f64,
    /// Running training accuracy over the whole run (each batch before its update).
    pub train_accuracy: f64,
    /// Test-set evaluation after training.
    pub test: Evaluation,
    /// Witness bytes of one iteration (the last), if recorded.
    pub witness_bytes: Option<usize>,
    /// Wall time of the training loop, seconds.
    pub seconds: f64,
}

/// A model, its learning rate, the exp table and the batch schedule: runs iterations.
#[derive(Debug, Clone)]
pub struct Trainer {
    /// The model being trained.
    pub model: Model,
    /// Iterations done.
    pub iteration: u64,
    table: ExpTable,
    lr: LearningRate,
    schedule: BatchSchedule,
}

impl Trainer {
    /// A fresh model per `config`, to train on a set of `train_len` samples.
    pub fn new(config: &TrainConfig, train_len: usize) -> Result<Self> {
        let fp = FixedPoint::new(config.frac_bits)?;
        let model = Model::init(config.model, fp, config.seed)?;
        Self::resume(config, model, 0, train_len)
    }

    /// Continues training `model` from iteration `iteration`.
    pub fn resume(
        config: &TrainConfig,
        model: Model,
        iteration: u64,
        train_len: usize,
    ) -> Result<Self> {
        let fp = model.fp;
        Ok(Self {
            table: ExpTable::new(fp.frac_bits()),
            lr: LearningRate::new(fp, config.lr, config.batch)?,
            schedule: BatchSchedule::new(config.seed, train_len, config.batch)?,
            model,
            iteration,
        })
    }

    /// Full batches per epoch.
    pub fn batches_per_epoch(&self) -> u64 {
        self.schedule.batches_per_epoch()
    }

    /// Runs the next iteration on `data`, tracing into `wit`.
    pub fn step(&mut self, data: &Dataset, wit: &mut Witness) -> Result<StepStats> {
        let idx = self.schedule.batch(self.iteration);
        self.step_on(data, &idx, wit)
    }

    /// The sample indices of the next iteration (the public schedule).
    pub fn next_batch(&mut self) -> Vec<usize> {
        self.schedule.batch(self.iteration)
    }

    /// The learning rate in use (batch mean folded in).
    pub fn learning_rate(&self) -> LearningRate {
        self.lr
    }

    /// Replaces the learning rate (the prover's negative tests train with another rate than
    /// the one they claim).
    pub fn set_learning_rate(&mut self, lr: LearningRate) {
        self.lr = lr;
    }

    /// Runs the next iteration on the samples `idx` of `data` (normally [`Self::next_batch`]),
    /// tracing into `wit`.
    pub fn step_on(
        &mut self,
        data: &Dataset,
        idx: &[usize],
        wit: &mut Witness,
    ) -> Result<StepStats> {
        let (x, labels) = encode_batch(self.model.fp, self.model.arch.transform, data, idx);
        let stats = self
            .model
            .train_step(wit, &self.table, self.lr, &x, &labels)?;
        self.iteration += 1;
        Ok(stats)
    }
}

/// Trains a fresh model per `config` on `data.train`, then evaluates on `data.test`.
pub fn train(
    config: &TrainConfig,
    data: &FashionMnist,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Model, TrainReport)> {
    let mut trainer = Trainer::new(config, data.train.len())?;
    let mut total = trainer.batches_per_epoch() * config.epochs as u64;
    if let Some(m) = config.max_iterations {
        total = total.min(m);
    }
    if total == 0 {
        return Err(NnError::BadParameter {
            name: "epochs",
            what: "no iteration to run".into(),
        });
    }
    let start = Instant::now();
    let (mut correct, mut seen) = (0usize, 0usize);
    let mut recent = std::collections::VecDeque::with_capacity(100);
    let mut witness_bytes = None;
    for it in 0..total {
        let mut wit = if config.record_witness {
            Witness::recording()
        } else {
            Witness::disabled()
        };
        let s = trainer.step(&data.train, &mut wit)?;
        if config.record_witness {
            witness_bytes = Some(wit.total_bytes());
        }
        correct += s.correct;
        seen += config.batch;
        let loss = s.loss_sum / config.batch as f64;
        if recent.len() == 100 {
            recent.pop_front();
        }
        recent.push_back(loss);
        progress(&Progress {
            iteration: it + 1,
            total,
            loss,
            batch_accuracy: s.correct as f64 / config.batch as f64,
        });
    }
    let seconds = start.elapsed().as_secs_f64();
    let test = evaluate(&trainer.model, &data.test)?;
    let report = TrainReport {
        model: config.model,
        iterations: total,
        final_loss: recent.iter().sum::<f64>() / recent.len().max(1) as f64,
        train_accuracy: correct as f64 / seen.max(1) as f64,
        test,
        witness_bytes,
        seconds,
    };
    Ok((trainer.model, report))
}

/// Accuracy of `model` on `data` (batches of 64, nothing traced).
pub fn evaluate(model: &Model, data: &Dataset) -> Result<Evaluation> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut correct = 0usize;
    for chunk in indices.chunks(64) {
        let (x, labels) = encode_batch(model.fp, model.arch.transform, data, chunk);
        let logits = model.predict(&x, chunk.len())?;
        for (z, &y) in logits.chunks(model.arch.classes).zip(&labels) {
            correct += usize::from(argmax(z) == y as usize);
        }
    }
    Ok(Evaluation {
        samples: data.len(),
        accuracy: correct as f64 / data.len().max(1) as f64,
    })
}
