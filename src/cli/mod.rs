//! The `kaizen` command line: typed arguments, errors that name what is wrong.

pub(crate) mod bench;

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
}

/// Runs a parsed command.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    kaizen_field::backend::init()?;
    match cli.command {
        Command::Bench(args) => bench::run(&args),
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
