#!/usr/bin/env bash
# Builds the Linux packages: a .deb and an .rpm carrying the binary, the face and recognition
# models (as Tauri resources, installed to /usr/lib/whoiswho/models), the desktop entry and the
# icons. Prints the paths of what it built. `CARGO_TARGET_DIR` moves the build (the package
# test builds into target/package).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

target="${CARGO_TARGET_DIR:-target}"
rm -rf "$target/release/bundle/deb" "$target/release/bundle/rpm"
# The Tauri CLI wants CI to be true or false, and skips signing prompts when it is.
CI=true npx tauri build --bundles deb,rpm >&2

for f in "$target"/release/bundle/deb/*.deb "$target"/release/bundle/rpm/*.rpm; do
  echo "$(du -h "$f" | cut -f1)	$f" >&2
  echo "$f"
done
