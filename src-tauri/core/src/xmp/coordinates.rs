//! The one place that converts a box between displayed-image space (what whoiswho stores, after
//! the crop and orientation) and stored-image space (what MWG regions describe, before them:
//! a JPEG's pixels before EXIF orientation, a HEIF's coded image before `clap`/`irot`/`imir`).

use crate::imaging::{Layout, Orientation};
use crate::region::Region;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    DisplayedToStored,
    StoredToDisplayed,
}

/// How a photo's stored image is shown: a crop (normalized to the stored image), then an
/// orientation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredSpace {
    pub crop: Option<Region>,
    pub orientation: Orientation,
}

impl StoredSpace {
    /// From a crop in stored pixels (x, y, w, h) of a `stored`-sized image.
    pub fn new(stored: (u32, u32), crop: Option<[u32; 4]>, orientation: Orientation) -> Self {
        let (sw, sh) = (stored.0.max(1) as f64, stored.1.max(1) as f64);
        Self {
            crop: crop.map(|[x, y, w, h]| Region {
                x: x as f64 / sw,
                y: y as f64 / sh,
                w: w as f64 / sw,
                h: h as f64 / sh,
            }),
            orientation,
        }
    }

    pub fn of(layout: &Layout) -> Self {
        Self::new(
            layout.stored,
            layout.crop.map(|c| [c.x, c.y, c.w, c.h]),
            layout.orientation,
        )
    }
}

impl From<Orientation> for StoredSpace {
    fn from(orientation: Orientation) -> Self {
        Self {
            crop: None,
            orientation,
        }
    }
}

/// Converts a normalized top-left box between the displayed and the stored image of a photo.
pub fn convert(r: Region, space: StoredSpace, direction: Direction) -> Region {
    let Some(c) = space.crop else {
        return orient(r, space.orientation, direction);
    };
    match direction {
        Direction::DisplayedToStored => {
            let r = orient(r, space.orientation, direction);
            Region {
                x: c.x + r.x * c.w,
                y: c.y + r.y * c.h,
                w: r.w * c.w,
                h: r.h * c.h,
            }
        }
        Direction::StoredToDisplayed => {
            let inside = Region {
                x: (r.x - c.x) / c.w,
                y: (r.y - c.y) / c.h,
                w: r.w / c.w,
                h: r.h / c.h,
            };
            orient(inside, space.orientation, direction)
        }
    }
}

/// Converts a normalized top-left box between the two spaces of `orientation`.
fn orient(r: Region, orientation: Orientation, direction: Direction) -> Region {
    // Where a stored point (u, v) is shown, for each EXIF orientation.
    let forward = |u: f64, v: f64| -> (f64, f64) {
        match orientation.value() {
            2 => (1.0 - u, v),
            3 => (1.0 - u, 1.0 - v),
            4 => (u, 1.0 - v),
            5 => (v, u),
            6 => (1.0 - v, u),
            7 => (1.0 - v, 1.0 - u),
            8 => (v, 1.0 - u),
            _ => (u, v),
        }
    };
    // The inverse of each: 6 and 8 undo each other; every other mapping undoes itself.
    let backward = |x: f64, y: f64| -> (f64, f64) {
        match orientation.value() {
            6 => (y, 1.0 - x),
            8 => (1.0 - y, x),
            _ => forward(x, y),
        }
    };
    let map = |x: f64, y: f64| match direction {
        Direction::StoredToDisplayed => forward(x, y),
        Direction::DisplayedToStored => backward(x, y),
    };
    let (x0, y0) = map(r.x, r.y);
    let (x1, y1) = map(r.x + r.w, r.y + r.h);
    Region {
        x: x0.min(x1),
        y: y0.min(y1),
        w: (x1 - x0).abs(),
        h: (y1 - y0).abs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    /// The truth is `imaging::Orientation::apply`, which turns stored pixels into displayed ones:
    /// a box painted in stored pixels must land where `convert` says, for all 8 orientations.
    #[test]
    fn boxes_follow_the_pixels_for_every_orientation() {
        let (sw, sh) = (40u32, 20u32);
        let stored_box = Region {
            x: 0.1,
            y: 0.25,
            w: 0.25,
            h: 0.5,
        };
        for o in 1..=8 {
            let orientation = Orientation::from_exif(o);
            let mut img = RgbImage::new(sw, sh);
            let px = |v: f64, n: u32| (v * n as f64).round() as u32;
            for y in px(stored_box.y, sh)..px(stored_box.y + stored_box.h, sh) {
                for x in px(stored_box.x, sw)..px(stored_box.x + stored_box.w, sw) {
                    img.put_pixel(x, y, Rgb([255, 255, 255]));
                }
            }
            let shown = orientation.apply(img);
            let (dw, dh) = shown.dimensions();
            let (mut x0, mut y0, mut x1, mut y1) = (dw, dh, 0, 0);
            for (x, y, p) in shown.enumerate_pixels() {
                if p[0] == 255 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
            let seen = Region {
                x: x0 as f64 / dw as f64,
                y: y0 as f64 / dh as f64,
                w: (x1 - x0) as f64 / dw as f64,
                h: (y1 - y0) as f64 / dh as f64,
            };
            let displayed = convert(stored_box, orientation.into(), Direction::StoredToDisplayed);
            for (a, b) in [
                (seen.x, displayed.x),
                (seen.y, displayed.y),
                (seen.w, displayed.w),
                (seen.h, displayed.h),
            ] {
                assert!(
                    (a - b).abs() < 1e-9,
                    "orientation {o}: {seen:?} vs {displayed:?}"
                );
            }
            let back = convert(displayed, orientation.into(), Direction::DisplayedToStored);
            for (a, b) in [
                (back.x, stored_box.x),
                (back.y, stored_box.y),
                (back.w, stored_box.w),
                (back.h, stored_box.h),
            ] {
                assert!((a - b).abs() < 1e-9, "orientation {o}: round trip {back:?}");
            }
        }
    }

    /// A crop of the middle of a 200x100 stored image, turned (orientation 6) to be shown: the
    /// shown image's top-left corner is the crop's bottom-left corner in stored pixels.
    #[test]
    fn a_cropped_and_turned_image_maps_through_both() {
        let space = StoredSpace::new(
            (200, 100),
            Some([50, 20, 100, 60]),
            Orientation::from_exif(6),
        );
        let corner = Region {
            x: 0.0,
            y: 0.0,
            w: 0.1,
            h: 0.1,
        };
        let stored = convert(corner, space, Direction::DisplayedToStored);
        // Shown 60 wide and 100 high: 0.1 of each is 6 stored rows by 10 stored columns.
        let expected = Region {
            x: 50.0 / 200.0,
            y: (20.0 + 60.0 - 6.0) / 100.0,
            w: 10.0 / 200.0,
            h: 6.0 / 100.0,
        };
        for (a, b) in [
            (stored.x, expected.x),
            (stored.y, expected.y),
            (stored.w, expected.w),
            (stored.h, expected.h),
        ] {
            assert!((a - b).abs() < 1e-9, "{stored:?} vs {expected:?}");
        }
        let back = convert(stored, space, Direction::StoredToDisplayed);
        assert!((back.x - corner.x).abs() < 1e-9 && (back.h - corner.h).abs() < 1e-9);
    }
}
