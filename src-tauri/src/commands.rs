//! Tauri commands: thin adapters from IPC to `whoiswho-core`. Types crossing the boundary are
//! declared here or derive `specta::Type` in the core, so `ui/src/api/bindings.ts` is generated.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;
use whoiswho_core::avatars::{self, AvatarPlan, AvatarReport, AvatarsError};
use whoiswho_core::catalog::CatalogError;
use whoiswho_core::catalog::{Face, FaceOnPhoto, GridPhoto, Person, PhotoFilter};
use whoiswho_core::faces::{self, FaceChange, FaceDecision, TagError, WhoEntry};
use whoiswho_core::jobs::AvatarsRequest;
use whoiswho_core::jobs::{
    DetectReport, EmbedReport, JobError, JobEvent, JobKind, JobObserver, JobOutcome, JobRequest,
};
use whoiswho_core::people::{
    self, roster, Offer, PeopleError, PersonInput, RosterReport, SavePersonError, SavedPerson,
};
use whoiswho_core::progress::AvatarProgress;
use whoiswho_core::suggestions::{self, Group};
use whoiswho_core::{
    DetectProgress, EmbedProgress, FailedFile, IndexProgress, IndexReport, Library, LibraryError,
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
            TagError::NothingToRestore { .. }
            | TagError::NoSuggestion(_)
            | TagError::NoSuchGroup(_) => ErrorCode::NotFound,
            TagError::Login(_)
            | TagError::NoTag(_)
            | TagError::BadBox(_)
            | TagError::NothingToConfirm(_) => ErrorCode::Invalid,
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

impl From<JobError> for AppError {
    fn from(e: JobError) -> Self {
        match e {
            JobError::Busy(_) => Self::new(ErrorCode::Busy, e.to_string()),
            JobError::Model(_) | JobError::RecognitionModel(_) => {
                Self::new(ErrorCode::NoModel, e.to_string())
            }
            JobError::Library(l) => l.into(),
            JobError::Catalog(c) => c.into(),
            JobError::Avatars(AvatarsError::Catalog(c)) => c.into(),
            JobError::Avatars(AvatarsError::Folder { .. }) => {
                Self::new(ErrorCode::NotFound, e.to_string())
            }
            JobError::Avatars(AvatarsError::Store { .. }) => {
                Self::new(ErrorCode::Library, e.to_string())
            }
            JobError::Thread(_) => Self::new(ErrorCode::Internal, e.to_string()),
        }
    }
}

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

/// Progress of recognition (embedding faces) under way.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct RecognitionProgressEvent(pub EmbedProgress);

/// Recognition ended: suggestions and groups are up to date.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct RecognitionFinishedEvent(pub EmbedReport);

/// Progress of getting avatars.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct AvatarProgressEvent(pub AvatarProgress);

/// Getting avatars ended with this report.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct AvatarsFinishedEvent(pub AvatarReport);

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
            .map(|(card, path)| ModelInfo {
                role: card.role.into(),
                name: card.name.into(),
                licence: card.licence.into(),
                source: card.source.into(),
                sha256: card.sha256.into(),
                path: path.display().to_string(),
                present: path.is_file(),
            })
            .collect(),
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

/// Starts indexing `folders` (or, when empty, every folder of the library) in the background.
/// Progress arrives as `IndexProgressEvent`, the end as `IndexFinishedEvent`; the job registry
/// then starts a face search.
#[tauri::command]
#[specta::specta]
pub fn start_indexing(
    app: AppHandle,
    state: State<'_, AppState>,
    folders: Vec<String>,
) -> Result<(), AppError> {
    let folders = folders.into_iter().map(PathBuf::from).collect();
    Ok(state
        .jobs
        .start(JobRequest::Index { folders }, Arc::new(WindowObserver(app)))?)
}

/// Searches every photo not searched yet for faces, in the background. Progress arrives as
/// `FaceSearchProgressEvent`, the end as `FaceSearchFinishedEvent`.
#[tauri::command]
#[specta::specta]
pub fn start_face_search(app: AppHandle, state: State<'_, AppState>) -> Result<(), AppError> {
    Ok(state.jobs.start(
        JobRequest::FaceSearch { again: false },
        Arc::new(WindowObserver(app)),
    )?)
}

/// What "Get avatars from GitHub" would send, for the organizer to confirm first.
#[tauri::command]
#[specta::specta]
pub async fn avatar_plan(
    state: State<'_, AppState>,
    refresh: bool,
) -> Result<AvatarPlan, AppError> {
    on_library(&state, move |l| avatars::plan(l, refresh)).await
}

/// Where avatars come from: GitHub (only after the organizer confirmed) or a folder.
#[derive(Debug, Clone, serde::Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AvatarRequest {
    Fetch { refresh: bool },
    Folder { path: String },
}

