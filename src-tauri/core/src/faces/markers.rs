//! THE placement of the "who is who" numbers on a photo, for the exported legend and the
//! window's numbers alike: a marker covers no face and no other marker; the back rows' go above
//! their heads, the front row's below their chins, else beside the face, else further away with
//! a thin leader line to it; each is at least [`MIN_DIAMETER_AT_800`] pixels across when the
//! image is shown 800 pixels wide. A band of people too wide for that (a row of 40) is split
//! into stacked panels, the left part above the right, each with its own markers.
//!
//! Point-feature label placement (Christensen, Marks and Shieber 1995): a few candidate places
//! per label, taken greedily in reading order with the faces as obstacles; a label with no free
//! candidate searches rings around its face and gets a leader. Plain geometry on boxes, in the
//! pixels of the image the markers are drawn on.

use serde::Serialize;

use crate::region::Region;

/// A marker is at least this wide, in pixels, when its image is shown 800 pixels wide.
pub const MIN_DIAMETER_AT_800: f64 = 16.0;
/// The width a published figure is usually shown at (a blog's column).
pub const SHOWN_WIDTH: f64 = 800.0;
/// At most this many panels.
const MAX_PANELS: u32 = 3;

/// A face to number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToNumber {
    pub face_id: i64,
    pub number: u32,
    /// The face, normalized to the image.
    pub region: Region,
    /// Its row, 1-based from the back; `None` on a photo read left to right.
    pub row: Option<u32>,
}

/// Where a number goes, in pixels of the image it is drawn on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Marker {
    pub number: u32,
    pub face_id: i64,
    /// The marker's centre and radius.
    pub cx: f64,
    pub cy: f64,
    pub r: f64,
    /// From the marker's edge to the face's, when the marker sits away from its face.
    pub leader: Option<[f64; 4]>,
    /// No free place was found: it overlaps something (never seen on the fixtures).
    pub crowded: bool,
}

impl Marker {
    /// The marker's box: x, y, w, h.
    pub fn rect(&self) -> [f64; 4] {
        [
            self.cx - self.r,
            self.cy - self.r,
            2.0 * self.r,
            2.0 * self.r,
        ]
    }
}

/// A rectangle in pixels: x, y, w, h.
type Rect = [f64; 4];

/// How many stacked panels an image of this width needs so that every row's markers fit side by
/// side at their smallest readable size: 1 for most photos, 2 for a row of about 40 people.
pub fn panels_needed(width_px: f64, numbered: &[ToNumber]) -> u32 {
    let diameter = min_diameter(width_px);
    let slot = diameter * 1.3;
    let mut per_row: std::collections::BTreeMap<Option<u32>, usize> = Default::default();
    for n in numbered {
        *per_row.entry(n.row).or_default() += 1;
    }
    let widest = per_row.values().copied().max().unwrap_or(0) as f64;
    (1..=MAX_PANELS)
        .find(|p| widest / f64::from(*p) * slot <= width_px * 0.9)
        .unwrap_or(MAX_PANELS)
}

/// The smallest marker diameter for an image `width_px` wide, shown [`SHOWN_WIDTH`] wide.
pub fn min_diameter(width_px: f64) -> f64 {
    MIN_DIAMETER_AT_800 * width_px / SHOWN_WIDTH
}

/// Places the numbers of `numbered` on an image `width`×`height` pixels whose visible faces are
/// `faces` (normalized; every one is an obstacle, numbered or not), in reading order.
/// `diameter` is the markers' size (at least [`min_diameter`] for a published image).
pub fn place(
    width: f64,
    height: f64,
    faces: &[Region],
    numbered: &[ToNumber],
    diameter: f64,
) -> Vec<Marker> {
    let r = diameter / 2.0;
    let gap = (diameter * 0.15).max(1.0);
    let to_px = |f: &Region| -> Rect { [f.x * width, f.y * height, f.w * width, f.h * height] };
    let obstacles: Vec<Rect> = faces.iter().map(to_px).collect();
    let last_row = numbered.iter().filter_map(|n| n.row).max();
    let mut placed: Vec<Marker> = Vec::with_capacity(numbered.len());
    let fits = |cx: f64, cy: f64, placed: &[Marker]| {
        cx - r >= 0.0
            && cy - r >= 0.0
            && cx + r <= width
            && cy + r <= height
            && obstacles
                .iter()
                .all(|o| !circle_meets_rect(cx, cy, r + gap / 2.0, o))
            && placed
                .iter()
                .all(|m| (m.cx - cx).hypot(m.cy - cy) >= m.r + r + gap)
    };
    for n in numbered {
        let face = to_px(&n.region);
        let front = n.row.is_some() && n.row == last_row && last_row > Some(1);
        let near = candidates(&face, r, gap, front);
        let mut marker = Marker {
            number: n.number,
            face_id: n.face_id,
            cx: near[0].0,
            cy: near[0].1,
            r,
            leader: None,
            crowded: true,
        };
        if let Some(&(cx, cy)) = near.iter().find(|(x, y)| fits(*x, *y, &placed)) {
            marker.cx = cx;
            marker.cy = cy;
            marker.crowded = false;
        } else if let Some((cx, cy)) = farther(&face, r, gap, front, |x, y| fits(x, y, &placed)) {
            marker.cx = cx;
            marker.cy = cy;
            marker.crowded = false;
            marker.leader = Some(leader(cx, cy, r, &face));
        }
        placed.push(marker);
    }
    placed
}

