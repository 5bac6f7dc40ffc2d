//! The `kaizen` command line: typed arguments, errors that name what is wrong.

pub(crate) mod bench;
pub(crate) mod inspect;
pub(crate) mod prove;
pub(crate) mod run_dir;
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
    /// Verify a proof directory written by `kaizen train --prove DIR` (exit status 1 if any
    /// iteration or chain link fails).
    Verify(VerifyArgs),
    /// Show what a kaizen file (run header, dataset commitment, iteration proof) holds.
    Inspect(InspectArgs),
    /// Train the MLP on the embedded data for a few iterations, prove and verify each.
    Demo(DemoArgs),
    /// Show the CPU features and the arithmetic backends in use.
    Info,
}

/// Arguments of `kaizen verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The proof directory.
    pub(crate) dir: std::path::PathBuf,
}

/// Arguments of `kaizen inspect`.
#[derive(Debug, clap::Args)]
pub(crate) struct InspectArgs {
    /// A file of a proof directory (run.kzr, dataset.kzc, iter-*.kzp).
    pub(crate) file: std::path::PathBuf,
}

/// Arguments of `kaizen demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Iterations to train and prove.
    #[arg(long, default_value_t = 4)]
    pub(crate) iterations: u64,
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
    /// A file or directory cannot be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not what it should be (names the file and the problem).
    #[error("{}: {what}", path.display())]
    BadFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        what: String,
    },
    /// Proof generation failed.
    #[error("proof: {0}")]
    Proof(#[from] kaizen_nn::proof::ProofError),
    /// `kaizen verify` rejected some iterations.
    #[error("{failed} of {total} iterations rejected")]
    VerificationFailed {
        /// Rejected iterations.
        failed: usize,
        /// All iterations.
        total: usize,
    },
}

/// Runs a parsed command.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    kaizen_field::backend::init()?;
    match cli.command {
        Command::Bench(args) => bench::run(&args),
        Command::Train(args) => train::run_train(&args),
        Command::Eval(args) => train::run_eval(&args),
        Command::Verify(args) => {
            let verdicts = prove::verify_run(&args.dir)?;
            prove::report_verdicts(&args.dir, &verdicts)
        }
        Command::Inspect(args) => inspect::run_inspect(&args.file),
        Command::Demo(args) => prove::run_demo(args.iterations),
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
