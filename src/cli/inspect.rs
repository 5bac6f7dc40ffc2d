//! `kaizen inspect FILE`: what a kaizen file holds, section by section, with sizes.

use std::path::Path;

use kaizen_nn::proof::DatasetCommitment;

use super::run_dir;
use super::CliError;

/// Runs `kaizen inspect`.
pub(crate) fn run_inspect(path: &Path) -> Result<(), CliError> {
    let bytes = run_dir::read(path)?;
    let Some(kind) = run_dir::file_kind(&bytes) else {
        return Err(CliError::BadFile {
            path: path.to_path_buf(),
            what: "not a kaizen file (unknown magic number)".into(),
        });
    };
    println!("{}: kaizen {kind}, {} bytes", path.display(), bytes.len());
    match kind {
        "run header" => {
            let h = run_dir::decode_header(path, &bytes)?;
            println!("  model          {}", h.config.model.name());
            println!("  batch          {}", h.config.batch);
            println!("  learning rate  {}", h.config.lr);
            println!("  seed           {}", h.config.seed);
            println!("  frac bits      {}", h.config.frac_bits);
            println!("  dataset rows   {}", h.dataset_len);
            println!("  system digest  {}", hex(&h.system_digest));
        }
        "dataset commitment" => {
            // magic (8) | u32 length | commitment bytes
            let body = bytes.get(12..).unwrap_or_default();
            let c = DatasetCommitment::from_bytes(body).map_err(|e| CliError::BadFile {
                path: path.to_path_buf(),
                what: e.to_string(),
            })?;
            println!("  commitment     {} bytes", c.to_bytes().len());
        }
        _ => {
            let it = run_dir::decode_iteration(path, &bytes)?;
            let statement = it.statement.to_bytes();
            println!("  iteration      {}", it.iteration);
            println!("  statement      {} bytes", statement.len());
            println!(
                "  model before   {} bytes",
                it.statement.model_before.to_bytes().len()
            );
            println!(
                "  model after    {} bytes",
                it.statement.model_after.to_bytes().len()
            );
            println!("  proof          {} bytes", it.proof.to_bytes().len());
            for (name, len) in it.proof.sections() {
                println!("    {name:<24} {len:>9} bytes");
            }
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
