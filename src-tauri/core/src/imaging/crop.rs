//! Face crops: a square around a face, with room for hair and chin, cut from an upright
//! rendition (the cached preview), for the triage grid and the people list.

use image::RgbImage;

use super::thumbnail::{encode_jpeg, fit_long_side};
use super::ImagingError;
use crate::region::Region;

/// How much wider than the face box the crop is.
const MARGIN: f64 = 1.6;

/// The long side a rendition must be decoded at so the crop around `face` still has `side`
/// pixels: the crop's share of the long side tells how coarse a decode will do, and most faces
/// need only an eighth of the preview's DCT.
pub fn crop_decode_side(aspect: f64, face: Region, side: u32) -> u32 {
    let (fw, fh) = if aspect >= 1.0 {
        (face.w, face.h / aspect)
    } else {
        (face.w * aspect, face.h)
    };
    let fraction = (fw.max(fh) * MARGIN).clamp(1e-3, 1.0);
    (side as f64 / fraction).ceil() as u32
}

/// The crop around `face` from a rendition already decoded (at any scale), as JPEG bytes.
pub fn crop_decoded(img: &RgbImage, face: Region, side: u32) -> Result<Vec<u8>, ImagingError> {
    let square = cut_square(img, face);
    encode_jpeg(&fit_long_side(square, side)?, 85)
}

fn cut_square(img: &RgbImage, face: Region) -> RgbImage {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let side = (face.w * w).max(face.h * h) * MARGIN;
    let side = side.clamp(1.0, w.min(h));
    let cx = (face.x + face.w / 2.0) * w;
    let cy = (face.y + face.h / 2.0) * h;
    // Shift the square inside the image rather than shrink it, so crops stay square.
    let x0 = (cx - side / 2.0).clamp(0.0, w - side);
    let y0 = (cy - side / 2.0).clamp(0.0, h - side);
    let s = side.round() as u32;
    image::imageops::crop_imm(img, x0 as u32, y0 as u32, s, s).to_image()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_is_square_and_centred_on_the_face() {
        let mut img = RgbImage::from_pixel(400, 200, image::Rgb([0, 0, 0]));
        // A white "face" at x 300..320, y 50..70.
        for y in 50..70 {
            for x in 300..320 {
                img.put_pixel(x, y, image::Rgb([255, 255, 255]));
            }
        }
        let face = Region {
            x: 0.75,
            y: 0.25,
            w: 0.05,
            h: 0.1,
        };
        let crop = cut_square(&img, face);
        assert_eq!(crop.width(), crop.height());
        let c = crop.width() / 2;
        assert_eq!(crop.get_pixel(c, c), &image::Rgb([255, 255, 255]));
        assert_eq!(crop.get_pixel(0, 0), &image::Rgb([0, 0, 0]));
    }

    #[test]
    fn a_face_at_the_edge_still_gives_a_full_square() {
        let img = RgbImage::new(300, 200);
        let face = Region {
            x: 0.95,
            y: 0.9,
            w: 0.05,
            h: 0.1,
        };
        let crop = cut_square(&img, face);
        assert_eq!((crop.width(), crop.height()), (32, 32));
    }
}
