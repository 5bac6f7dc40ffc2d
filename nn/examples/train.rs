//! Trains a model with the integer trainer and its f32 twin and prints both test accuracies.
//!
//! usage: cargo run --release -p kaizen-nn --example train -- MODEL [DATA_DIR|embedded] [EPOCHS] [LR] [MAX_ITERS]

use std::path::Path;
use std::time::Instant;

use kaizen_nn::reference::train_f32;
use kaizen_nn::{train, FashionMnist, ModelKind, NnError, TrainConfig};

fn main() -> Result<(), NnError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let model = ModelKind::from_name(arg(0).unwrap_or("mlp"))?;
    let data = match arg(1).unwrap_or("embedded") {
        "embedded" => FashionMnist::embedded()?,
        dir => FashionMnist::load_dir(Path::new(dir))?,
    };
    let config = TrainConfig {
        model,
        epochs: arg(2).and_then(|s| s.parse().ok()).unwrap_or(1),
        lr: arg(3).and_then(|s| s.parse().ok()).unwrap_or(0.1),
        max_iterations: arg(4).and_then(|s| s.parse().ok()),
        ..TrainConfig::default()
    };
    println!(
        "{config:?}; {} train / {} test images",
        data.train.len(),
        data.test.len()
    );
    let t = Instant::now();
    let mut report_every = |p: &kaizen_nn::Progress| {
        if p.iteration.is_multiple_of(500) || p.iteration == p.total {
            println!(
                "  it {}/{} loss {:.4} batch acc {:.3}",
                p.iteration, p.total, p.loss, p.batch_accuracy
            );
        }
    };
    let (_, report) = train(&config, &data, &mut report_every)?;
    println!(
        "fixed-point: test accuracy {:.4}, train (running) {:.4}, final loss {:.4}, {:.1} s",
        report.test.accuracy,
        report.train_accuracy,
        report.final_loss,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let (_, eval) = train_f32(&config, &data, &mut report_every)?;
    println!(
        "f32:         test accuracy {:.4}, {:.1} s",
        eval.accuracy,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
