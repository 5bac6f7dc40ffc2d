//! Timing helpers for the `kaizen bench` suites.

use std::time::{Duration, Instant};

/// Runs `f` repeatedly and returns the median wall time of one call.
///
/// Warms up once, then repeats until `budget` is spent (at least `min_runs`, at most 1000).
pub fn measure<T>(budget: Duration, min_runs: usize, mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
    let start = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < min_runs.max(1) || (start.elapsed() < budget && samples.len() < 1000) {
        let t = Instant::now();
        std::hint::black_box(f());
        samples.push(t.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Peak resident set size of this process so far, in MiB (Linux `VmHWM`; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Nanoseconds as `f64`.
pub fn ns(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

/// Milliseconds as `f64`.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
