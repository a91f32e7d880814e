//! The two faces of whoiswho over `whoiswho-core`: the desktop window (`commands`, `app`) and
//! the command line (`cli`). Neither holds logic of its own.

mod app;
pub mod bindings;
pub mod cli;
mod commands;
pub mod resources;
mod thumbnail_scheme;

use std::path::PathBuf;

/// The model files: each from its environment variable (`WHOISWHO_MODEL` for the face model,
/// `WHOISWHO_RECOGNITION_MODEL`, `WHOISWHO_ONNX_RUNTIME` for the library that runs the face
/// model), else the app's resources (`resources::folder`).
pub fn models() -> whoiswho_core::jobs::Models {
    let packaged = whoiswho_core::jobs::Models::in_folder(&resources::models_folder());
    whoiswho_core::jobs::Models {
        faces: std::env::var_os("WHOISWHO_MODEL").map_or(packaged.faces, PathBuf::from),
        recognition: std::env::var_os("WHOISWHO_RECOGNITION_MODEL")
            .map_or(packaged.recognition, PathBuf::from),
        runtime: std::env::var_os("WHOISWHO_ONNX_RUNTIME").map_or(packaged.runtime, PathBuf::from),
    }
}

/// Where the library lives unless `--library` or `WHOISWHO_LIBRARY` says otherwise.
pub fn default_library_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("whoiswho")
}
