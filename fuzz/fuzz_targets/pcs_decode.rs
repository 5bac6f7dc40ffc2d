//! The decoders of the commitment and its proofs MUST never panic: Hyrax commitment and
//! evaluation proof (`kaizen_msm`), accumulator instance, fold proof, decider proof and batch
//! opening proof (`kaizen_recursion`). The first byte picks the decoder, the rest is its input.
//! Whatever decodes with a fixed-layout encoding must re-encode to the same bytes.
#![no_main]

use kaizen_msm::{HyraxCommitment, HyraxEvalProof};
use kaizen_recursion::{AccInstance, BatchOpenProof, DeciderProof, FoldProof};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 6 {
        0 => {
            if let Ok(c) = HyraxCommitment::from_bytes(bytes) {
                assert_eq!(c.to_bytes(), bytes);
            }
        }
        1 => {
            if let Ok(p) = HyraxEvalProof::from_bytes(bytes) {
                assert_eq!(p.to_bytes(), bytes);
            }
        }
        2 => {
            if let Ok(a) = AccInstance::from_bytes(bytes) {
                assert_eq!(a.to_bytes(), bytes);
            }
        }
        3 => {
            // The embedded sumcheck encoding is not canonical for zero rounds (its
            // coefficient count is free), so only decoding is checked.
            let _ = FoldProof::from_bytes(bytes);
        }
        4 => {
            if let Ok(p) = DeciderProof::from_bytes(bytes) {
                assert_eq!(p.to_bytes(), bytes);
            }
        }
        _ => {
            let _ = BatchOpenProof::from_bytes(bytes);
        }
    }
});
