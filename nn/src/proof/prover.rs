//! The prover: trains one iteration, commits `J_t` and `W_{t+1}`, and proves every relation of
//! the plan in the order [`verify_iteration`](super::verify_iteration) checks them.
//!
//! Randomness: every blinding factor comes from one [`Blinder`] keyed by 32 bytes of
//! ChaCha20 seeded with the prover's seed, derived per purpose and iteration
//! (`model-rows/t`, `trace-rows/t`, `dataset`, `open-*/t`): the same seed gives the same bytes
//! whatever the thread count.

use std::time::Instant;

use kaizen_field::{Field, Fr};
use kaizen_msm::{Blinder, G1Affine};
use kaizen_recursion::{prove_row_open, DenseRows, RowClaimSet, TableRows};
use kaizen_sumcheck::logup::{prove_logup, LookupTable};
use kaizen_sumcheck::{eq_table, Transcript};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;

use super::ctx::{softmax_of, Ctx};
use super::encoding::IterationProof;
use super::layout::SegId;
use super::open::{dataset_claim, iteration_claims};
use super::pcs;
use super::statement::{absorb_statement, DatasetCommitment, IterationStatement, ModelCommitment};
use super::tamper::{edit, edit_derived, skip_first_relu, Tamper};
use super::verify::{dataset_query, label_point, Claims, LABEL_POINT};
use super::witness::{base_values, derive, model_table, range_witness, tables, trace_map};
use super::{ProofSystem, LOG_COLS};
use crate::data::transform::encode_image;
use crate::data::{BatchSchedule, Dataset};
use crate::error::{NnError, Result};
use crate::layers::sgd::LearningRate;
use crate::network::StepStats;
use crate::train::{TrainConfig, Trainer};
use crate::witness::Witness;

/// Wall time of the phases of the last [`Prover::prove_next`], in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PhaseTimes {
    /// Training with a trace, and building the tables.
    pub witness_ms: f64,
    /// Committing `J_t`'s trace rows and `W_{t+1}`.
    pub commit_ms: f64,
    /// Relation sumchecks (GKR layers, linear checks, batch binding).
    pub sumcheck_ms: f64,
    /// LogUp range checks.
    pub lookups_ms: f64,
    /// The one aggregated opening (column sumcheck and IPA).
    pub opening_ms: f64,
}

/// The prover of a training run: the trainer, the current model's commitment and its blinds.
#[derive(Debug)]
pub struct Prover {
    system: ProofSystem,
    trainer: Trainer,
    root: Blinder,
    lr_q: i64,
    seed: u64,
    dataset: DatasetCommitment,
    dataset_blinds: Vec<Fr>,
    model: ModelCommitment,
    model_blinds: Vec<Fr>,
    times: PhaseTimes,
    pad_junk: Option<(SegId, SegId, usize)>,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

pub(crate) fn to_fr(v: &[i64]) -> Vec<Fr> {
    v.par_iter().map(|&x| Fr::from_i64(x)).collect()
}

/// One dataset row: encoded pixels at `0..input_len`, one-hot label at `2^(LOG_COLS-1) + label`.
fn dataset_row(system: &ProofSystem, data: &Dataset, i: usize, out: &mut [i32]) {
    let len = system.arch.input_len();
    encode_image(
        &mut out[..len],
        system.fp,
        system.arch.transform,
        data.image(i),
    );
    out[(1 << (LOG_COLS - 1)) + data.labels[i] as usize] = 1;
}

/// The dataset's rows for the opening, encoded on demand (the prover does not keep the table).
struct DatasetRows<'a> {
    system: &'a ProofSystem,
    data: &'a Dataset,
    blinds: &'a [Fr],
}

impl TableRows for DatasetRows<'_> {
    fn add_row(&self, out: &mut [Fr], row: usize, w: Fr) {
        let mut values = vec![0i32; out.len()];
        if row < self.data.len() {
            dataset_row(self.system, self.data, row, &mut values);
        }
        for (o, &x) in out.iter_mut().zip(&values) {
            if x != 0 {
                *o += w.mul_small(i64::from(x));
            }
        }
    }

    fn blind(&self, row: usize) -> Fr {
        self.blinds[row]
    }
}

