#!/usr/bin/env bash
# Builds the Linux packages: a .deb and an .rpm carrying the binary, the face and recognition
# models (as Tauri resources, installed to /usr/lib/whoiswho/models), the desktop entry and the
# icons. Prints the paths of what it built. `CARGO_TARGET_DIR` moves the build.
set -euo pipefail
cd "$(dirname "$0")/.."
# The package test runs inside the test command, which set up everything (and built the UI) first.
if [ "${1:-}" != "--debug" ]; then bash scripts/setup.sh; fi

# `--debug`: the package test's build, in the profile and target folder the tests already built
# (nothing compiled twice; the UI built by the set-up above, not again).
profile=release
args=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  args=(--debug --config '{"build":{"beforeBuildCommand":""}}')
fi
target="${CARGO_TARGET_DIR:-target}"
rm -rf "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm"
# The Tauri CLI wants CI to be true or false, and skips signing prompts when it is.
CI=true npx tauri build "${args[@]}" --bundles deb,rpm >&2

for f in "$target"/$profile/bundle/deb/*.deb "$target"/$profile/bundle/rpm/*.rpm; do
  echo "$(du -h "$f" | cut -f1)	$f" >&2
  echo "$f"
done
