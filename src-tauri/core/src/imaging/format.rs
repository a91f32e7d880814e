//! What kind of image a file holds, judged by its bytes (extensions lie) with the extension as a
//! tie-breaker for TIFF-based RAW files.

use std::path::Path;

use super::ImagingError;

/// Formats whoiswho decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
    Tiff,
    Ico,
    /// HEIC from phones and other HEIF stills (HEVC-coded), read through libheif.
    Heif,
    /// AV1-coded HEIF stills, read through libheif.
    Avif,
}

impl ImageFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
            Self::Gif => "GIF",
            Self::Bmp => "BMP",
            Self::Tiff => "TIFF",
            Self::Ico => "ICO",
            Self::Heif => "HEIC",
            Self::Avif => "AVIF",
        }
    }

    /// The decoder for this format in the `image` crate; HEIF and AVIF go through libheif.
    pub(crate) fn to_image_crate(self) -> Option<image::ImageFormat> {
        Some(match self {
            Self::Jpeg => image::ImageFormat::Jpeg,
            Self::Png => image::ImageFormat::Png,
            Self::Webp => image::ImageFormat::WebP,
            Self::Gif => image::ImageFormat::Gif,
            Self::Bmp => image::ImageFormat::Bmp,
            Self::Tiff => image::ImageFormat::Tiff,
            Self::Ico => image::ImageFormat::Ico,
            Self::Heif | Self::Avif => return None,
        })
    }

    /// True when the file's own transforms decide how it is shown (HEIF's `irot`, `imir` and
    /// `clap`, applied by the decoder) and any EXIF Orientation in it must be ignored: see
    /// `imaging::heif` for the rule and its sources.
    pub fn orients_itself(self) -> bool {
        matches!(self, Self::Heif | Self::Avif)
    }
}

const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "bmp", "tif", "tiff", "ico", "mpo", "heic",
    "heif", "hif", "avif", "jxl",
];
const RAW_EXTENSIONS: &[&str] = &[
    "dng", "cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "orf", "rw2", "raf", "pef",
    "srw", "x3f", "3fr", "iiq", "raw",
];

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

/// True when the file name says "photo", before any byte is read.
pub fn has_image_extension(path: &Path) -> bool {
    extension(path).is_some_and(|e| {
        IMAGE_EXTENSIONS.contains(&e.as_str()) || RAW_EXTENSIONS.contains(&e.as_str())
    })
}

/// True when the first bytes are the signature of an image format, known or not.
pub fn looks_like_image(head: &[u8]) -> bool {
    !matches!(sniff_signature(head), Signature::Unknown)
}

enum Signature {
    Known(ImageFormat),
    Unsupported(&'static str),
    Unknown,
}

fn sniff_signature(head: &[u8]) -> Signature {
    let starts = |sig: &[u8]| head.starts_with(sig);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Signature::Known(ImageFormat::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Signature::Known(ImageFormat::Png)
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Signature::Known(ImageFormat::Webp)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Signature::Known(ImageFormat::Gif)
    } else if starts(b"BM") && head.len() >= 14 {
        Signature::Known(ImageFormat::Bmp)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Signature::Known(ImageFormat::Tiff)
    } else if starts(&[0, 0, 1, 0]) && head.len() >= 6 && head[4] != 0 {
        Signature::Known(ImageFormat::Ico)
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        iso_media(head)
    } else if starts(&[0xFF, 0x0A]) || starts(b"\0\0\0\x0CJXL ") {
        Signature::Unsupported("JPEG XL")
    } else {
        Signature::Unknown
    }
}

/// An ISO base media file (HEIF, AVIF, CR3, MP4...), by its major brand and, for the generic
/// `mif1` brand, the compatible brands that follow it in the `ftyp` box.
fn iso_media(head: &[u8]) -> Signature {
    let box_len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let compatible: Vec<&[u8]> = head
        .get(16..box_len.min(head.len()))
        .unwrap_or_default()
        .chunks_exact(4)
        .collect();
    match &head[8..12] {
        b"avif" => Signature::Known(ImageFormat::Avif),
        b"heic" | b"heix" | b"heim" | b"heis" => Signature::Known(ImageFormat::Heif),
        b"mif1" | b"miaf" if compatible.contains(&&b"avif"[..]) => {
            Signature::Known(ImageFormat::Avif)
        }
        b"mif1" | b"miaf" => Signature::Known(ImageFormat::Heif),
        b"avis" => Signature::Unsupported("animated AVIF (an image sequence, not a photo)"),
        b"msf1" | b"hevc" | b"hevs" => {
            Signature::Unsupported("HEIF image sequence (an animation or burst, not a photo)")
        }
        b"crx " => Signature::Unsupported("Canon CR3 RAW"),
        _ => Signature::Unknown,
    }
}

/// Decides how to decode a file from its first bytes and its name.
pub fn detect(path: &Path, head: &[u8]) -> Result<ImageFormat, ImagingError> {
    match sniff_signature(head) {
        Signature::Known(ImageFormat::Tiff) => {
            // DNG, NEF, CR2, ARW... are TIFF containers whose main image is sensor data.
            match extension(path) {
                Some(ext) if RAW_EXTENSIONS.contains(&ext.as_str()) => {
                    Err(ImagingError::Unsupported {
                        format: format!("{} RAW", ext.to_ascii_uppercase()),
                    })
                }
                _ => Ok(ImageFormat::Tiff),
            }
        }
        Signature::Known(f) => Ok(f),
        Signature::Unsupported(name) => Err(ImagingError::Unsupported {
            format: name.to_string(),
        }),
        Signature::Unknown => match extension(path) {
            Some(ext) if RAW_EXTENSIONS.contains(&ext.as_str()) => Err(ImagingError::Unsupported {
                format: format!("{} RAW", ext.to_ascii_uppercase()),
            }),
            _ => Err(ImagingError::NotAnImage),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_win_over_extensions() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(detect(Path::new("a.jpg"), png).ok(), Some(ImageFormat::Png));
        assert_eq!(
            detect(Path::new("a.png.bin"), png).ok(),
            Some(ImageFormat::Png)
        );
    }

    #[test]
    fn heif_brands_decide_the_format() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(
            detect(Path::new("x.jpg"), heic).ok(),
            Some(ImageFormat::Heif)
        );
        let avif_by_compatible = b"\0\0\0\x1cftypmif1\0\0\0\0mif1miafavif";
        assert_eq!(
            detect(Path::new("x.heic"), avif_by_compatible).ok(),
            Some(ImageFormat::Avif)
        );
        let sequence = b"\0\0\0\x18ftypavis\0\0\0\0avifavis";
        let err = detect(Path::new("x.avif"), sequence)
            .unwrap_err()
            .to_string();
        assert!(err.contains("animated AVIF"), "{err}");
    }

    #[test]
    fn raw_is_named_as_unsupported() {
        let err = detect(Path::new("x.NEF"), b"MM\0*\0\0\0\x08")
            .unwrap_err()
            .to_string();
        assert!(err.contains("NEF RAW"), "{err}");
    }

    #[test]
    fn text_is_not_an_image() {
        assert!(matches!(
            detect(Path::new("notes.jpg"), b"hello world"),
            Err(ImagingError::NotAnImage)
        ));
        assert!(!looks_like_image(b"<?xml version"));
    }
}
