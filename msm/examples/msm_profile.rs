//! A profiling driver for `perf`: repeats one MSM kind on 2^log_n BN254 points.
//!
//! `cargo run --release -p kaizen-msm --example msm_profile -- <i8|i16|full> [log_n] [reps]`
//! (under `perf record -g` to see where the time goes). Prints each repetition's wall time;
//! for figures use `kaizen bench msm`, not this.

use std::time::Instant;

use kaizen_field::{Field, Fp, Fr};
use kaizen_msm::{generators, msm_small_vartime, msm_vartime, Bn254, G1Affine};
use rand_chacha::rand_core::{RngCore, SeedableRng};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).map_or("i16", String::as_str).to_owned();
    let log_n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let n = 1usize << log_n;
    let bases = cached_bases(n);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let i16s: Vec<i16> = (0..n).map(|_| rng.next_u32() as i16).collect();
    let i8s: Vec<i8> = (0..n).map(|_| rng.next_u32() as i8).collect();
    let full: Vec<Fr> = if kind == "full" {
        (0..n).map(|_| Fr::random(&mut rng)).collect()
    } else {
        Vec::new()
    };
    for r in 0..reps {
        let cpu = cpu_ns();
        let t = Instant::now();
        let p = match kind.as_str() {
            "i8" => msm_small_vartime(&bases, &i8s),
            "full" => msm_vartime(&bases, &full),
            _ => msm_small_vartime(&bases, &i16s),
        };
        println!(
            "{kind} n=2^{log_n} rep {r}: {:.1} ms wall, {:.1} ms cpu (identity: {})",
            t.elapsed().as_secs_f64() * 1e3,
            (cpu_ns() - cpu) as f64 * 1e-6,
            p.is_identity()
        );
    }
}

/// The bases, cached as raw Montgomery limbs under the temp dir (hash-to-curve of 2^20
/// points takes longer than the MSMs being profiled). Points are re-checked on load.
fn cached_bases(n: usize) -> Vec<G1Affine> {
    let path = std::env::temp_dir().join(format!("kaizen-msm-profile-bases-{n}.bin"));
    if let Ok(bytes) = std::fs::read(&path) {
        if bytes.len() == 64 * n {
            let limbs = |c: &[u8]| -> [u64; 4] {
                core::array::from_fn(|k| {
                    u64::from_le_bytes(c[8 * k..8 * k + 8].try_into().unwrap_or([0; 8]))
                })
            };
            let pts: Option<Vec<G1Affine>> = bytes
                .chunks_exact(64)
                .map(|c| {
                    G1Affine::from_xy(
                        Fp::from_mont_limbs(limbs(&c[..32])),
                        Fp::from_mont_limbs(limbs(&c[32..])),
                    )
                })
                .collect();
            if let Some(pts) = pts {
                return pts;
            }
        }
    }
    let pts = generators::<Bn254>(b"kaizen-msm-profile", n);
    let mut bytes = Vec::with_capacity(64 * n);
    for p in &pts {
        if let Some((x, y)) = p.xy() {
            for l in x.mont_limbs().iter().chain(y.mont_limbs().iter()) {
                bytes.extend_from_slice(&l.to_le_bytes());
            }
        }
    }
    if bytes.len() == 64 * n {
        let _ = std::fs::write(&path, bytes);
    }
    pts
}

/// CPU time of every thread of this process so far, in ns (`/proc/self/task/*/schedstat`),
/// so that runs on a loaded machine can be compared by work rather than wall time.
fn cpu_ns() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}
