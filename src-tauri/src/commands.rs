//! Tauri commands: thin adapters from IPC to `whoiswho-core`. Types crossing the boundary are
//! declared here or derive `specta::Type` in the core, so `ui/src/api/bindings.ts` is generated.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;
use whoiswho_core::catalog::CatalogError;
use whoiswho_core::catalog::{Face, FaceOnPhoto, FaceState, GridPhoto, Person, PhotoFilter};
use whoiswho_core::faces::{
    self, search_library, set_face as set_one_face, tag_face as tag_one_face, DetectOptions,
    DetectReport, FaceDetector, Region, TagError, WhoEntry,
};
use whoiswho_core::people::{
    self, roster, PeopleError, PersonInput, RosterReport, SavePersonError, SavedPerson,
};
use whoiswho_core::{
    CancelToken, DetectProgress, FailedFile, IndexProgress, IndexReport, Library, LibraryError,
    PhotoDetails,
};

use crate::app::AppState;

/// What the UI may branch on; `message` is for people.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    /// The input (a login, a box) was refused; `message` says why.
    Invalid,
    /// The face model is missing or damaged; the rest of the app works.
    NoModel,
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

impl From<TagError> for AppError {
    fn from(e: TagError) -> Self {
        let code = match &e {
            TagError::NoSuchFace { .. } => ErrorCode::NotFound,
            TagError::Login(_) | TagError::NoTag(_) | TagError::BadBox(_) => ErrorCode::Invalid,
            TagError::Catalog(_) => ErrorCode::Library,
        };
        Self::new(code, e.to_string())
    }
}

impl From<PeopleError> for AppError {
    fn from(e: PeopleError) -> Self {
        match e {
            PeopleError::Catalog(c) => c.into(),
            PeopleError::Roster(r) => r.into(),
        }
    }
}

impl From<roster::RosterError> for AppError {
    fn from(e: roster::RosterError) -> Self {
        Self::new(ErrorCode::Invalid, e.to_string())
    }
}

impl From<SavePersonError> for AppError {
    fn from(e: SavePersonError) -> Self {
        match e {
            SavePersonError::Catalog(c) => c.into(),
            SavePersonError::Login(l) => Self::new(ErrorCode::Invalid, l.to_string()),
        }
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

/// A background job (indexing, face search) stopped on an error that is not about one file.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct JobErrorEvent(pub AppError);

/// Progress of the face search under way.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct FaceSearchProgressEvent(pub DetectProgress);

/// A face search ended with this report.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct FaceSearchFinishedEvent(pub DetectReport);

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
        searching: state.searching.lock().is_ok_and(|g| g.is_some()),
    })
}

#[tauri::command]
#[specta::specta]
pub fn list_photos(
    state: State<'_, AppState>,
    filter: PhotoFilter,
) -> Result<Vec<GridPhoto>, AppError> {
    Ok(state.library.read(|c| c.grid_photos(&filter))?)
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
    let cancel = claim(
        &state.indexing,
        "Indexing is already running; wait for it or cancel it first.",
    )?;
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
        release(&app, |s| &s.indexing);
        let finished = result.is_ok();
        let _ = match result {
            Ok(report) => IndexFinishedEvent(report).emit(&app),
            Err(e) => JobErrorEvent(e.into()).emit(&app),
        };
        // New photos are searched for faces right away, in the background.
        if finished && !cancel.is_cancelled() {
            if let Some(state) = tauri::Manager::try_state::<AppState>(&app) {
                let _ = spawn_face_search(&app, &state);
            }
        }
    });
    Ok(())
}

/// Takes a background-job slot, or says the job is already running.
fn claim(slot: &Mutex<Option<CancelToken>>, busy: &str) -> Result<CancelToken, AppError> {
    let mut slot = slot
        .lock()
        .map_err(|_| AppError::new(ErrorCode::Internal, "background job state is poisoned"))?;
    if slot.is_some() {
        return Err(AppError::new(ErrorCode::Busy, busy));
    }
    let token = CancelToken::new();
    *slot = Some(token.clone());
    Ok(token)
}

