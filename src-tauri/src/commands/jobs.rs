//! Background work in the window: starting and cancelling jobs, and the one event that tells
//! the window how every job is doing (`JobUpdate`).

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_specta::Event;
use whoiswho_core::avatars::AvatarReport;
use whoiswho_core::jobs::{
    AvatarsRequest, DetectReport, EmbedReport, JobEvent, JobKind, JobObserver, JobOutcome,
    JobRequest,
};
use whoiswho_core::progress::AvatarProgress;
use whoiswho_core::{DetectProgress, EmbedProgress, IndexProgress, IndexReport};

use super::AppError;
use crate::state::AppState;

/// Everything a background job tells the window: its progress, its end (finished or
/// cancelled, with its report), or the error that stopped it.
#[derive(Debug, Clone, Serialize, Type, Event)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum JobUpdate {
    IndexProgress(IndexProgress),
    IndexFinished(IndexReport),
    FaceSearchProgress(DetectProgress),
    FaceSearchFinished(DetectReport),
    RecognitionProgress(EmbedProgress),
    RecognitionFinished(EmbedReport),
    AvatarsProgress(AvatarProgress),
    AvatarsFinished(AvatarReport),
    /// A job stopped on an error that is not about one file.
    Failed {
        job: JobKind,
        error: AppError,
    },
}

impl From<JobEvent> for JobUpdate {
    fn from(event: JobEvent) -> Self {
        match event {
            JobEvent::Indexing(p) => Self::IndexProgress(p),
            JobEvent::Searching(p) => Self::FaceSearchProgress(p),
            JobEvent::Embedding(p) => Self::RecognitionProgress(p),
            JobEvent::Avatars(p) => Self::AvatarsProgress(p),
            JobEvent::Finished(JobOutcome::Indexed(r)) => Self::IndexFinished(r),
            JobEvent::Finished(JobOutcome::Searched(r)) => Self::FaceSearchFinished(r),
            JobEvent::Finished(JobOutcome::Recognized(r)) => Self::RecognitionFinished(r),
            JobEvent::Finished(JobOutcome::Avatars(r)) => Self::AvatarsFinished(r),
            JobEvent::Failed { kind, error } => Self::Failed {
                job: kind,
                error: error.into(),
            },
        }
    }
}

/// Forwards the job registry's events to the window.
struct WindowObserver(AppHandle);

impl JobObserver for WindowObserver {
    fn event(&self, event: JobEvent) {
        // An event the window cannot take (it is closing) has nobody left to tell.
        let _ = JobUpdate::from(event).emit(&self.0);
    }
}

fn start(app: AppHandle, state: &State<'_, AppState>, request: JobRequest) -> Result<(), AppError> {
    Ok(state.jobs.start(request, Arc::new(WindowObserver(app)))?)
}

/// Starts indexing `folders` (or, when empty, every folder of the library) in the background;
/// the job registry then starts a face search, and recognition after it.
#[tauri::command]
#[specta::specta]
pub fn start_indexing(
    app: AppHandle,
    state: State<'_, AppState>,
    folders: Vec<String>,
) -> Result<(), AppError> {
    let folders = folders.into_iter().map(PathBuf::from).collect();
    start(app, &state, JobRequest::Index { folders })
}

/// Searches every photo not searched yet for faces, in the background.
#[tauri::command]
#[specta::specta]
pub fn start_face_search(app: AppHandle, state: State<'_, AppState>) -> Result<(), AppError> {
    start(app, &state, JobRequest::FaceSearch { again: false })
}

/// Where avatars come from: GitHub (only after the organizer confirmed) or a folder.
#[derive(Debug, Clone, serde::Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AvatarRequest {
    Fetch { refresh: bool },
    Folder { path: String },
}

/// Gets avatars in the background. The only command that uses the network, and only for
/// `Fetch`, which the window sends once the organizer confirmed what will be requested.
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
    start(app, &state, JobRequest::Avatars(request))
}

/// Asks the running jobs of these kinds to stop after the item in hand; what is done stays
/// done, nothing follows a cancelled job, and the next run resumes from there. Returns whether
/// any of them was running.
#[tauri::command]
#[specta::specta]
pub fn cancel_jobs(state: State<'_, AppState>, kinds: Vec<JobKind>) -> bool {
    // Every kind is asked, so no short-circuit: count those that were running.
    let running = kinds
        .into_iter()
        .filter(|kind| state.jobs.cancel(*kind))
        .count();
    running > 0
}
