//! The proving commands end to end through the binary: `train --prove`, `verify`, `inspect`,
//! `demo`; tampered, missing, reordered and foreign files are rejected with a non-zero exit
//! and a message naming the file; nothing is overwritten without `--force`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn kaizen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaizen"))
        .args(args)
        .output()
        .expect("run kaizen")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn prove_into(dir: &Path, iterations: &str) -> Output {
    kaizen(&[
        "train",
        "--model",
        "mlp",
        "--max-iterations",
        iterations,
        "--prove",
        dir.to_str().unwrap(),
    ])
}

#[test]
fn prove_verify_inspect_and_reject_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let out = prove_into(&dir, "2");
    assert!(out.status.success(), "{}", text(&out));
    let iter1 = dir.join("iter-000000.kzp");
    let iter2 = dir.join("iter-000001.kzp");
    assert!(iter1.is_file() && iter2.is_file());

    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("all 2 iterations verified"),
        "{}",
        text(&out)
    );

    for file in ["run.kzr", "dataset.kzc", "iter-000000.kzp"] {
        let out = kaizen(&["inspect", dir.join(file).to_str().unwrap()]);
        assert!(out.status.success(), "{file}: {}", text(&out));
    }
    let out = kaizen(&["inspect", iter1.to_str().unwrap()]);
    assert!(text(&out).contains("iteration      0"), "{}", text(&out));

    // A second run into the same directory is refused before anything is written.
    let before = fs::read(&iter1).unwrap();
    let out = prove_into(&dir, "1");
    assert!(!out.status.success());
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(fs::read(&iter1).unwrap(), before);

    // A flipped byte in the middle of the second iteration: that iteration is rejected, exit 1.
    let good2 = fs::read(&iter2).unwrap();
    let mut bad = good2.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    fs::write(&iter2, &bad).unwrap();
    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("iter-000001.kzp"), "{}", text(&out));
    assert!(text(&out).contains("REJECTED"), "{}", text(&out));

    // Iterations swapped: the chain and the numbering are checked.
    fs::write(&iter2, &before).unwrap();
    fs::write(&iter1, &good2).unwrap();
    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));

    // A missing first iteration.
    fs::remove_file(&iter1).unwrap();
    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));

    // Not a kaizen file / not a proof directory.
    let junk = tmp.path().join("junk.bin");
    fs::write(&junk, b"hello world").unwrap();
    let out = kaizen(&["inspect", junk.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("junk.bin"), "{}", text(&out));
    let out = kaizen(&["verify", tmp.path().join("nope").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("nope"), "{}", text(&out));
}

#[test]
fn a_run_header_with_other_hyper_parameters_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let out = prove_into(&dir, "1");
    assert!(out.status.success(), "{}", text(&out));
    // Double the learning rate recorded in run.kzr (the f64 after the model name and batch).
    let path = dir.join("run.kzr");
    let mut bytes = fs::read(&path).unwrap();
    let name_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let lr_at = 12 + name_len + 4;
    let lr = f64::from_le_bytes(bytes[lr_at..lr_at + 8].try_into().unwrap());
    bytes[lr_at..lr_at + 8].copy_from_slice(&(lr * 2.0).to_le_bytes());
    fs::write(&path, &bytes).unwrap();
    // The digest it carries no longer matches the parameters: rejected, naming the file.
    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("run.kzr"), "{}", text(&out));
    // With the digest made consistent, the proof (made for the old rate) is rejected.
    let config = kaizen::nn::TrainConfig {
        lr: lr * 2.0,
        max_iterations: Some(1),
        ..kaizen::nn::TrainConfig::default()
    };
    let data = kaizen::nn::FashionMnist::embedded().unwrap();
    let digest = kaizen::nn::proof::ProofSystem::setup(&config, data.train.len())
        .unwrap()
        .digest();
    let digest_at = bytes.len() - 32;
    bytes[digest_at..].copy_from_slice(&digest);
    fs::write(&path, &bytes).unwrap();
    let out = kaizen(&["verify", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("REJECTED"), "{}", text(&out));
}

#[test]
fn demo_trains_proves_and_verifies() {
    let out = kaizen(&["demo", "--iterations", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("all 2 iterations verified"),
        "{}",
        text(&out)
    );
}
