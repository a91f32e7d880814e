//! The recognition job: every face that matters (tagged, or waiting for a name) gets an
//! embedding for its photo's current content and its box's current place, photo by photo;
//! each photo's embeddings are stored as soon as they are made, and matched against people and
//! groups at most once a second (and at the end, or when cancelled).
//! Resumable (faces with a current embedding are skipped) and cancellable between photos.

use std::path::Path;
use std::time::{Duration, Instant};

use image::RgbImage;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::{AlignedBy, CatalogError, EmbeddingRecord, FaceToEmbed};
use crate::faces::{FaceDetector, FacesError, SearchPlan, SCORE_THRESHOLD};
use crate::imaging::{Orientation, PhotoFile};
use crate::library::{FailedFile, Library};
use crate::progress::{CancelToken, EmbedProgress, ProgressSink};
use crate::recognition::{align, place_box, FaceEmbedder, MODEL_VERSION};
use crate::region::Region;
use crate::suggestions;

/// Long side at which photos are decoded for embedding: the face search's, so landmarks found
/// there are as sharp here.
const DECODE_LONG_SIDE: u32 = 1920;

/// How often new embeddings are matched against people and groups while the job runs: each
/// match reads every unnamed face's embedding, too much to repeat per photo in a large library,
/// while suggestions still appear within a second of their face being embedded.
const SPREAD_EVERY: Duration = Duration::from_secs(1);

/// The outcome of `whoiswho faces suggest`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EmbedReport {
    /// Faces embedded in this run.
    pub embedded: u64,
    /// Faces suggested as someone, in the whole library, after the run.
    pub suggested: u64,
    /// Groups of alike faces waiting for a name, after the run.
    pub groups: u64,
    /// Photos whose faces could not be embedded (unreadable since indexing).
    pub failed: Vec<FailedFile>,
    pub cancelled: bool,
}

pub fn embed_library(
    library: &Library,
    embedder: &FaceEmbedder,
    detector: &FaceDetector,
    cancel: &CancelToken,
    sink: &dyn ProgressSink<EmbedProgress>,
) -> Result<EmbedReport, CatalogError> {
    let mut catalog = library.catalog()?;
    let todo = catalog.write(|w| {
        w.forget_stale_embeddings(MODEL_VERSION)?;
        w.awaiting_embedding(MODEL_VERSION)
    })?;
    let mut report = EmbedReport::default();
    let mut progress = EmbedProgress {
        done: 0,
        total: todo.len() as u64,
        current: None,
    };
    sink.progress(&progress);
    // Faces embedded but not yet matched against the people and groups.
    let mut pending: Vec<(i64, i64)> = Vec::new();
    let mut last_spread = Instant::now();
    for photo in todo.chunk_by(|a, b| a.photo_id == b.photo_id) {
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        progress.current = Some(photo[0].path.clone());
        sink.progress(&progress);
        let records = match decode(&photo[0]) {
            Ok(image) => photo
                .par_iter()
                .map(|face| embed_face(embedder, detector, &image, face))
                .collect::<Vec<_>>(),
            Err(error) => {
                report.failed.push(FailedFile {
                    path: photo[0].path.clone(),
                    error: error.clone(),
                });
                photo
                    .iter()
                    .map(|face| EmbeddingRecord {
                        face,
                        aligned_by: AlignedBy::Box,
                        outcome: Err(error.clone()),
                    })
                    .collect()
            }
        };
        let changed = photo.iter().map(|f| (f.photo_id, f.face_id));
        pending.extend(changed);
        let spread = last_spread.elapsed() >= SPREAD_EVERY;
        catalog.write(|w| {
            for r in &records {
                w.store_embedding(MODEL_VERSION, r)?;
            }
            if spread {
                suggestions::faces_changed(w, &pending)?;
            }
            Ok::<_, CatalogError>(())
        })?;
        if spread {
            pending.clear();
            last_spread = Instant::now();
        }
        report.embedded += records.iter().filter(|r| r.outcome.is_ok()).count() as u64;
        progress.done += photo.len() as u64;
    }
    if !pending.is_empty() {
        catalog.write(|w| suggestions::faces_changed(w, &pending))?;
    }
    progress.current = None;
    sink.progress(&progress);
    report.suggested = catalog.suggestion_count()?;
    report.groups = suggestions::groups(&catalog)?.len() as u64;
    Ok(report)
}

/// The photo upright at the embedding size; the error is the per-photo reason shown.
fn decode(face: &FaceToEmbed) -> Result<RgbImage, String> {
    let orientation = Orientation::from_exif(face.orientation.into());
    PhotoFile::read(Path::new(&face.path), orientation)
        .and_then(|file| file.decode_displayed(DECODE_LONG_SIDE))
        .map_err(|e| format!("{}: {e}", face.path))
}

