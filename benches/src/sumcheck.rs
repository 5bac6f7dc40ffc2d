//! The `sumcheck` suite: figures of `kaizen-sumcheck`'s provers (ms, median of runs).
//!
//! | figure | work |
//! |---|---|
//! | `sumcheck.prod2.n{N}.t1`, `.t2` | `Σ f g` over two dense `2^N` tables (1 / 2 rayon threads) |
//! | `sumcheck.eq_prod3.n{N}.t2` | `Σ eq(w, x) f g h` (Gruen split eq), 2 threads |
//! | `sumcheck.prod2_i8.n{N}.t1` | `Σ f g` over `i8` tables, small-value rounds first |
//! | `ref.halo2curves.prod2.n{N}.t1` | a straightforward halo2curves loop doing the prod2 work |
//! | `logup.n{N}.table16.t2` | LogUp of `2^N` values in the range table `[0, 2^16)`, multiplicities included |
//! | `matmul.n256.t2` | GKR matmul layer, `256×256` by `256×256` (the product `C` given: the prover has it) |
//! | `sumcheck.stream.n{S}.t2` | streaming `Σ f g` over two files of `2^S` canonical `Fr` (pread), bound-table budget 64 MiB, one run |
//! | `sumcheck.stream.n{S}.peak_rss_mib` | `VmHWM` over that run, after resetting the mark (`/proc/self/clear_refs`), baseline included |
//! | `sumcheck.stream.n{S}.baseline_rss_mib` | the process's RSS when the mark was reset (so the delta is visible) |
//! | `sumcheck.stream.n{S}.vs_memory` | that time over the in-memory prover's on the same files (reading them included) |
//!
//! `S` is 24 by default (env `KAIZEN_BENCH_STREAM_LOG_N` overrides it; the 2^26 target is
//! measured by `cargo run --release -p kaizen-sumcheck --example stream_prod2`, too long here).
//!
//! Every prover run includes the transcript (SHA-256) and the binds; the claimed sum is an
//! input of the sumcheck (computed once outside the timing, as a protocol would know it).
//! The reference loop computes `s(0), s(1), s(2)` each round by direct sums and binds both
//! tables: the plain algorithm without compression or fused kernels. `N` is `--log-n`
//! (default 20).

use std::time::Duration;

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_sumcheck::gkr::{prove_gkr_with_values, Circuit, GkrWitness, Layer};
use kaizen_sumcheck::logup::{multiplicities, LookupTable};
use kaizen_sumcheck::stream::{Encoding, FileTable, TableSource};
use kaizen_sumcheck::{
    claimed_sum, prove, prove_logup, DenseTable, EvaluationClaim, ProductStatement,
    ProductSumcheck, Sha256Transcript, SmallProd2, SmallTable, StreamProd2, Transcript,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::timing::{measure, ms};
use crate::{BenchError, Figure, SuiteOptions};

fn pool(threads: usize) -> Result<rayon::ThreadPool, BenchError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| BenchError::BadOption {
            suite: "sumcheck",
            what: format!("cannot build a {threads}-thread pool: {e}"),
        })
}

fn dense(rng: &mut ChaCha20Rng, n: u32) -> DenseTable {
    DenseTable::new((0..1usize << n).map(|_| Fr::random(rng)).collect())
}

