//! Faces turned upright and scaled the way SFace was trained: the five landmarks (eyes, nose
//! tip, mouth corners) are mapped onto the standard ArcFace 112×112 template by the similarity
//! transform (rotation, uniform scale, shift) that fits them best in the least-squares sense
//! (Umeyama's closed form, which in 2-D needs no SVD), then the face is resampled bilinearly.

use image::{Rgb, RgbImage};

use crate::region::Region;

/// Side of the aligned face the model reads.
pub const ALIGNED_SIZE: u32 = 112;

/// Where the landmarks land in the aligned face: the ArcFace template (InsightFace's
/// `arcface_dst`), in the order CenterFace gives them: eye on the image's left, the other eye,
/// nose tip, mouth corner on the left, the other corner.
const TEMPLATE: [(f64, f64); 5] = [
    (38.2946, 51.6963),
    (73.5318, 51.5014),
    (56.0252, 71.7366),
    (41.5493, 92.3655),
    (70.7299, 92.2041),
];

/// The face whose landmarks (in `image`'s pixels) are given, aligned to the template.
pub fn align(image: &RgbImage, landmarks: &[(f64, f64); 5]) -> RgbImage {
    let transform = Similarity::fit(landmarks, &TEMPLATE);
    warp(image, &transform.inverse())
}

/// A face box as a detector draws it (brow to chin), placed in the template: the eyes sit at
/// about 38% of its height and the mouth at 73%, which puts the template's eyes and mouth
/// (y 51.7 and 92.3) in a box 116 px high, centred at (56, 65.6).
const BOX_HEIGHT_IN_TEMPLATE: f64 = 116.0;
const BOX_CENTRE_IN_TEMPLATE: (f64, f64) = (56.0, 65.6);

/// For a box with no landmarks (drawn by a person, written by another tool): the box scaled and
/// centred where a face box sits in the template. The model sees the face less well than
/// aligned (no rotation, a guessed eye line), but it sees it.
pub fn place_box(image: &RgbImage, region: &Region) -> RgbImage {
    let (w, h) = (image.width() as f64, image.height() as f64);
    let (cx, cy) = (
        (region.x + region.w / 2.0) * w,
        (region.y + region.h / 2.0) * h,
    );
    // A drawn box may be wide or tall; its larger side stands for the face's height.
    let scale = (region.w * w).max(region.h * h) / BOX_HEIGHT_IN_TEMPLATE;
    // Output pixel (u, v) reads the source at the box centre plus its offset from the
    // template's box centre, scaled.
    let to_source = Similarity {
        a: scale,
        b: 0.0,
        tx: cx - BOX_CENTRE_IN_TEMPLATE.0 * scale,
        ty: cy - BOX_CENTRE_IN_TEMPLATE.1 * scale,
    };
    warp(image, &to_source)
}

/// `p ↦ [[a, -b], [b, a]]·p + t`: rotation and uniform scale, then a shift.
#[derive(Debug, Clone, Copy)]
struct Similarity {
    a: f64,
    b: f64,
    tx: f64,
    ty: f64,
}

impl Similarity {
    /// The least-squares similarity taking `from` onto `to`.
    fn fit(from: &[(f64, f64); 5], to: &[(f64, f64); 5]) -> Self {
        let n = from.len() as f64;
        let mean = |ps: &[(f64, f64); 5]| {
            let (sx, sy) = ps
                .iter()
                .fold((0.0, 0.0), |(sx, sy), p| (sx + p.0, sy + p.1));
            (sx / n, sy / n)
        };
        let (mfx, mfy) = mean(from);
        let (mtx, mty) = mean(to);
        let (mut dot, mut cross, mut norm) = (0.0, 0.0, 0.0);
        for (f, t) in from.iter().zip(to) {
            let (px, py) = (f.0 - mfx, f.1 - mfy);
            let (qx, qy) = (t.0 - mtx, t.1 - mty);
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        // Landmarks all on one point (a broken detection): fall back to a plain shift.
        let (a, b) = if norm > 1e-9 {
            (dot / norm, cross / norm)
        } else {
            (1.0, 0.0)
        };
        Self {
            a,
            b,
            tx: mtx - (a * mfx - b * mfy),
            ty: mty - (b * mfx + a * mfy),
        }
    }

    fn inverse(&self) -> Self {
        let d = (self.a * self.a + self.b * self.b).max(1e-12);
        let (a, b) = (self.a / d, -self.b / d);
        Self {
            a,
            b,
            tx: -(a * self.tx - b * self.ty),
            ty: -(b * self.tx + a * self.ty),
        }
    }

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.a * x - self.b * y + self.tx,
            self.b * x + self.a * y + self.ty,
        )
    }
}

