#!/usr/bin/env bash
# Second command of the README, and what CI runs: the whole test suite, with the real app
# window driven under Xvfb. Also checks formatting, lints, import circles between modules, UI types
# and generated bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== UI type check" >&2
npm run --silent typecheck
echo "== cargo fmt" >&2
cargo fmt --all -- --check
echo "== module import circles" >&2
python3 scripts/module-cycles.py
echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test (core, CLI, bindings, real app under Xvfb)" >&2
# Two test binaries at a time: the machine has two cores.
cargo test --workspace --locked -- --test-threads=2
