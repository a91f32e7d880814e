//! The library: what it holds, its photos, the folders it indexes, and the About box.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use whoiswho_core::catalog::{GridPhoto, PhotoFilter};
use whoiswho_core::jobs::JobKind;
use whoiswho_core::{FailedFile, PhotoDetails};

use super::{on_library, picked, AppError};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Type)]
pub struct LibraryInfo {
    pub path: String,
    pub folders: Vec<String>,
    pub photos: u64,
    /// Files that could not be indexed, as of the last run.
    pub failures: Vec<FailedFile>,
    pub indexing: bool,
    /// A face search is under way.
    pub searching: bool,
    /// Faces are being recognized (embedded, then suggested and grouped).
    pub recognizing: bool,
}

/// What the About box shows: the version, the models with their licences and sources, and
/// where the library lives.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AboutInfo {
    pub version: String,
    pub library: String,
    pub models: Vec<ModelInfo>,
    /// How the window draws (on the CPU where there is no GPU), and why.
    pub drawing: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ModelInfo {
    pub role: String,
    pub name: String,
    pub licence: String,
    pub source: String,
    pub sha256: String,
    /// The file it is loaded from, and whether it is there.
    pub path: String,
    pub present: bool,
}

#[tauri::command]
#[specta::specta]
pub fn about(state: State<'_, AppState>) -> AboutInfo {
    let models = crate::models();
    AboutInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        library: state.library.root().display().to_string(),
        models: models
            .cards()
            .iter()
            .map(|(card, file)| ModelInfo {
                role: card.role.clone(),
                name: card.name.clone(),
                licence: card.licence.clone(),
                source: card.source.clone(),
                sha256: card.sha256.clone(),
                path: file.path.display().to_string(),
                present: file.path.is_file(),
            })
            .collect(),
        drawing: crate::rendering::described(),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn library_info(state: State<'_, AppState>) -> Result<LibraryInfo, AppError> {
    let (folders, photos, failures) = on_library(&state, |library| {
        library.read(|c| Ok((c.folders()?, c.present_photo_count()?, c.known_failures()?)))
    })
    .await?;
    Ok(LibraryInfo {
        path: state.library.root().display().to_string(),
        folders,
        photos,
        failures: failures
            .into_iter()
            .map(|f| FailedFile {
                path: f.path,
                error: f.error,
            })
            .collect(),
        indexing: state.jobs.is_running(JobKind::Index),
        searching: state.jobs.is_running(JobKind::FaceSearch),
        recognizing: state.jobs.is_running(JobKind::Recognition),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_photos(
    state: State<'_, AppState>,
    filter: PhotoFilter,
) -> Result<Vec<GridPhoto>, AppError> {
    on_library(&state, move |l| l.read(|c| c.grid_photos(&filter))).await
}

#[tauri::command]
#[specta::specta]
pub async fn photo_details(state: State<'_, AppState>, id: i64) -> Result<PhotoDetails, AppError> {
    on_library(&state, move |l| l.read(|c| c.photo_details(id))).await
}

/// Opens the native folder picker; `None` when the user cancels it.
#[tauri::command]
#[specta::specta]
pub async fn pick_folders(app: AppHandle) -> Option<Vec<String>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Add photo folders")
        .blocking_pick_folders()?;
    Some(
        picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .map(|p| p.display().to_string())
            .collect(),
    )
}

/// Opens the native folder picker for an export or for avatars; `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(app: AppHandle, title: String) -> Option<String> {
    picked(app.dialog().file().set_title(title).blocking_pick_folder())
}