/// Runs the suite.
pub fn run(opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let n = opts.log_n.unwrap_or(20);
    if !(2..=26).contains(&n) {
        return Err(BenchError::BadOption {
            suite: "sumcheck",
            what: format!("--log-n {n} outside 2..=26"),
        });
    }
    let (budget, min_runs) = if opts.quick {
        (Duration::from_millis(200), 1)
    } else {
        (Duration::from_secs(3), 5)
    };
    let mut rng = ChaCha20Rng::seed_from_u64(0x5c);
    let mut figs = Vec::new();

    // prod2 over dense tables.
    let st2 = ProductStatement::prod2(n as usize);
    let tables2 = vec![dense(&mut rng, n), dense(&mut rng, n)];
    let claim2 = claimed_sum(&st2, &tables2);
    let prod2 = || {
        let mut inst = ProductSumcheck::new(&st2, tables2.clone(), claim2);
        let mut t = Sha256Transcript::new(b"bench");
        prove(&mut inst, &mut t)
    };
    for threads in [1, 2] {
        let t = pool(threads)?.install(|| measure(budget, min_runs, prod2));
        figs.push(Figure::new(
            format!("sumcheck.prod2.n{n}.t{threads}"),
            ms(t),
            "ms",
        ));
    }

    // eq · f · g · h.
    let w: Vec<Fr> = (0..n).map(|_| Fr::random(&mut rng)).collect();
    let st3 = ProductStatement::eq_prod(w, 3);
    let tables3 = vec![dense(&mut rng, n), dense(&mut rng, n), dense(&mut rng, n)];
    let claim3 = claimed_sum(&st3, &tables3);
    let t = pool(2)?.install(|| {
        measure(budget, min_runs, || {
            let mut inst = ProductSumcheck::new(&st3, tables3.clone(), claim3);
            prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
        })
    });
    figs.push(Figure::new(
        format!("sumcheck.eq_prod3.n{n}.t2"),
        ms(t),
        "ms",
    ));
    drop(tables3);

    // prod2 over i8 tables.
    let small = |rng: &mut ChaCha20Rng| {
        SmallTable::new(
            (0..1usize << n)
                .map(|_| rng.next_u32() as i8)
                .collect::<Vec<i8>>(),
        )
    };
    let (f8, g8) = (small(&mut rng), small(&mut rng));
    let claim8 = SmallProd2::sum(&f8, &g8);
    let t = pool(1)?.install(|| {
        measure(budget, min_runs, || {
            let mut inst = SmallProd2::new(f8.clone(), g8.clone(), claim8);
            prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
        })
    });
    figs.push(Figure::new(
        format!("sumcheck.prod2_i8.n{n}.t1"),
        ms(t),
        "ms",
    ));

    drop((f8, g8));

    // LogUp: 2^n values in [0, 2^16).
    let table = LookupTable::range(16);
    let witness: Vec<Fr> = (0..1usize << n)
        .map(|_| Fr::from_u64(u64::from(rng.next_u32() >> 16)))
        .collect();
    let t = pool(2)?.install(|| {
        measure(budget, min_runs, || {
            let m = multiplicities(&table, &witness).expect("values in range");
            prove_logup(&table, &witness, &m, &mut Sha256Transcript::new(b"bench"))
        })
    });
    figs.push(Figure::new(format!("logup.n{n}.table16.t2"), ms(t), "ms"));
    drop(witness);

    // GKR matmul layer 256x256 by 256x256.
    let circuit = Circuit {
        layers: vec![Layer::MatMul {
            rows: 8,
            inner: 8,
            cols: 8,
        }],
    };
    let gw = GkrWitness {
        input: (0..1 << 16).map(|_| Fr::random(&mut rng)).collect(),
        aux: vec![(0..1 << 16).map(|_| Fr::random(&mut rng)).collect()],
    };
    let values = circuit.forward(&gw);
    let point: Vec<Fr> = (0..16).map(|_| Fr::random(&mut rng)).collect();
    let value = DenseTable::new(values[1].clone()).evaluate(&point);
    let claims = [EvaluationClaim { point, value }];
    let t = pool(2)?.install(|| {
        measure(budget, min_runs, || {
            prove_gkr_with_values(
                &circuit,
                &gw,
                &values,
                &claims,
                &mut Sha256Transcript::new(b"bench"),
            )
        })
    });
    figs.push(Figure::new("matmul.n256.t2", ms(t), "ms"));
    drop((gw, values));

    figs.extend(stream(opts)?);

    #[cfg(feature = "references")]
    {
        let t = pool(1)?.install(|| reference::prod2(n, budget, min_runs));
        figs.push(Figure::new(
            format!("ref.halo2curves.prod2.n{n}.t1"),
            ms(t),
            "ms",
        ));
    }
    Ok(figs)
}

/// Two table files in the temp dir, removed on drop.
struct TempTables([std::path::PathBuf; 2]);