/// Frees a background-job slot when its job ends.
fn release(app: &AppHandle, slot: impl Fn(&AppState) -> &Mutex<Option<CancelToken>>) {
    if let Some(state) = tauri::Manager::try_state::<AppState>(app) {
        if let Ok(mut guard) = slot(&state).lock() {
            *guard = None;
        }
    }
}

/// Searches every photo not searched yet for faces, in the background. Progress arrives as
/// `FaceSearchProgressEvent`, the end as `FaceSearchFinishedEvent`.
#[tauri::command]
#[specta::specta]
pub fn start_face_search(app: AppHandle, state: State<'_, AppState>) -> Result<(), AppError> {
    spawn_face_search(&app, &state)
}

fn spawn_face_search(app: &AppHandle, state: &AppState) -> Result<(), AppError> {
    let cancel = claim(&state.searching, "Faces are already being searched.")?;
    let library: std::sync::Arc<Library> = state.library.clone();
    let app = app.clone();
    std::thread::spawn(move || {
        let result = FaceDetector::load(&crate::face_model_path())
            .map_err(|e| AppError::new(ErrorCode::NoModel, e.to_string()))
            .and_then(|detector| {
                let progress_app = app.clone();
                let sink = move |p: &DetectProgress| {
                    let _ = FaceSearchProgressEvent(p.clone()).emit(&progress_app);
                };
                search_library(
                    &library,
                    &detector,
                    &DetectOptions::default(),
                    &cancel,
                    &sink,
                )
                .map_err(AppError::from)
            });
        release(&app, |s| &s.searching);
        let _ = match result {
            Ok(report) => FaceSearchFinishedEvent(report).emit(&app),
            Err(e) => JobErrorEvent(e).emit(&app),
        };
    });
    Ok(())
}

/// The boxes of a photo and its "who is who" legend, in one answer.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhotoFaces {
    /// In displayed coordinates (0..1, top-left origin), hidden ones included.
    pub faces: Vec<Face>,
    /// The tagged, visible faces numbered in reading order.
    pub legend: Vec<WhoEntry>,
}

#[tauri::command]
#[specta::specta]
pub fn photo_faces(state: State<'_, AppState>, id: i64) -> Result<PhotoFaces, AppError> {
    let faces = state.library.read(|c| c.faces(id))?;
    let legend = faces::who_is_who(&faces);
    Ok(PhotoFaces { faces, legend })
}

/// One attendee, with counts and best face; `None` when the login is not in the roster.
#[tauri::command]
#[specta::specta]
pub fn get_person(state: State<'_, AppState>, login: String) -> Result<Option<Person>, AppError> {
    Ok(state.library.read(|c| c.person(&login))?)
}

/// The attendee roster, with face counts.
#[tauri::command]
#[specta::specta]
pub fn list_people(state: State<'_, AppState>) -> Result<Vec<Person>, AppError> {
    Ok(state.library.read(|c| c.people())?)
}

/// Puts `login` on a face; a login not in the roster is validated and added to it.
#[tauri::command]
#[specta::specta]
pub fn tag_face(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: i64,
    login: String,
) -> Result<Face, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(tag_one_face(&mut catalog, photo_id, face_id, &login)?)
}

/// Asks the running index and face search to stop after the photo in hand; what is done
/// stays done, and the next run resumes from there.
#[tauri::command]
#[specta::specta]
pub fn cancel_indexing(state: State<'_, AppState>) -> bool {
    [&state.indexing, &state.searching]
        .iter()
        .filter_map(|slot| slot.lock().ok())
        .filter_map(|slot| slot.as_ref().map(|t| t.cancel()))
        .count()
        > 0
}

/// Sets who a face is (`None`: nobody) and its state; used to untag, mark "not a face" or
/// "ignore", and to undo or redo any tagging step.
#[tauri::command]
#[specta::specta]
pub fn set_face(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: i64,
    login: Option<String>,
    face_state: FaceState,
) -> Result<Face, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(set_one_face(
        &mut catalog,
        photo_id,
        face_id,
        login.as_deref(),
        face_state,
    )?)
}

