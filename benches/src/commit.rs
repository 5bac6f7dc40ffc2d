//! The `commit` suite: the hiding Hyrax commitment, its opening, claim aggregation and the
//! split accumulator, all on the rayon thread count `T` (`t<T>` in every name).
//!
//! Figures (`L` = log_n, default 20; `--quick` uses 12 unless `--log-n` is given), in ms
//! unless noted:
//! - R = 1 (one row, the shape): `commit.n<L>.i16.t<T>` (random `i16` table),
//!   `commit.n<L>.full.t<T>` (random `Fr` table), `open.n<L>.t<T>` (opening of the `i16`
//!   table at a random point by `ipa::prove_small`: generators folded every round, small
//!   first rounds; one run), `open.n<L>.reference.t<T>` (its IPA by the reference prover
//!   `ipa::prove_reference`, every round an MSM over the original generators; one run),
//!   `verify.n<L>.t<T>`, `proof_bytes.n<L>` (bytes), and `setup.n<L>` (deriving the `2^L`
//!   generators; one run);
//! - R = 2^10 (`R = 2^L` if `L < 10`): the same names with `.r<R>` before `.t<T>`;
//! - accumulator at R = 1 (`C = 2^L`): `acc.fold.t<T>` (prover fold of two accumulators),
//!   `acc.fold.verify.t<T>`, `acc.decide.n<L>.t<T>` (direct decider: an MSM of size `C`),
//!   `acc.decide_proof.verify.n<L>.t<T>` (the published decider proof's verifier);
//!   `acc.fold.r<R>.t<T>` at R = 2^10;
//! - aggregation of `k` = 1, 8, 64 true claims at one point on `k` polynomials of
//!   `2^A` entries (`A = min(L, 14)`, `R = 2^(A/2)`): `aggregate.k<k>.prove.t<T>`,
//!   `aggregate.k<k>.verify.t<T>`, and the same for `k` claims at `k` different points
//!   (`aggregate.k<k>.points.{prove,verify}.t<T>`); `ratio.aggregate.k64_over_k1.verify`
//!   (unit `ratio`) shows that 64 claims cost one opening plus `O(k)` group operations.

use std::time::{Duration, Instant};

use kaizen_field::{Field, Fr};
use kaizen_msm::hyrax::small_to_fr;
use kaizen_msm::ipa::{self, PublicVector};
use kaizen_msm::Blinder;
use kaizen_recursion::{
    accumulate, decide, prove_batch_open, prove_decider, prove_fold, verify_batch_open,
    verify_decider, verify_fold, Claim, ClaimSet, CommittedTable, HyraxPcs, TranscriptAdapter,
};
use kaizen_sumcheck::Sha256Transcript;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::timing::{measure, ms};
use crate::{BenchError, Figure, SuiteOptions};

/// Largest log_n accepted (2^24 generators are 1 GiB of affine points plus tables).
const MAX_LOG_N: u32 = 24;
/// log R of the extra figures (RECURSION.md's sizing uses R around 2^10).
const LOG_ROWS_EXTRA: usize = 10;
/// Largest table of the aggregation figures (64 tables of 2^14 `Fr` are 32 MiB).
const MAX_LOG_AGGREGATE: usize = 14;

fn rng(salt: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x636f_6d6d_6974_6265 ^ salt)
}

/// One timed call (for the figures that take seconds; no warm-up).
fn time_once_ms<T>(f: impl FnOnce() -> T) -> f64 {
    let start = Instant::now();
    std::hint::black_box(f());
    ms(start.elapsed())
}

/// Median of at least `runs` calls after one warm-up (quick: one call after the warm-up).
fn time_ms<T>(quick: bool, runs: usize, f: impl FnMut() -> T) -> f64 {
    let (budget, runs) = if quick {
        (Duration::ZERO, 1)
    } else {
        (Duration::from_secs(2), runs)
    };
    ms(measure(budget, runs, f))
}

fn random_point(n: usize, r: &mut ChaCha20Rng) -> Vec<Fr> {
    (0..n).map(|_| Fr::random(&mut *r)).collect()
}

