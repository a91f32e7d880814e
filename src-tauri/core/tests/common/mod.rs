//! Fixture builders for core tests: libraries in temp folders, copies of shared photos, and
//! pixel comparisons.
#![allow(dead_code)]

pub mod laptop;

use std::fs;
use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use image::RgbImage;
use whoiswho_core::imaging::ThumbnailSize;
use whoiswho_core::progress::NoProgress;
use whoiswho_core::{CancelToken, IndexReport, Library, PhotoSummary};

/// A folder of `../shared/data/` (photos are used in place, never copied into the project).
pub fn shared(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub)
}

pub struct TestLibrary {
    pub dir: tempfile::TempDir,
    pub library: Library,
}

impl TestLibrary {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let library = Library::open(&dir.path().join("lib")).expect("open library");
        Self { dir, library }
    }

    pub fn index(&self, folders: &[&Path]) -> IndexReport {
        let folders: Vec<PathBuf> = folders.iter().map(|f| f.to_path_buf()).collect();
        self.library
            .index(&folders, &CancelToken::new(), &NoProgress)
            .expect("index")
    }

    pub fn photos(&self) -> Vec<PhotoSummary> {
        self.library
            .catalog()
            .expect("catalog")
            .photo_summaries()
            .expect("photos")
    }

    pub fn photo(&self, file_name: &str) -> PhotoSummary {
        self.photos()
            .into_iter()
            .find(|p| {
                Path::new(&p.path)
                    .file_name()
                    .is_some_and(|n| n == file_name)
            })
            .unwrap_or_else(|| panic!("{file_name} is not in the library"))
    }

    pub fn thumbnail(&self, id: i64, size: ThumbnailSize) -> RgbImage {
        let bytes = self.library.thumbnail(id, size).expect("thumbnail");
        image::load_from_memory(&bytes)
            .expect("decode thumbnail")
            .to_rgb8()
    }

    /// A scratch folder inside the test's temp dir.
    pub fn folder(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::create_dir_all(&p).expect("scratch folder");
        p
    }
}

/// Why the file named `name` failed in `report`; the test fails if it did not.
pub fn failure_reason(report: &IndexReport, name: &str) -> String {
    report
        .failed
        .iter()
        .find(|f| f.path.ends_with(name))
        .map(|f| f.error.clone())
        .unwrap_or_else(|| panic!("{name} should have failed: {report:#?}"))
}

pub fn copy_files(from: &Path, names: &[&str], to: &Path) {
    for name in names {
        fs::copy(from.join(name), to.join(name)).expect("copy fixture");
    }
}

/// Mean absolute difference per channel (0-255) after shrinking both to 32x32.
pub fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let small = |img: &RgbImage| image::imageops::resize(img, 32, 32, FilterType::Triangle);
    let (a, b) = (small(a), small(b));
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| x.abs_diff(*y) as u64)
        .sum();
    total as f64 / a.as_raw().len() as f64
}

/// The faces the library's face search finds in a photo file (upright, no EXIF orientation
/// given), boxes in the pixels of its displayed image at full size.
pub fn faces_in_file(
    detector: &whoiswho_core::faces::FaceDetector,
    path: &Path,
) -> Vec<whoiswho_core::faces::Region> {
    use whoiswho_core::imaging::{decode_displayed, detect, Orientation};
    let bytes = fs::read(path).expect("read photo");
    let format = detect(path, &bytes).expect("an image");
    let full = decode_displayed(&bytes, format, Orientation::Normal, u32::MAX).expect("decode");
    let (w, h) = (full.width() as f64, full.height() as f64);
    whoiswho_core::faces::search_photo(detector, |long_side| {
        decode_displayed(&bytes, format, Orientation::Normal, long_side)
    })
    .expect("search")
    .into_iter()
    .map(|d| d.region.scaled(w, h))
    .collect()
}

/// The models as set-up fetched them into the checkout's `assets/models/`.
pub fn models() -> whoiswho_core::models::Models {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    whoiswho_core::models::Models::in_folder(
        &checkout.join("assets/models"),
        whoiswho_core::models::Remedy::SetUp { checkout },
    )
}