/// The aligned face: each output pixel reads `image` at `to_source` of its position,
/// bilinearly; outside the photo is black (what the model was trained with at photo edges).
fn warp(image: &RgbImage, to_source: &Similarity) -> RgbImage {
    let mut out = RgbImage::new(ALIGNED_SIZE, ALIGNED_SIZE);
    for v in 0..ALIGNED_SIZE {
        for u in 0..ALIGNED_SIZE {
            let (x, y) = to_source.apply(u as f64, v as f64);
            out.put_pixel(u, v, sample(image, x, y));
        }
    }
    out
}

fn sample(image: &RgbImage, x: f64, y: f64) -> Rgb<u8> {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let at = |px: i64, py: i64| -> [f64; 3] {
        if px < 0 || py < 0 || px >= w || py >= h {
            return [0.0; 3];
        }
        let p = image.get_pixel(px as u32, py as u32).0;
        [p[0] as f64, p[1] as f64, p[2] as f64]
    };
    let (p00, p10, p01, p11) = (
        at(x0, y0),
        at(x0 + 1, y0),
        at(x0, y0 + 1),
        at(x0 + 1, y0 + 1),
    );
    let mut rgb = [0u8; 3];
    for (c, out) in rgb.iter_mut().enumerate() {
        let top = p00[c] * (1.0 - fx) + p10[c] * fx;
        let bottom = p01[c] * (1.0 - fx) + p11[c] * fx;
        *out = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(rgb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_recovers_a_known_similarity_and_its_inverse_undoes_it() {
        let known = Similarity {
            a: 0.8,
            b: 0.3,
            tx: 12.0,
            ty: -4.0,
        };
        let from = [
            (10.0, 20.0),
            (50.0, 22.0),
            (30.0, 40.0),
            (15.0, 60.0),
            (45.0, 61.0),
        ];
        let to = from.map(|(x, y)| known.apply(x, y));
        let fitted = Similarity::fit(&from, &to);
        for (f, t) in from.iter().zip(&to) {
            let (x, y) = fitted.apply(f.0, f.1);
            assert!((x - t.0).abs() < 1e-9 && (y - t.1).abs() < 1e-9);
            let (bx, by) = fitted.inverse().apply(x, y);
            assert!((bx - f.0).abs() < 1e-9 && (by - f.1).abs() < 1e-9);
        }
    }

    #[test]
    fn landmarks_on_the_template_give_the_same_pixels_back() {
        let mut image = RgbImage::new(112, 112);
        for (x, y, p) in image.enumerate_pixels_mut() {
            *p = Rgb([x as u8, y as u8, 7]);
        }
        let aligned = align(&image, &TEMPLATE);
        assert_eq!(aligned.get_pixel(40, 60), image.get_pixel(40, 60));
        // A face twice as large, shifted: the same template pixels come back.
        let big = image::imageops::resize(&image, 224, 224, image::imageops::FilterType::Triangle);
        let moved = TEMPLATE.map(|(x, y)| (x * 2.0 + 0.5, y * 2.0 + 0.5));
        let aligned = align(&big, &moved);
        let (a, b) = (aligned.get_pixel(56, 56).0, image.get_pixel(56, 56).0);
        assert!((a[0] as i32 - b[0] as i32).abs() <= 2 && (a[1] as i32 - b[1] as i32).abs() <= 2);
    }

    #[test]
    fn a_box_without_landmarks_is_cropped_square_and_black_outside_the_photo() {
        let image = RgbImage::from_pixel(200, 100, Rgb([200, 100, 50]));
        let corner = Region {
            x: 0.0,
            y: 0.0,
            w: 0.2,
            h: 0.4,
        };
        let crop = place_box(&image, &corner);
        assert_eq!(crop.dimensions(), (ALIGNED_SIZE, ALIGNED_SIZE));
        assert_eq!(crop.get_pixel(56, 56).0, [200, 100, 50]);
        assert_eq!(crop.get_pixel(0, 0).0, [0, 0, 0]);
    }
}
