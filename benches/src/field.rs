//! The `field` suite: scalar latency and throughput, every batch kernel on every backend
//! this CPU has, inversion; arkworks and halo2curves measured in the same run.
//!
//! Batch kernels are measured on one thread (a one-thread rayon pool) over 2^16 elements,
//! so that per-element figures compare with the single-threaded reference loops.

use std::time::Duration;

use kaizen_field::backend::{scalar_asm_enabled, set_scalar_asm};
use kaizen_field::{batch, Backend, Field, Fq, Fr};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use crate::timing::{measure, ns};
use crate::{BenchError, Figure, SuiteOptions};

/// Length of the dependent chain for latency figures.
const CHAIN: usize = 1 << 14;

fn budget(opts: &SuiteOptions) -> Duration {
    if opts.quick {
        Duration::from_millis(20)
    } else {
        Duration::from_millis(300)
    }
}

fn random_vec<F: Field>(rng: &mut ChaCha20Rng, n: usize) -> Vec<F> {
    (0..n).map(|_| F::random(rng)).collect()
}

/// Latency of one multiplication in a dependent chain `x <- x * y`.
fn mul_latency<F: Field>(b: Duration, rng: &mut ChaCha20Rng) -> f64 {
    let y = F::random(rng);
    let x0 = F::random(rng);
    let t = measure(b, 5, || {
        let mut x = x0;
        for _ in 0..CHAIN {
            x *= y;
        }
        x
    });
    ns(t) / CHAIN as f64
}

