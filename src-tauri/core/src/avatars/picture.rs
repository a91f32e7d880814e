//! What an avatar shows: decoded with the same bounds as any photo, kept as a JPEG (so a
//! hostile file is never served or read again as it came), and searched for one clear face.

use std::path::Path;

use image::RgbImage;

use super::AvatarError;
use crate::catalog::AvatarFace;
use crate::faces::{FaceDetector, SearchPlan, SCORE_THRESHOLD};
use crate::imaging::{self, Orientation, PhotoFile};
use crate::recognition::{align, FaceEmbedder};
use crate::region::Region;

/// GitHub's size: the long side avatars are kept and searched at.
pub const SIDE: u32 = 460;

/// A face this much narrower than the avatar's largest is someone in the background.
const BACKGROUND_FACE: f64 = 0.5;
/// A face narrower than this share of the picture is not what the avatar is of.
const SMALLEST_SHARE: f64 = 0.1;

pub struct Prepared {
    pub jpeg: Vec<u8>,
    pub hash: String,
    pub face: AvatarFace,
    /// Normalized to the picture, for `One`.
    pub region: Option<Region>,
    pub embedding: Option<Vec<u8>>,
}

pub fn prepare(
    bytes: &[u8],
    detector: &FaceDetector,
    embedder: &FaceEmbedder,
) -> Result<Prepared, AvatarError> {
    let image = PhotoFile::from_bytes(Path::new("avatar"), bytes.to_vec(), Orientation::Normal)?
        .decode_displayed(SIDE)?;
    let jpeg = imaging::encode_jpeg(&image, 90)?;
    let (face, found) = the_face(&image, detector)?;
    let (region, embedding) = match found {
        Some((region, landmarks)) => {
            let aligned = align(&image, &landmarks);
            let embedding = embedder.embed(&aligned)?;
            (Some(region), Some(embedding.to_bytes()))
        }
        None => (None, None),
    };
    Ok(Prepared {
        hash: blake3::hash(bytes).to_hex().to_string(),
        jpeg,
        face,
        region,
        embedding,
    })
}

type Landmarks = [(f64, f64); 5];

/// Exactly one clear face (large, with no other of comparable size), normalized.
fn the_face(
    image: &RgbImage,
    detector: &FaceDetector,
) -> Result<(AvatarFace, Option<(Region, Landmarks)>), AvatarError> {
    let (w, h) = (image.width() as f64, image.height() as f64);
    let found = detector.detect(
        image,
        &SearchPlan::single(image.width(), image.height(), SIDE * 2),
        SCORE_THRESHOLD,
    )?;
    let largest = found.iter().map(|d| d.region.w).fold(0.0f64, f64::max);
    let clear: Vec<_> = found
        .iter()
        .filter(|d| d.region.w >= largest * BACKGROUND_FACE && d.region.w >= w * SMALLEST_SHARE)
        .collect();
    Ok(match clear.as_slice() {
        [] => (AvatarFace::None, None),
        [one] => {
            let r = &one.region;
            let region = Region {
                x: r.x / w,
                y: r.y / h,
                w: r.w / w,
                h: r.h / h,
            };
            (AvatarFace::One, Some((region, one.landmarks)))
        }
        _ => (AvatarFace::Many, None),
    })
}
