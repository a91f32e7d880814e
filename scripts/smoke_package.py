#!/usr/bin/env python3
"""Proves an installed whoiswho works on the machine that built it: its version, a JPEG with a
face and an iPhone HEIC indexed (the HEIC decoded, which needs libheif's HEVC decoder), faces
found with the models and ONNX Runtime the package carries. Exits 1 with the reason otherwise.
Run by every platform job of .github/workflows/release.yml on what it built and installed.

    python3 scripts/smoke_package.py BINARY [--data DIR]
    python3 scripts/smoke_package.py --macos-bundle APP   # no Homebrew or /usr/local library

The two photos are the test fixtures of ../shared/data/ (orientation/hopper/hopper.jpg and
phones/IMG_5195.HEIC): taken from that folder when --data names it, else fetched from the
public repositories they come from, pinned by commit and checked by sha256.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

PHOTOS = [
    # (name, sha256, folder under ../shared/data, pinned source)
    (
        "hopper.jpg",
        "ffe89a0ab0e94114e10777e7313d7fa83d634e34ebc2ea7479085cffa504c920",
        "orientation/hopper",
        "https://raw.githubusercontent.com/python-pillow/Pillow/"
        "fd55099ffc825734afe3c1e1a5a4a707099db88b/Tests/images/hopper.jpg",
    ),
    (
        "IMG_5195.HEIC",
        "d9b9ebe21c4127080414f2b86f6ecb900dc2ca902be82b39be93b61ccb622680",
        "phones",
        "https://raw.githubusercontent.com/ianare/exif-samples/"
        "2cf6e03b62dd8bc421f079fc782fa934de412bd5/heic/IMG_5195.HEIC",
    ),
]
# The HEIC as it is shown (its irot turns the coded 3313x2566 upright).
HEIC_SHOWN = (2566, 3313)


def fail(message):
    print(f"smoke: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def gather(folder, data):
    for name, digest, sub, url in PHOTOS:
        if data:
            with open(os.path.join(data, sub, name), "rb") as f:
                content = f.read()
        else:
            with urllib.request.urlopen(url, timeout=60) as answer:
                content = answer.read()
        if sha256(content) != digest:
            fail(f"{name} is not the test photo (sha256 {sha256(content)}, expected {digest})")
        with open(os.path.join(folder, name), "wb") as f:
            f.write(content)


def run(binary, library, *args):
    """Runs whoiswho; returns its --json document (or its stdout for --version)."""
    command = [binary, "--library", library, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        fail(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    if "--json" not in args:
        return done.stdout
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as e:
        fail(f"{' '.join(args)} printed no JSON ({e}): {done.stdout[:500]}")


def smoke(binary, data):
    with tempfile.TemporaryDirectory() as scratch:
        photos = os.path.join(scratch, "photos")
        library = os.path.join(scratch, "library")
        os.makedirs(photos)
        gather(photos, data)
        version = run(binary, library, "--version").strip()
        if not version.startswith("whoiswho "):
            fail(f"--version printed {version!r}")
        print(f"smoke: {version}")
        indexed = run(binary, library, "index", photos, "--json")
        if indexed["indexed"] != 2 or indexed["failed"]:
            fail(f"indexing the two photos: {indexed}")
        shown = {
            os.path.basename(p["path"]): (p["width"], p["height"])
            for p in run(binary, library, "photos", "--json")
        }
        if shown.get("IMG_5195.HEIC") != HEIC_SHOWN:
            fail(f"the HEIC is shown at {shown.get('IMG_5195.HEIC')}, expected {HEIC_SHOWN}")
        print("smoke: a JPEG and an iPhone HEIC indexed and decoded")
        found = run(binary, library, "faces", "detect", "--json")
        if found["failed"] or found["faces"] < 1:
            fail(f"the face search: {found}")
        print(f"smoke: {found['faces']} face(s) found with the packaged models")


def linked_libraries(path):
    done = subprocess.run(["otool", "-L", path], capture_output=True, text=True)
    if done.returncode != 0:
        return []
    return [line.strip().split(" (")[0] for line in done.stdout.splitlines()[1:]]


def check_macos_bundle(app):
    """Every Mach-O file of the bundle links only the system's libraries and the bundle's own."""
    foreign = []
    checked = 0
    for folder, _, files in os.walk(app):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            with open(path, "rb") as f:
                magic = f.read(4)
            if magic not in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xce\xfa\xed\xfe"):
                continue
            checked += 1
            for lib in linked_libraries(path):
                if lib.startswith(("/opt/homebrew", "/usr/local")):
                    foreign.append(f"{os.path.relpath(path, app)} -> {lib}")
    if checked == 0:
        fail(f"no executable found in {app}")
    if foreign:
        fail("libraries outside the bundle:\n  " + "\n  ".join(foreign))
    print(f"smoke: {checked} Mach-O files link only system libraries and the bundle's own")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--data", help="the shared test data folder (else fetched)")
    parser.add_argument("--macos-bundle", help="a .app whose libraries to check")
    args = parser.parse_args()
    if args.macos_bundle:
        check_macos_bundle(args.macos_bundle)
    if args.binary:
        smoke(args.binary, args.data)
    if not args.binary and not args.macos_bundle:
        parser.error("name the installed binary, or --macos-bundle")


if __name__ == "__main__":
    main()
