//! Proves and verifies two MLP iterations (batch 16, embedded Fashion-MNIST subset) and prints
//! the phase times, the proof bytes per section and the verifier time.
//!
//! usage: cargo run --release -p kaizen-nn --example prove_iteration

use std::time::Instant;

use kaizen_nn::{verify_iteration, FashionMnist, NnError, ProofSystem, Prover, TrainConfig};

fn main() -> Result<(), NnError> {
    let data = FashionMnist::embedded()?;
    let config = TrainConfig::default();
    let start = Instant::now();
    let system = ProofSystem::setup(&config, data.train.len())?;
    println!(
        "setup: {:.1} ms (J_t 2^{} entries, {} rows of 2^{}; model block 2^{})",
        start.elapsed().as_secs_f64() * 1e3,
        system.layout.j_vars,
        system.layout.j_rows(),
        system.layout.log_cols,
        system.layout.model_vars
    );
    let start = Instant::now();
    let (mut prover, dataset) = Prover::new(&system, &config, &data.train, [7; 32])?;
    println!(
        "dataset + W_0 commitment: {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    for _ in 0..2 {
        let start = Instant::now();
        let (statement, proof, stats) = prover.prove_next(&data.train)?;
        let prove_ms = start.elapsed().as_secs_f64() * 1e3;
        let t = prover.phase_times();
        let start = Instant::now();
        verify_iteration(&system, &dataset, &statement, &proof).map_err(NnError::from)?;
        let verify_ms = start.elapsed().as_secs_f64() * 1e3;
        let bytes = proof.to_bytes().len();
        println!(
            "iteration {}: loss {:.3}; prove {prove_ms:.1} ms (witness {:.1}, commit {:.1}, \
             sumcheck {:.1}, lookups {:.1}, opening {:.1}); verify {verify_ms:.1} ms; proof {bytes} bytes",
            statement.iteration,
            stats.loss_sum / config.batch as f64,
            t.witness_ms,
            t.commit_ms,
            t.sumcheck_ms,
            t.lookups_ms,
            t.opening_ms
        );
        for (name, len) in proof.sections() {
            println!("  {name:<11} {len:>8} bytes");
        }
    }
    Ok(())
}
