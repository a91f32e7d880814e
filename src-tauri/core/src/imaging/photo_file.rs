//! A photo file read into memory: THE way every reader (indexing, thumbnails, the face search,
//! recognition, exports, avatars) goes from a file to upright pixels. Read with a size bound,
//! its format told by its bytes, decoded at the size asked for, turned as it is shown.

use std::path::Path;

use image::RgbImage;

use super::{
    decode_displayed, detect, layout, make_thumbnails, ImageFormat, ImagingError, Layout,
    Orientation, Thumbnails,
};

/// Files larger than this are refused unread: no photo is, and reading one would take that
/// much memory at once.
pub const MAX_FILE_BYTES: u64 = 500_000_000;

pub struct PhotoFile {
    bytes: Vec<u8>,
    format: ImageFormat,
    orientation: Orientation,
}

impl PhotoFile {
    /// Reads the file at `path`, shown turned by `orientation` (the EXIF orientation the
    /// library recorded; ignored by formats that turn themselves, such as HEIF).
    pub fn read(path: &Path, orientation: Orientation) -> Result<Self, ImagingError> {
        let size = std::fs::metadata(path).map_err(ImagingError::Read)?.len();
        if size > MAX_FILE_BYTES {
            return Err(ImagingError::TooLarge { bytes: size });
        }
        let bytes = std::fs::read(path).map_err(ImagingError::Read)?;
        Self::from_bytes(path, bytes, orientation)
    }

    /// A file already in memory; `name` only helps tell formats with no signature apart.
    pub fn from_bytes(
        name: &Path,
        bytes: Vec<u8>,
        orientation: Orientation,
    ) -> Result<Self, ImagingError> {
        let format = detect(name, &bytes)?;
        Ok(Self {
            bytes,
            format,
            orientation,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// How the photo is shown, read from its header with `exif_orientation` (see
    /// [`super::layout`]); the file is then shown that way.
    pub fn lay_out(&mut self, exif_orientation: Orientation) -> Result<Layout, ImagingError> {
        let laid_out = layout(&self.bytes, self.format, exif_orientation)?;
        self.orientation = laid_out.orientation;
        Ok(laid_out)
    }

    /// The displayed image with its long side about `long_side` (never enlarged).
    pub fn decode_displayed(&self, long_side: u32) -> Result<RgbImage, ImagingError> {
        decode_displayed(&self.bytes, self.format, self.orientation, long_side)
    }

    /// The grid and preview renditions, upright.
    pub fn thumbnails(&self) -> Result<Thumbnails, ImagingError> {
        make_thumbnails(&self.bytes, self.format, self.orientation)
    }
}
