//! The streaming prover: byte-identical proofs and transcripts to the in-memory prover for
//! several memory budgets and every source (memory, small integers, files read by `pread`
//! and by `memmap2`); bad files give errors naming the file.

mod common;

use std::io::Write;

use common::*;
#[allow(unused_imports)]
use kaizen_field::Field as _;
use kaizen_field::{Fr, PrimeField};
use kaizen_sumcheck::stream::{
    Encoding, FileTable, MappedTable, SmallSlice, StreamError, TableSource,
};
use kaizen_sumcheck::{
    claimed_sum, prove, verify, DenseTable, ProductStatement, ProductSumcheck, ProverOutput,
    Sha256Transcript, StreamProd2, SumcheckInstance, Transcript,
};

const PROTOCOL: &[u8] = b"kaizen/test/stream";

/// The proof, the final factor values, and the next challenge of the transcript (so that the
/// transcripts' states are compared, not only the proofs).
fn run<I: SumcheckInstance>(inst: &mut I) -> (ProverOutput, Vec<Fr>, Fr) {
    let mut t = Sha256Transcript::new(PROTOCOL);
    let out = prove(inst, &mut t);
    (out, inst.final_claims(), t.challenge(b"after"))
}

fn budgets(n: usize) -> Vec<usize> {
    vec![0, 64, 64 << (n / 2), 64 << (n - 1), 64 << n, usize::MAX]
}

fn reference(f: &DenseTable, g: &DenseTable) -> ((ProverOutput, Vec<Fr>, Fr), Fr) {
    let st = ProductStatement::prod2(f.num_vars());
    let claim = claimed_sum(&st, &[f.clone(), g.clone()]);
    (
        run(&mut ProductSumcheck::new(
            &st,
            vec![f.clone(), g.clone()],
            claim,
        )),
        claim,
    )
}

fn write_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(bytes).expect("write");
    file.flush().expect("flush");
    file
}

#[test]
fn in_memory_sources_match_the_in_memory_prover_for_every_budget() {
    for n in [1usize, 2, 5, 11, 15] {
        let mut rng = rng(0x5100 + n as u64);
        let (f, g) = (rand_table(&mut rng, n), rand_table(&mut rng, n));
        let (want, claim) = reference(&f, &g);
        for budget in budgets(n) {
            let mut s = StreamProd2::new(&f, &g, claim, budget);
            let got = run(&mut s);
            assert_eq!(got, want, "n {n} budget {budget}, seed {}", seed());
            assert_eq!(
                got.0.proof.to_bytes(),
                want.0.proof.to_bytes(),
                "n {n} budget {budget}"
            );
        }
        // A zero budget really streams every round; an unlimited one none.
        let mut s = StreamProd2::new(&f, &g, claim, 0);
        let _ = run(&mut s);
        assert_eq!(s.streamed_rounds(), n);
        let mut s = StreamProd2::new(&f, &g, claim, usize::MAX);
        let _ = run(&mut s);
        assert_eq!(s.streamed_rounds(), 0);
    }
}

#[test]
fn streamed_proof_verifies() {
    let mut rng = rng(0x52);
    let n = 9;
    let (f, g) = (rand_table(&mut rng, n), rand_table(&mut rng, n));
    let (_, claim) = reference(&f, &g);
    let mut s = StreamProd2::new(&f, &g, claim, 64 << 4);
    let (out, evals, _) = run(&mut s);
    let reduced = verify(
        &out.proof,
        claim,
        n,
        2,
        &mut Sha256Transcript::new(PROTOCOL),
    )
    .expect("streamed proof");
    assert_eq!(
        evals,
        vec![f.evaluate(&reduced.point), g.evaluate(&reduced.point)]
    );
    reduced.check(evals[0] * evals[1]).expect("final claim");
}

#[test]
fn files_of_field_elements_match_for_every_budget() {
    let n = 13;
    let mut rng = rng(0x53);
    let (f, g) = (rand_table(&mut rng, n), rand_table(&mut rng, n));
    let (want, claim) = reference(&f, &g);
    let ff = write_file(&Encoding::encode_fr(f.evals()));
    let gf = write_file(&Encoding::encode_fr(g.evals()));
    let (f_read, g_read) = (
        FileTable::open(ff.path(), Encoding::Fr).expect("f"),
        FileTable::open(gf.path(), Encoding::Fr).expect("g"),
    );
    let (f_map, g_map) = (
        MappedTable::open(ff.path(), Encoding::Fr).expect("f"),
        MappedTable::open(gf.path(), Encoding::Fr).expect("g"),
    );
    for budget in budgets(n) {
        let got = run(&mut StreamProd2::new(&f_read, &g_read, claim, budget));
        assert_eq!(got, want, "pread, budget {budget}");
        let got = run(&mut StreamProd2::new(&f_map, &g_map, claim, budget));
        assert_eq!(got, want, "mmap, budget {budget}");
    }
}

