//! The transforms a HEIF/AVIF file declares for its primary image (`clap` crop, `irot`
//! rotation, `imir` mirror), read from its boxes. libheif 1.15 applies them but does not say
//! which they are, and MWG face regions need them: they refer to the coded image, before any
//! transform (what digiKam shows, decoding with libheif's `ignore_transformations` and then
//! turning by EXIF, and what exiftool's `ImageSize` reports).
//!
//! Boxes (ISO/IEC 14496-12 and 23008-12): `meta` (full box) holds `pitm` (the primary item),
//! and `iprp` with `ipco` (the properties, numbered from 1) and `ipma` (which item has which).
//! `irot` turns by its angle × 90° anticlockwise; `imir` axis 0 swaps top and bottom and 1 left
//! and right (as libheif, Apple and libavif read it); `clap` keeps a centred rectangle moved by
//! an offset. MIAF (ISO/IEC 23000-22 §7.3.6.7) fixes their order: crop, then rotate, then mirror.

use super::orientation::Orientation;

/// A rectangle in the coded image's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// How the coded image becomes the displayed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transforms {
    /// The coded image's size (`ispe`).
    pub coded: (u32, u32),
    /// The part shown (`clap`), when not all of it.
    pub crop: Option<PixelRect>,
    /// `irot` then `imir`, as the EXIF orientation that does the same.
    pub orientation: Orientation,
}

/// The primary item's transforms, or `None` when the boxes cannot be read (the caller then
/// knows only the displayed image).
pub fn read(file: &[u8]) -> Option<Transforms> {
    let meta = children(file).find(|b| &b.kind == b"meta")?;
    let meta = meta.body.get(4..)?; // full box: version and flags
    let primary = primary_item(children(meta).find(|b| &b.kind == b"pitm")?.body)?;
    let iprp = children(meta).find(|b| &b.kind == b"iprp")?.body;
    let properties: Vec<IsoBox<'_>> =
        children(children(iprp).find(|b| &b.kind == b"ipco")?.body).collect();
    let ipma = children(iprp).find(|b| &b.kind == b"ipma")?.body;
    let mut coded = None;
    let mut crop = None;
    let mut turns = 0u8;
    let mut mirror = None;
    for index in associations(ipma, primary)? {
        let property = properties.get(index.checked_sub(1)?)?;
        let body = property.body;
        match &property.kind {
            b"ispe" => coded = Some((be_u32(body, 4)?, be_u32(body, 8)?)),
            b"irot" => turns = body.first()? & 0b11,
            b"imir" => mirror = Some(body.first()? & 1),
            b"clap" => crop = Some(body),
            _ => {}
        }
    }
    let coded = coded?;
    let crop = match crop {
        Some(body) => Some(clean_aperture(body, coded)?),
        None => None,
    };
    Some(Transforms {
        coded,
        crop: crop.filter(|c| (c.w, c.h) != coded),
        orientation: orientation(turns, mirror),
    })
}

/// `irot` quarter turns anticlockwise, then `imir`, as the one EXIF orientation doing both.
fn orientation(turns: u8, mirror: Option<u8>) -> Orientation {
    let exif = match (turns, mirror) {
        (0, None) => 1,
        (0, Some(1)) => 2,
        (0, Some(_)) => 4,
        (1, None) => 8,
        (1, Some(1)) => 7,
        (1, Some(_)) => 5,
        (2, None) => 3,
        (2, Some(1)) => 4,
        (2, Some(_)) => 2,
        (3, None) => 6,
        (3, Some(1)) => 5,
        (_, _) => 7,
    };
    Orientation::from_exif(exif)
}

/// The `clap` rectangle in coded pixels, rounded as libheif rounds it; `None` when it does not
/// fit inside the image.
fn clean_aperture(body: &[u8], (w, h): (u32, u32)) -> Option<PixelRect> {
    let fraction = |at: usize| -> Option<f64> {
        let n = be_u32(body, at)? as i32 as f64;
        let d = be_u32(body, at + 4)? as i32 as f64;
        (d != 0.0).then_some(n / d)
    };
    let (cw, ch) = (fraction(0)?, fraction(8)?);
    let (off_x, off_y) = (fraction(16)?, fraction(24)?);
    let left = (off_x + (w as f64 - 1.0) / 2.0 - (cw - 1.0) / 2.0).round();
    let top = (off_y + (h as f64 - 1.0) / 2.0 - (ch - 1.0) / 2.0).round();
    let (cw, ch) = (cw.round(), ch.round());
    let fits = left >= 0.0
        && top >= 0.0
        && cw >= 1.0
        && ch >= 1.0
        && left + cw <= w as f64
        && top + ch <= h as f64;
    fits.then_some(PixelRect {
        x: left as u32,
        y: top as u32,
        w: cw as u32,
        h: ch as u32,
    })
}