/// Commit, open, verify, proof size at one shape; names get `tag` before `.t<T>`.
fn pcs_figures(
    q: bool,
    log_n: usize,
    log_rows: usize,
    tag: &str,
    t: usize,
    figs: &mut Vec<Figure>,
) {
    let start = Instant::now();
    let pcs = HyraxPcs::setup(log_n, log_rows);
    figs.push(Figure::new(
        format!("setup.n{log_n}{tag}"),
        ms(start.elapsed()),
        "ms",
    ));
    let mut r = rng(log_rows as u64);
    let small: Vec<i16> = (0..1usize << log_n).map(|_| r.next_u32() as i16).collect();
    let full: Vec<Fr> = (0..1usize << log_n).map(|_| Fr::random(&mut r)).collect();
    let commit_small = time_ms(q, 5, || pcs.commit_small(&small, &mut rng(1)));
    figs.push(Figure::new(
        format!("commit.n{log_n}.i16{tag}.t{t}"),
        commit_small,
        "ms",
    ));
    let commit_full = time_ms(q, 3, || pcs.commit(&full, &mut rng(2)));
    figs.push(Figure::new(
        format!("commit.n{log_n}.full{tag}.t{t}"),
        commit_full,
        "ms",
    ));
    let (comm, opening) = pcs.commit_small(&small, &mut rng(1));
    let point = random_point(log_n, &mut r);
    let open = || {
        let mut tr = pcs.transcript::<Sha256Transcript>();
        pcs.open_small(&mut tr, &comm, &opening, &small, &point, &mut rng(3))
    };
    // R = 1 openings take seconds at L = 20: one timed run each.
    let open_ms = if log_rows == 0 {
        time_once_ms(open)
    } else {
        time_ms(q, 3, open)
    };
    figs.push(Figure::new(
        format!("open.n{log_n}{tag}.t{t}"),
        open_ms,
        "ms",
    ));
    let (value, proof) = open();
    if log_rows == 0 {
        // Before/after: the IPA of the same opening by the reference prover (no generator
        // folds, field scalars in every round; same bytes). The statement absorption it skips
        // is negligible.
        let wide: Vec<Fr> = small.iter().map(|s| small_to_fr(*s)).collect();
        let reference = || {
            let mut tr = pcs.transcript::<Sha256Transcript>();
            ipa::prove_reference(
                pcs.params().gens(),
                &mut TranscriptAdapter(&mut tr),
                &wide,
                opening.blinds()[0],
                &PublicVector::Eq(&point),
                &Blinder::from_seed([3; 32]),
            )
        };
        figs.push(Figure::new(
            format!("open.n{log_n}.reference.t{t}"),
            time_once_ms(reference),
            "ms",
        ));
    }
    let verify = || {
        let mut tr = pcs.transcript::<Sha256Transcript>();
        pcs.verify(&mut tr, &comm, &point, value, &proof)
    };
    if verify().is_err() {
        // A figure of a failing verifier would be meaningless: report it as NaN.
        figs.push(Figure::new(
            format!("verify.n{log_n}{tag}.t{t}"),
            f64::NAN,
            "ms",
        ));
    } else {
        let verify_ms = time_ms(q, 3, verify);
        figs.push(Figure::new(
            format!("verify.n{log_n}{tag}.t{t}"),
            verify_ms,
            "ms",
        ));
    }
    figs.push(Figure::new(
        format!("proof_bytes.n{log_n}{tag}"),
        proof.to_bytes().len() as f64,
        "bytes",
    ));
}

/// Fold (prover, verifier) and decide at one shape.
fn acc_figures(
    q: bool,
    log_n: usize,
    log_rows: usize,
    tag: &str,
    t: usize,
    decide_too: bool,
    figs: &mut Vec<Figure>,
) {
    let pcs = HyraxPcs::setup(log_n, log_rows);
    let mut r = rng(100 + log_rows as u64);
    let accs: Vec<_> = (0..2)
        .map(|_| {
            let table: Vec<Fr> = (0..1usize << log_n).map(|_| Fr::random(&mut r)).collect();
            let (comm, opening) = pcs.commit(&table, &mut r);
            let point = random_point(log_n, &mut r);
            accumulate(&pcs, &comm, &opening, &table, &point)
        })
        .collect();
    let (a1, a2) = (&accs[0], &accs[1]);
    let fold = || {
        let mut tr = pcs.transcript::<Sha256Transcript>();
        prove_fold(&pcs, &mut tr, (&a1.0, &a1.1), (&a2.0, &a2.1))
    };
    figs.push(Figure::new(
        format!("acc.fold{tag}.t{t}"),
        time_ms(q, 3, fold),
        "ms",
    ));
    let (inst, wit, proof) = fold();
    let verify = || {
        let mut tr = pcs.transcript::<Sha256Transcript>();
        verify_fold(&pcs, &mut tr, &a1.0, &a2.0, &proof)
    };
    figs.push(Figure::new(
        format!("acc.fold.verify{tag}.t{t}"),
        time_ms(q, 3, verify),
        "ms",
    ));
    if !decide_too {
        return;
    }
    let decided = decide(&pcs, &inst, &wit).is_ok();
    figs.push(Figure::new(
        format!("acc.decide.n{log_n}{tag}.t{t}"),
        if decided {
            time_ms(q, 3, || decide(&pcs, &inst, &wit))
        } else {
            f64::NAN
        },
        "ms",
    ));
    let mut tr = pcs.transcript::<Sha256Transcript>();
    let dproof = prove_decider(&pcs, &mut tr, &inst, &wit, &mut rng(4));
    let verify = || {
        let mut tr = pcs.transcript::<Sha256Transcript>();
        verify_decider(&pcs, &mut tr, &inst, &dproof)
    };
    figs.push(Figure::new(
        format!("acc.decide_proof.verify.n{log_n}{tag}.t{t}"),
        if verify().is_ok() {
            time_ms(q, 3, verify)
        } else {
            f64::NAN
        },
        "ms",
    ));
}

