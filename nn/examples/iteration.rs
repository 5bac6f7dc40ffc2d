//! One training iteration per model at batch 16: wall time and witness bytes (the figures of
//! the `train` bench suite, without the bench crate).
//!
//! usage: cargo run --release -p kaizen-nn --example iteration -- [MODEL...]

use std::time::Instant;

use kaizen_nn::{FashionMnist, ModelKind, NnError, TrainConfig, Trainer, Witness};

fn main() -> Result<(), NnError> {
    let data = FashionMnist::embedded()?;
    let names: Vec<String> = std::env::args().skip(1).collect();
    for name in if names.is_empty() {
        vec!["mlp".to_string()]
    } else {
        names
    } {
        let config = TrainConfig {
            model: ModelKind::from_name(&name)?,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(&config, data.train.len())?;
        let mut wit = Witness::recording();
        let start = Instant::now();
        t.step(&data.train, &mut wit)?;
        let traced = start.elapsed();
        let start = Instant::now();
        t.step(&data.train, &mut Witness::disabled())?;
        let plain = start.elapsed();
        println!(
            "{name}: iter {:.1} ms (traced {:.1} ms), witness {} bytes in {} values ({} arrays)",
            plain.as_secs_f64() * 1e3,
            traced.as_secs_f64() * 1e3,
            wit.total_bytes(),
            wit.total_values(),
            wit.len()
        );
    }
    Ok(())
}
