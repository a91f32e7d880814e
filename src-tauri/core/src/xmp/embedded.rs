//! Finding the XMP packet inside a JPEG (APP1 "http://ns.adobe.com/xap/1.0/"), a WebP
//! ("XMP " chunk) or a HEIF/AVIF (an `application/rdf+xml` item), without decoding the image.

use std::borrow::Cow;

use crate::imaging::Heif;

const JPEG_XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// The embedded XMP packet of a JPEG, WebP, HEIF or AVIF file, if it has one.
pub fn embedded_xmp(bytes: &[u8]) -> Option<Cow<'_, [u8]>> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes).map(Cow::Borrowed)
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes).map(Cow::Borrowed)
    } else if bytes.len() > 12 && &bytes[4..8] == b"ftyp" {
        Heif::open(bytes).ok()?.xmp().map(Cow::Owned)
    } else {
        None
    }
}

fn jpeg(bytes: &[u8]) -> Option<&[u8]> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        // Standalone markers carry no length.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) || marker == 0xFF {
            i += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        // Metadata comes before the scan; past it there is only image data.
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let body = bytes.get(i + 4..i + 2 + len)?;
        if marker == 0xE1 && body.starts_with(JPEG_XMP) {
            return Some(&body[JPEG_XMP.len()..]);
        }
        i += 2 + len;
    }
    None
}

fn webp(bytes: &[u8]) -> Option<&[u8]> {
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let id = &bytes[i..i + 4];
        let len =
            u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]) as usize;
        let body = bytes.get(i + 8..(i + 8).checked_add(len)?)?;
        if id == b"XMP " {
            return Some(body);
        }
        i += 8 + len + (len & 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_packet_in_a_jpeg_and_survives_truncation() {
        let xmp = b"<x:xmpmeta/>";
        let mut app1 = JPEG_XMP.to_vec();
        app1.extend_from_slice(xmp);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        assert_eq!(embedded_xmp(&jpeg).as_deref(), Some(&xmp[..]));
        for cut in 0..jpeg.len() {
            let _ = embedded_xmp(&jpeg[..cut]);
        }
        assert_eq!(embedded_xmp(b"not an image"), None);
    }
}
