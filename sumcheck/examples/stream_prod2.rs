//! Streaming vs in-memory `Σ f g` over two `2^n`-entry tables read from files, in a process of
//! its own so that its peak RSS is the prover's.
//!
//! ```text
//! cargo run --release -p kaizen-sumcheck --example stream_prod2 -- N MODE [BUDGET_MIB] [ENC] [DIR]
//!   MODE   stream | memory   (memory: read both files into Vec<Fr> with the same batch conversion, then the in-memory prover)
//!   BUDGET bound-table budget of the streaming prover, MiB (default 128)
//!   ENC    fr | i32          (file encoding, default fr)
//!   DIR    where the two files are written (default the temp dir; reused if present)
//! ```
//!
//! Prints one line: mode, n, wall and CPU (user + system) seconds (file reading included for both modes: the tables live in
//! files), `VmHWM` after the files were written and the high-water mark was reset through
//! `/proc/self/clear_refs` (so it is the peak of the proving phase, baseline included), and the
//! first bytes of the proof digest so that runs can be compared.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use kaizen_field::{Field, Fr, PrimeField};
use kaizen_sumcheck::stream::{Encoding, FileTable, TableSource};
use kaizen_sumcheck::{
    prove, DenseTable, ProductStatement, ProductSumcheck, Sha256Transcript, StreamProd2, Transcript,
};

/// User + system CPU seconds of this process so far (`/proc/self/stat`, 100 ticks/s): on a
/// shared machine this is steadier than the wall time.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let (u, k) = (
                f.get(11)?.parse::<f64>().ok()?,
                f.get(12)?.parse::<f64>().ok()?,
            );
            Some((u + k) / 100.0)
        })
        .unwrap_or(0.0)
}

fn vm_hwm_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Deterministic pseudo-random values (splitmix64), small enough for `i32` files.
fn value(seed: u64, i: u64) -> i64 {
    let mut z = seed.wrapping_add(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) as i32) as i64
}

fn write_table(path: &PathBuf, n: usize, seed: u64, enc: Encoding) {
    if path.exists() {
        return;
    }
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).expect("create table file"));
    for i in 0..1u64 << n {
        let v = value(seed, i);
        match enc {
            Encoding::I32 => w.write_all(&(v as i32).to_le_bytes()),
            _ => w.write_all(&Fr::from_i64(v).square().to_bytes()),
        }
        .expect("write table file");
    }
    w.flush().expect("flush table file");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mode = args.get(2).cloned().unwrap_or_else(|| "stream".into());
    let budget_mib: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(128);
    let enc = match args.get(4).map(String::as_str) {
        Some("i32") => Encoding::I32,
        _ => Encoding::Fr,
    };
    let dir = args
        .get(5)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let tag = if enc == Encoding::I32 { "i32" } else { "fr" };
    let (fp, gp) = (
        dir.join(format!("kaizen-stream-f-{tag}-{n}.bin")),
        dir.join(format!("kaizen-stream-g-{tag}-{n}.bin")),
    );
    write_table(&fp, n, 1, enc);
    write_table(&gp, n, 2, enc);
    let (f, g) = (
        FileTable::open(&fp, enc).expect("f"),
        FileTable::open(&gp, enc).expect("g"),
    );
    // The claim: one streaming pass (not timed; a protocol knows its claim).
    let claim = {
        let mut acc = Fr::ZERO;
        let mut a = vec![Fr::ZERO; 1 << 16];
        let mut b = vec![Fr::ZERO; 1 << 16];
        for start in (0..f.len()).step_by(a.len().min(f.len())) {
            let len = a.len().min(f.len());
            f.read(start, &mut a[..len]);
            g.read(start, &mut b[..len]);
            acc += a[..len]
                .iter()
                .zip(&b[..len])
                .map(|(x, y)| *x * *y)
                .sum::<Fr>();
        }
        acc
    };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let base = vm_hwm_mib();
    let t = Instant::now();
    let cpu0 = cpu_secs();
    let mut transcript = Sha256Transcript::new(b"kaizen/example/stream");
    let out = match mode.as_str() {
        "memory" => {
            let load = |t: &FileTable| {
                let mut v = vec![Fr::ZERO; t.len()];
                for (c, chunk) in v.chunks_mut(1 << 16).enumerate() {
                    t.read_scaled(c << 16, chunk, Fr::ONE);
                }
                DenseTable::new(v)
            };
            let tables = vec![load(&f), load(&g)];
            let st = ProductStatement::prod2(n);
            prove(
                &mut ProductSumcheck::new(&st, tables, claim),
                &mut transcript,
            )
        }
        _ => prove(
            &mut StreamProd2::new(&f, &g, claim, budget_mib << 20),
            &mut transcript,
        ),
    };
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    let digest = transcript.challenge(b"digest").to_bytes();
    println!(
        "mode={mode} n={n} enc={tag} budget_mib={budget_mib} secs={secs:.3} cpu_secs={cpu:.2} peak_rss_mib={:.1} \
         baseline_rss_mib={base:.1} rounds={} digest={:02x}{:02x}{:02x}{:02x}",
        vm_hwm_mib(),
        out.proof.rounds.len(),
        digest[0],
        digest[1],
        digest[2],
        digest[3]
    );
}
