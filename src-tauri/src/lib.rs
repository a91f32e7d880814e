//! The two faces of whoiswho over `whoiswho-core`: the desktop window (`commands`, `app`) and
//! the command line (`cli`). Neither holds logic of its own.

mod app;
pub mod bindings;
pub mod cli;
mod commands;
mod rendering;
pub mod resources;
mod state;
mod team_watch;
mod thumbnail_scheme;

use std::path::PathBuf;

/// The model files: each from its environment variable (`WHOISWHO_MODEL` for the face model,
/// `WHOISWHO_RECOGNITION_MODEL`, `WHOISWHO_ONNX_RUNTIME` for the engine that runs them), else
/// the app's resources (`resources::models_folder`), with what to do when one is not right.
pub fn models() -> whoiswho_core::models::Models {
    use whoiswho_core::models::{ModelFile, Models, Remedy};
    let shipped = Models::in_folder(&resources::models_folder(), resources::remedy());
    let from = |variable: &'static str, shipped: ModelFile| match std::env::var_os(variable) {
        Some(path) => ModelFile {
            path: PathBuf::from(path),
            remedy: Remedy::Variable(variable),
        },
        None => shipped,
    };
    Models {
        detector: from("WHOISWHO_MODEL", shipped.detector),
        recognizer: from("WHOISWHO_RECOGNITION_MODEL", shipped.recognizer),
        runtime: from("WHOISWHO_ONNX_RUNTIME", shipped.runtime),
    }
}

/// Where the library lives unless `--library` or `WHOISWHO_LIBRARY` says otherwise.
pub fn default_library_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("whoiswho")
}
