//! The core of whoiswho: everything the app and the CLI do, with no knowledge of Tauri.
//!
//! Data flows one way: files on disk → [`library`] (walk, hash, EXIF) → [`catalog`] (SQLite) →
//! views and, in later stages, faces, people and exports. Only [`imaging`] decodes pixels.

pub mod catalog;
pub mod export;
pub mod faces;
pub mod imaging;
pub mod jobs;
pub mod library;
pub mod people;
pub mod xmp;

pub use catalog::{CatalogError, PhotoDetails, PhotoSummary};
pub use jobs::{CancelToken, DetectProgress, IndexPhase, IndexProgress, ProgressSink};
pub use library::{FailedFile, IndexReport, Library, LibraryError};
