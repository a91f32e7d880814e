//! Tauri commands: thin adapters from IPC to `whoiswho-core`. Types crossing the boundary are
//! declared here or derive `specta::Type` in the core, so `ui/src/api/bindings.ts` is generated.

use std::path::PathBuf;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;
use whoiswho_core::catalog::CatalogError;
use whoiswho_core::{
    CancelToken, FailedFile, IndexProgress, IndexReport, LibraryError, PhotoDetails, PhotoSummary,
};

use crate::app::AppState;

/// What the UI may branch on; `message` is for people.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    Busy,
    Library,
    Internal,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<LibraryError> for AppError {
    fn from(e: LibraryError) -> Self {
        let code = match &e {
            LibraryError::Catalog(CatalogError::NoSuchPhoto(_)) | LibraryError::Unavailable(_) => {
                ErrorCode::NotFound
            }
            _ => ErrorCode::Library,
        };
        Self::new(code, e.to_string())
    }
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        LibraryError::from(e).into()
    }
}

/// Progress of the indexing run under way.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct IndexProgressEvent(pub IndexProgress);

/// An indexing run ended (finished or cancelled) with this report.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct IndexFinishedEvent(pub IndexReport);

/// An indexing run stopped on an error that is not about one file.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct IndexErrorEvent(pub AppError);

#[derive(Debug, Clone, Serialize, Type)]
pub struct LibraryInfo {
    pub path: String,
    pub folders: Vec<String>,
    pub photos: u64,
    /// Files that could not be indexed, as of the last run.
    pub failures: Vec<FailedFile>,
    pub indexing: bool,
}

#[tauri::command]
#[specta::specta]
pub fn library_info(state: State<'_, AppState>) -> Result<LibraryInfo, AppError> {
    let (folders, photos, failures) = state
        .library
        .read(|c| Ok((c.folders()?, c.present_photo_count()?, c.known_failures()?)))?;
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
        indexing: state.indexing.lock().is_ok_and(|g| g.is_some()),
    })
}

#[tauri::command]
#[specta::specta]
pub fn list_photos(state: State<'_, AppState>) -> Result<Vec<PhotoSummary>, AppError> {
    Ok(state.library.read(|c| c.photo_summaries())?)
}

#[tauri::command]
#[specta::specta]
pub fn photo_details(state: State<'_, AppState>, id: i64) -> Result<PhotoDetails, AppError> {
    Ok(state.library.read(|c| c.photo_details(id))?)
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

/// Starts indexing `folders` (or, when empty, every folder of the library) in the background.
/// Progress arrives as `IndexProgressEvent`, the end as `IndexFinishedEvent`.
#[tauri::command]
#[specta::specta]
pub fn start_indexing(
    app: AppHandle,
    state: State<'_, AppState>,
    folders: Vec<String>,
) -> Result<(), AppError> {
    let cancel = {
        let mut slot = state
            .indexing
            .lock()
            .map_err(|_| AppError::new(ErrorCode::Internal, "indexing state is poisoned"))?;
        if slot.is_some() {
            return Err(AppError::new(
                ErrorCode::Busy,
                "Indexing is already running; wait for it or cancel it first.",
            ));
        }
        let token = CancelToken::new();
        *slot = Some(token.clone());
        token
    };
    let library = state.library.clone();
    std::thread::spawn(move || {
        let progress_app = app.clone();
        let sink = move |p: &IndexProgress| {
            let _ = IndexProgressEvent(p.clone()).emit(&progress_app);
        };
        let result = if folders.is_empty() {
            library.rescan(&cancel, &sink)
        } else {
            let folders: Vec<PathBuf> = folders.into_iter().map(PathBuf::from).collect();
            library.index(&folders, &cancel, &sink)
        };
        if let Some(state) = tauri::Manager::try_state::<AppState>(&app) {
            if let Ok(mut slot) = state.indexing.lock() {
                *slot = None;
            }
        }
        let _ = match result {
            Ok(report) => IndexFinishedEvent(report).emit(&app),
            Err(e) => IndexErrorEvent(e.into()).emit(&app),
        };
    });
    Ok(())
}

/// Asks the running index to stop after the files in hand; what is done stays done.
#[tauri::command]
#[specta::specta]
pub fn cancel_indexing(state: State<'_, AppState>) -> bool {
    match state.indexing.lock() {
        Ok(slot) => slot.as_ref().map(|t| t.cancel()).is_some(),
        Err(_) => false,
    }
}
