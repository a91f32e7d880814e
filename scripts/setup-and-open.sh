#!/usr/bin/env bash
# First command of the README: set up what is missing, build, and open the whoiswho window.
# Arguments are passed to the app (e.g. --library PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --bin whoiswho
exec ./target/release/whoiswho "$@"
