//! Criterion bench of the `sumcheck` suite's provers (`cargo bench -p kaizen-benches --bench
//! sumcheck`; needs `[[bench]] name = "sumcheck" harness = false` in benches/Cargo.toml).
//! The figures with ratios against the halo2curves reference come from `kaizen bench sumcheck`.

use criterion::{criterion_group, criterion_main, Criterion};
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::{
    claimed_sum, prove, DenseTable, ProductStatement, ProductSumcheck, Sha256Transcript,
    SmallProd2, SmallTable, Transcript,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

const LOG_N: u32 = 18;

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5c);
    let n = 1usize << LOG_N;
    let st = ProductStatement::prod2(LOG_N as usize);
    let tables: Vec<DenseTable> = (0..2)
        .map(|_| DenseTable::new((0..n).map(|_| Fr::random(&mut rng)).collect()))
        .collect();
    let claim = claimed_sum(&st, &tables);
    c.bench_function(&format!("sumcheck.prod2.n{LOG_N}"), |b| {
        b.iter(|| {
            let mut inst = ProductSumcheck::new(&st, tables.clone(), claim);
            prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
        })
    });
    let f = SmallTable::new((0..n).map(|_| rng.next_u32() as i8).collect::<Vec<i8>>());
    let g = SmallTable::new((0..n).map(|_| rng.next_u32() as i8).collect::<Vec<i8>>());
    let claim8 = SmallProd2::sum(&f, &g);
    c.bench_function(&format!("sumcheck.prod2_i8.n{LOG_N}"), |b| {
        b.iter(|| {
            let mut inst = SmallProd2::new(f.clone(), g.clone(), claim8);
            prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
