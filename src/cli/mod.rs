//! The `kaizen` command line: typed arguments, errors that name what is wrong.

pub(crate) mod bench;
pub(crate) mod train;

use clap::{Parser, Subcommand};

/// kaizen: zero-knowledge proofs of training for deep neural networks.
#[derive(Debug, Parser)]
#[command(name = "kaizen", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a benchmark suite and print its figures (a table, or one JSON line with --json).
    Bench(bench::BenchArgs),
    /// Train a model with the fixed-point trainer (what the prover proves).
    Train(train::TrainArgs),
    /// Evaluate a checkpoint on the test set.
    Eval(train::EvalArgs),
    /// Show the CPU features and the arithmetic backends in use.
    Info,
}

/// Errors the CLI reports (exit code 2 for usage errors, 1 otherwise).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The arithmetic backend cannot be set up (`KAIZEN_SIMD`).
    #[error(transparent)]
    Backend(#[from] kaizen_field::BackendError),
    /// A benchmark suite failed.
    #[error(transparent)]
    Bench(#[from] kaizen_benches::BenchError),
    /// Training, data or checkpoint error (names the file where there is one).
    #[error(transparent)]
    Nn(#[from] kaizen_nn::NnError),
    /// An output file exists and `--force` was not given.
    #[error("{} exists; pass --force to overwrite it", .0.display())]
    WouldOverwrite(std::path::PathBuf),
}

/// Runs a parsed command.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    kaizen_field::backend::init()?;
    match cli.command {
        Command::Bench(args) => bench::run(&args),
        Command::Train(args) => train::run_train(&args),
        Command::Eval(args) => train::run_eval(&args),
        Command::Info => {
            info();
            Ok(())
        }
    }
}

fn info() {
    let report = kaizen_benches::Report::new("info", Vec::new());
    println!("cpu:        {}", report.cpu);
    println!("features:   {}", report.features.join(" "));
    println!("threads:    {}", report.threads);
    println!("batch:      {} (available: {})", kaizen_field::backend(), {
        let v: Vec<_> = kaizen_field::Backend::available()
            .iter()
            .map(|b| b.name())
            .collect();
        v.join(", ")
    });
    println!(
        "scalar mul: {}",
        if kaizen_field::backend::scalar_asm_enabled() {
            "asm (mulx/adcx/adox)"
        } else {
            "portable"
        }
    );
}