impl Prover {
    /// A prover for `config` on `data` (which must have `system.dataset_len` samples): commits
    /// the dataset and `W_0`. Blinds derive from `seed`.
    pub fn new(
        system: &ProofSystem,
        config: &TrainConfig,
        data: &Dataset,
        seed: [u8; 32],
    ) -> Result<(Self, DatasetCommitment)> {
        if data.len() != system.dataset_len || config.model != system.model {
            return Err(NnError::BadParameter {
                name: "proof system",
                what: format!(
                    "built for {} on {} samples, used for {} on {}",
                    system.model.name(),
                    system.dataset_len,
                    config.model.name(),
                    data.len()
                ),
            });
        }
        let trainer = Trainer::new(config, data.len())?;
        let mut key = [0u8; 32];
        ChaCha20Rng::from_seed(seed).fill_bytes(&mut key);
        let root = Blinder::from_seed(key);
        let c = 1usize << LOG_COLS;
        let rows = 1usize << system.dataset_log_rows();
        let mut table = vec![0i32; rows * c];
        for (i, row) in table.chunks_mut(c).take(data.len()).enumerate() {
            dataset_row(system, data, i, row);
        }
        let dataset_blinds = root.derive(b"dataset").scalars(rows);
        let dataset = DatasetCommitment {
            len: data.len() as u64,
            rows: pcs::commit_rows(system.gens(), &table, LOG_COLS, &dataset_blinds),
        };
        let model0 = model_table(&system.plan, &system.layout, &trainer.model)?;
        let model_blinds =
            Self::blinder_of(&root, "model-rows", 0).scalars(system.layout.model_rows());
        let model = ModelCommitment {
            rows: pcs::commit_rows(system.gens(), &model0, LOG_COLS, &model_blinds),
        };
        let lr_q = trainer.learning_rate().quantised();
        let prover = Self {
            system: system.clone(),
            trainer,
            root,
            lr_q,
            seed: config.seed,
            dataset: dataset.clone(),
            dataset_blinds,
            model,
            model_blinds,
            times: PhaseTimes::default(),
            pad_junk: None,
        };
        Ok((prover, dataset))
    }

    fn blinder_of(root: &Blinder, purpose: &str, t: u64) -> Blinder {
        root.derive(format!("{purpose}/{t}").as_bytes())
    }

    /// Puts 1 into a padding entry of the last dense layer's weights of the committed `W_0`
    /// and carries it through every later model (negative tests only: a junk padding would
    /// leak into the padded logits).
    #[doc(hidden)]
    pub fn inject_pad_junk(&mut self) -> Result<()> {
        let plan = &self.system.plan;
        let find = |suffix: &str| {
            plan.segments
                .iter()
                .enumerate()
                .rev()
                .find(|(_, s)| s.name.ends_with(suffix) && s.rows < 1 << s.log_rows)
                .map(|(i, _)| i)
        };
        let (Some(m), Some(n)) = (find(".w"), find(".w.next")) else {
            return Err(NnError::BadParameter {
                name: "tamper",
                what: "no padded weight rows".into(),
            });
        };
        let spec = &plan.segments[m];
        let at = spec.rows << spec.log_cols;
        self.pad_junk = Some((m, n, at));
        let mut table = model_table(plan, &self.system.layout, &self.trainer.model)?;
        table[self.system.layout.offsets[m] + at] += 1;
        self.model = ModelCommitment {
            rows: pcs::commit_rows(self.system.gens(), &table, LOG_COLS, &self.model_blinds),
        };
        Ok(())
    }

    /// The commitment to the current model.
    pub fn model_commitment(&self) -> &ModelCommitment {
        &self.model
    }

    /// The trainer (its model is the current `W_t`).
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// Phase times of the last proven iteration.
    pub fn phase_times(&self) -> PhaseTimes {
        self.times
    }

    /// Trains and proves the next iteration.
    pub fn prove_next(
        &mut self,
        data: &Dataset,
    ) -> Result<(IterationStatement, IterationProof, StepStats)> {
        self.prove_next_tampered(data, Tamper::None)
    }

