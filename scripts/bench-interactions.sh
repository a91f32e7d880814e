#!/usr/bin/env bash
# Interaction benchmark on a generated library of 5,000 photos and 50,000 faces: first every
# catalog call the UI makes (timed in-process), then the same interactions in the real window
# under Xvfb (timed in the page, from the action to the frame that shows its result).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --release -q -p whoiswho-core --example bench_interactions -- 5000 10 --keep "$work/lib"
npm run --silent build >/dev/null
WHOISWHO_BENCH_LIBRARY="$work/lib" cargo bench -q --bench window_interactions 2>/dev/null | grep '^|'
