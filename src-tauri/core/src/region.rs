//! Face boxes and the arithmetic on them: overlap, suppression of duplicates.

use serde::{Deserialize, Serialize};

/// An axis-aligned box, top-left origin. Stored boxes are normalized (0..1) in displayed-image
/// space; the detector works in pixels with the same type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Region {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Region {
    /// A short name of this box (12 hex digits of a hash of its corners to 1e-5): the name of
    /// its face crop, on disk and in the window's addresses, which changes when the box moves,
    /// so a crop kept under its name never goes stale.
    pub fn crop_key(&self) -> String {
        let corners = format!("{:.5},{:.5},{:.5},{:.5}", self.x, self.y, self.w, self.h);
        blake3::hash(corners.as_bytes()).to_hex()[..12].to_string()
    }

    pub fn area(&self) -> f64 {
        self.w.max(0.0) * self.h.max(0.0)
    }

    fn intersection(&self, other: &Region) -> f64 {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = (self.x + self.w).min(other.x + other.w);
        let y1 = (self.y + self.h).min(other.y + other.h);
        (x1 - x0).max(0.0) * (y1 - y0).max(0.0)
    }

    /// Intersection over union.
    pub fn iou(&self, other: &Region) -> f64 {
        let inter = self.intersection(other);
        let union = self.area() + other.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }

    /// How much of the smaller box lies inside the larger: catches a half face cut by a tile
    /// edge sitting inside the whole face found by the neighbouring tile.
    pub fn overlap_of_smaller(&self, other: &Region) -> f64 {
        let smaller = self.area().min(other.area());
        if smaller <= 0.0 {
            0.0
        } else {
            self.intersection(other) / smaller
        }
    }

    /// The box's centre: where a face "is" when tiles and looks decide whose it is.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn scaled(&self, sx: f64, sy: f64) -> Region {
        Region {
            x: self.x * sx,
            y: self.y * sy,
            w: self.w * sx,
            h: self.h * sy,
        }
    }

    pub fn clamped_unit(&self) -> Region {
        let x = self.x.clamp(0.0, 1.0);
        let y = self.y.clamp(0.0, 1.0);
        Region {
            x,
            y,
            w: (self.x + self.w).clamp(0.0, 1.0) - x,
            h: (self.y + self.h).clamp(0.0, 1.0) - y,
        }
    }
}

/// Keeps the best-scoring of overlapping boxes. `items` pairs a box with its score.
pub fn suppress_overlaps<T>(
    mut items: Vec<T>,
    region: impl Fn(&T) -> Region,
    score: impl Fn(&T) -> f32,
    iou_limit: f64,
    containment_limit: f64,
) -> Vec<T> {
    items.sort_by(|a, b| score(b).total_cmp(&score(a)));
    let mut kept: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        let r = region(&item);
        let duplicate = kept.iter().any(|k| {
            let kr = region(k);
            kr.iou(&r) > iou_limit || kr.overlap_of_smaller(&r) > containment_limit
        });
        if !duplicate {
            kept.push(item);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x: f64, y: f64, w: f64, h: f64) -> Region {
        Region { x, y, w, h }
    }

    #[test]
    fn iou_of_identical_disjoint_and_half_overlapping_boxes() {
        assert!((r(0., 0., 2., 2.).iou(&r(0., 0., 2., 2.)) - 1.0).abs() < 1e-9);
        assert_eq!(r(0., 0., 1., 1.).iou(&r(2., 2., 1., 1.)), 0.0);
        assert!((r(0., 0., 2., 1.).iou(&r(1., 0., 2., 1.)) - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn suppression_keeps_the_best_and_drops_contained_halves() {
        let boxes = vec![
            (r(0., 0., 10., 10.), 0.9),
            (r(1., 1., 10., 10.), 0.8),   // duplicate by IoU
            (r(0., 0., 4., 10.), 0.7),    // half face inside the first
            (r(50., 50., 10., 10.), 0.6), // another face
        ];
        let kept = suppress_overlaps(boxes, |b| b.0, |b| b.1, 0.4, 0.7);
        let scores: Vec<f32> = kept.iter().map(|b| b.1).collect();
        assert_eq!(scores, vec![0.9, 0.6]);
    }
}
