//! HEIF (HEIC from phones) and AVIF, through libheif.
//!
//! **Orientation.** A HEIF image item is defined together with its transformative properties
//! (`clap` crop, `irot` rotation, `imir` mirror, applied in that order: ISO/IEC 23008-12 §6.5
//! and MIAF, ISO/IEC 23000-22 §7.3.6.7); libheif applies them when it decodes, and its handle
//! reports the size they produce. An EXIF Orientation inside a HEIF is not a transform: MIAF
//! says there should be none expressed by EXIF, libheif ignores it (strukturag/libheif#227,
//! #680), and so do libvips (libvips/libvips#2551) and browsers for AVIF. iPhones write EXIF 6
//! *and* `irot` 270: the two show the same picture only if a reader applies one of them, and
//! some Android phones write EXIF 1 against `irot` 270, where only the transforms are right.
//! So what libheif decodes is the displayed image, and EXIF orientation is never applied on
//! top of it ([`super::ImageFormat::orients_itself`]).
//!
//! **Face regions (MWG).** A region is relative to the image as stored, before the turn that
//! shows it. For a HEIF that is the coded image, before `clap`, `irot` and `imir`
//! (`heif_transforms` reads them; `imaging::layout` keeps them as the photo's stored size,
//! crop and orientation), with its size as `AppliedToDimensions`: what exiftool reports as
//! `ImageSize`, and what digiKam regions refer to, since digiKam decodes HEIF with libheif's
//! `ignore_transformations` and then turns the image by EXIF (its `dimgheifloader_load.cpp`).
//! For an iPhone's file (EXIF agreeing with `irot`) every reader lands on the same face; for
//! a file whose EXIF contradicts its transforms, digiKam shows the coded image its own way,
//! and the regions still sit on the faces of the image it shows.
//!
//! **Colour.** 8-bit and 10/12-bit files come out as 8-bit sRGB: an ICC profile (iPhones tag
//! Display P3) goes through the same colour management as JPEG's; PQ and HLG (HDR) are turned
//! into SDR here, reference white (203 nits, ITU-R BT.2408) becoming near white and brighter
//! highlights rolled off instead of clipped. Depth maps, alpha and gain maps are left alone;
//! an embedded thumbnail is used only when it is large enough for what is asked.

use std::marker::PhantomData;

use image::RgbImage;
use libheif_rs::{
    ColorPrimaries, ColorSpace, HeifContext, HeifError, HeifErrorSubCode, ImageHandle, ItemId,
    RgbChroma, TransferCharacteristics,
};

use super::{check_pixel_budget, color, ImagingError};

const FORMAT: &str = "HEIF";

/// A parsed HEIF/AVIF file: its container read, its primary image found and checked against
/// the pixel budget, nothing decoded yet.
pub struct Heif<'a> {
    // Declared first so it is released before the context it belongs to.
    primary: ImageHandle,
    _context: HeifContext,
    // libheif reads the caller's bytes in place: they must outlive the context.
    _bytes: PhantomData<&'a [u8]>,
}

fn corrupt(detail: impl std::fmt::Display) -> ImagingError {
    ImagingError::Corrupt {
        format: FORMAT,
        detail: detail.to_string(),
    }
}

/// libheif's own refusals (a size over its security limits) are not damage, and a file whose
/// primary image is missing is told so in those words.
fn refused(e: HeifError) -> ImagingError {
    match e.sub_code {
        HeifErrorSubCode::SecurityLimitExceeded => ImagingError::OverLimit {
            format: FORMAT,
            detail: e.message,
        },
        HeifErrorSubCode::NoPitmBox | HeifErrorSubCode::NoOrInvalidPrimaryItem => {
            corrupt(format!("no primary image ({})", e.message))
        }
        _ => corrupt(e.message),
    }
}

impl<'a> Heif<'a> {
    /// Reads the container. A file with no primary image, or one claiming more pixels than the
    /// budget (displayed or coded), is refused here, before any pixel is decoded.
    pub fn open(bytes: &'a [u8]) -> Result<Self, ImagingError> {
        let context = HeifContext::read_from_bytes(bytes).map_err(refused)?;
        let primary = context
            .primary_image_handle()
            .map_err(|e| corrupt(format!("no primary image ({})", e.message)))?;
        check_pixel_budget(primary.width(), primary.height())?;
        let (coded_w, coded_h) = (primary.ispe_width(), primary.ispe_height());
        if coded_w > 0 && coded_h > 0 {
            check_pixel_budget(coded_w as u32, coded_h as u32)?;
        }
        Ok(Self {
            primary,
            _context: context,
            _bytes: PhantomData,
        })
    }

    /// The displayed size: after crop, rotation and mirroring.
    pub fn size(&self) -> (u32, u32) {
        (self.primary.width(), self.primary.height())
    }

