//! Progress and cancellation of long work: the plain types the library, the face search and
//! the job registry share, with no knowledge of who runs the work or who watches it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

/// Cheap to clone; every clone sees the same cancel request.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where an indexing run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum IndexPhase {
    /// Walking folders and comparing with the catalog; `total` is not known yet.
    Scanning,
    /// Reading, hashing and thumbnailing new or changed files.
    Indexing,
    Finished,
    Cancelled,
}

/// A snapshot of an indexing run, sent often enough for a progress bar.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IndexProgress {
    pub phase: IndexPhase,
    /// Files examined so far, of `total`.
    pub done: u64,
    pub total: u64,
    /// The file being read now, if any.
    pub current: Option<String>,
    pub indexed: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Increases every time new photos become visible in the catalog (for the grid to refresh).
    pub committed: u64,
}

/// A snapshot of a face search over the library.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DetectProgress {
    pub done: u64,
    pub total: u64,
    /// Faces found so far in this run.
    pub faces: u64,
    pub current: Option<String>,
}

/// A snapshot of embedding faces for recognition, in faces.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EmbedProgress {
    pub done: u64,
    pub total: u64,
    pub current: Option<String>,
}

/// A snapshot of getting avatars, in attendees.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AvatarProgress {
    pub done: u64,
    pub total: u64,
    /// The login last finished.
    pub current: Option<String>,
}

/// Receives progress `P`; implementations forward it to a window, a terminal, or nowhere.
pub trait ProgressSink<P>: Send + Sync {
    fn progress(&self, progress: &P);
}

/// Discards progress (for tests and `--json` runs).
pub struct NoProgress;

impl<P> ProgressSink<P> for NoProgress {
    fn progress(&self, _: &P) {}
}

impl<P, F: Fn(&P) + Send + Sync> ProgressSink<P> for F {
    fn progress(&self, progress: &P) {
        self(progress)
    }
}
