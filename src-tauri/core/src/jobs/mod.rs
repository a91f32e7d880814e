//! Background work: the one registry through which the window and the command line run
//! indexing, the face search, recognition and getting avatars. It owns the running jobs' cancel tokens (one job
//! of each kind at a time), reports progress to an observer, and holds the one policy for what
//! follows what: a finished, uncancelled indexing run in the background is followed by a face
//! search, and a face search by recognition (embeddings, then suggestions and groups).

mod embedding;
mod face_search;

pub use crate::models::Models;
pub use embedding::{embed_library, EmbedReport};
pub use face_search::{search_library, DetectReport, SEARCH_VERSION};

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::avatars::{self, AvatarModels, AvatarReport, AvatarsError, Downloader};
use crate::catalog::CatalogError;
use crate::faces::FaceDetector;
use crate::inference::InferenceError;
use crate::library::{IndexReport, Library, LibraryError};
use crate::progress::{AvatarProgress, CancelToken, DetectProgress, EmbedProgress, IndexProgress};
use crate::recognition::FaceEmbedder;

/// The kinds of background work; one of each runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Index,
    FaceSearch,
    Recognition,
    Avatars,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRequest {
    /// Index these folders (recursively); none means every folder of the library (a rescan).
    Index { folders: Vec<PathBuf> },
    /// Search photos for faces; `again` searches every photo, not only the new ones.
    FaceSearch { again: bool },
    /// Embed faces that have no current embedding; refresh suggestions and groups.
    Recognition,
    /// Get attendees' avatars: from GitHub (only on the organizer's request), or a folder.
    Avatars(AvatarsRequest),
}

/// Where avatars come from this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AvatarsRequest {
    /// Download those missing (all of them again, with `refresh`).
    Fetch { refresh: bool },
    /// `LOGIN.jpg|png|webp` pictures in this folder.
    Folder(PathBuf),
}

impl JobRequest {
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Index { .. } => JobKind::Index,
            Self::FaceSearch { .. } => JobKind::FaceSearch,
            Self::Recognition => JobKind::Recognition,
            Self::Avatars(_) => JobKind::Avatars,
        }
    }
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Indexed(IndexReport),
    Searched(DetectReport),
    Recognized(EmbedReport),
    Avatars(AvatarReport),
}

/// What a job tells its observer while it runs and when it ends.
#[derive(Debug)]
pub enum JobEvent {
    Indexing(IndexProgress),
    Searching(DetectProgress),
    Embedding(EmbedProgress),
    Avatars(AvatarProgress),
    /// A background job ended (finished or cancelled).
    Finished(JobOutcome),
    /// A background job stopped on an error that is not about one file.
    Failed {
        kind: JobKind,
        error: JobError,
    },
}

/// Receives a job's events: a window forwards them, a terminal prints them.
pub trait JobObserver: Send + Sync {
    fn event(&self, event: JobEvent);
}

impl<F: Fn(JobEvent) + Send + Sync> JobObserver for F {
    fn event(&self, event: JobEvent) {
        self(event)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{}", busy_message(*.0))]
    Busy(JobKind),
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A model, or the engine that runs them, is missing, damaged or refused; everything
    /// else works.
    #[error(transparent)]
    Model(#[from] InferenceError),
    #[error(transparent)]
    Avatars(#[from] AvatarsError),
    #[error("cannot start a background thread: {0}")]
    Thread(std::io::Error),
}

fn busy_message(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Index => "Indexing is already running; wait for it or cancel it first.",
        JobKind::FaceSearch => "Faces are already being searched.",
        JobKind::Recognition => "Faces are already being recognized.",
        JobKind::Avatars => "Avatars are already being fetched.",
    }
}

/// The policy: what starts, in the background, after a background job ends.
fn follow_up(outcome: &JobOutcome) -> Option<JobRequest> {
    match outcome {
        JobOutcome::Indexed(report) if !report.cancelled => {
            Some(JobRequest::FaceSearch { again: false })
        }
        JobOutcome::Searched(report) if !report.cancelled => Some(JobRequest::Recognition),
        _ => None,
    }
}

/// The jobs of one library.
pub struct Jobs {
    library: Arc<Library>,
    models: Models,
    running: Running,
}

type Running = Arc<Mutex<HashMap<JobKind, CancelToken>>>;

/// A claimed job slot; dropping it frees the slot, however the job ended.
struct Slot {
    running: Running,
    kind: JobKind,
    cancel: CancelToken,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut running) = self.running.lock() {
            running.remove(&self.kind);
        }
    }
}

