//! Criterion benches of the field engine: scalar ops (asm and portable paths), every batch
//! kernel on every backend this CPU has, with arkworks and halo2curves on the same work.
//! Bench IDs name the backend. Batch kernels run on one thread (2^16 elements).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kaizen_field::backend::set_scalar_asm;
use kaizen_field::{batch, Backend, Field, Fr};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

const N: usize = 1 << 16;

fn scalar(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (x, y) = (Fr::random(&mut rng), Fr::random(&mut rng));
    let mut g = c.benchmark_group("fr.scalar");
    for asm in [true, false] {
        if set_scalar_asm(asm).is_err() {
            continue;
        }
        let path = if asm { "asm" } else { "portable" };
        g.bench_function(BenchmarkId::new("mul", path), |b| {
            b.iter(|| std::hint::black_box(x) * y)
        });
        g.bench_function(BenchmarkId::new("square", path), |b| {
            b.iter(|| std::hint::black_box(x).square())
        });
        g.bench_function(BenchmarkId::new("inverse", path), |b| {
            b.iter(|| std::hint::black_box(x).inverse())
        });
    }
    let _ = set_scalar_asm(true);
    g.finish();
}

fn kernels(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let a: Vec<Fr> = (0..N).map(|_| Fr::random(&mut rng)).collect();
    let d: Vec<Fr> = (0..N).map(|_| Fr::random(&mut rng)).collect();
    let r = Fr::random(&mut rng);
    let mut out = vec![Fr::ZERO; N];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("rayon pool");
    let mut g = c.benchmark_group("fr.batch");
    g.throughput(Throughput::Elements(N as u64));
    // One thread: `pool.install` per iteration costs a few microseconds against ~1 ms of work.
    for be in Backend::available() {
        g.bench_function(BenchmarkId::new("mul", be), |b| {
            b.iter(|| pool.install(|| batch::mul_with(be, &mut out, &a, &d)))
        });
        g.bench_function(BenchmarkId::new("inner_product", be), |b| {
            b.iter(|| pool.install(|| batch::inner_product_with(be, &a, &d)))
        });
        g.bench_function(BenchmarkId::new("fold", be), |b| {
            b.iter(|| pool.install(|| batch::fold_with(be, &mut out, &a, &d, r)))
        });
    }
    g.finish();
}

fn references(c: &mut Criterion) {
    use ark_ff::UniformRand;
    use halo2curves::ff::Field as _;
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let a: Vec<ark_bn254::Fr> = (0..N).map(|_| ark_bn254::Fr::rand(&mut rng)).collect();
    let mut out = a.clone();
    let ha: Vec<halo2curves::bn256::Fr> = (0..N)
        .map(|_| halo2curves::bn256::Fr::random(&mut rng))
        .collect();
    let mut hout = ha.clone();
    let mut g = c.benchmark_group("ref.fr");
    g.bench_function("ark.mul", |b| b.iter(|| std::hint::black_box(a[0]) * a[1]));
    g.bench_function("halo2curves.mul", |b| {
        b.iter(|| std::hint::black_box(ha[0]) * ha[1])
    });
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("ark.mul_loop", |b| {
        b.iter(|| out.iter_mut().zip(&a).for_each(|(o, x)| *o *= x))
    });
    g.bench_function("halo2curves.mul_loop", |b| {
        b.iter(|| hout.iter_mut().zip(&ha).for_each(|(o, x)| *o *= x))
    });
    g.finish();
}

criterion_group!(benches, scalar, kernels, references);
criterion_main!(benches);