    /// The TIFF structure of the EXIF block, without HEIF's offset prefix.
    pub fn exif(&self) -> Option<Vec<u8>> {
        let block = self.metadata(|h, id| h.metadata_type(id) == Some("Exif"))?;
        // ISO/IEC 23008-12 Annex A.2.1: a 32-bit offset to the TIFF header precedes it.
        let offset = u32::from_be_bytes(block.get(..4)?.try_into().ok()?) as usize;
        block.get(4usize.checked_add(offset)?..).map(<[u8]>::to_vec)
    }

    /// The XMP packet, if the file carries one.
    pub fn xmp(&self) -> Option<Vec<u8>> {
        self.metadata(|h, id| {
            h.metadata_type(id) == Some("mime")
                && h.metadata_content_type(id) == Some("application/rdf+xml")
        })
    }

    fn metadata(&self, wanted: impl Fn(&ImageHandle, ItemId) -> bool) -> Option<Vec<u8>> {
        let mut ids = [0 as ItemId; 16];
        let n = self.primary.metadata_block_ids(&mut ids, b"\0\0\0\0");
        ids[..n.min(ids.len())]
            .iter()
            .find(|&&id| wanted(&self.primary, id))
            .and_then(|&id| self.primary.metadata(id).ok())
    }

    /// The embedded ICC profile, if any.
    pub fn icc(&self) -> Option<Vec<u8>> {
        self.primary.color_profile_raw().map(|p| p.data)
    }

    /// The displayed image as 8-bit sRGB, at least `min_long_side` on its long side when the
    /// image is that large (from an embedded thumbnail when one is big enough).
    pub fn decode(&self, min_long_side: u32) -> Result<RgbImage, ImagingError> {
        let handle = self.thumbnail_for(min_long_side);
        let handle = handle.as_ref().unwrap_or(&self.primary);
        let transfer = handle
            .color_profile_nclx()
            .map(|p| (p.transfer_characteristics(), p.color_primaries()));
        let hdr = match transfer {
            Some((TransferCharacteristics::ITU_R_BT_2100_0_PQ, primaries)) => {
                Some((Hdr::Pq, primaries))
            }
            Some((TransferCharacteristics::ITU_R_BT_2100_0_HLG, primaries)) => {
                Some((Hdr::Hlg, primaries))
            }
            _ => None,
        };
        if let Some((curve, primaries)) = hdr {
            return decode_hdr(handle, curve, primaries);
        }
        let mut img = decode_8bit(handle)?;
        if let Some(icc) = self.icc() {
            color::to_srgb(&mut img, &icc);
        }
        Ok(img)
    }

    /// The smallest embedded thumbnail at least `min_long_side` long with the primary image's
    /// shape (a thumbnail shown another way round is not the same picture).
    fn thumbnail_for(&self, min_long_side: u32) -> Option<ImageHandle> {
        let (w, h) = self.size();
        if w.max(h) <= min_long_side {
            return None;
        }
        let mut ids = [0 as ItemId; 8];
        let n = self.primary.number_of_thumbnails().min(ids.len());
        let n = self.primary.thumbnail_ids(&mut ids[..n]);
        ids[..n]
            .iter()
            .filter_map(|&id| self.primary.thumbnail(id).ok())
            .filter(|t| {
                let (tw, th) = (t.width(), t.height());
                tw.max(th) >= min_long_side && (tw > th) == (w > h)
            })
            .min_by_key(|t| t.width() as u64 * t.height() as u64)
    }
}

fn decode_8bit(handle: &ImageHandle) -> Result<RgbImage, ImagingError> {
    decode_rows(handle, RgbChroma::Rgb, 3, |_, line, pixels| {
        pixels.extend_from_slice(line)
    })
}

#[derive(Clone, Copy)]
enum Hdr {
    Pq,
    Hlg,
}

fn decode_hdr(
    handle: &ImageHandle,
    curve: Hdr,
    primaries: ColorPrimaries,
) -> Result<RgbImage, ImagingError> {
    let wide = primaries == ColorPrimaries::ITU_R_BT_2020_2_and_2100_0;
    let encode = SrgbEncoder::new();
    let mut linear = Vec::new();
    decode_rows(handle, RgbChroma::HdrRgbLe, 6, |bits, line, pixels| {
        if linear.is_empty() {
            linear = linear_table(curve, bits.clamp(8, 16));
        }
        for px in line.chunks_exact(6) {
            let code = |i: usize| {
                let v = u16::from_le_bytes([px[i], px[i + 1]]) as usize;
                linear[v.min(linear.len() - 1)]
            };
            let mut rgb = [code(0), code(2), code(4)];
            if wide {
                rgb = bt2020_to_bt709(rgb);
            }
            pixels.extend(roll_off(rgb).map(|v| encode.byte(v)));
        }
    })
}