/// Runs the field suite.
pub fn run(opts: &SuiteOptions) -> Result<Vec<Figure>, BenchError> {
    let log_n = opts.log_n.unwrap_or(16);
    if !(4..=24).contains(&log_n) {
        return Err(BenchError::BadOption {
            suite: "field",
            what: format!("--log-n {log_n} not in 4..=24"),
        });
    }
    let n = 1usize << log_n;
    let b = budget(opts);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut figs = Vec::new();

    // Scalar latency: asm path (if the CPU has it) and the portable path.
    let asm_on = scalar_asm_enabled();
    figs.push(Figure::new(
        "fr.mul.latency",
        mul_latency::<Fr>(b, &mut rng),
        "ns",
    ));
    figs.push(Figure::new(
        "fq.mul.latency",
        mul_latency::<Fq>(b, &mut rng),
        "ns",
    ));
    if asm_on {
        // Ignoring the result is safe: turning the asm path off always succeeds.
        let _ = set_scalar_asm(false);
        figs.push(Figure::new(
            "fr.mul.latency.portable",
            mul_latency::<Fr>(b, &mut rng),
            "ns",
        ));
        let _ = set_scalar_asm(true);
    }

    let a: Vec<Fr> = random_vec(&mut rng, n);
    let c: Vec<Fr> = random_vec(&mut rng, n);
    let mut out = vec![Fr::ZERO; n];

    // Scalar throughput: the plain element loop.
    let t = measure(b, 5, || {
        for ((o, x), y) in out.iter_mut().zip(&a).zip(&c) {
            *o = *x * *y;
        }
    });
    figs.push(Figure::new("fr.mul.throughput", ns(t) / n as f64, "ns"));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| BenchError::BadOption {
            suite: "field",
            what: format!("thread pool: {e}"),
        })?;
    let r = Fr::random(&mut rng);
    let point: Vec<Fr> = random_vec(&mut rng, log_n as usize);
    let small: Vec<i16> = (0..n).map(|i| (i as i16).wrapping_mul(7919)).collect();
    pool.install(|| {
        for be in Backend::available() {
            let name = be.name();
            let t = measure(b, 5, || batch::mul_with(be, &mut out, &a, &c));
            figs.push(Figure::new(
                format!("fr.batch_mul.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
            let t = measure(b, 5, || batch::inner_product_with(be, &a, &c));
            figs.push(Figure::new(
                format!("fr.inner_product.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
            let t = measure(b, 5, || batch::fold_with(be, &mut out, &a, &c, r));
            figs.push(Figure::new(
                format!("fr.fold.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
            let t = measure(b, 5, || batch::mul_add_with(be, &mut out, &a, &c));
            figs.push(Figure::new(
                format!("fr.mul_add.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
            let t = measure(b, 5, || {
                batch::eq_expand_with(be, &mut out, &point, Fr::ONE)
            });
            figs.push(Figure::new(
                format!("fr.eq_expand.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
            let t = measure(b, 5, || batch::mul_small_with(be, &mut out, &small, &c));
            figs.push(Figure::new(
                format!("fr.mul_i16.{name}"),
                ns(t) / n as f64,
                "ns",
            ));
        }
    });

    // Inversion.
    let x = Fr::random(&mut rng);
    let t = measure(b, 5, || {
        let mut y = x;
        for _ in 0..64 {
            y = y.inverse().unwrap_or(Fr::ONE) + Fr::ONE;
        }
        y
    });
    figs.push(Figure::new("fr.inv.latency", ns(t) / 64.0, "ns"));
    let mut vals = a.clone();
    let mut scratch = vec![Fr::ZERO; n];
    let t = pool.install(|| measure(b, 3, || batch::batch_inverse(&mut vals, &mut scratch)));
    figs.push(Figure::new("fr.batch_inv", ns(t) / n as f64, "ns"));

    #[cfg(feature = "references")]
    references::run(b, n, &mut figs);
    Ok(figs)
}

#[cfg(feature = "references")]
mod references {
    //! arkworks 0.6 and halo2curves 0.10 on the same work, and our ratios against them.

    use std::time::Duration;

    use ark_ff::{Field as _, UniformRand};
    use halo2curves::ff::Field as _;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::CHAIN;
    use crate::timing::{measure, ns};
    use crate::Figure;

    fn find(figs: &[Figure], name: &str) -> Option<f64> {
        figs.iter().find(|f| f.name == name).map(|f| f.value)
    }

    pub(super) fn run(b: Duration, n: usize, figs: &mut Vec<Figure>) {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        // Latency.
        let (x0, y) = (ark_bn254::Fr::rand(&mut rng), ark_bn254::Fr::rand(&mut rng));
        let t = measure(b, 5, || {
            let mut x = x0;
            for _ in 0..CHAIN {
                x *= y;
            }
            x
        });
        let ark_lat = ns(t) / CHAIN as f64;
        figs.push(Figure::new("ref.ark.fr.mul.latency", ark_lat, "ns"));
        let (hx, hy) = (
            halo2curves::bn256::Fr::random(&mut rng),
            halo2curves::bn256::Fr::random(&mut rng),
        );
        let t = measure(b, 5, || {
            let mut x = hx;
            for _ in 0..CHAIN {
                x *= hy;
            }
            x
        });
        let h2_lat = ns(t) / CHAIN as f64;
        figs.push(Figure::new("ref.halo2curves.fr.mul.latency", h2_lat, "ns"));

        // Elementwise loops.
        let a: Vec<ark_bn254::Fr> = (0..n).map(|_| ark_bn254::Fr::rand(&mut rng)).collect();
        let c: Vec<ark_bn254::Fr> = (0..n).map(|_| ark_bn254::Fr::rand(&mut rng)).collect();
        let mut out = vec![ark_bn254::Fr::from(0u64); n];
        let t = measure(b, 5, || {
            for ((o, x), y) in out.iter_mut().zip(&a).zip(&c) {
                *o = *x * y;
            }
        });
        let ark_loop = ns(t) / n as f64;
        figs.push(Figure::new("ref.ark.fr.mul.throughput", ark_loop, "ns"));
        let ha: Vec<halo2curves::bn256::Fr> = (0..n)
            .map(|_| halo2curves::bn256::Fr::random(&mut rng))
            .collect();
        let hc: Vec<halo2curves::bn256::Fr> = (0..n)
            .map(|_| halo2curves::bn256::Fr::random(&mut rng))
            .collect();
        let mut hout = vec![halo2curves::bn256::Fr::ZERO; n];
        let t = measure(b, 5, || {
            for ((o, x), y) in hout.iter_mut().zip(&ha).zip(&hc) {
                *o = *x * y;
            }
        });
        let h2_loop = ns(t) / n as f64;
        figs.push(Figure::new(
            "ref.halo2curves.fr.mul.throughput",
            h2_loop,
            "ns",
        ));

        // Inversion.
        let t = measure(b, 5, || {
            let mut y = a[0];
            for _ in 0..64 {
                y = y.inverse().unwrap_or(ark_bn254::Fr::from(1u64)) + ark_bn254::Fr::from(1u64);
            }
            y
        });
        let ark_inv = ns(t) / 64.0;
        figs.push(Figure::new("ref.ark.fr.inv.latency", ark_inv, "ns"));
        let t = measure(b, 5, || {
            let mut y = ha[0];
            for _ in 0..64 {
                y = Option::<halo2curves::bn256::Fr>::from(y.invert())
                    .unwrap_or(halo2curves::bn256::Fr::ONE)
                    + halo2curves::bn256::Fr::ONE;
            }
            y
        });
        let h2_inv = ns(t) / 64.0;
        figs.push(Figure::new("ref.halo2curves.fr.inv.latency", h2_inv, "ns"));

        // Ratios (ours / best reference); the targets are stated on these.
        if let Some(ours) = find(figs, "fr.mul.latency") {
            figs.push(Figure::new(
                "ratio.fr.mul.latency",
                ours / ark_lat.min(h2_lat),
                "ratio",
            ));
        }
        let best_batch = figs
            .iter()
            .filter(|f| f.name.starts_with("fr.batch_mul."))
            .map(|f| f.value)
            .fold(f64::INFINITY, f64::min);
        if best_batch.is_finite() {
            figs.push(Figure::new(
                "ratio.fr.batch_mul",
                best_batch / ark_loop.min(h2_loop),
                "ratio",
            ));
        }
        if let Some(ours) = find(figs, "fr.inv.latency") {
            figs.push(Figure::new("ratio.fr.inv.latency", ours / h2_inv, "ratio"));
        }
    }
}
