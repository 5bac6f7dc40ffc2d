//! Peak resident memory of one training iteration, in a fresh process: the figure behind
//! "VGG-11 forward + backward for one batch of 16 runs in bounded memory".
//!
//! usage: cargo run --release -p kaizen-nn --example peak_rss -- MODEL [none|heap|spill DIR]
//!
//! Prints the process's `VmHWM` (Linux) before and after the iteration, the witness size and
//! where it lived.

use std::path::PathBuf;
use std::time::Instant;

use kaizen_nn::{FashionMnist, ModelKind, NnError, TrainConfig, Trainer, Witness};

fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn main() -> Result<(), NnError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model = ModelKind::from_name(args.first().map_or("vgg11", String::as_str))?;
    let mode = args.get(1).map_or("heap", String::as_str);
    let data = FashionMnist::embedded()?;
    let config = TrainConfig {
        model,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(&config, data.train.len())?;
    let before = status_kib("VmHWM:");
    let mut wit = match mode {
        "none" => Witness::disabled(),
        "heap" => Witness::recording(),
        "spill" => {
            let dir = args.get(2).map_or_else(std::env::temp_dir, PathBuf::from);
            Witness::spilling(&dir)?
        }
        other => {
            return Err(NnError::BadParameter {
                name: "mode",
                what: format!("{other}: expected none, heap or spill"),
            })
        }
    };
    let start = Instant::now();
    let stats = trainer.step(&data.train, &mut wit)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} {mode}: iteration {:.0} ms, loss {:.4}, peak RSS {:.1} MiB (before the iteration {:.1} MiB), \
         witness {} bytes in {} arrays ({} on the heap, spill file {} bytes)",
        model.name(),
        secs * 1e3,
        stats.loss_sum / config.batch as f64,
        mib(status_kib("VmHWM:")),
        mib(before),
        wit.total_bytes(),
        wit.len(),
        wit.heap_bytes(),
        wit.spill_file_bytes(),
    );
    Ok(())
}