/// Aggregation of k claims on k polynomials, at one point and at k points.
fn aggregate_figures(q: bool, log_n: usize, t: usize, figs: &mut Vec<Figure>) {
    let pcs = HyraxPcs::setup(log_n, log_n / 2);
    let mut r = rng(200);
    let tables: Vec<Vec<Fr>> = (0..64)
        .map(|_| (0..1usize << log_n).map(|_| Fr::random(&mut r)).collect())
        .collect();
    let (comms, openings): (Vec<_>, Vec<_>) = tables.iter().map(|t| pcs.commit(t, &mut r)).unzip();
    let points: Vec<Vec<Fr>> = (0..64).map(|_| random_point(log_n, &mut r)).collect();
    let mut verify_k1 = f64::NAN;
    for k in [1usize, 8, 64] {
        for (spread, name) in [(false, ""), (true, ".points")] {
            let claims: Vec<Claim> = (0..k)
                .map(|i| {
                    let point = points[if spread { i } else { 0 }].clone();
                    let value =
                        kaizen_sumcheck::DenseTable::new(tables[i].clone()).evaluate(&point);
                    Claim {
                        commitment: i,
                        point,
                        value,
                    }
                })
                .collect();
            let set = ClaimSet {
                commitments: comms[..k].iter().collect(),
                claims,
            };
            let witness: Vec<CommittedTable<'_>> = tables[..k]
                .iter()
                .zip(&openings)
                .map(|(table, opening)| CommittedTable { table, opening })
                .collect();
            let prove = || {
                let mut tr = pcs.transcript::<Sha256Transcript>();
                prove_batch_open(&pcs, &mut tr, &set, &witness, &mut rng(5))
            };
            figs.push(Figure::new(
                format!("aggregate.k{k}{name}.prove.t{t}"),
                time_ms(q, 3, prove),
                "ms",
            ));
            let proof = prove();
            let verify = || {
                let mut tr = pcs.transcript::<Sha256Transcript>();
                verify_batch_open(&pcs, &mut tr, &set, &proof)
            };
            let v = if verify().is_ok() {
                time_ms(q, 5, verify)
            } else {
                f64::NAN
            };
            figs.push(Figure::new(
                format!("aggregate.k{k}{name}.verify.t{t}"),
                v,
                "ms",
            ));
            figs.push(Figure::new(
                format!("aggregate.k{k}{name}.proof_bytes"),
                proof.to_bytes().len() as f64,
                "bytes",
            ));
            if k == 1 && !spread {
                verify_k1 = v;
            }
            if k == 64 && !spread {
                figs.push(Figure::new(
                    "ratio.aggregate.k64_over_k1.verify",
                    v / verify_k1,
                    "ratio",
                ));
            }
        }
    }
}

/// Runs the suite.
pub fn run(opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let log_n = opts.log_n.unwrap_or(if opts.quick { 12 } else { 20 });
    if !(2..=MAX_LOG_N).contains(&log_n) {
        return Err(BenchError::BadOption {
            suite: "commit",
            what: format!("--log-n {log_n} is outside 2..={MAX_LOG_N}"),
        });
    }
    let log_n = log_n as usize;
    let q = opts.quick;
    let t = rayon::current_num_threads();
    let extra_rows = LOG_ROWS_EXTRA.min(log_n);
    let extra = format!(".r{}", 1usize << extra_rows);
    let mut figs = Vec::new();
    pcs_figures(q, log_n, 0, "", t, &mut figs);
    pcs_figures(q, log_n, extra_rows, &extra, t, &mut figs);
    acc_figures(q, log_n, 0, "", t, true, &mut figs);
    acc_figures(q, log_n, extra_rows, &extra, t, false, &mut figs);
    aggregate_figures(q, log_n.min(MAX_LOG_AGGREGATE), t, &mut figs);
    Ok(figs)
}