/// The head of the triage queue: untagged faces, largest first, and how many there are.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TriageQueue {
    pub faces: Vec<FaceOnPhoto>,
    pub total: u64,
}

#[tauri::command]
#[specta::specta]
pub fn untagged_faces(state: State<'_, AppState>, limit: u32) -> Result<TriageQueue, AppError> {
    let (faces, total) = state.library.read(|c| c.untagged_faces(limit.min(2000)))?;
    Ok(TriageQueue { faces, total })
}

/// Draws a box the detector missed, tagged with `login` or waiting for one.
#[tauri::command]
#[specta::specta]
pub fn add_face(
    state: State<'_, AppState>,
    photo_id: i64,
    region: Region,
    login: Option<String>,
) -> Result<Face, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(faces::add_box(
        &mut catalog,
        photo_id,
        region,
        login.as_deref(),
    )?)
}

/// Moves or resizes a box (it becomes the organizer's: re-detection keeps it).
#[tauri::command]
#[specta::specta]
pub fn move_face(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: i64,
    region: Region,
) -> Result<Face, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(faces::move_box(&mut catalog, photo_id, face_id, region)?)
}

/// Deletes a box; returns what it was so the UI can undo.
#[tauri::command]
#[specta::specta]
pub fn delete_face(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: i64,
) -> Result<Face, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(faces::delete_box(&mut catalog, photo_id, face_id)?)
}

/// Adds an attendee or edits one (name, affiliation, consent).
#[tauri::command]
#[specta::specta]
pub fn save_person(
    state: State<'_, AppState>,
    person: PersonInput,
) -> Result<SavedPerson, AppError> {
    let mut catalog = state.library.catalog()?;
    Ok(people::save_person(&mut catalog, &person)?)
}

/// Opens the native file picker for a roster CSV; `None` when the user cancels it.
#[tauri::command]
#[specta::specta]
pub async fn pick_roster_file(app: AppHandle) -> Option<String> {
    app.dialog()
        .file()
        .set_title("Import attendee roster")
        .add_filter("CSV", &["csv", "tsv", "txt"])
        .blocking_pick_file()?
        .into_path()
        .ok()
        .map(|p| p.display().to_string())
}

/// Imports a roster CSV: accepted rows land in one transaction, problems are reported.
#[tauri::command]
#[specta::specta]
pub fn import_roster(state: State<'_, AppState>, path: String) -> Result<RosterReport, AppError> {
    let bytes = roster::read_file(std::path::Path::new(&path))?;
    let mut catalog = state.library.catalog()?;
    Ok(people::import_roster(&mut catalog, &bytes)?)
}

/// Opens `https://github.com/LOGIN` in the system browser: the one address the app ever opens,
/// and only when the organizer clicks a profile link.
#[tauri::command]
#[specta::specta]
pub fn open_profile(app: AppHandle, login: String) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let login = people::parse_login(&login)
        .map_err(|e| AppError::new(ErrorCode::Invalid, e.to_string()))?;
    app.opener()
        .open_url(people::profile_url(&login), None::<&str>)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot open a browser: {e}")))
}

impl From<whoiswho_core::export::ExportError> for AppError {
    fn from(e: whoiswho_core::export::ExportError) -> Self {
        use whoiswho_core::export::ExportError as E;
        match e {
            E::Catalog(c) => c.into(),
            E::Format(_) => Self::new(ErrorCode::Invalid, e.to_string()),
            _ => Self::new(ErrorCode::Library, e.to_string()),
        }
    }
}

/// The export dialog's starting point: prefilled caption and alt text, heads to blur.
#[tauri::command]
#[specta::specta]
pub fn figure_draft(
    state: State<'_, AppState>,
    photo_id: i64,
    event: Option<String>,
) -> Result<whoiswho_core::export::FigureDraft, AppError> {
    Ok(whoiswho_core::export::figure_draft(
        &state.library,
        photo_id,
        event.as_deref(),
    )?)
}

