//! Criterion benches of the MSM (`cargo bench -p kaizen-benches --bench msm`): BN254 G1 at
//! 2^12 and 2^16 points, full-width, i16 and i8 scalars, on the global rayon pool.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kaizen_field::{Field, Fr};
use kaizen_msm::{generators, msm_small_vartime, msm_vartime, Bn254};
use rand_chacha::rand_core::{RngCore, SeedableRng};

fn bench_msm(c: &mut Criterion) {
    let mut g = c.benchmark_group("bn254.msm");
    g.sample_size(10);
    for log_n in [12u32, 16] {
        let n = 1usize << log_n;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let bases = generators::<Bn254>(b"kaizen-criterion-msm", n);
        let full: Vec<Fr> = (0..n).map(|_| Fr::random(&mut rng)).collect();
        let i16s: Vec<i16> = (0..n).map(|_| rng.next_u32() as i16).collect();
        let i8s: Vec<i8> = (0..n).map(|_| rng.next_u32() as i8).collect();
        g.bench_with_input(BenchmarkId::new("full", n), &n, |b, _| {
            b.iter(|| msm_vartime(&bases, &full))
        });
        g.bench_with_input(BenchmarkId::new("i16", n), &n, |b, _| {
            b.iter(|| msm_small_vartime(&bases, &i16s))
        });
        g.bench_with_input(BenchmarkId::new("i8", n), &n, |b, _| {
            b.iter(|| msm_small_vartime(&bases, &i8s))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_msm);
criterion_main!(benches);
