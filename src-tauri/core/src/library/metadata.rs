//! EXIF fields whoiswho keeps: capture time, camera, lens, orientation, GPS. A broken EXIF block
//! never fails a photo; it becomes a warning and the fields stay empty.

use std::io::Cursor;

use exif::{Exif, Field, In, Tag, Value};

use crate::imaging::{self, ImageFormat, Orientation};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    /// The EXIF Orientation as written; `imaging::layout` decides whether it turns the photo
    /// (a HEIF's does not).
    pub orientation: Orientation,
    pub taken_at: Option<String>,
    /// Capture wall-clock time without offset, for sorting.
    pub taken_local: Option<String>,
    pub camera: Option<String>,
    pub lens: Option<String>,
    pub gps: Option<(f64, f64)>,
    pub warning: Option<String>,
}

pub fn read(bytes: &[u8], format: ImageFormat) -> Metadata {
    let parsed = match format {
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Tiff => {
            exif::Reader::new().read_from_container(&mut Cursor::new(bytes))
        }
        ImageFormat::Webp => webp_exif(bytes),
        ImageFormat::Heif | ImageFormat::Avif => heif_exif(bytes),
        ImageFormat::Gif | ImageFormat::Bmp | ImageFormat::Ico => return Metadata::default(),
    };
    match parsed {
        Ok(exif) => from_exif(&exif),
        Err(exif::Error::NotFound(_)) => Metadata::default(),
        Err(e) => Metadata {
            warning: Some(format!("EXIF unreadable: {e}")),
            ..Metadata::default()
        },
    }
}

/// The EXIF block of a HEIF/AVIF file's primary image.
fn heif_exif(bytes: &[u8]) -> Result<Exif, exif::Error> {
    let tiff = imaging::Heif::open(bytes)
        .ok()
        .and_then(|h| h.exif())
        .ok_or(exif::Error::NotFound("HEIF"))?;
    exif::Reader::new().read_raw(tiff)
}

/// Pillow and others prefix the WebP EXIF chunk with JPEG's "Exif\0\0"; accept both forms.
fn webp_exif(bytes: &[u8]) -> Result<Exif, exif::Error> {
    use image::ImageDecoder;
    let raw = image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
        .ok()
        .and_then(|mut d| d.exif_metadata().ok().flatten())
        .ok_or(exif::Error::NotFound("WebP"))?;
    let tiff = raw.strip_prefix(b"Exif\0\0").unwrap_or(&raw);
    exif::Reader::new().read_raw(tiff.to_vec())
}

fn from_exif(exif: &Exif) -> Metadata {
    let field = |tag| exif.get_field(tag, In::PRIMARY);
    let orientation = field(Tag::Orientation)
        .and_then(|f| f.value.get_uint(0))
        .map(Orientation::from_exif)
        .unwrap_or_default();
    let (taken_at, taken_local) = capture_time(exif).unzip();
    let make = field(Tag::Make).and_then(ascii);
    let model = field(Tag::Model).and_then(ascii);
    let camera = match (make, model) {
        // "Canon" + "Canon EOS R5" reads best as the model alone.
        (Some(make), Some(model))
            if model
                .to_ascii_lowercase()
                .starts_with(&make.to_ascii_lowercase()) =>
        {
            Some(model)
        }
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => make.or(model),
    };
    let lens = field(Tag::LensModel)
        .and_then(ascii)
        .or_else(|| field(Tag::LensMake).and_then(ascii));
    Metadata {
        orientation,
        taken_at,
        taken_local,
        camera,
        lens,
        gps: gps(exif),
        warning: None,
    }
}

/// The first ASCII string of a field, trimmed; `None` when empty or not text.
fn ascii(field: &Field) -> Option<String> {
    match &field.value {
        Value::Ascii(parts) => parts
            .first()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                    .to_string()
            })
            .filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// (ISO-8601 with offset when recorded, local wall time) of DateTimeOriginal, else DateTime.
fn capture_time(exif: &Exif) -> Option<(String, String)> {
    let (time_tag, offset_tag) = if exif.get_field(Tag::DateTimeOriginal, In::PRIMARY).is_some() {
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal)
    } else {
        (Tag::DateTime, Tag::OffsetTime)
    };
    let field = exif.get_field(time_tag, In::PRIMARY)?;
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let mut dt = exif::DateTime::from_ascii(parts.first()?).ok()?;
    chrono::NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?;
    if dt.hour > 23 || dt.minute > 59 || dt.second > 60 {
        return None;
    }
    let local = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year,
        dt.month,
        dt.day,
        dt.hour,
        dt.minute,
        dt.second.min(59)
    );
    if let Some(Value::Ascii(offset)) = exif.get_field(offset_tag, In::PRIMARY).map(|f| &f.value) {
        if let Some(text) = offset.first() {
            // A blank or malformed offset leaves the time without one.
            let _ = dt.parse_offset(text);
        }
    }
    let iso = match dt.offset {
        Some(minutes) if minutes.abs() <= 14 * 60 => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            format!("{local}{sign}{:02}:{:02}", m / 60, m % 60)
        }
        _ => local.clone(),
    };
    Some((iso, local))
}

fn gps(exif: &Exif) -> Option<(f64, f64)> {
    let coord = |tag, ref_tag, positive: u8| -> Option<f64> {
        let field = exif.get_field(tag, In::PRIMARY)?;
        let Value::Rational(parts) = &field.value else {
            return None;
        };
        let mut value = 0.0;
        for (r, scale) in parts.iter().zip([1.0, 60.0, 3600.0]) {
            if r.denom == 0 {
                return None;
            }
            value += r.num as f64 / r.denom as f64 / scale;
        }
        let sign = match exif.get_field(ref_tag, In::PRIMARY).map(|f| &f.value) {
            Some(Value::Ascii(r)) if r.first().and_then(|s| s.first()) != Some(&positive) => -1.0,
            _ => 1.0,
        };
        Some(sign * value).filter(|v| v.is_finite())
    };
    let lat = coord(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'N')?;
    let lon = coord(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'E')?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}
