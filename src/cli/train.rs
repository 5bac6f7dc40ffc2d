//! `kaizen train` and `kaizen eval`: fixed-point training with a progress bar, versioned
//! checkpoints (never overwriting an existing file without `--force`), evaluation.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kaizen_nn::{evaluate, train, Checkpoint, FashionMnist, ModelKind, TrainConfig};

use super::CliError;

/// The models `kaizen train` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ModelArg {
    /// MLP 784-128-10.
    Mlp,
    /// LeNet-5 (6 and 16 channels, dense 120-84-10).
    Lenet5,
    /// VGG-11 in the paper's 10 M-parameter form (64x64x3 input).
    Vgg11,
    /// The paper prototype's LeNet (16 classes).
    LenetRef,
}

impl From<ModelArg> for ModelKind {
    fn from(m: ModelArg) -> Self {
        match m {
            ModelArg::Mlp => ModelKind::Mlp,
            ModelArg::Lenet5 => ModelKind::Lenet5,
            ModelArg::Vgg11 => ModelKind::Vgg11,
            ModelArg::LenetRef => ModelKind::LenetRef,
        }
    }
}

/// Arguments of `kaizen train`.
#[derive(Debug, Args)]
pub(crate) struct TrainArgs {
    /// The model to train.
    #[arg(long, value_enum, default_value = "mlp")]
    model: ModelArg,
    /// Fashion-MNIST directory (IDX files, raw or .gz); default: the embedded subset.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Epochs over the training set.
    #[arg(long, default_value_t = 1)]
    epochs: u32,
    /// Stop after this many iterations.
    #[arg(long)]
    max_iterations: Option<u64>,
    /// Batch size.
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Learning rate.
    #[arg(long, default_value_t = 0.1)]
    lr: f64,
    /// Seed of initialisation and batch schedule.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write a checkpoint of the trained model here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite an existing checkpoint file or proof directory.
    #[arg(long)]
    force: bool,
    /// Prove every iteration into this directory (run header, dataset commitment, one proof
    /// file per iteration); `kaizen verify DIR` checks it.
    #[arg(long)]
    prove: Option<PathBuf>,
}

/// Arguments of `kaizen eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// A checkpoint written by `kaizen train --out`.
    #[arg(long)]
    model: PathBuf,
    /// Fashion-MNIST directory; default: the embedded subset.
    #[arg(long)]
    data: Option<PathBuf>,
}

fn load_data(dir: Option<&Path>) -> Result<FashionMnist, CliError> {
    Ok(match dir {
        Some(d) => FashionMnist::load_dir(d)?,
        None => FashionMnist::embedded()?,
    })
}

/// Runs `kaizen train`.
pub(crate) fn run_train(args: &TrainArgs) -> Result<(), CliError> {
    // Refuse before training, not after: an existing file is kept unless --force.
    if let Some(out) = &args.out {
        if out.exists() && !args.force {
            return Err(CliError::WouldOverwrite(out.clone()));
        }
    }
    let data = load_data(args.data.as_deref())?;
    let mut config = TrainConfig {
        model: args.model.into(),
        epochs: args.epochs,
        max_iterations: args.max_iterations,
        batch: args.batch,
        lr: args.lr,
        seed: args.seed,
        ..TrainConfig::default()
    };
    if let Some(dir) = &args.prove {
        return run_proven(args, &mut config, &data, dir);
    }
    println!(
        "training {} on {} images (test {}), batch {}, lr {}, seed {}",
        config.model.name(),
        data.train.len(),
        data.test.len(),
        config.batch,
        config.lr,
        config.seed
    );
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} it  {msg}  [{elapsed} < {eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut on_progress = |p: &kaizen_nn::Progress| {
        bar.set_length(p.total);
        bar.set_position(p.iteration);
        bar.set_message(format!(
            "loss {:.4}  batch acc {:.3}",
            p.loss, p.batch_accuracy
        ));
    };
    let (model, report) = train(&config, &data, &mut on_progress)?;
    bar.finish();
    println!(
        "{} iterations in {:.1} s: final loss {:.4}, train accuracy {:.2} %, test accuracy {:.2} % ({} images)",
        report.iterations,
        report.seconds,
        report.final_loss,
        100.0 * report.train_accuracy,
        100.0 * report.test.accuracy,
        report.test.samples
    );
    if let Some(out) = &args.out {
        let ckpt = Checkpoint {
            model,
            iterations: report.iterations,
            seed: config.seed,
        };
        ckpt.save(out, args.force)?;
        println!("checkpoint written to {}", out.display());
    }
    Ok(())
}

/// `kaizen train --prove DIR`: every iteration trained by the prover and proven.
fn run_proven(
    args: &TrainArgs,
    config: &mut TrainConfig,
    data: &FashionMnist,
    dir: &Path,
) -> Result<(), CliError> {
    let per_epoch = (data.train.len() / config.batch.max(1)) as u64;
    let iterations = args
        .max_iterations
        .unwrap_or(per_epoch * u64::from(config.epochs))
        .min(per_epoch * u64::from(config.epochs));
    config.max_iterations = Some(iterations);
    println!(
        "training and proving {} iterations of {} on {} images, batch {}, lr {}, seed {} into {}",
        iterations,
        config.model.name(),
        data.train.len(),
        config.batch,
        config.lr,
        config.seed,
        dir.display()
    );
    let proven = super::prove::prove_run(config, data, iterations, dir, args.force, true)?;
    let total_ms: f64 = proven.iter().map(|p| p.prove_ms).sum();
    let bytes: usize = proven.iter().map(|p| p.proof_bytes).sum();
    println!(
        "{} iterations proven in {:.1} s ({:.0} ms each), {} proof bytes; final loss {:.4}",
        proven.len(),
        total_ms / 1e3,
        total_ms / proven.len().max(1) as f64,
        bytes,
        proven.last().map_or(f64::NAN, |p| p.loss)
    );
    if args.out.is_some() {
        println!("note: --out is ignored with --prove (the proof directory records the run)");
    }
    Ok(())
}

/// Runs `kaizen eval`.
pub(crate) fn run_eval(args: &EvalArgs) -> Result<(), CliError> {
    let ckpt = Checkpoint::load(&args.model)?;
    let data = load_data(args.data.as_deref())?;
    let eval = evaluate(&ckpt.model, &data.test)?;
    println!(
        "{} ({} iterations, seed {}): test accuracy {:.2} % on {} images",
        ckpt.model.arch.kind.name(),
        ckpt.iterations,
        ckpt.seed,
        100.0 * eval.accuracy,
        eval.samples
    );
    Ok(())
}
