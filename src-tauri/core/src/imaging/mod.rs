//! Pixels: the only module that decodes images. Decoding is bounded (pixel and allocation limits
//! checked from the header, before any pixel buffer exists), JPEGs are decoded at reduced size
//! through libjpeg-turbo's DCT scaling, HEIF and AVIF through libheif (`heif`, which applies
//! their own transforms), and EXIF orientation is applied here and nowhere else.

mod blur;
mod color;
mod crop;
mod format;
mod heif;
mod heif_transforms;
mod orientation;
mod photo_file;
mod thumbnail;

use std::io::Cursor;

pub use blur::{blur_heads, head_of};
pub use crop::{crop_decode_side, crop_decoded};
pub use format::{detect, has_image_extension, looks_like_image, ImageFormat};
pub use heif::Heif;
pub use heif_transforms::PixelRect;
pub use orientation::Orientation;
pub use photo_file::{PhotoFile, MAX_FILE_BYTES};
pub use thumbnail::{make_thumbnails, ThumbnailSize, Thumbnails};

use image::RgbImage;

/// Refuse images claiming more pixels than any camera makes; a 5 KB file may claim 4 gigapixels.
pub const MAX_PIXELS: u64 = 150_000_000;
/// Ceiling on what one non-JPEG decode may allocate.
const MAX_DECODE_ALLOC: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum ImagingError {
    #[error("not an image: the file starts with no known image signature")]
    NotAnImage,
    #[error("unsupported format: {format} (convert it to JPEG, PNG or WebP to include it)")]
    Unsupported { format: String },
    #[error(
        "image claims {width}x{height} pixels ({} megapixels), over the {} megapixel limit; refused without decoding",
        (*width as u64 * *height as u64) / 1_000_000,
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("{format} refused without decoding: {detail}")]
    OverLimit {
        format: &'static str,
        detail: String,
    },
    #[error("corrupt or truncated {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("could not encode a thumbnail: {0}")]
    Encode(String),
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    #[error("file is {} MB, over the {} MB limit; refused unread", .bytes / 1_000_000, MAX_FILE_BYTES / 1_000_000)]
    TooLarge { bytes: u64 },
}

/// How a photo's stored pixels become the displayed image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The stored image's size: what the file codes, before any transform.
    pub stored: (u32, u32),
    /// The part of it that is shown, when not all of it (a HEIF's clean aperture).
    pub crop: Option<PixelRect>,
    /// How the (cropped) stored image is turned to be shown.
    pub orientation: Orientation,
}

impl Layout {
    pub fn displayed_size(&self) -> (u32, u32) {
        let (w, h) = self.crop.map_or(self.stored, |c| (c.w, c.h));
        self.orientation.displayed_size(w, h)
    }

    /// The displayed image is all there is to know.
    fn plain(size: (u32, u32)) -> Self {
        Self {
            stored: size,
            crop: None,
            orientation: Orientation::Normal,
        }
    }
}

/// THE rule for how a photo is shown, read from its header without decoding pixels: the
/// EXIF orientation turns a JPEG (and PNG, WebP, TIFF); a HEIF or AVIF is shown as its own
/// `clap`, `irot` and `imir` say and its EXIF orientation is ignored (see `heif`).
pub fn layout(
    bytes: &[u8],
    format: ImageFormat,
    exif_orientation: Orientation,
) -> Result<Layout, ImagingError> {
    if !format.orients_itself() {
        return Ok(Layout {
            stored: stored_size(bytes, format)?,
            crop: None,
            orientation: exif_orientation,
        });
    }
    let shown = Heif::open(bytes)?.size();
    let declared = heif_transforms::read(bytes).map(|t| Layout {
        stored: t.coded,
        crop: t.crop,
        orientation: t.orientation,
    });
    // The boxes as read must give the size libheif shows; if not, only the shown image is
    // trusted (its regions then refer to it).
    Ok(declared
        .filter(|l| l.displayed_size() == shown)
        .unwrap_or(Layout::plain(shown)))
}

