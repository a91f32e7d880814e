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
# One compile for the lints and the tests: clippy's driver compiles the workspace's own crates
# for the tests and lints them as it goes (what `cargo clippy` does, without a second, check-only
# pass over every dependency); the dependencies are compiled once, as the tests use them.
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings"
echo "== cargo clippy, while building every target for the tests" >&2
cargo test --workspace --all-targets --locked --no-run
echo "== cargo test (core, CLI, bindings, real app under Xvfb)" >&2
# Two test binaries at a time: the machine has two cores. The benchmark is built (and linted)
# above, not run.
cargo test --workspace --locked --lib --bins --tests --examples -- --test-threads=2
cargo test --workspace --locked --doc
