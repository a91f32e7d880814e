//! Every EXIF orientation yields the displayed size and an upright thumbnail. Pixels are compared
//! with the upright original, and must differ clearly from the stored (unrotated) pixels.

mod common;

use common::{difference, shared, TestLibrary};
use image::RgbImage;
use whoiswho_core::imaging::ThumbnailSize;

/// The stored pixels of a file, as a naive viewer that ignores EXIF would show them.
fn stored_pixels(path: &std::path::Path) -> RgbImage {
    image::open(path).expect("decode fixture").to_rgb8()
}

#[test]
fn recurser_landscapes_and_portraits_display_upright_at_every_orientation() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&shared("orientation/recurser")]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.indexed, 18);

    for kind in ["Landscape", "Portrait"] {
        let upright = lib.photo(&format!("{kind}_1.jpg"));
        let reference = lib.thumbnail(upright.id, ThumbnailSize::Grid);
        let expected = if kind == "Landscape" {
            (1800, 1200)
        } else {
            (1200, 1800)
        };
        for n in 0..=8 {
            let name = format!("{kind}_{n}.jpg");
            let photo = lib.photo(&name);
            assert_eq!(
                (photo.width, photo.height),
                expected,
                "{name} displayed size"
            );
            let expected_tag = if n == 0 { 1 } else { n };
            assert_eq!(photo.orientation, expected_tag, "{name} orientation");
            let thumb = lib.thumbnail(photo.id, ThumbnailSize::Grid);
            assert_eq!(thumb.width().max(thumb.height()), 400, "{name} grid size");
            assert_eq!(
                thumb.width() > thumb.height(),
                kind == "Landscape",
                "{name} thumbnail aspect"
            );
            let d = difference(&thumb, &reference);
            assert!(
                d < 6.0,
                "{name} thumbnail is not upright (difference {d:.1})"
            );
            if n >= 2 {
                // Proof the check has teeth: the raw stored pixels do NOT match.
                let raw = stored_pixels(&shared("orientation/recurser").join(&name));
                let d_raw = difference(&raw, &reference);
                assert!(
                    d_raw > 15.0,
                    "{name}: raw pixels unexpectedly upright ({d_raw:.1})"
                );
            }
        }
    }
}

#[test]
fn hopper_jpeg_and_webp_display_upright_at_every_orientation() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&shared("orientation/hopper")]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let reference = lib.thumbnail(lib.photo("hopper.jpg").id, ThumbnailSize::Preview);
    for n in 2..=8 {
        for ext in ["jpg", "webp"] {
            let name = format!("hopper_orientation_{n}.{ext}");
            let photo = lib.photo(&name);
            assert_eq!(photo.orientation, n, "{name}");
            assert_eq!((photo.width, photo.height), (128, 128), "{name}");
            let preview = lib.thumbnail(photo.id, ThumbnailSize::Preview);
            let d = difference(&preview, &reference);
            assert!(d < 8.0, "{name} preview is not upright (difference {d:.1})");
            // Proof the check has teeth: the raw stored pixels do NOT match.
            let raw = stored_pixels(&shared("orientation/hopper").join(&name));
            let d_raw = difference(&raw, &reference);
            assert!(d_raw > d + 4.0, "{name}: raw {d_raw:.1} vs oriented {d:.1}");
        }
    }
}
