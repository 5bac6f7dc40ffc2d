//! The `sumcheck` suite: figures of `kaizen-sumcheck`'s provers (ms, median of runs).
//!
//! | figure | work |
//! |---|---|
//! | `sumcheck.prod2.n{N}.t1`, `.t2` | `Σ f g` over two dense `2^N` tables (1 / 2 rayon threads) |
//! | `sumcheck.eq_prod3.n{N}.t2` | `Σ eq(w, x) f g h` (Gruen split eq), 2 threads |
//! | `sumcheck.prod2_i8.n{N}.t1` | `Σ f g` over `i8` tables, small-value rounds first |
//! | `ref.halo2curves.prod2.n{N}.t1` | a straightforward halo2curves loop doing the prod2 work |
//!
//! Every prover run includes the transcript (SHA-256) and the binds; the claimed sum is an
//! input of the sumcheck (computed once outside the timing, as a protocol would know it).
//! The reference loop computes `s(0), s(1), s(2)` each round by direct sums and binds both
//! tables: the plain algorithm without compression or fused kernels. `N` is `--log-n`
//! (default 20).

use std::time::Duration;

use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{
    claimed_sum, prove, DenseTable, ProductStatement, ProductSumcheck, Sha256Transcript,
    SmallProd2, SmallTable, Transcript,
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