#[test]
fn small_integer_sources_match() {
    let n = 12;
    let mut rng = rng(0x54);
    let (f8, g8) = (rand_i8_table(&mut rng, n), rand_i8_table(&mut rng, n));
    let (f16, g16) = (rand_i16_table(&mut rng, n), rand_i16_table(&mut rng, n));
    let (f32_, g32) = (rand_i32_table(&mut rng, n), rand_i32_table(&mut rng, n));
    let (want8, claim8) = reference(&f8.to_dense(), &g8.to_dense());
    let (want16, claim16) = reference(&f16.to_dense(), &g16.to_dense());
    let (want32, claim32) = reference(&f32_.to_dense(), &g32.to_dense());
    let bytes8 = |v: &[i8]| v.iter().map(|x| *x as u8).collect::<Vec<u8>>();
    let bytes16 = |v: &[i16]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let bytes32 = |v: &[i32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let files = [
        (
            write_file(&bytes8(f8.values())),
            write_file(&bytes8(g8.values())),
            Encoding::I8,
            claim8,
            &want8,
        ),
        (
            write_file(&bytes16(f16.values())),
            write_file(&bytes16(g16.values())),
            Encoding::I16,
            claim16,
            &want16,
        ),
        (
            write_file(&bytes32(f32_.values())),
            write_file(&bytes32(g32.values())),
            Encoding::I32,
            claim32,
            &want32,
        ),
    ];
    for budget in [0, 64 << 6, usize::MAX] {
        let (fs, gs) = (SmallSlice(f8.values()), SmallSlice(g8.values()));
        assert_eq!(
            &run(&mut StreamProd2::new(&fs, &gs, claim8, budget)),
            &want8,
            "i8 {budget}"
        );
        let (fs, gs) = (SmallSlice(f16.values()), SmallSlice(g16.values()));
        assert_eq!(
            &run(&mut StreamProd2::new(&fs, &gs, claim16, budget)),
            &want16,
            "i16"
        );
        for (ff, gf, enc, claim, want) in &files {
            let f = FileTable::open(ff.path(), *enc).expect("f");
            let g = MappedTable::open(gf.path(), *enc).expect("g");
            assert_eq!(
                &run(&mut StreamProd2::new(&f, &g, *claim, budget)),
                *want,
                "{enc:?} {budget}"
            );
        }
    }
}

#[test]
fn bad_files_name_the_file() {
    let missing = std::env::temp_dir().join("kaizen-sumcheck-no-such-table.bin");
    match FileTable::open(&missing, Encoding::Fr) {
        Err(StreamError::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected Io, got {other:?}"),
    }
    // 3 field elements: not a power of two.
    let three = write_file(&Encoding::encode_fr(&[Fr::ONE, Fr::ONE, Fr::ONE]));
    for res in [
        FileTable::open(three.path(), Encoding::Fr).map(|_| ()),
        MappedTable::open(three.path(), Encoding::Fr).map(|_| ()),
    ] {
        match res {
            Err(StreamError::Length {
                path,
                bytes: 96,
                width: 32,
            }) => assert_eq!(path, three.path()),
            other => panic!("expected Length, got {other:?}"),
        }
    }
    // Element 2 of 4 is the modulus itself: non-canonical.
    let mut bytes = Encoding::encode_fr(&[Fr::ONE; 4]);
    let p: Vec<u8> = Fr::MODULUS.iter().flat_map(|l| l.to_le_bytes()).collect();
    bytes[64..96].copy_from_slice(&p);
    let bad = write_file(&bytes);
    match FileTable::open(bad.path(), Encoding::Fr) {
        Err(StreamError::NonCanonical { path, offset: 64 }) => assert_eq!(path, bad.path()),
        other => panic!("expected NonCanonical, got {other:?}"),
    }
    match MappedTable::open(bad.path(), Encoding::Fr) {
        Err(StreamError::NonCanonical { offset: 64, .. }) => {}
        other => panic!("expected NonCanonical, got {other:?}"),
    }
    // The same bytes as i16 values are fine (64 values).
    let t = FileTable::open(bad.path(), Encoding::I16).expect("i16 file");
    assert_eq!(t.len(), 64);
}

#[test]
fn proof_bytes_do_not_depend_on_the_thread_count() {
    use kaizen_sumcheck::gkr::{Circuit, GkrWitness, Layer};
    use kaizen_sumcheck::logup::{multiplicities, LookupTable};
    use kaizen_sumcheck::{prove_gkr, prove_logup, EvaluationClaim};
    let n = 16;
    let mut rng = rng(0x55);
    let (f, g) = (rand_table(&mut rng, n), rand_table(&mut rng, n));
    let (_, claim) = reference(&f, &g);
    let circuit = Circuit {
        layers: vec![
            Layer::MatMul {
                rows: 6,
                inner: 6,
                cols: 6,
            },
            Layer::Hadamard { vars: 12 },
        ],
    };
    let w = GkrWitness {
        input: rand_vec(&mut rng, 1 << 12),
        aux: vec![rand_vec(&mut rng, 1 << 12), rand_vec(&mut rng, 1 << 12)],
    };
    let out = DenseTable::new(circuit.forward(&w).pop().expect("output"));
    let point = rand_vec(&mut rng, 12);
    let claims = [EvaluationClaim {
        value: out.evaluate(&point),
        point,
    }];
    let table = LookupTable::range(8);
    let witness: Vec<Fr> = f
        .evals()
        .iter()
        .map(|v| Fr::from_u64(u64::from(v.to_bytes()[0])))
        .collect();
    let m = multiplicities(&table, &witness).expect("bytes are in range");
    let all = || {
        let mut t = Sha256Transcript::new(PROTOCOL);
        let s = prove(&mut StreamProd2::new(&f, &g, claim, 64 << 8), &mut t);
        let (gp, _) = prove_gkr(&circuit, &w, &claims, &mut t);
        let (lp, _) = prove_logup(&table, &witness, &m, &mut t);
        (
            s.proof.to_bytes(),
            gp.to_bytes(),
            lp.to_bytes(),
            t.challenge(b"end"),
        )
    };
    let pool = |k| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .expect("pool")
    };
    assert_eq!(
        pool(1).install(all),
        pool(2).install(all),
        "seed {}",
        seed()
    );
}
