//! The core of whoiswho: everything the app and the CLI do, with no knowledge of Tauri.
//!
//! Data flows one way: files on disk → [`library`] (walk, hash, EXIF, thumbnails) →
//! [`catalog`] (SQLite) → [`faces`] and [`people`] (boxes, decisions, roster) → [`export`]
//! (through [`publication`], the one home of consent). [`jobs`] runs the long work of
//! `library` and `faces` in the background. At the bottom sit plain values that import nothing
//! of the crate: [`region`], [`login`], [`consent`], [`plain_text`], [`progress`],
//! [`models`]. Only [`imaging`] decodes
//! pixels; only [`inference`] runs models.

pub mod atomic_file;
pub mod avatars;
pub mod catalog;
pub mod claims;
pub mod consent;
pub mod event;
pub mod export;
pub mod faces;
pub mod imaging;
pub mod inference;
pub mod jobs;
pub mod journal;
pub mod library;
pub mod login;
pub mod models;
pub mod people;
pub mod plain_text;
pub mod progress;
pub mod publication;
pub mod recognition;
pub mod region;
pub mod suggestions;
pub mod team;
pub mod xmp;

pub use catalog::{CatalogError, PhotoDetails, PhotoSummary};
pub use library::{FailedFile, IndexReport, Library, LibraryError};
pub use progress::{
    CancelToken, DetectProgress, EmbedProgress, IndexPhase, IndexProgress, ProgressSink,
};
