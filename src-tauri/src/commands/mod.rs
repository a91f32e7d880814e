//! Tauri commands, one file per feature: thin adapters from IPC to `whoiswho-core`. Types
//! crossing the boundary are declared here or derive `specta::Type` in the core, so
//! `ui/src/api/bindings.ts` is generated (`crate::bindings` lists them all).

pub mod claims;
pub mod error;
pub mod exports;
pub mod faces;
pub mod jobs;
pub mod library;
pub mod people;
pub mod post;
pub mod team;

use tauri::State;
use whoiswho_core::Library;

pub use error::{AppError, ErrorCode};

use crate::state::AppState;

/// Runs work that touches the library on a blocking thread: never on the main thread, where
/// it would freeze the window, and never on the async runtime's few workers.
async fn on_library<T: Send + 'static, E: Into<AppError>>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Library) -> Result<T, E> + Send + 'static,
) -> Result<T, AppError> {
    let library = state.library.clone();
    tauri::async_runtime::spawn_blocking(move || work(&library).map_err(Into::into))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
}

/// Asks where a file or folder is, in the native dialog; `None` when the person cancels.
fn picked(path: Option<tauri_plugin_dialog::FilePath>) -> Option<String> {
    path?.into_path().ok().map(|p| p.display().to_string())
}