/// Stored pixel size read from the header, without decoding pixels.
fn stored_size(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImagingError> {
    let (w, h) = match format {
        ImageFormat::Jpeg => match turbojpeg::read_header(bytes) {
            Ok(h) => (h.width as u32, h.height as u32),
            // libjpeg-turbo rejects a few odd-but-valid files (e.g. 12-bit); let image-rs try.
            Err(_) => generic_dimensions(bytes, format)?,
        },
        _ => generic_dimensions(bytes, format)?,
    };
    check_pixel_budget(w, h)?;
    Ok((w, h))
}

/// Turns decoded pixels as `orientation` says, unless the decoder already showed them as the
/// file says (libheif applies HEIF's transforms).
fn shown(img: RgbImage, format: ImageFormat, orientation: Orientation) -> RgbImage {
    if format.orients_itself() {
        img
    } else {
        orientation.apply(img)
    }
}

fn image_crate_format(format: ImageFormat) -> Result<image::ImageFormat, ImagingError> {
    format.to_image_crate().ok_or(ImagingError::Unsupported {
        format: format.name().to_string(),
    })
}

fn generic_dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImagingError> {
    image::ImageReader::with_format(Cursor::new(bytes), image_crate_format(format)?)
        .into_dimensions()
        .map_err(|e| corrupt(format, e))
}

fn check_pixel_budget(w: u32, h: u32) -> Result<(), ImagingError> {
    if w == 0 || h == 0 {
        return Err(ImagingError::Corrupt {
            format: "image",
            detail: "zero width or height".into(),
        });
    }
    if w as u64 * h as u64 > MAX_PIXELS {
        return Err(ImagingError::TooManyPixels {
            width: w,
            height: h,
        });
    }
    Ok(())
}

fn corrupt(format: ImageFormat, e: impl std::fmt::Display) -> ImagingError {
    ImagingError::Corrupt {
        format: format.name(),
        detail: e.to_string(),
    }
}

/// Decodes stored pixels (no EXIF orientation applied; for HEIF and AVIF, whose stored image
/// is the displayed one, their transforms applied) at the smallest size whose long side is at
/// least `min_long_side`, or full size when the image is smaller than that.
pub fn decode_at_least(
    bytes: &[u8],
    format: ImageFormat,
    min_long_side: u32,
) -> Result<RgbImage, ImagingError> {
    if format.orients_itself() {
        // Colour is managed inside (ICC, and PQ/HLG to SDR), and the pixels come out displayed.
        return Heif::open(bytes)?.decode(min_long_side);
    }
    let mut img = decode_raw(bytes, format, min_long_side)?;
    if let Some(icc) = color::icc_profile(bytes, format) {
        color::to_srgb(&mut img, &icc);
    }
    Ok(img)
}

fn decode_raw(
    bytes: &[u8],
    format: ImageFormat,
    min_long_side: u32,
) -> Result<RgbImage, ImagingError> {
    if format == ImageFormat::Jpeg {
        match decode_jpeg_scaled(bytes, min_long_side) {
            Ok(img) => return Ok(img),
            Err(JpegError::Budget(e)) => return Err(e),
            // CMYK, 12-bit and slightly damaged files: image-rs (zune-jpeg) is more lenient.
            Err(JpegError::Turbo(turbo_err)) => {
                return decode_generic(bytes, format).map_err(|_| corrupt(format, turbo_err))
            }
        }
    }
    decode_generic(bytes, format)
}

enum JpegError {
    Budget(ImagingError),
    Turbo(turbojpeg::Error),
}

impl From<turbojpeg::Error> for JpegError {
    fn from(e: turbojpeg::Error) -> Self {
        Self::Turbo(e)
    }
}

thread_local! {
    // One handle per worker thread: creating one per photo costs an allocation round trip.
    static DECOMPRESSOR: std::cell::RefCell<Option<turbojpeg::Decompressor>> =
        const { std::cell::RefCell::new(None) };
}

fn decode_jpeg_scaled(bytes: &[u8], min_long_side: u32) -> Result<RgbImage, JpegError> {
    DECOMPRESSOR.with_borrow_mut(|slot| {
        let decompressor = match slot {
            Some(d) => d,
            None => slot.insert(turbojpeg::Decompressor::new()?),
        };
        let header = decompressor.read_header(bytes)?;
        check_pixel_budget(header.width as u32, header.height as u32).map_err(JpegError::Budget)?;
        if header.colorspace == turbojpeg::Colorspace::CMYK
            || header.colorspace == turbojpeg::Colorspace::YCCK
        {
            return Err(JpegError::Turbo(turbojpeg::Error::TurboJpegError(
                "CMYK JPEG needs a colour conversion libjpeg-turbo does not do".into(),
            )));
        }
        let long_side = header.width.max(header.height);
        // Eighths are what libjpeg-turbo's IDCT scaling does; pick the smallest that suffices.
        let factor = (1..=8)
            .map(|num| turbojpeg::ScalingFactor::new(num, 8))
            .find(|f| f.scale(long_side) >= min_long_side as usize)
            .unwrap_or(turbojpeg::ScalingFactor::ONE);
        decompressor.set_scaling_factor(factor)?;
        let scaled = header.scaled(factor);
        let mut pixels = vec![0u8; 3 * scaled.width * scaled.height];
        decompressor.decompress(
            bytes,
            turbojpeg::Image {
                pixels: pixels.as_mut_slice(),
                width: scaled.width,
                pitch: 3 * scaled.width,
                height: scaled.height,
                format: turbojpeg::PixelFormat::RGB,
            },
        )?;
        RgbImage::from_raw(scaled.width as u32, scaled.height as u32, pixels).ok_or_else(|| {
            JpegError::Turbo(turbojpeg::Error::TurboJpegError(
                "decoded buffer has the wrong size".into(),
            ))
        })
    })
}

fn decode_generic(bytes: &[u8], format: ImageFormat) -> Result<RgbImage, ImagingError> {
    let (w, h) = generic_dimensions(bytes, format)?;
    check_pixel_budget(w, h)?;
    let mut reader =
        image::ImageReader::with_format(Cursor::new(bytes), image_crate_format(format)?);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(65_535);
    limits.max_image_height = Some(65_535);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            // The header passed our pixel check, so what hit the limit is a frame or chunk size.
            corrupt(
                format,
                "the file asks for more memory than an image of its size needs",
            )
        }
        other => corrupt(format, other),
    })?;
    Ok(img.into_rgb8())
}

/// Decodes and orients a photo so its long side is about `long_side`: the displayed image.
pub fn decode_displayed(
    bytes: &[u8],
    format: ImageFormat,
    orientation: Orientation,
    long_side: u32,
) -> Result<RgbImage, ImagingError> {
    let stored = decode_at_least(bytes, format, long_side)?;
    let resized = thumbnail::fit_long_side(stored, long_side)?;
    Ok(shown(resized, format, orientation))
}

/// JPEG bytes of `img` at `quality` (1-100), 4:2:0, no metadata at all: nothing of the
/// original's EXIF (GPS included) survives, and the pixels are already upright.
pub fn encode_jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, ImagingError> {
    thumbnail::encode_jpeg(img, quality.clamp(1, 100) as i32)
}

/// A copy of `img` at exactly `width` × `height`, aspect not kept (bilinear).
pub fn resize_to(img: &RgbImage, width: u32, height: u32) -> Result<RgbImage, ImagingError> {
    thumbnail::resized(img, width, height)
}

/// Shrinks (never enlarges) so the long side is at most `long_side`.
pub fn fit_within(img: RgbImage, long_side: u32) -> Result<RgbImage, ImagingError> {
    thumbnail::fit_long_side(img, long_side)
}
