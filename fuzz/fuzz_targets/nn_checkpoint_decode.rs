//! Checkpoint decoding of arbitrary bytes never panics, and accepted bytes round-trip. The
//! input is tried as a whole file and, so the fuzzer gets past the digest, as a body with
//! its correct SHA-256 appended, and behind a valid magic and version (sealed too), so the
//! field parser behind them is reached.
#![no_main]

use std::path::Path;

use kaizen_nn::Checkpoint;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fn check(bytes: &[u8]) {
    if let Ok(c) = Checkpoint::from_bytes(Path::new("fuzz.ckpt"), bytes) {
        assert_eq!(c.to_bytes(), bytes);
        let again = Checkpoint::from_bytes(Path::new("fuzz.ckpt"), &c.to_bytes()).unwrap();
        assert_eq!(again, c);
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mut sealed = data.to_vec();
    sealed.extend_from_slice(&Sha256::digest(data));
    check(&sealed);
    let mut framed = b"KAIZENNN".to_vec();
    framed.extend_from_slice(&kaizen_nn::checkpoint::CHECKPOINT_VERSION.to_le_bytes());
    framed.extend_from_slice(data);
    let digest = Sha256::digest(&framed);
    framed.extend_from_slice(&digest);
    check(&framed);
});
