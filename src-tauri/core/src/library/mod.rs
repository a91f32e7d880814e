//! A library is a folder: `library.db` (the catalog) plus a thumbnail cache. This module walks
//! photo folders, reads EXIF, hashes content, and keeps the catalog in step with the disk.

mod decoded_previews;
mod index;
mod metadata;
mod scan;
mod thumbnail_cache;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::catalog::{Catalog, CatalogError};
use crate::imaging::{self, ImagingError, PhotoFile, ThumbnailSize};
use crate::progress::{CancelToken, IndexProgress, ProgressSink};
use decoded_previews::DecodedPreviews;
use thumbnail_cache::ThumbnailCache;

pub use metadata::Metadata;

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot create the library folder {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{0} is not in the library (index its folder first)")]
    NotInLibrary(String),
    #[error("no face with id {0}")]
    NoSuchFace(i64),
    #[error("photo {0} is missing from disk and its thumbnail is not cached")]
    Unavailable(i64),
    #[error("{path}: {source}")]
    Imaging { path: String, source: ImagingError },
    #[error("cannot write the thumbnail cache: {0}")]
    Cache(#[source] std::io::Error),
}

/// A file that could not be indexed, and why, in words a person can act on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FailedFile {
    pub path: String,
    pub error: String,
}

/// The outcome of `whoiswho index` (field names are part of the CLI contract).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IndexReport {
    /// New or changed files read this run.
    pub indexed: u64,
    /// Files skipped because size and modification time matched the catalog.
    pub unchanged: u64,
    /// Photos whose file disappeared this run; they are kept, marked missing.
    pub removed: u64,
    pub failed: Vec<FailedFile>,
    /// Photos in the library that are present on disk.
    pub photos: u64,
    /// The run was cancelled; running it again resumes where it stopped.
    pub cancelled: bool,
}

pub struct Library {
    root: PathBuf,
    thumbnails: ThumbnailCache,
    /// Idle read connections: a grid scroll asks for dozens of thumbnails a second, and opening
    /// a connection (pragmas, schema check) each time would cost more than the lookup.
    readers: Mutex<Vec<Catalog>>,
    previews: DecodedPreviews,
}

impl Library {
    pub const DATABASE_FILE: &'static str = "library.db";

    /// Opens (creating if needed) the library in `root` and brings its schema up to date.
    pub fn open(root: &Path) -> Result<Self, LibraryError> {
        fs::create_dir_all(root).map_err(|source| LibraryError::CreateFolder {
            path: root.display().to_string(),
            source,
        })?;
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let lib = Self {
            thumbnails: ThumbnailCache::new(root.join("thumbnails")),
            root,
            readers: Mutex::new(Vec::new()),
            previews: DecodedPreviews::default(),
        };
        let first = lib.catalog()?;
        lib.release_reader(first);
        Ok(lib)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A new connection; use one per thread.
    pub fn catalog(&self) -> Result<Catalog, CatalogError> {
        Catalog::open(&self.root.join(Self::DATABASE_FILE))
    }

    /// Runs `f` on a pooled connection, for short reads from any thread.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Catalog) -> Result<T, CatalogError>,
    ) -> Result<T, CatalogError> {
        let pooled = self.readers.lock().ok().and_then(|mut pool| pool.pop());
        let catalog = match pooled {
            Some(c) => c,
            None => self.catalog()?,
        };
        let out = f(&catalog);
        self.release_reader(catalog);
        out
    }

    fn release_reader(&self, catalog: Catalog) {
        if let Ok(mut pool) = self.readers.lock() {
            if pool.len() < 4 {
                pool.push(catalog);
            }
        }
    }

    /// Counts the roster again now if a write made it stale (else it is already counted), so
    /// its next reader, the typeahead's next keystroke after a tag, finds it ready.
    pub fn recount_roster(&self) -> Result<(), CatalogError> {
        self.read(|c| c.people()).map(drop)
    }

    /// Indexes `folders` (recursively) into the catalog; see [`IndexReport`].
    pub fn index(
        &self,
        folders: &[PathBuf],
        cancel: &CancelToken,
        progress: &dyn ProgressSink<IndexProgress>,
    ) -> Result<IndexReport, LibraryError> {
        index::run(self, folders, cancel, progress)
    }