/// Gets avatars in the background: progress as `AvatarProgressEvent`, the end as
/// `AvatarsFinishedEvent`. The only command that uses the network.
#[tauri::command]
#[specta::specta]
pub fn start_avatars(
    app: AppHandle,
    state: State<'_, AppState>,
    request: AvatarRequest,
) -> Result<(), AppError> {
    let request = match request {
        AvatarRequest::Fetch { refresh } => AvatarsRequest::Fetch { refresh },
        AvatarRequest::Folder { path } => AvatarsRequest::Folder(PathBuf::from(path)),
    };
    Ok(state
        .jobs
        .start(JobRequest::Avatars(request), Arc::new(WindowObserver(app)))?)
}

/// Stops getting avatars after those in hand; those already kept stay.
#[tauri::command]
#[specta::specta]
pub fn cancel_avatars(state: State<'_, AppState>) -> bool {
    state.jobs.cancel(JobKind::Avatars)
}

/// Opens the native folder picker for a folder of LOGIN.jpg|png|webp pictures.
#[tauri::command]
#[specta::specta]
pub async fn pick_avatar_folder(app: AppHandle) -> Option<String> {
    let picked = app
        .dialog()
        .file()
        .set_title("Folder of avatars named LOGIN.jpg, .png or .webp")
        .blocking_pick_folder()?;
    picked.into_path().ok().map(|p| p.display().to_string())
}

/// Forwards the job registry's events to the window.
struct WindowObserver(AppHandle);

impl JobObserver for WindowObserver {
    fn event(&self, event: JobEvent) {
        let app = &self.0;
        // An event the window cannot take (it is closing) has nobody left to tell.
        let _ = match event {
            JobEvent::Indexing(p) => IndexProgressEvent(p).emit(app),
            JobEvent::Searching(p) => FaceSearchProgressEvent(p).emit(app),
            JobEvent::Finished(JobOutcome::Indexed(r)) => IndexFinishedEvent(r).emit(app),
            JobEvent::Finished(JobOutcome::Searched(r)) => FaceSearchFinishedEvent(r).emit(app),
            JobEvent::Embedding(p) => RecognitionProgressEvent(p).emit(app),
            JobEvent::Finished(JobOutcome::Recognized(r)) => RecognitionFinishedEvent(r).emit(app),
            JobEvent::Avatars(p) => AvatarProgressEvent(p).emit(app),
            JobEvent::Finished(JobOutcome::Avatars(r)) => AvatarsFinishedEvent(r).emit(app),
            JobEvent::Failed { error, .. } => JobErrorEvent(error.into()).emit(app),
        };
    }
}

/// The boxes of a photo and its "who is who" legend, in one answer.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhotoFaces {
    /// In displayed coordinates (0..1, top-left origin), hidden ones included.
    pub faces: Vec<Face>,
    /// The tagged, visible faces numbered in reading order.
    pub legend: Vec<WhoEntry>,
    /// Ids of the faces hidden from the default view (ignored, not a face): the core's rule.
    pub hidden: Vec<i64>,
}

#[tauri::command]
#[specta::specta]
pub async fn photo_faces(state: State<'_, AppState>, id: i64) -> Result<PhotoFaces, AppError> {
    let faces = on_library(&state, move |l| l.read(|c| c.faces(id))).await?;
    let legend = faces::who_is_who(&faces);
    let hidden = faces
        .iter()
        .filter(|f| f.state.is_hidden())
        .map(|f| f.id)
        .collect();
    Ok(PhotoFaces {
        faces,
        legend,
        hidden,
    })
}

/// One attendee, with counts and best face; `None` when the login is not in the roster.
#[tauri::command]
#[specta::specta]
pub async fn get_person(
    state: State<'_, AppState>,
    login: String,
) -> Result<Option<Person>, AppError> {
    on_library(&state, move |l| l.read(|c| c.person(&login))).await
}

/// The attendee roster, with face counts.
#[tauri::command]
#[specta::specta]
pub async fn list_people(state: State<'_, AppState>) -> Result<Vec<Person>, AppError> {
    on_library(&state, |l| l.read(|c| c.people())).await
}

/// Applies a decision about a face (tag, untag, confirm, not a face, ignore, draw, move,
/// delete, restore) and returns what changed with the decision that undoes it.
#[tauri::command]
#[specta::specta]
pub async fn decide_face(
    state: State<'_, AppState>,
    photo_id: i64,
    decision: FaceDecision,
) -> Result<FaceChange, AppError> {
    on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(faces::decide(&mut catalog, photo_id, &decision)?)
    })
    .await
}

/// A decision about a face of a photo, one of several applied together.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Type)]
pub struct PhotoDecision {
    pub photo_id: i64,
    pub decision: FaceDecision,
}

/// What one of several decisions did.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhotoChange {
    pub photo_id: i64,
    pub change: FaceChange,
}

/// Applies several decisions as one (accepting a person's suggestions, naming a group): all
/// land or none; each change carries the decision that undoes it.
#[tauri::command]
#[specta::specta]
pub async fn decide_faces(
    state: State<'_, AppState>,
    decisions: Vec<PhotoDecision>,
) -> Result<Vec<PhotoChange>, AppError> {
    on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        let all: Vec<(i64, FaceDecision)> = decisions
            .into_iter()
            .map(|d| (d.photo_id, d.decision))
            .collect();
        Ok::<_, AppError>(
            faces::decide_all(&mut catalog, &all)?
                .into_iter()
                .map(|(photo_id, change)| PhotoChange { photo_id, change })
                .collect(),
        )
    })
    .await
}

