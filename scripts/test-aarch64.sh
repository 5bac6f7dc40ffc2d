#!/usr/bin/env bash
# Tests kaizen-field on aarch64 under qemu-user: the NEON batch backend and the portable one.
#
# Run from anywhere (it moves to the repository root); on a fresh x86-64 Debian machine it
# installs the cross toolchain, qemu and Debian's aarch64 Rust std through
# ../shared/scripts/aarch64-env.sh (root or sudo-less apt needed the first time).
#   scripts/test-aarch64.sh            # KAIZEN_SIMD=neon, then KAIZEN_SIMD=portable
#   scripts/test-aarch64.sh backend    # extra arguments go to the test binaries' filter
# Builds into $CARGO_TARGET_DIR (default target/aarch64) so the x86 target dir is untouched.
# Only kaizen-field's tests run: emulated timings mean nothing, correctness is the point.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${KAIZEN_SHARED_DIR:-$root/../shared}"
target=aarch64-unknown-linux-gnu

# Cross toolchain, qemu, Debian's rustc with the aarch64 std; then its environment
# (RUSTC, linker, runner, QEMU_CPU).
env_script="$(bash "$shared/scripts/aarch64-env.sh")"
eval "$env_script"
echo "$env_script" | sed -n 's/^# //p' >&2

# The rustup target too, when rustup manages the toolchain (for clippy and for builds that do
# not use Debian's rustc). The test build itself uses RUSTC from the script above, whose
# aarch64 std comes from Debian, so a failure here (e.g. offline) is only a warning.
if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    rustup target add "$target" >&2 || echo "warning: rustup target add $target failed" >&2
  fi
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/aarch64}"

for simd in neon portable; do
  echo "== KAIZEN_SIMD=$simd: cargo test --release -p kaizen-field --target $target" >&2
  KAIZEN_SIMD="$simd" cargo test --release -p kaizen-field --target "$target" -- "$@"
done
echo "== aarch64 field tests passed (neon, portable)" >&2
