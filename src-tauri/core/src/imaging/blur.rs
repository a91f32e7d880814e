//! Hiding people who asked not to be published: their whole head (hair and chin, not just the
//! face box) is mosaicked and then blurred, so nothing recognizable is left to sharpen back.

use image::imageops::{self, FilterType};
use image::RgbImage;

use crate::region::Region;

/// The head around a face box (normalized, displayed space): wider for hair and ears, taller
/// above for hair and below for the chin.
pub fn head_of(face: Region) -> Region {
    Region {
        x: face.x - face.w * 0.35,
        y: face.y - face.h * 0.55,
        w: face.w * 1.7,
        h: face.h * 1.85,
    }
    .clamped_unit()
}

/// Blurs the heads around `faces` (normalized boxes) in place.
pub fn blur_heads(img: &mut RgbImage, faces: &[Region]) {
    let (w, h) = (img.width() as f64, img.height() as f64);
    for face in faces {
        let r = head_of(*face);
        let x = (r.x * w).floor() as u32;
        let y = (r.y * h).floor() as u32;
        let rw = ((r.w * w).ceil() as u32).min(img.width().saturating_sub(x));
        let rh = ((r.h * h).ceil() as u32).min(img.height().saturating_sub(y));
        if rw < 2 || rh < 2 {
            continue;
        }
        let patch = imageops::crop_imm(img, x, y, rw, rh).to_image();
        // About six blocks across the head: features are gone, skin and hair colour remain.
        let blocks = 6u32;
        let small = imageops::resize(
            &patch,
            blocks,
            (blocks * rh / rw).max(2),
            FilterType::Triangle,
        );
        let mosaic = imageops::resize(&small, rw, rh, FilterType::Nearest);
        let sigma = (rw.max(rh) as f32 / 8.0).max(1.0);
        let soft = imageops::fast_blur(&mosaic, sigma);
        imageops::replace(img, &soft, x as i64, y as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blurred_head_loses_its_detail_and_the_rest_is_untouched() {
        // A checkerboard "face" in the middle of a flat grey image.
        let mut img = RgbImage::from_pixel(200, 200, image::Rgb([128, 128, 128]));
        for y in 80..120 {
            for x in 80..120 {
                let v = if (x / 4 + y / 4) % 2 == 0 { 0 } else { 255 };
                img.put_pixel(x, y, image::Rgb([v, v, v]));
            }
        }
        let before = img.clone();
        let face = Region {
            x: 0.4,
            y: 0.4,
            w: 0.2,
            h: 0.2,
        };
        blur_heads(&mut img, &[face]);
        let contrast = |im: &RgbImage| {
            (80..120)
                .flat_map(|y| (80..119).map(move |x| (x, y)))
                .map(|(x, y)| {
                    (im.get_pixel(x, y)[0] as i32 - im.get_pixel(x + 1, y)[0] as i32).abs()
                })
                .sum::<i32>()
        };
        assert!(contrast(&img) * 20 < contrast(&before), "detail remains");
        assert_eq!(img.get_pixel(5, 5), before.get_pixel(5, 5));
        assert_eq!(img.get_pixel(100, 190), before.get_pixel(100, 190));
    }
}