    /// A photo named by id, or by file path (absolute or relative to the working directory).
    pub fn resolve_photo(&self, arg: &str) -> Result<i64, LibraryError> {
        let by_id = arg.parse::<i64>().ok().filter(|_| !Path::new(arg).exists());
        if let Some(id) = by_id {
            self.read(|c| c.photo_details(id))?;
            return Ok(id);
        }
        let path = fs::canonicalize(arg).unwrap_or_else(|_| PathBuf::from(arg));
        self.read(|c| c.photo_id_by_path(&path.to_string_lossy()))?
            .ok_or_else(|| LibraryError::NotInLibrary(arg.to_string()))
    }

    /// Re-indexes every folder ever added to this library.
    pub fn rescan(
        &self,
        cancel: &CancelToken,
        progress: &dyn ProgressSink<IndexProgress>,
    ) -> Result<IndexReport, LibraryError> {
        let folders: Vec<PathBuf> = self
            .read(|c| c.folders())?
            .into_iter()
            .map(PathBuf::from)
            .collect();
        self.index(&folders, cancel, progress)
    }

    /// JPEG bytes of a photo's cached rendition, re-made from the original if the cache lost it.
    pub fn thumbnail(&self, id: i64, size: ThumbnailSize) -> Result<Vec<u8>, LibraryError> {
        let hash = self.photo_hash(id)?;
        self.thumbnail_of(id, &hash, size)
    }

    fn photo_hash(&self, id: i64) -> Result<String, LibraryError> {
        Ok(self
            .read(|c| c.photo_hash(id))?
            .ok_or(CatalogError::NoSuchPhoto(id))?)
    }

    /// [`Self::thumbnail`] of photo `id`, whose content hash is already known.
    fn thumbnail_of(
        &self,
        id: i64,
        hash: &str,
        size: ThumbnailSize,
    ) -> Result<Vec<u8>, LibraryError> {
        let path = self.thumbnails.path(hash, size);
        if let Ok(bytes) = fs::read(&path) {
            return Ok(bytes);
        }
        let details = self.read(|c| c.photo_details(id))?;
        if details.missing {
            return Err(LibraryError::Unavailable(id));
        }
        let imaging_err = |source| LibraryError::Imaging {
            path: details.path.clone(),
            source,
        };
        let orientation = imaging::Orientation::from_exif(details.orientation.into());
        let thumbs = PhotoFile::read(Path::new(&details.path), orientation)
            .and_then(|file| file.thumbnails())
            .map_err(imaging_err)?;
        self.thumbnails
            .store(hash, &thumbs)
            .map_err(LibraryError::Cache)?;
        Ok(match size {
            ThumbnailSize::Grid => thumbs.grid,
            ThumbnailSize::Preview => thumbs.preview,
        })
    }

    /// JPEG bytes of a square crop around a face, cut from the cached preview and cached.
    pub fn face_crop(&self, face_id: i64) -> Result<Vec<u8>, LibraryError> {
        self.face_crop_and_key(face_id).map(|(jpeg, _)| jpeg)
    }

    /// The face's crop with its name ([`crate::region::Region::crop_key`]), which the box it
    /// shows has now.
    pub fn face_crop_and_key(&self, face_id: i64) -> Result<(Vec<u8>, String), LibraryError> {
        const SIDE: u32 = 160;
        let found = self
            .read(|c| c.face_on_photo(face_id))?
            .ok_or(LibraryError::NoSuchFace(face_id))?;
        let region = found.face.region();
        let key = region.crop_key();
        let path = self.thumbnails.face_path(face_id, &region);
        if let Ok(bytes) = fs::read(&path) {
            return Ok((bytes, key));
        }
        let aspect = found.photo_width as f64 / found.photo_height.max(1) as f64;
        let imaging_err = |source| LibraryError::Imaging {
            path: format!("face {face_id}"),
            source,
        };
        let hash = self.photo_hash(found.photo_id)?;
        let side = imaging::crop_decode_side(aspect, region, SIDE);
        let preview = self.previews.get(&hash, side, |side| {
            let jpeg = self.thumbnail_of(found.photo_id, &hash, ThumbnailSize::Preview)?;
            imaging::decode_at_least(&jpeg, imaging::ImageFormat::Jpeg, side).map_err(imaging_err)
        })?;
        let bytes = imaging::crop_decoded(&preview, region, SIDE).map_err(imaging_err)?;
        // A cache that cannot be written only costs a re-crop next time.
        let _ = self.thumbnails.store_face(&path, &bytes);
        Ok((bytes, key))
    }
}