fn embed_face<'a>(
    embedder: &FaceEmbedder,
    detector: &FaceDetector,
    image: &RgbImage,
    face: &'a FaceToEmbed,
) -> EmbeddingRecord<'a> {
    match aligned_face(detector, image, face) {
        Ok((aligned_by, aligned)) => EmbeddingRecord {
            face,
            aligned_by,
            outcome: embedder
                .embed(&aligned)
                .map(|e| e.to_bytes())
                .map_err(|e| e.to_string()),
        },
        // Kept as this face's failure: a box-aligned embedding would pass for a good one.
        Err(e) => EmbeddingRecord {
            face,
            aligned_by: AlignedBy::Box,
            outcome: Err(e.to_string()),
        },
    }
}

/// The face on the model's template: by the detector's landmarks when they still lie in the
/// box (a moved box keeps stale ones), else by landmarks found again around the box, else
/// (the finder sees no face there) by the box itself. A finder that fails is this face's
/// failure.
fn aligned_face(
    detector: &FaceDetector,
    image: &RgbImage,
    face: &FaceToEmbed,
) -> Result<(AlignedBy, RgbImage), FacesError> {
    let (w, h) = (image.width() as f64, image.height() as f64);
    if let Some(points) = face.landmarks.as_deref().and_then(|l| five(l, w, h)) {
        if points
            .iter()
            .all(|p| inside(&face.region, p.0 / w, p.1 / h))
        {
            return Ok((AlignedBy::Landmarks, align(image, &points)));
        }
    }
    Ok(match landmarks_around(detector, image, &face.region)? {
        Some(points) => (AlignedBy::Detector, align(image, &points)),
        None => (AlignedBy::Box, place_box(image, &face.region)),
    })
}

fn five(normalized: &[f64], w: f64, h: f64) -> Option<[(f64, f64); 5]> {
    if normalized.len() != 10 || normalized.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut points = [(0.0, 0.0); 5];
    for (i, p) in points.iter_mut().enumerate() {
        *p = (normalized[2 * i] * w, normalized[2 * i + 1] * h);
    }
    Some(points)
}

/// Whether a normalized point lies in the box, with a margin for landmarks a detector puts on
/// its edge.
fn inside(r: &Region, x: f64, y: f64) -> bool {
    let (mx, my) = (r.w * 0.1, r.h * 0.1);
    x >= r.x - mx && x <= r.x + r.w + mx && y >= r.y - my && y <= r.y + r.h + my
}

/// Side of the neighbourhood searched around a box with no landmarks, as the detector sees it.
const NEIGHBOURHOOD_SIDE: u32 = 256;

/// Runs the detector on the box's neighbourhood (twice its size, scaled to a size the detector
/// sees well) and returns the landmarks of the face that overlaps the box most.
fn landmarks_around(
    detector: &FaceDetector,
    image: &RgbImage,
    region: &Region,
) -> Result<Option<[(f64, f64); 5]>, FacesError> {
    let (w, h) = (image.width() as f64, image.height() as f64);
    let side = (region.w * w).max(region.h * h) * 2.0;
    let (cx, cy) = (
        (region.x + region.w / 2.0) * w,
        (region.y + region.h / 2.0) * h,
    );
    let x0 = (cx - side / 2.0).clamp(0.0, w - 1.0).floor();
    let y0 = (cy - side / 2.0).clamp(0.0, h - 1.0).floor();
    let x1 = (cx + side / 2.0).clamp(x0 + 1.0, w).ceil();
    let y1 = (cy + side / 2.0).clamp(y0 + 1.0, h).ceil();
    let crop = image::imageops::crop_imm(
        image,
        x0 as u32,
        y0 as u32,
        (x1 - x0) as u32,
        (y1 - y0) as u32,
    )
    .to_image();
    let scale = NEIGHBOURHOOD_SIDE as f64 / crop.width().max(crop.height()) as f64;
    let scaled = image::imageops::resize(
        &crop,
        ((crop.width() as f64 * scale).round() as u32).max(1),
        ((crop.height() as f64 * scale).round() as u32).max(1),
        image::imageops::FilterType::Triangle,
    );
    let detections = detector.detect(
        &scaled,
        &SearchPlan::single(scaled.width(), scaled.height(), NEIGHBOURHOOD_SIDE),
        SCORE_THRESHOLD,
    )?;
    let target = Region {
        x: (region.x * w - x0) * scale,
        y: (region.y * h - y0) * scale,
        w: region.w * w * scale,
        h: region.h * h * scale,
    };
    let best = detections
        .iter()
        .map(|d| (d, d.region.iou(&target)))
        .filter(|(_, iou)| *iou >= 0.3)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    Ok(best.map(|(d, _)| d.landmarks.map(|(x, y)| (x / scale + x0, y / scale + y0))))
}