impl Drop for TempTables {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn vm_status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The streaming figures (see the module doc).
fn stream(opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let s: u32 = std::env::var("KAIZEN_BENCH_STREAM_LOG_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if opts.quick { 18 } else { 24 });
    let bad = |what: String| BenchError::BadOption {
        suite: "sumcheck",
        what,
    };
    if !(4..=28).contains(&s) {
        return Err(bad(format!("stream log size {s} outside 4..=28")));
    }
    let dir = std::env::temp_dir();
    let files = TempTables([0, 1].map(|i| {
        dir.join(format!(
            "kaizen-bench-stream-{}-{i}-n{s}.bin",
            std::process::id()
        ))
    }));
    let mut rng = ChaCha20Rng::seed_from_u64(0x5d);
    for path in &files.0 {
        use std::io::Write;
        let file = std::fs::File::create(path)
            .map_err(|e| bad(format!("cannot create {}: {e}", path.display())))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        for _ in 0..1usize << s {
            w.write_all(&Fr::random(&mut rng).to_bytes())
                .map_err(|e| bad(format!("cannot write {}: {e}", path.display())))?;
        }
        w.flush()
            .map_err(|e| bad(format!("cannot write {}: {e}", path.display())))?;
    }
    let open = |p: &std::path::Path| {
        FileTable::open(p, Encoding::Fr).map_err(|e| bad(format!("bench table: {e}")))
    };
    let (f, g) = (open(&files.0[0])?, open(&files.0[1])?);
    let mut claim = Fr::ZERO;
    let (mut a, mut b) = (vec![Fr::ZERO; 1 << 12], vec![Fr::ZERO; 1 << 12]);
    let step = a.len().min(f.len());
    for start in (0..f.len()).step_by(step) {
        f.read(start, &mut a[..step]);
        g.read(start, &mut b[..step]);
        claim += a[..step]
            .iter()
            .zip(&b[..step])
            .map(|(x, y)| *x * *y)
            .sum::<Fr>();
    }
    drop((a, b));
    let pool2 = pool(2)?;
    // Peak RSS of the streaming run alone: reset the high-water mark to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let baseline = vm_status_mib("VmRSS:");
    let start = std::time::Instant::now();
    let streamed = pool2.install(|| {
        let mut inst = StreamProd2::new(&f, &g, claim, 64 << 20);
        prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
    });
    let t_stream = start.elapsed();
    let peak = vm_status_mib("VmHWM:");
    let start = std::time::Instant::now();
    let in_memory = pool2.install(|| {
        let load = |t: &FileTable| {
            let mut v = vec![Fr::ZERO; t.len()];
            for (c, chunk) in v.chunks_mut(1 << 16).enumerate() {
                t.read_scaled(c << 16, chunk, Fr::ONE);
            }
            DenseTable::new(v)
        };
        let tables = vec![load(&f), load(&g)];
        let st = ProductStatement::prod2(s as usize);
        prove(
            &mut ProductSumcheck::new(&st, tables, claim),
            &mut Sha256Transcript::new(b"bench"),
        )
    });
    let t_memory = start.elapsed();
    if streamed != in_memory {
        return Err(bad("streaming and in-memory proofs differ".into()));
    }
    Ok(vec![
        Figure::new(format!("sumcheck.stream.n{s}.t2"), ms(t_stream), "ms"),
        Figure::new(format!("sumcheck.stream.n{s}.peak_rss_mib"), peak, "MiB"),
        Figure::new(
            format!("sumcheck.stream.n{s}.baseline_rss_mib"),
            baseline,
            "MiB",
        ),
        Figure::new(
            format!("sumcheck.stream.n{s}.vs_memory"),
            t_stream.as_secs_f64() / t_memory.as_secs_f64(),
            "ratio",
        ),
    ])
}

#[cfg(feature = "references")]
mod reference {
    //! The straightforward loop, on halo2curves' BN254 `Fr`.

    use std::time::Duration;

    use halo2curves::bn256::Fr;
    use halo2curves::ff::Field;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use crate::timing::measure;

    /// Σ f g: each round the evaluations at 0, 1, 2 by direct sums, a challenge, and the
    /// bind of the top variable of both tables.
    pub(super) fn prod2(n: u32, budget: Duration, min_runs: usize) -> Duration {
        let mut rng = ChaCha20Rng::seed_from_u64(0x5c);
        let f0: Vec<Fr> = (0..1usize << n).map(|_| Fr::random(&mut rng)).collect();
        let g0: Vec<Fr> = (0..1usize << n).map(|_| Fr::random(&mut rng)).collect();
        measure(budget, min_runs, || {
            let (mut f, mut g) = (f0.clone(), g0.clone());
            let mut r = Fr::from(7u64);
            let mut evals = [Fr::ZERO; 3];
            while f.len() > 1 {
                let half = f.len() / 2;
                let (mut e0, mut e1, mut e2) = (Fr::ZERO, Fr::ZERO, Fr::ZERO);
                for i in 0..half {
                    let (fl, fh, gl, gh) = (f[i], f[i + half], g[i], g[i + half]);
                    e0 += fl * gl;
                    e1 += fh * gh;
                    e2 += (fh.double() - fl) * (gh.double() - gl);
                }
                evals = [e0, e1, e2];
                // A stand-in challenge derived from the message (no transcript cost).
                r = r.square() + e0 + e2;
                for i in 0..half {
                    f[i] = f[i] + r * (f[i + half] - f[i]);
                    g[i] = g[i] + r * (g[i + half] - g[i]);
                }
                f.truncate(half);
                g.truncate(half);
            }
            (evals, f[0], g[0])
        })
    }
}
