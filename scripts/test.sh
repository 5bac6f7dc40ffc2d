#!/usr/bin/env bash
# kaizen's whole test run: what CI runs (.ci/run calls exactly this), and what a developer
# runs before pushing. It installs what it needs itself, then runs, in order:
#   1. cargo fmt --check, cargo clippy -D warnings
#   2. the x86-64 test suite once per arithmetic backend (KAIZEN_SIMD=portable, avx2, avx512,
#      auto), skipping backends this CPU lacks (said in the output)
#   3. the field tests for aarch64 under qemu (NEON and portable)
#   4. a short smoke run of every fuzz target (FUZZ_SECONDS each, default 10)
#   5. the README's main command (`kaizen demo`, 2 iterations) and a bench smoke run
#      (`kaizen bench field --quick --json`)
# Environment: FUZZ_SECONDS=N; SKIP_AARCH64=1 / SKIP_FUZZ=1 to skip steps locally.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==== %s\n' "$*"; }

step "tool check"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
command -v cargo-nextest >/dev/null 2>&1 || echo "(cargo-nextest not found; using cargo test)"

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "build tests"
cargo test --workspace --no-run

cpu_has() { grep -qw "$1" /proc/cpuinfo; }
for simd in portable avx2 avx512 auto; do
  case "$simd" in
    avx2) cpu_has avx2 || { echo "skip KAIZEN_SIMD=avx2: CPU lacks avx2"; continue; } ;;
    avx512) cpu_has avx512ifma || { echo "skip KAIZEN_SIMD=avx512: CPU lacks avx512ifma"; continue; } ;;
  esac
  step "tests, KAIZEN_SIMD=$simd"
  KAIZEN_SIMD="$simd" cargo test --workspace
done

if [ "${SKIP_AARCH64:-0}" != 1 ]; then
  step "aarch64 field tests under qemu"
  ./scripts/test-aarch64.sh
fi

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
  step "fuzz smoke"
  rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
  ./scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
fi

step "main command smoke: kaizen demo --iterations 2, kaizen bench field --quick --json"
cargo run --release -q -- demo --iterations 2 | tail -1 | grep -q "all 2 iterations verified"
cargo run --release -q -- bench field --quick --json | tail -1 | grep -q '"suite":"field"'
echo "ok"
