//! The `kaizen` binary: parses the command line and reports errors without panicking.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kaizen: error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
