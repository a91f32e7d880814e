#!/usr/bin/env bash
# Index benchmark: whoiswho vs libvips' vipsthumbnail on the same 12-megapixel JPEGs, in one run.
# Usage: bash scripts/bench-index.sh [COUNT]   (default 60 photos; results in bench-data/results.json)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v vipsthumbnail >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libvips-tools >/dev/null
fi
bash scripts/setup.sh
cargo build --release --bin whoiswho --locked
exec python3 scripts/bench_index.py "${1:-60}"
