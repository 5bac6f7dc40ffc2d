#!/usr/bin/env bash
# Makes the Fashion-MNIST subset embedded in kaizen-nn (nn/data/*.gz): the first TRAIN (1000)
# training images and labels and the first TEST (200) test images and labels, re-headed as
# IDX files and gzipped without name or timestamp (`gzip -9n`), so the output is reproducible.
#
# usage: scripts/make-subset.sh [SRC_DIR] [OUT_DIR]
#   SRC_DIR defaults to /usr/share/datasets/fashion-mnist (Debian: dataset-fashion-mnist),
#   OUT_DIR to nn/data.  Inputs may be gzipped (*.gz) or raw.
set -euo pipefail
SRC=${1:-/usr/share/datasets/fashion-mnist}
OUT=${2:-$(dirname "$0")/../nn/data}
TRAIN=${TRAIN:-1000}
TEST=${TEST:-200}
mkdir -p "$OUT"

# Big-endian u32 as printf escapes.
be32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

# Decompressed contents of SRC/$1 (or SRC/$1.gz).
cat_src() {
  if [ -f "$SRC/$1.gz" ]; then gzip -dc "$SRC/$1.gz"; elif [ -f "$SRC/$1" ]; then cat "$SRC/$1";
  else echo "make-subset: $SRC/$1(.gz) not found" >&2; exit 1; fi
}

# subset NAME COUNT KIND: KIND is images (magic 0x803, 16-byte header) or labels (0x801, 8).
subset() {
  local name=$1 n=$2 kind=$3 header body
  if [ "$kind" = images ]; then
    header="\\x00\\x00\\x08\\x03$(be32 "$n")$(be32 28)$(be32 28)"; body=$((n * 784)); skip=16
  else
    header="\\x00\\x00\\x08\\x01$(be32 "$n")"; body=$n; skip=8
  fi
  # `head` closes the pipe early on purpose: the SIGPIPE upstream is not an error here.
  { printf '%b' "$header"; (set +o pipefail; cat_src "$name" | tail -c +$((skip + 1)) | head -c "$body"); } \
    | gzip -9n > "$OUT/$name.gz"
  local got
  got=$(gzip -dc "$OUT/$name.gz" | wc -c)
  if [ "$got" -ne $((skip + body)) ]; then
    echo "make-subset: $OUT/$name.gz has $got bytes, expected $((skip + body))" >&2; exit 1
  fi
  echo "$OUT/$name.gz: $n $kind, $(wc -c < "$OUT/$name.gz") bytes"
}

subset train-images-idx3-ubyte "$TRAIN" images
subset train-labels-idx1-ubyte "$TRAIN" labels
subset t10k-images-idx3-ubyte "$TEST" images
subset t10k-labels-idx1-ubyte "$TEST" labels
