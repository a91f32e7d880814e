//! Colour: photos tagged with a camera or wide-gamut profile (Adobe RGB, Display P3) are turned
//! into sRGB when decoded, so thumbnails, the viewer, detection and every export show the
//! colours the camera meant, in the space browsers assume for untagged images.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use image::RgbImage;

use super::ImageFormat;

const JPEG_ICC: &[u8] = b"ICC_PROFILE\0";

/// The embedded ICC profile of a JPEG (APP2 chunks, in sequence order) or WebP (`ICCP`);
/// HEIF's is applied as it is decoded (`imaging::heif`).
pub fn icc_profile(bytes: &[u8], format: ImageFormat) -> Option<Vec<u8>> {
    match format {
        ImageFormat::Jpeg => jpeg_icc(bytes),
        ImageFormat::Webp => webp_icc(bytes),
        _ => None,
    }
}

fn jpeg_icc(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut chunks: Vec<(u8, &[u8])> = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            break;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let Some(body) = bytes.get(i + 4..i + 2 + len) else {
            break;
        };
        if marker == 0xE2 && body.len() > JPEG_ICC.len() + 2 && body.starts_with(JPEG_ICC) {
            chunks.push((body[JPEG_ICC.len()], &body[JPEG_ICC.len() + 2..]));
        }
        i += 2 + len;
    }
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|(seq, _)| *seq);
    Some(
        chunks
            .into_iter()
            .flat_map(|(_, c)| c.iter().copied())
            .collect(),
    )
}

fn webp_icc(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let len =
            u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]) as usize;
        let body = bytes.get(i + 8..(i + 8).checked_add(len)?)?;
        if &bytes[i..i + 4] == b"ICCP" {
            return Some(body.to_vec());
        }
        i += 8 + len + (len & 1);
    }
    None
}

/// Converts pixels described by `icc` to sRGB in place. An sRGB, unreadable or unsupported
/// profile leaves them as they are (the usual reading of an image without a usable profile).
pub fn to_srgb(img: &mut RgbImage, icc: &[u8]) {
    if let Some(transform) = transform_for(icc) {
        transform.apply(img.as_mut());
    }
}

/// The transform from `icc` to sRGB, built once per distinct profile: parsing the profile and
/// precomputing its tables costs more than converting a preview, and a folder of photos from
/// one camera carries one profile. `None` when no conversion is needed or possible.
fn transform_for(icc: &[u8]) -> Option<Arc<qcms::Transform>> {
    /// Transforms by the blake3 hash of their profile; `None`: nothing to convert.
    type Transforms = HashMap<[u8; 32], Option<Arc<qcms::Transform>>>;
    static CACHE: OnceLock<Mutex<Transforms>> = OnceLock::new();
    let key = *blake3::hash(icc).as_bytes();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(known) = cache.lock().ok()?.get(&key) {
        return known.clone();
    }
    let built = build_transform(icc).map(Arc::new);
    if let Ok(mut cache) = cache.lock() {
        // A handful of cameras per library; the bound only guards against hostile variety.
        if cache.len() < 64 {
            cache.insert(key, built.clone());
        }
    }
    built
}

fn build_transform(icc: &[u8]) -> Option<qcms::Transform> {
    let source = qcms::Profile::new_from_slice(icc, false)?;
    if source.is_sRGB() {
        return None;
    }
    let mut target = qcms::Profile::new_sRGB();
    // Precomputed output tables make each pixel a few table lookups.
    target.precache_output_transform();
    qcms::Transform::new(
        &source,
        &target,
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adobe_rgb_photos_come_out_in_srgb() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/events/kcs06.jpeg");
        let Ok(bytes) = std::fs::read(&path) else {
            return;
        };
        let icc =
            icc_profile(&bytes, ImageFormat::Jpeg).expect("kcs06 carries an Adobe RGB profile");
        assert!(String::from_utf8_lossy(&icc).contains("Adobe RGB"));
        // A saturated Adobe RGB green is outside sRGB: converted, red rises less than green falls
        // in relative terms, and the pixel changes.
        let mut img = RgbImage::from_pixel(2, 1, image::Rgb([0, 200, 0]));
        to_srgb(&mut img, &icc);
        let p = img.get_pixel(0, 0);
        assert_ne!(p.0, [0, 200, 0]);
        assert!(p[1] > 150, "{p:?}");
        assert_eq!(icc_profile(b"\xff\xd8\xff\xda", ImageFormat::Jpeg), None);
    }
}