    /// [`Self::prove_next`] on a wrongly trained witness (negative tests only).
    #[doc(hidden)]
    pub fn prove_next_tampered(
        &mut self,
        data: &Dataset,
        tamper: Tamper,
    ) -> Result<(IterationStatement, IterationProof, StepStats)> {
        let system = self.system.clone();
        let (plan, layout) = (&system.plan, &system.layout);
        let t = self.trainer.iteration;
        let start = Instant::now();
        let scheduled = self.trainer.next_batch();
        let mut idx = scheduled.clone();
        if tamper == Tamper::WrongSample {
            // Another sample of the same class: only the pixels betray it.
            let label = scheduled.first().map(|&i| data.labels[i]);
            let other =
                (0..data.len()).find(|i| !scheduled.contains(i) && Some(data.labels[*i]) == label);
            if let (Some(first), Some(other)) = (idx.first_mut(), other) {
                *first = other;
            }
        }
        let before = self.trainer.model.clone();
        let honest_lr = self.trainer.learning_rate();
        if let Tamper::LearningRate(lr) = tamper {
            self.trainer
                .set_learning_rate(LearningRate::new(system.fp, lr, system.batch)?);
        }
        let mut wit = Witness::recording();
        let relabelled;
        let train_data = if tamper == Tamper::WrongLabel {
            let mut d = data.clone();
            if let Some(l) = idx.first().and_then(|&i| d.labels.get_mut(i)) {
                *l = (*l + 1) % system.arch.classes as u8;
            }
            relabelled = d;
            &relabelled
        } else {
            data
        };
        let stats = self.trainer.step_on(train_data, &idx, &mut wit);
        let used_lr = self.trainer.learning_rate();
        self.trainer.set_learning_rate(honest_lr);
        let stats = stats?;
        let mut trace = trace_map(&wit);
        drop(wit);
        if tamper == Tamper::SkipRelu {
            let after = skip_first_relu(&before, data, &idx, used_lr, &mut trace)?;
            self.trainer.model = after;
        }
        let after = self.trainer.model.clone();
        let mut values = base_values(plan, &trace, &before, &after)?;
        if let Some((model_seg, next_seg, at)) = self.pad_junk {
            values[model_seg][at] += 1;
            values[next_seg][at] += 1;
        }
        edit(tamper, &system, &mut values);
        derive(plan, &trace, &mut values)?;
        edit_derived(tamper, &system, &mut values);
        let (j, next) = tables(layout, &values);
        self.times.witness_ms = ms(start);

        let start = Instant::now();
        let model_len = 1usize << layout.model_vars;
        let trace_blinds = Self::blinder_of(&self.root, "trace-rows", t)
            .scalars(layout.j_rows() - layout.model_rows());
        let trace_rows = pcs::commit_rows(system.gens(), &j[model_len..], LOG_COLS, &trace_blinds);
        let next_blinds =
            Self::blinder_of(&self.root, "model-rows", t + 1).scalars(layout.model_rows());
        let statement = IterationStatement {
            iteration: t,
            lr_q: self.lr_q,
            seed: self.seed,
            model_before: self.model.clone(),
            model_after: ModelCommitment {
                rows: pcs::commit_rows(system.gens(), &next, LOG_COLS, &next_blinds),
            },
        };
        self.times.commit_ms = ms(start);

        let start = Instant::now();
        let mut ctx = Ctx {
            layout,
            values: &values,
            fr_values: values.iter().map(|v| to_fr(v)).collect(),
            t: absorb_statement(&system, &self.dataset, &statement, &trace_rows),
            evals: Vec::new(),
            claims: Claims {
                j: Vec::new(),
                next: Vec::new(),
            },
            gkr: Vec::new(),
            logup: Vec::new(),
        };
        for rel in &plan.relations {
            ctx.prove_relation(rel);
        }
        self.times.sumcheck_ms = ms(start);

        let start = Instant::now();
        for range in &plan.ranges {
            let w = to_fr(&range_witness(&values, range));
            let mult: Vec<u64> = values[range.mult].iter().map(|&m| m as u64).collect();
            let table = LookupTable::range(range.bits as usize);
            let (proof, out) = prove_logup(&table, &w, &mult, &mut ctx.t);
            let rho = out.witness.point;
            for item in &range.items {
                let sub = &rho[range.vars - item.vars..];
                for &(_, seg) in &item.terms {
                    ctx.send_claim(seg, sub.to_vec());
                }
            }
            let m = out.multiplicities;
            ctx.push(range.mult, m.point, m.value);
            ctx.logup.push(proof);
        }
        self.times.lookups_ms = ms(start);

        let start = Instant::now();
        let input_vars = plan.segments[plan.input].vars();
        let p = ctx.t.challenge_vector(LABEL_POINT, input_vars);
        let vx = ctx.send_claim(plan.input, p.clone());
        let sched = BatchSchedule::new(self.seed, system.dataset_len, system.batch)?.batch(t);
        let batch_vars = input_vars - plan.input_log_cols();
        let rows = 1usize << system.dataset_log_rows();
        let (weights, col) =
            dataset_query(&sched, rows, &p, batch_vars, LOG_COLS).map_err(NnError::from)?;
        let dataset_rows = DatasetRows {
            system: &system,
            data,
            blinds: &self.dataset_blinds,
        };
        let mut dataset_claims = vec![dataset_claim(weights.clone(), col, vx)];
        // The gradient at (p_b ‖ p_c) against the labels of the same dataset rows: a second
        // dataset claim at the label columns.
        if let Some(sm) = softmax_of(plan) {
            let pc = ctx.t.challenge_vector(LABEL_POINT, sm.cols);
            let at = [&p[..batch_vars], &pc[..]].concat();
            ctx.send_claim(sm.grad, at.clone());
            ctx.send_claim(sm.p, at);
            let eq_label = eq_table(&label_point(&pc));
            let mut combined = vec![Fr::ZERO; 1 << LOG_COLS];
            for &(row, w) in &weights {
                dataset_rows.add_row(&mut combined, row, w);
            }
            let onehot: Fr = combined.iter().zip(&eq_label).map(|(a, e)| *a * *e).sum();
            ctx.send(onehot);
            dataset_claims.push(dataset_claim(weights, label_point(&pc), onehot));
        }
        let mut claims = std::mem::replace(
            &mut ctx.claims,
            Claims {
                j: Vec::new(),
                next: Vec::new(),
            },
        );
        if let (Tamper::FalseOpeningClaim, Some(last)) = (tamper, claims.j.last_mut()) {
            last.value += Fr::ONE;
        }
        let j_blinds: Vec<Fr> = self
            .model_blinds
            .iter()
            .chain(&trace_blinds)
            .copied()
            .collect();
        let j_rows: Vec<G1Affine> = statement
            .model_before
            .rows
            .iter()
            .chain(&trace_rows)
            .copied()
            .collect();
        let set = RowClaimSet {
            log_cols: LOG_COLS,
            tables: vec![&j_rows, &statement.model_after.rows, &self.dataset.rows],
            claims: iteration_claims(LOG_COLS, &claims.j, &claims.next, dataset_claims),
        };
        let j_table = DenseRows {
            entries: &j,
            log_cols: LOG_COLS,
            blinds: &j_blinds,
        };
        let next_table = DenseRows {
            entries: &next,
            log_cols: LOG_COLS,
            blinds: &next_blinds,
        };
        let witness: [&dyn TableRows; 3] = [&j_table, &next_table, &dataset_rows];
        let blinder = Self::blinder_of(&self.root, "open", t);
        let opening = prove_row_open(system.gens(), &mut ctx.t, &set, &witness, &blinder);
        self.times.opening_ms = ms(start);

        let proof = IterationProof {
            trace_rows,
            evals: ctx.evals,
            gkr: ctx.gkr,
            logup: ctx.logup,
            opening,
        };
        self.model = statement.model_after.clone();
        self.model_blinds = next_blinds;
        Ok((statement, proof, stats))
    }
}