/// Decodes `handle` as interleaved `chroma` (`px_bytes` per pixel) and hands each row, its
/// stride padding cut, to `row` with the sample depth, to append 8-bit RGB to the output.
fn decode_rows(
    handle: &ImageHandle,
    chroma: RgbChroma,
    px_bytes: usize,
    mut row: impl FnMut(u8, &[u8], &mut Vec<u8>),
) -> Result<RgbImage, ImagingError> {
    let image = handle
        .decode(ColorSpace::Rgb(chroma), None)
        .map_err(refused)?;
    let planes = image.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| corrupt("libheif returned no RGB plane"))?;
    let (w, h) = (plane.width as usize, plane.height as usize);
    let mut pixels = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        let start = y * plane.stride;
        let line = plane
            .data
            .get(start..start + w * px_bytes)
            .ok_or_else(|| corrupt("decoded rows are shorter than the image"))?;
        row(plane.bits_per_pixel, line, &mut pixels);
    }
    RgbImage::from_raw(w as u32, h as u32, pixels)
        .ok_or_else(|| corrupt("decoded buffer has the wrong size"))
}

/// Linear light relative to reference white (1.0 = 203 nits, BT.2408) for every code value.
fn linear_table(curve: Hdr, bits: u8) -> Vec<f32> {
    let max = ((1u32 << bits) - 1) as f32;
    (0..=max as u32)
        .map(|code| {
            let e = code as f32 / max;
            match curve {
                Hdr::Pq => pq_nits(e) / 203.0,
                // HLG's reference white is the 75% signal (BT.2408), scene light 0.2647.
                Hdr::Hlg => hlg_scene(e) / hlg_scene(0.75),
            }
        })
        .collect()
}

/// SMPTE ST 2084 EOTF: code value 0..1 to nits.
fn pq_nits(e: f32) -> f32 {
    const M1: f32 = 0.159_301_76;
    const M2: f32 = 78.843_75;
    const C1: f32 = 0.835_937_5;
    const C2: f32 = 18.851_563;
    const C3: f32 = 18.6875;
    let p = e.max(0.0).powf(1.0 / M2);
    10_000.0 * ((p - C1).max(0.0) / (C2 - C3 * p)).powf(1.0 / M1)
}

/// ARIB STD-B67 (HLG) inverse OETF: code value 0..1 to scene light 0..1.
fn hlg_scene(e: f32) -> f32 {
    const A: f32 = 0.178_832_77;
    const B: f32 = 0.284_668_92;
    const C: f32 = 0.559_910_7;
    if e <= 0.5 {
        e * e / 3.0
    } else {
        (((e - C) / A).exp() + B) / 12.0
    }
}

/// ITU-R BT.2087's linear-light conversion from BT.2020 to BT.709 primaries.
fn bt2020_to_bt709([r, g, b]: [f32; 3]) -> [f32; 3] {
    [
        1.6605 * r - 0.5876 * g - 0.0728 * b,
        -0.1246 * r + 1.1329 * g - 0.0083 * b,
        -0.0182 * r - 0.1006 * g + 1.1187 * b,
    ]
}

/// Keeps light up to 80% of white as it is and rolls brighter light off towards white, by the
/// brightest channel so hues stay: HDR highlights keep some shape instead of clipping flat.
fn roll_off(rgb: [f32; 3]) -> [f32; 3] {
    const KNEE: f32 = 0.8;
    let rgb = rgb.map(|v| v.max(0.0));
    let peak = rgb[0].max(rgb[1]).max(rgb[2]);
    if peak <= KNEE {
        return rgb;
    }
    let over = peak - KNEE;
    let rolled = KNEE + (1.0 - KNEE) * over / (over + (1.0 - KNEE));
    rgb.map(|v| v * rolled / peak)
}

/// Linear 0..1 to sRGB-encoded bytes, through a table fine enough for 8-bit output.
struct SrgbEncoder(Vec<u8>);

impl SrgbEncoder {
    const STEPS: usize = 4096;

    fn new() -> Self {
        Self(
            (0..=Self::STEPS)
                .map(|i| {
                    let l = i as f32 / Self::STEPS as f32;
                    let v = if l <= 0.003_130_8 {
                        12.92 * l
                    } else {
                        1.055 * l.powf(1.0 / 2.4) - 0.055
                    };
                    (v * 255.0).round().clamp(0.0, 255.0) as u8
                })
                .collect(),
        )
    }

    fn byte(&self, linear: f32) -> u8 {
        self.0[(linear.clamp(0.0, 1.0) * Self::STEPS as f32).round() as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_white_is_white_and_highlights_roll_off() {
        let white = pq_nits(0.58);
        assert!((white - 203.0).abs() < 8.0, "PQ 0.58 is {white} nits");
        assert!((hlg_scene(0.75) - 0.2647).abs() < 0.001);
        let e = SrgbEncoder::new();
        assert!(
            e.byte(roll_off([1.0; 3])[0]) >= 240,
            "reference white is near white"
        );
        let brighter = roll_off([4.0; 3])[0];
        assert!(brighter > roll_off([1.0; 3])[0] && brighter < 1.0);
        assert_eq!(roll_off([0.5, 0.2, 0.1]), [0.5, 0.2, 0.1]);
    }
}