/// Asks where to save an exported image; `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn pick_export_file(app: AppHandle, suggested: String) -> Option<String> {
    app.dialog()
        .file()
        .set_title("Export figure")
        .set_file_name(whoiswho_core::export::safe_file_name(&suggested))
        .add_filter("JPEG", &["jpg", "jpeg"])
        .add_filter("PNG", &["png"])
        .blocking_save_file()?
        .into_path()
        .ok()
        .map(|p| p.display().to_string())
}

/// What the figure dialog asks for.
#[derive(Debug, Clone, serde::Deserialize, Type)]
pub struct FigureRequest {
    pub caption: String,
    pub alt: String,
    pub long_side: u32,
    pub quality: u8,
    /// Burn in the "who is who" legend with these title and date lines.
    pub legend: Option<whoiswho_core::export::LegendText>,
}

impl FigureRequest {
    fn options(self) -> whoiswho_core::export::FigureOptions {
        whoiswho_core::export::FigureOptions {
            caption: Some(self.caption),
            alt: Some(self.alt),
            event: None,
            long_side: self.long_side,
            quality: self.quality.clamp(1, 100),
            legend: self.legend,
        }
    }
}

/// A preview of the figure as a `data:` URL (a small JPEG): what will be saved, legend and
/// blurring included.
#[tauri::command]
#[specta::specta]
pub async fn preview_figure(
    state: State<'_, AppState>,
    photo_id: i64,
    request: FigureRequest,
) -> Result<String, AppError> {
    use base64::Engine as _;
    let bytes = off_thread(&state, move |library| {
        whoiswho_core::export::preview_figure(library, photo_id, &request.options(), 1200)
    })
    .await?;
    Ok(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// Writes the figure image and returns it with its snippets.
#[tauri::command]
#[specta::specta]
pub async fn export_figure(
    state: State<'_, AppState>,
    photo_id: i64,
    path: String,
    request: FigureRequest,
) -> Result<whoiswho_core::export::FigureExport, AppError> {
    let opts = request.options();
    off_thread(&state, move |library| {
        whoiswho_core::export::export_figure(library, photo_id, std::path::Path::new(&path), &opts)
    })
    .await
}

/// Runs long export work on a blocking thread, keeping the IPC responsive.
async fn off_thread<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Library) -> Result<T, whoiswho_core::export::ExportError> + Send + 'static,
) -> Result<T, AppError> {
    let library = state.library.clone();
    tauri::async_runtime::spawn_blocking(move || work(&library))
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(AppError::from)
}

/// What an export would publish: the dry-run summary shown before any export.
#[tauri::command]
#[specta::specta]
pub fn export_summary(
    state: State<'_, AppState>,
) -> Result<whoiswho_core::export::ExportSummary, AppError> {
    Ok(whoiswho_core::export::export_summary(&state.library)?)
}

/// Asks for a folder to export into; `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn pick_export_folder(app: AppHandle, title: String) -> Option<String> {
    app.dialog()
        .file()
        .set_title(title)
        .blocking_pick_folder()?
        .into_path()
        .ok()
        .map(|p| p.display().to_string())
}

/// Writes (or brings up to date) the static gallery in `folder`.
#[tauri::command]
#[specta::specta]
pub async fn export_gallery(
    state: State<'_, AppState>,
    folder: String,
    title: Option<String>,
) -> Result<whoiswho_core::export::GalleryReport, AppError> {
    off_thread(&state, move |library| {
        whoiswho_core::export::export_gallery(
            library,
            std::path::Path::new(&folder),
            title.as_deref(),
        )
    })
    .await
}

/// Writes XMP sidecars next to the originals (`folder` null) or into `folder`.
#[tauri::command]
#[specta::specta]
pub async fn export_xmp(
    state: State<'_, AppState>,
    folder: Option<String>,
) -> Result<whoiswho_core::export::SidecarReport, AppError> {
    off_thread(&state, move |library| {
        whoiswho_core::export::export_sidecars(library, folder.as_deref().map(std::path::Path::new))
    })
    .await
}
