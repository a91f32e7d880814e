//! The two faces of whoiswho over `whoiswho-core`: the desktop window (`commands`, `app`) and
//! the command line (`cli`). Neither holds logic of its own.

mod app;
pub mod bindings;
pub mod cli;
mod commands;
mod thumbnail_scheme;

use std::path::PathBuf;

/// The model files: each from its environment variable (`WHOISWHO_MODEL` for the face model,
/// `WHOISWHO_RECOGNITION_MODEL`), else beside the installed binary, else the checkout's
/// `assets/models/` (where the set-up command puts them).
pub fn models() -> whoiswho_core::jobs::Models {
    whoiswho_core::jobs::Models {
        faces: model_path("WHOISWHO_MODEL", "centerface.onnx"),
        recognition: model_path("WHOISWHO_RECOGNITION_MODEL", "sface.onnx"),
    }
}

fn model_path(variable: &str, name: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(variable) {
        return PathBuf::from(p);
    }
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("models").join(name)));
    let installed = PathBuf::from("/usr/lib/whoiswho/models").join(name);
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/models")
        .join(name);
    [beside_binary, Some(installed)]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .unwrap_or(checkout)
}

/// Where the library lives unless `--library` or `WHOISWHO_LIBRARY` says otherwise.
pub fn default_library_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("whoiswho")
}
