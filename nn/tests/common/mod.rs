//! The fixture of the proof tests: a prefix of the embedded training set, the public
//! parameters, the dataset commitment and honest iterations, built once per test binary.
#![allow(dead_code, unreachable_pub)]

use kaizen_nn::proof::Tamper;
use kaizen_nn::{
    verify_iteration, Dataset, DatasetCommitment, FashionMnist, IterationProof, IterationStatement,
    ProofError, ProofSystem, Prover, TrainConfig,
};

pub struct Fixture {
    pub data: Dataset,
    pub config: TrainConfig,
    pub system: ProofSystem,
    pub dataset: DatasetCommitment,
    /// Honest iterations `0..iterations`.
    pub steps: Vec<(IterationStatement, IterationProof)>,
    pub seed: [u8; 32],
}

impl Fixture {
    /// Commits the first `samples` embedded images and proves `iterations` honest iterations.
    pub fn build(config: TrainConfig, samples: usize, seed: [u8; 32], iterations: usize) -> Self {
        let data = FashionMnist::embedded().unwrap().train.take(samples);
        let system = ProofSystem::setup(&config, data.len()).unwrap();
        let (mut prover, dataset) = Prover::new(&system, &config, &data, seed).unwrap();
        let steps = (0..iterations)
            .map(|_| {
                let (s, p, _) = prover.prove_next(&data).unwrap();
                (s, p)
            })
            .collect();
        Fixture {
            data,
            config,
            system,
            dataset,
            steps,
            seed,
        }
    }

    /// Proves iteration 0 with a tampered witness and returns the verifier's failed check.
    pub fn tampered(&self, tamper: Tamper) -> &'static str {
        let (mut prover, dataset) =
            Prover::new(&self.system, &self.config, &self.data, self.seed).unwrap();
        let (s, p, _) = prover.prove_next_tampered(&self.data, tamper).unwrap();
        rejected_check(verify_iteration(&self.system, &dataset, &s, &p))
    }
}

/// The check a rejection names (panics on acceptance or a malformed proof).
pub fn rejected_check(r: Result<(), ProofError>) -> &'static str {
    match r {
        Err(ProofError::Rejected { check, .. }) => check,
        other => panic!("expected a rejection, got {other:?}"),
    }
}
