//! Criterion bench of the `sumcheck` suite's provers (`cargo bench -p kaizen-benches --bench
//! sumcheck`; needs `[[bench]] name = "sumcheck" harness = false` in benches/Cargo.toml).
//! The figures with ratios against the halo2curves reference come from `kaizen bench sumcheck`.

use criterion::{criterion_group, criterion_main, Criterion};
use kaizen_field::{Field, Fr};
use kaizen_sumcheck::gkr::{prove_gkr_with_values, Circuit, GkrWitness, Layer};
use kaizen_sumcheck::logup::{multiplicities, LookupTable};
use kaizen_sumcheck::{
    claimed_sum, prove, prove_logup, DenseTable, EvaluationClaim, ProductStatement,
    ProductSumcheck, Sha256Transcript, SmallProd2, SmallTable, StreamProd2, Transcript,
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

fn bench_gkr_logup(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5e);
    // Streaming prod2 over in-memory tables, budget for 2^(LOG_N-4) bound entries.
    let n = 1usize << LOG_N;
    let f = DenseTable::new((0..n).map(|_| Fr::random(&mut rng)).collect());
    let g = DenseTable::new((0..n).map(|_| Fr::random(&mut rng)).collect());
    let claim = claimed_sum(
        &ProductStatement::prod2(LOG_N as usize),
        &[f.clone(), g.clone()],
    );
    c.bench_function(&format!("sumcheck.stream.n{LOG_N}"), |b| {
        b.iter(|| {
            let mut inst = StreamProd2::new(&f, &g, claim, 64 << (LOG_N - 4));
            prove(&mut inst, &mut Sha256Transcript::new(b"bench"))
        })
    });
    // LogUp of 2^LOG_N values in [0, 2^16).
    let table = LookupTable::range(16);
    let witness: Vec<Fr> = (0..n)
        .map(|_| Fr::from_u64(u64::from(rng.next_u32() >> 16)))
        .collect();
    c.bench_function(&format!("logup.n{LOG_N}.table16"), |b| {
        b.iter(|| {
            let m = multiplicities(&table, &witness).expect("in range");
            prove_logup(&table, &witness, &m, &mut Sha256Transcript::new(b"bench"))
        })
    });
    // GKR matmul 256x256 by 256x256.
    let circuit = Circuit {
        layers: vec![Layer::MatMul {
            rows: 8,
            inner: 8,
            cols: 8,
        }],
    };
    let w = GkrWitness {
        input: (0..1 << 16).map(|_| Fr::random(&mut rng)).collect(),
        aux: vec![(0..1 << 16).map(|_| Fr::random(&mut rng)).collect()],
    };
    let values = circuit.forward(&w);
    let point: Vec<Fr> = (0..16).map(|_| Fr::random(&mut rng)).collect();
    let value = DenseTable::new(values[1].clone()).evaluate(&point);
    let claims = [EvaluationClaim { point, value }];
    c.bench_function("matmul.n256", |b| {
        b.iter(|| {
            prove_gkr_with_values(
                &circuit,
                &w,
                &values,
                &claims,
                &mut Sha256Transcript::new(b"bench"),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench, bench_gkr_logup
}
criterion_main!(benches);