/// The places right by a face, best first: above the head for a back row, below the chin for
/// the front row; then the other of the two, the sides, the corners.
fn candidates(face: &Rect, r: f64, gap: f64, front: bool) -> Vec<(f64, f64)> {
    let [x, y, w, h] = *face;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let above = (cx, y - r - gap);
    let below = (cx, y + h + r + gap);
    let left = (x - r - gap, cy);
    let right = (x + w + r + gap, cy);
    let d = (r + gap) * std::f64::consts::FRAC_1_SQRT_2;
    let corners = [
        (x - d, y - d),
        (x + w + d, y - d),
        (x - d, y + h + d),
        (x + w + d, y + h + d),
    ];
    let mut all = if front {
        vec![below, above]
    } else {
        vec![above, below]
    };
    all.extend([left, right]);
    if front {
        all.extend([corners[2], corners[3], corners[0], corners[1]]);
    } else {
        all.extend(corners);
    }
    all
}

/// A free place further from the face (rings of growing distance, the preferred side first),
/// for a marker with a leader line.
fn farther(
    face: &Rect,
    r: f64,
    gap: f64,
    front: bool,
    fits: impl Fn(f64, f64) -> bool,
) -> Option<(f64, f64)> {
    let [x, y, w, h] = *face;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let step = 2.0 * r + gap;
    // Angles from straight up (or down for the front row), alternating sides.
    let base = if front {
        std::f64::consts::FRAC_PI_2
    } else {
        -std::f64::consts::FRAC_PI_2
    };
    let turns: Vec<f64> = (0..16)
        .map(|k| {
            let side = if k % 2 == 0 { 1.0 } else { -1.0 };
            base + side * f64::from((k + 1) / 2) * std::f64::consts::PI / 8.0
        })
        .collect();
    for ring in 1..=14 {
        let dist = (w.max(h) / 2.0) + r + gap + f64::from(ring) * step * 0.6;
        for a in &turns {
            let (px, py) = (cx + dist * a.cos(), cy + dist * a.sin());
            if fits(px, py) {
                return Some((px, py));
            }
        }
    }
    None
}

/// A line from the marker's edge to the nearest point of the face's box.
fn leader(cx: f64, cy: f64, r: f64, face: &Rect) -> [f64; 4] {
    let [x, y, w, h] = *face;
    let (fx, fy) = (cx.clamp(x, x + w), cy.clamp(y, y + h));
    let len = (fx - cx).hypot(fy - cy).max(1e-9);
    [cx + (fx - cx) / len * r, cy + (fy - cy) / len * r, fx, fy]
}

/// Whether a circle touches a rectangle.
fn circle_meets_rect(cx: f64, cy: f64, r: f64, rect: &Rect) -> bool {
    let [x, y, w, h] = *rect;
    let nx = cx.clamp(x, x + w);
    let ny = cy.clamp(y, y + h);
    (cx - nx).hypot(cy - ny) < r
}

/// Whether two markers overlap, or a marker covers a face: what the tests check.
pub fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_of(n: usize, y: f64, row: u32, first: u32) -> Vec<ToNumber> {
        (0..n)
            .map(|i| ToNumber {
                face_id: i64::from(first) + i as i64,
                number: first + i as u32,
                region: Region {
                    x: 0.02 + i as f64 * 0.96 / n as f64,
                    y,
                    w: 0.5 / n as f64,
                    h: 0.06,
                },
                row: Some(row),
            })
            .collect()
    }

    #[test]
    fn two_rows_numbered_above_and_below_cover_no_face_and_no_marker() {
        let mut all = row_of(20, 0.40, 1, 1);
        all.extend(row_of(22, 0.47, 2, 21));
        let faces: Vec<Region> = all.iter().map(|n| n.region).collect();
        let (w, h) = (1600.0, 600.0);
        let d = min_diameter(w);
        let markers = place(w, h, &faces, &all, d);
        assert_eq!(markers.len(), 42);
        for (i, m) in markers.iter().enumerate() {
            assert!(!m.crowded, "{m:?}");
            for f in &faces {
                let fr = [f.x * w, f.y * h, f.w * w, f.h * h];
                assert!(!circle_meets_rect(m.cx, m.cy, m.r, &fr), "{m:?} on {fr:?}");
            }
            for o in &markers[i + 1..] {
                assert!((m.cx - o.cx).hypot(m.cy - o.cy) >= m.r + o.r, "{m:?} {o:?}");
            }
        }
        // Back row above its heads, front row below its chins.
        assert!(markers[0].cy < all[0].region.y * h);
        assert!(markers[30].cy > (all[30].region.y + all[30].region.h) * h);
        assert_eq!(panels_needed(w, &all), 1);
        assert_eq!(panels_needed(w, &row_of(45, 0.4, 1, 1)), 2);
    }
}