/// Groups of alike faces waiting for a name, largest first.
#[tauri::command]
#[specta::specta]
pub async fn face_groups(state: State<'_, AppState>) -> Result<Vec<Group>, AppError> {
    on_library(&state, |l| l.read(suggestions::groups)).await
}

/// A face put in a group, or out of any (`group: null`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, Type)]
pub struct GroupChange {
    pub face: i64,
    pub group: Option<i64>,
}

/// Takes crops out of groups or merges groups; returns the changes that undo it.
#[tauri::command]
#[specta::specta]
pub async fn regroup_faces(
    state: State<'_, AppState>,
    changes: Vec<GroupChange>,
) -> Result<Vec<GroupChange>, AppError> {
    on_library(&state, move |l| {
        let pairs: Vec<(i64, Option<i64>)> = changes.iter().map(|c| (c.face, c.group)).collect();
        let undo = l.catalog()?.write(|w| suggestions::regroup(w, &pairs))?;
        Ok::<_, AppError>(
            undo.into_iter()
                .map(|(face, group)| GroupChange { face, group })
                .collect(),
        )
    })
    .await
}

/// Every face suggested as this person, best match first, for review on their page.
#[tauri::command]
#[specta::specta]
pub async fn person_suggestions(
    state: State<'_, AppState>,
    login: String,
) -> Result<Vec<FaceOnPhoto>, AppError> {
    on_library(&state, move |l| l.read(|c| c.suggested_as(&login))).await
}

/// Who to offer while tagging a face of a photo, best first, for what was typed.
#[tauri::command]
#[specta::specta]
pub async fn offer_people(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: Option<i64>,
    query: String,
) -> Result<Offer, AppError> {
    on_library(&state, move |l| {
        let (roster, on_photo) = l.read(|c| Ok((c.people()?, c.faces(photo_id)?)))?;
        let suggested = on_photo
            .iter()
            .find(|f| Some(f.id) == face_id)
            .and_then(|f| f.suggestion.as_ref())
            .map(|s| s.login.clone());
        let others: Vec<Face> = on_photo
            .into_iter()
            .filter(|f| Some(f.id) != face_id)
            .collect();
        Ok::<_, AppError>(people::offer(
            &roster,
            &query,
            &others,
            suggested.as_deref(),
        ))
    })
    .await
}

/// Asks the running index and face search to stop after the photo in hand; what is done
/// stays done, and the next run resumes from there.
#[tauri::command]
#[specta::specta]
pub fn cancel_indexing(state: State<'_, AppState>) -> bool {
    state.jobs.cancel_all()
}

/// The head of the triage queue: untagged faces, largest first, and how many there are.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TriageQueue {
    pub faces: Vec<FaceOnPhoto>,
    pub total: u64,
}

#[tauri::command]
#[specta::specta]
pub async fn untagged_faces(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<TriageQueue, AppError> {
    let (faces, total) = on_library(&state, move |l| {
        l.read(|c| c.untagged_faces(limit.min(2000)))
    })
    .await?;
    Ok(TriageQueue { faces, total })
}

/// Adds an attendee or edits one (name, affiliation, consent).
#[tauri::command]
#[specta::specta]
pub async fn save_person(
    state: State<'_, AppState>,
    person: PersonInput,
) -> Result<SavedPerson, AppError> {
    on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(people::save_person(&mut catalog, &person)?)
    })
    .await
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
pub async fn import_roster(
    state: State<'_, AppState>,
    path: String,
) -> Result<RosterReport, AppError> {
    on_library(&state, move |l| {
        let bytes = roster::read_file(std::path::Path::new(&path))?;
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(people::import_roster(&mut catalog, &bytes)?)
    })
    .await
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
pub async fn figure_draft(
    state: State<'_, AppState>,
    photo_id: i64,
    event: Option<String>,
) -> Result<whoiswho_core::export::FigureDraft, AppError> {
    on_library(&state, move |l| {
        whoiswho_core::export::figure_draft(l, photo_id, event.as_deref())
    })
    .await
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
    let bytes = on_library(&state, move |library| {
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
    on_library(&state, move |library| {
        whoiswho_core::export::export_figure(library, photo_id, std::path::Path::new(&path), &opts)
    })
    .await
}

/// What an export would publish: the dry-run summary shown before any export.
#[tauri::command]
#[specta::specta]
pub async fn export_summary(
    state: State<'_, AppState>,
) -> Result<whoiswho_core::export::ExportSummary, AppError> {
    on_library(&state, whoiswho_core::export::export_summary).await
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
    on_library(&state, move |library| {
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
    on_library(&state, move |library| {
        whoiswho_core::export::export_sidecars(library, folder.as_deref().map(std::path::Path::new))
    })
    .await
}