impl Jobs {
    pub fn new(library: Arc<Library>, models: Models) -> Arc<Self> {
        Arc::new(Self {
            library,
            models,
            running: Arc::default(),
        })
    }

    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running
            .lock()
            .is_ok_and(|running| running.contains_key(&kind))
    }

    /// Asks the running job of this kind to stop; false when none runs.
    pub fn cancel(&self, kind: JobKind) -> bool {
        let Ok(running) = self.running.lock() else {
            return false;
        };
        running.get(&kind).map(CancelToken::cancel).is_some()
    }

    /// Asks every running job to stop after the item in hand; what is done stays done, and the
    /// next run resumes from there. Returns whether anything was running.
    pub fn cancel_all(&self) -> bool {
        let Ok(running) = self.running.lock() else {
            return false;
        };
        running.values().for_each(CancelToken::cancel);
        !running.is_empty()
    }

    fn claim(&self, kind: JobKind) -> Result<Slot, JobError> {
        // A poisoned lock only means a job thread panicked; the map itself is still sound.
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.contains_key(&kind) {
            return Err(JobError::Busy(kind));
        }
        let cancel = CancelToken::new();
        running.insert(kind, cancel.clone());
        Ok(Slot {
            running: Arc::clone(&self.running),
            kind,
            cancel,
        })
    }

    /// Runs a job on this thread (the command line) and returns how it ended. Nothing follows
    /// it: the command line does one thing per command.
    pub fn run(
        &self,
        request: &JobRequest,
        observer: &dyn JobObserver,
    ) -> Result<JobOutcome, JobError> {
        let slot = self.claim(request.kind())?;
        self.run_in(&slot, request, observer)
    }

    fn run_in(
        &self,
        slot: &Slot,
        request: &JobRequest,
        observer: &dyn JobObserver,
    ) -> Result<JobOutcome, JobError> {
        Ok(match request {
            JobRequest::Index { folders } => {
                JobOutcome::Indexed(self.index_in(slot, folders, observer)?)
            }
            JobRequest::FaceSearch { again } => {
                JobOutcome::Searched(self.search_in(slot, *again, observer)?)
            }
            JobRequest::Recognition => JobOutcome::Recognized(self.recognize_in(slot, observer)?),
            JobRequest::Avatars(request) => {
                JobOutcome::Avatars(self.avatars_in(slot, request, observer)?)
            }
        })
    }

    fn recognize_in(
        &self,
        slot: &Slot,
        observer: &dyn JobObserver,
    ) -> Result<EmbedReport, JobError> {
        let embedder = FaceEmbedder::load(&self.models)?;
        // Both models: a drawn or moved box is aligned by landmarks the face finder finds again
        // around it. Without it, those faces would be embedded from the box alone and kept as
        // current, so a missing face finder stops recognition with its reason instead.
        let detector = FaceDetector::load(&self.models)?;
        let sink = |p: &EmbedProgress| observer.event(JobEvent::Embedding(p.clone()));
        Ok(embed_library(
            &self.library,
            &embedder,
            &detector,
            &slot.cancel,
            &sink,
        )?)
    }

    fn avatars_in(
        &self,
        slot: &Slot,
        request: &AvatarsRequest,
        observer: &dyn JobObserver,
    ) -> Result<AvatarReport, JobError> {
        let detector = FaceDetector::load(&self.models)?;
        let embedder = FaceEmbedder::load(&self.models)?;
        let models = AvatarModels {
            detector: &detector,
            embedder: &embedder,
        };
        let sink = |p: &AvatarProgress| observer.event(JobEvent::Avatars(p.clone()));
        Ok(match request {
            AvatarsRequest::Fetch { refresh } => {
                let people = avatars::to_fetch(&self.library, *refresh)?;
                let downloader = Downloader::from_environment()?;
                avatars::fetch(
                    &self.library,
                    &people,
                    &downloader,
                    &models,
                    &slot.cancel,
                    &sink,
                )?
            }
            AvatarsRequest::Folder(dir) => {
                avatars::import(&self.library, dir, &models, &slot.cancel, &sink)?
            }
        })
    }

    fn index_in(
        &self,
        slot: &Slot,
        folders: &[PathBuf],
        observer: &dyn JobObserver,
    ) -> Result<IndexReport, JobError> {
        let sink = |p: &IndexProgress| observer.event(JobEvent::Indexing(p.clone()));
        Ok(if folders.is_empty() {
            self.library.rescan(&slot.cancel, &sink)?
        } else {
            self.library.index(folders, &slot.cancel, &sink)?
        })
    }

    fn search_in(
        &self,
        slot: &Slot,
        again: bool,
        observer: &dyn JobObserver,
    ) -> Result<DetectReport, JobError> {
        let detector = FaceDetector::load(&self.models)?;
        if again {
            self.library.catalog()?.write(|w| w.forget_detections())?;
        }
        let sink = |p: &DetectProgress| observer.event(JobEvent::Searching(p.clone()));
        Ok(search_library(
            &self.library,
            &detector,
            &slot.cancel,
            &sink,
        )?)
    }

    /// Starts a job on a thread of its own; its end, and whatever the policy starts after it,
    /// reach `observer`. Fails at once when a job of the same kind is running.
    pub fn start(
        self: &Arc<Self>,
        request: JobRequest,
        observer: Arc<dyn JobObserver>,
    ) -> Result<(), JobError> {
        // Claimed here, so a second start fails now rather than on its thread.
        let slot = self.claim(request.kind())?;
        let jobs = Arc::clone(self);
        std::thread::Builder::new()
            .name(format!("whoiswho-{:?}", request.kind()))
            .spawn(move || jobs.run_in_background(slot, request, observer))
            .map(|_| ())
            .map_err(JobError::Thread)
    }

    fn run_in_background(
        self: Arc<Self>,
        slot: Slot,
        request: JobRequest,
        observer: Arc<dyn JobObserver>,
    ) {
        let kind = request.kind();
        let result = self.run_in(&slot, &request, observer.as_ref());
        drop(slot);
        match result {
            Ok(outcome) => {
                let next = follow_up(&outcome);
                let next_kind = next.as_ref().map(JobRequest::kind);
                observer.event(JobEvent::Finished(outcome));
                match next.map(|next| self.start(next, observer.clone())) {
                    // A search already under way is fine: it is what the policy asked for.
                    None | Some(Ok(())) | Some(Err(JobError::Busy(_))) => {}
                    Some(Err(error)) => observer.event(JobEvent::Failed {
                        kind: next_kind.unwrap_or(kind),
                        error,
                    }),
                }
            }
            Err(error) => observer.event(JobEvent::Failed { kind, error }),
        }
    }
}
