#!/usr/bin/env bash
# Builds the Linux packages: a .deb and an .rpm carrying the binary, the face and recognition
# models (as Tauri resources, installed to /usr/lib/whoiswho/models), the desktop entry and the
# icons. Prints the paths of what it built. `CARGO_TARGET_DIR` moves the build.
set -euo pipefail
cd "$(dirname "$0")/.."
# The package test runs inside the test command, which set up everything (and built the UI) first.
if [ "${1:-}" != "--debug" ]; then bash scripts/setup.sh; fi

# `--debug`: the package test's packages, made from the binary the tests built and ran
# (`tauri bundle` compiles nothing: a `tauri build` here would compile again whatever the tests'
# dev-dependencies built with other features; the UI is embedded in that binary already).
target="${CARGO_TARGET_DIR:-target}"
# The Tauri CLI wants CI to be true or false, and skips signing prompts when it is.
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  rm -rf "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm"
  CI=true npx tauri bundle --debug --bundles deb,rpm >&2
else
  profile=release
  rm -rf "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm"
  CI=true npx tauri build --bundles deb,rpm >&2
fi

for f in "$target"/$profile/bundle/deb/*.deb "$target"/$profile/bundle/rpm/*.rpm; do
  echo "$(du -h "$f" | cut -f1)	$f" >&2
  echo "$f"
done
