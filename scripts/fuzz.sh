#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS seconds each (default 30).
#   ./scripts/fuzz.sh 60
# Installs cargo-fuzz if missing; needs the nightly toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
targets=$(cargo +nightly fuzz list)
for t in $targets; do
  echo "== fuzz $t (${secs}s)"
  cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=4096
done
