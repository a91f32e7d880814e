//! Searching one photo for faces: the survey its size calls for, then, where that found a crowd
//! of small faces, a closer look there, decoded again at a higher resolution when the photo has
//! one. Pixels come from the caller (only `imaging` decodes).

use image::RgbImage;

use super::detector::{merge, Detection, FaceDetector};
use super::search_plan::{SearchPlan, SMALL_FACE, SURVEY_LONG_SIDE};
use super::FacesError;
use crate::region::Region;

/// Scores above this are faces.
pub const SCORE_THRESHOLD: f32 = 0.5;
/// Scores above this, on a small face of the survey, hint at a crowd to look at closer (never a
/// face by itself: at 1x on a shrunk crowd, boxes of 0.3-0.5 are half off their faces).
const HINT_THRESHOLD: f32 = 0.3;

/// Why a photo could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum SearchError<E: std::error::Error + 'static> {
    #[error(transparent)]
    Decode(E),
    #[error(transparent)]
    Faces(#[from] FacesError),
}

/// The faces of a photo, boxes and landmarks normalized (0..1) to its displayed image.
/// `decode(long_side)` gives the displayed image with a long side of `long_side`, or its full
/// size when smaller.
pub fn search_photo<E: std::error::Error + 'static>(
    detector: &FaceDetector,
    mut decode: impl FnMut(u32) -> Result<RgbImage, E>,
) -> Result<Vec<Detection>, SearchError<E>> {
    let survey_image = decode(SURVEY_LONG_SIDE).map_err(SearchError::Decode)?;
    let (w, h) = survey_image.dimensions();
    let survey = detector.detect(&survey_image, &SearchPlan::survey(w, h), HINT_THRESHOLD)?;
    let boxes: Vec<Region> = survey.iter().map(|d| d.region).collect();
    let closer_look = SearchPlan::closer_look(w, h, &boxes);
    let mut found: Vec<Detection> = survey
        .into_iter()
        .filter(|d| d.score > SCORE_THRESHOLD)
        .collect();
    if let Some(pass) = closer_look {
        let long = w.max(h);
        let wanted = (long as f64 * pass.scale).ceil() as u32;
        // A photo larger than the survey's image is decoded again for it: enlarging the survey's
        // image would only blur what the file holds.
        let sharper = if long == SURVEY_LONG_SIDE && pass.scale > 1.0 {
            Some(decode(wanted).map_err(SearchError::Decode)?)
        } else {
            None
        };
        let image = sharper.as_ref().unwrap_or(&survey_image);
        let ratio = image.width() as f64 / w as f64;
        let on_image = pass.on_larger(ratio, image.dimensions());
        let closer = detector.look(image, &on_image, SCORE_THRESHOLD)?;
        // Every small face found lies in a tile the closer look searched (the tiles near them).
        found.retain(|d| d.region.h >= SMALL_FACE || !pass.area.holds_centre_of(&d.region));
        found.extend(closer.into_iter().map(|d| d.mapped(1.0 / ratio, 0.0, 0.0)));
        found = merge(found);
    }
    let (fw, fh) = (w as f64, h as f64);
    Ok(found
        .into_iter()
        .map(|d| Detection {
            region: Region {
                x: d.region.x / fw,
                y: d.region.y / fh,
                w: d.region.w / fw,
                h: d.region.h / fh,
            }
            .clamped_unit(),
            score: d.score,
            landmarks: d.landmarks.map(|(x, y)| (x / fw, y / fh)),
        })
        .collect())
}
