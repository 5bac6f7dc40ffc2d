//! The verifiers MUST never panic on any proof bytes for a fixed honest statement: a Hyrax
//! opening, a batch opening of claims at several points, an accumulator fold and a decider
//! proof. The first byte picks the verifier; if its top bit is set the rest is XORed onto the
//! honest proof's bytes (so mutations reach the checks past the decoder), else it replaces
//! them. An honest proof must verify; bytes that decode to a different proof may verify only
//! if they are another valid proof, which the target does not assume either way.
#![no_main]

use std::sync::OnceLock;

use kaizen_field::{Field, Fr};
use kaizen_msm::{HyraxCommitment, HyraxEvalProof};
use kaizen_recursion::{
    accumulate, prove_batch_open, prove_decider, prove_fold, verify_batch_open, verify_decider,
    verify_fold, AccInstance, BatchOpenProof, Claim, ClaimSet, CommittedTable, DeciderProof,
    FoldProof, HyraxPcs,
};
use kaizen_sumcheck::{DenseTable, Sha256Transcript};
use libfuzzer_sys::fuzz_target;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// Small shape: 2^5 entries as 4 rows of 8 (big enough for every code path, fast to verify).
const NUM_VARS: usize = 5;
const LOG_ROWS: usize = 2;

struct Fixture {
    pcs: HyraxPcs,
    comms: Vec<HyraxCommitment>,
    claims: Vec<Claim>,
    accs: [AccInstance; 2],
    folded: AccInstance,
    honest: [Vec<u8>; 4],
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0x7063_735f_7665_7269);
        let pcs = HyraxPcs::setup(NUM_VARS, LOG_ROWS);
        let tables: Vec<Vec<Fr>> = (0..2)
            .map(|_| (0..1 << NUM_VARS).map(|_| Fr::random(&mut rng)).collect())
            .collect();
        let (comms, openings): (Vec<_>, Vec<_>) =
            tables.iter().map(|t| pcs.commit(t, &mut rng)).unzip();
        let points: Vec<Vec<Fr>> = (0..2)
            .map(|_| (0..NUM_VARS).map(|_| Fr::random(&mut rng)).collect())
            .collect();
        let claims: Vec<Claim> = (0..3)
            .map(|i| Claim {
                commitment: i % 2,
                point: points[i / 2].clone(),
                value: DenseTable::new(tables[i % 2].clone()).evaluate(&points[i / 2]),
            })
            .collect();
        // Single opening of claim 0.
        let mut t = pcs.transcript::<Sha256Transcript>();
        let (_, open) = pcs.open(&mut t, &comms[0], &openings[0], &tables[0], &points[0], &mut rng);
        // Batch opening of all claims.
        let set = ClaimSet {
            commitments: comms.iter().collect(),
            claims: claims.clone(),
        };
        let witness: Vec<CommittedTable<'_>> = tables
            .iter()
            .zip(&openings)
            .map(|(table, opening)| CommittedTable { table, opening })
            .collect();
        let mut t = pcs.transcript::<Sha256Transcript>();
        let batch = prove_batch_open(&pcs, &mut t, &set, &witness, &mut rng);
        // Two accumulators, their fold and the decider proof of the fold.
        let a0 = accumulate(&pcs, &comms[0], &openings[0], &tables[0], &points[0]);
        let a1 = accumulate(&pcs, &comms[1], &openings[1], &tables[1], &points[1]);
        let mut t = pcs.transcript::<Sha256Transcript>();
        let (folded, wit, fold) = prove_fold(&pcs, &mut t, (&a0.0, &a0.1), (&a1.0, &a1.1));
        let mut t = pcs.transcript::<Sha256Transcript>();
        let decider = prove_decider(&pcs, &mut t, &folded, &wit, &mut rng);
        Fixture {
            pcs,
            comms,
            claims,
            accs: [a0.0, a1.0],
            folded,
            honest: [
                open.to_bytes(),
                batch.to_bytes(),
                fold.to_bytes(),
                decider.to_bytes(),
            ],
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let which = usize::from(mode & 3);
    let honest = &f.honest[which];
    let bytes: Vec<u8> = if mode & 0x80 != 0 {
        // XOR patch over the honest bytes; a longer patch appends its tail.
        let mut b = honest.clone();
        for (i, x) in rest.iter().enumerate() {
            match b.get_mut(i) {
                Some(y) => *y ^= *x,
                None => b.push(*x),
            }
        }
        b
    } else {
        rest.to_vec()
    };
    let is_honest = &bytes == honest;
    let pcs = &f.pcs;
    let mut t = pcs.transcript::<Sha256Transcript>();
    let ok = match which {
        0 => HyraxEvalProof::from_bytes(&bytes).is_ok_and(|p| {
            let c = &f.claims[0];
            pcs.verify(&mut t, &f.comms[0], &c.point, c.value, &p).is_ok()
        }),
        1 => BatchOpenProof::from_bytes(&bytes).is_ok_and(|p| {
            let set = ClaimSet {
                commitments: f.comms.iter().collect(),
                claims: f.claims.clone(),
            };
            verify_batch_open(pcs, &mut t, &set, &p).is_ok()
        }),
        2 => FoldProof::from_bytes(&bytes).is_ok_and(|p| {
            verify_fold(pcs, &mut t, &f.accs[0], &f.accs[1], &p).is_ok_and(|acc| acc == f.folded)
        }),
        _ => DeciderProof::from_bytes(&bytes)
            .is_ok_and(|p| verify_decider(pcs, &mut t, &f.folded, &p).is_ok()),
    };
    if is_honest {
        assert!(ok, "the honest proof {which} must verify");
    }
});