fn primary_item(pitm: &[u8]) -> Option<u32> {
    match pitm.first()? {
        0 => Some(u16::from_be_bytes(pitm.get(4..6)?.try_into().ok()?) as u32),
        _ => be_u32(pitm, 4),
    }
}

/// The property indices (1-based) associated with `item`, in order.
fn associations(ipma: &[u8], item: u32) -> Option<Vec<usize>> {
    let version = *ipma.first()?;
    let wide_index = ipma.get(3)? & 1 == 1;
    let entries = be_u32(ipma, 4)?;
    let mut at = 8;
    for _ in 0..entries {
        let id = if version < 1 {
            let id = u16::from_be_bytes(ipma.get(at..at + 2)?.try_into().ok()?) as u32;
            at += 2;
            id
        } else {
            let id = be_u32(ipma, at)?;
            at += 4;
            id
        };
        let count = *ipma.get(at)? as usize;
        at += 1;
        let mut indices = Vec::with_capacity(count);
        for _ in 0..count {
            let index = if wide_index {
                let v = u16::from_be_bytes(ipma.get(at..at + 2)?.try_into().ok()?);
                at += 2;
                (v & 0x7FFF) as usize
            } else {
                let v = *ipma.get(at)?;
                at += 1;
                (v & 0x7F) as usize
            };
            indices.push(index);
        }
        if id == item {
            return Some(indices);
        }
    }
    None
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

struct IsoBox<'a> {
    kind: [u8; 4],
    body: &'a [u8],
}

/// The boxes laid one after another in `bytes`, stopping at the first that does not fit.
fn children(mut bytes: &[u8]) -> impl Iterator<Item = IsoBox<'_>> {
    std::iter::from_fn(move || {
        let size = be_u32(bytes, 0)? as u64;
        let kind: [u8; 4] = bytes.get(4..8)?.try_into().ok()?;
        let (header, size) = match size {
            0 => (8, bytes.len() as u64),
            1 => (16, u64::from_be_bytes(bytes.get(8..16)?.try_into().ok()?)),
            n => (8, n),
        };
        let end = usize::try_from(size)
            .ok()
            .filter(|&e| e >= header && e <= bytes.len())?;
        let body = &bytes[header..end];
        bytes = &bytes[end..];
        Some(IsoBox { kind, body })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table agrees with the pixels: `irot` (anticlockwise) then `imir` on a small image
    /// equals `Orientation::apply` of the value chosen, for all twelve combinations.
    #[test]
    fn irot_then_imir_is_the_orientation_chosen() {
        let stored = image::RgbImage::from_fn(3, 2, |x, y| image::Rgb([x as u8, y as u8, 0]));
        for turns in 0..4u8 {
            for mirror in [None, Some(0u8), Some(1)] {
                let mut shown = stored.clone();
                for _ in 0..turns {
                    shown = image::imageops::rotate270(&shown);
                }
                match mirror {
                    Some(0) => image::imageops::flip_vertical_in_place(&mut shown),
                    Some(_) => image::imageops::flip_horizontal_in_place(&mut shown),
                    None => {}
                }
                let via = orientation(turns, mirror).apply(stored.clone());
                assert_eq!(via, shown, "irot {turns}, imir {mirror:?}");
            }
        }
    }

    #[test]
    fn a_centred_clean_aperture_is_its_middle() {
        let mut body = Vec::new();
        for v in [120u32, 1, 80, 1, 0, 1, 0, 1] {
            body.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(
            clean_aperture(&body, (152, 112)),
            Some(PixelRect {
                x: 16,
                y: 16,
                w: 120,
                h: 80
            })
        );
        assert_eq!(
            clean_aperture(&body, (100, 50)),
            None,
            "larger than the image"
        );
    }
}
