//! Grid thumbnails and viewer previews: decode once at reduced size, orient, resize, encode.

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

use super::{decode_at_least, ImageFormat, ImagingError, Orientation};

/// The two cached renditions of every photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThumbnailSize {
    /// About 400 px on the long side, for the grid.
    Grid,
    /// About 2048 px on the long side, for the viewer.
    Preview,
}

impl ThumbnailSize {
    pub fn long_side(self) -> u32 {
        match self {
            Self::Grid => 400,
            Self::Preview => 2048,
        }
    }

    fn quality(self) -> i32 {
        match self {
            Self::Grid => 80,
            Self::Preview => 85,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Grid => "grid",
            Self::Preview => "preview",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "grid" => Some(Self::Grid),
            "preview" => Some(Self::Preview),
            _ => None,
        }
    }
}

/// Encoded JPEG bytes of both renditions, upright.
pub struct Thumbnails {
    pub grid: Vec<u8>,
    pub preview: Vec<u8>,
}

/// Makes both renditions from one reduced-size decode.
pub fn make_thumbnails(
    bytes: &[u8],
    format: ImageFormat,
    orientation: Orientation,
) -> Result<Thumbnails, ImagingError> {
    // A 4000-4500 px JPEG decodes at 1/2 to 2000-2250 px: close enough to 2048 that a full
    // resize pass (a fifth of the indexing time) buys nothing a person can see.
    let target = ThumbnailSize::Preview.long_side();
    let stored = decode_at_least(bytes, format, target * 15 / 16)?;
    let preview = super::shown(
        fit_long_side(stored, target * 11 / 10)?,
        format,
        orientation,
    );
    let grid = shrunk(&preview, ThumbnailSize::Grid.long_side())?;
    Ok(Thumbnails {
        grid: encode_jpeg(&grid, ThumbnailSize::Grid.quality())?,
        preview: encode_jpeg(&preview, ThumbnailSize::Preview.quality())?,
    })
}

/// Shrinks (never enlarges) so the long side is at most `long_side`.
pub(crate) fn fit_long_side(img: RgbImage, long_side: u32) -> Result<RgbImage, ImagingError> {
    if img.width().max(img.height()) <= long_side {
        return Ok(img);
    }
    shrunk(&img, long_side)
}

/// A copy of `img` with its long side at most `long_side`, aspect kept.
fn shrunk(img: &RgbImage, long_side: u32) -> Result<RgbImage, ImagingError> {
    let (w, h) = img.dimensions();
    let scale = (long_side as f64 / w.max(h) as f64).min(1.0);
    let nw = ((w as f64 * scale).round() as u32).max(1);
    let nh = ((h as f64 * scale).round() as u32).max(1);
    resized(img, nw, nh)
}

/// A copy of `img` at `nw` × `nh` (bilinear, SIMD): larger or smaller alike.
pub(crate) fn resized(img: &RgbImage, nw: u32, nh: u32) -> Result<RgbImage, ImagingError> {
    let (w, h) = img.dimensions();
    let src = ImageRef::new(w, h, img.as_raw(), PixelType::U8x3)
        .map_err(|e| ImagingError::Encode(e.to_string()))?;
    let mut dst = FirImage::new(nw, nh, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| ImagingError::Encode(e.to_string()))?;
    RgbImage::from_raw(nw, nh, dst.into_vec())
        .ok_or_else(|| ImagingError::Encode("resized buffer has the wrong size".into()))
}

thread_local! {
    static COMPRESSOR: std::cell::RefCell<Option<turbojpeg::Compressor>> =
        const { std::cell::RefCell::new(None) };
}

pub(crate) fn encode_jpeg(img: &RgbImage, quality: i32) -> Result<Vec<u8>, ImagingError> {
    let enc = |e: turbojpeg::Error| ImagingError::Encode(e.to_string());
    COMPRESSOR.with_borrow_mut(|slot| {
        let compressor = match slot {
            Some(c) => c,
            None => slot.insert(turbojpeg::Compressor::new().map_err(enc)?),
        };
        compressor.set_quality(quality).map_err(enc)?;
        compressor
            .set_subsamp(turbojpeg::Subsamp::Sub2x2)
            .map_err(enc)?;
        // TurboJPEG grows its own buffer; `compress_to_vec` would zero a worst-case one first.
        let out = compressor
            .compress_to_owned(turbojpeg::Image {
                pixels: img.as_raw().as_slice(),
                width: img.width() as usize,
                pitch: 3 * img.width() as usize,
                height: img.height() as usize,
                format: turbojpeg::PixelFormat::RGB,
            })
            .map_err(enc)?;
        Ok(out.to_vec())
    })
}
