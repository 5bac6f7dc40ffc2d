//! `kaizen bench <suite> [--log-n N] [--model M] [--batch B] [--quick] [--json]`.

use clap::Args;

use super::CliError;

/// Arguments of `kaizen bench`.
#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// The suite: field, msm, sumcheck, commit, train, prove, ivc (`kaizen bench list` lists them).
    pub(crate) suite: String,
    /// log2 of the problem size (suites with a size).
    #[arg(long)]
    pub(crate) log_n: Option<u32>,
    /// Model (train / prove / ivc suites).
    #[arg(long)]
    pub(crate) model: Option<String>,
    /// Batch size (train / prove / ivc suites).
    #[arg(long)]
    pub(crate) batch: Option<usize>,
    /// Fewer repetitions (smoke runs).
    #[arg(long)]
    pub(crate) quick: bool,
    /// Print one JSON object as the last line of stdout instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Runs `kaizen bench`.
pub(crate) fn run(args: &BenchArgs) -> Result<(), CliError> {
    if args.suite == "list" {
        for (name, _) in kaizen_benches::suites() {
            println!("{name}");
        }
        return Ok(());
    }
    let opts = kaizen_benches::SuiteOptions {
        log_n: args.log_n,
        model: args.model.clone(),
        batch: args.batch,
        quick: args.quick,
    };
    let report = kaizen_benches::run_suite(&args.suite, &opts)?;
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}
