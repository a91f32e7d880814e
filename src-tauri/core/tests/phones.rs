//! Phone photos: HEIC/HEIF and AVIF are indexed like any photo, shown upright by their own
//! transforms (never EXIF on top), with their metadata, their faces, and a clear reason for
//! each broken file. The small fixtures in `fixtures/phones/` all display the same 120x80
//! picture (four coloured corners on blue) through a different route; they were made by
//! `scripts/make-phone-fixtures.py`, which checked each with libheif's own `heif-convert`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{faces_in_file, failure_reason, shared, TestLibrary};
use image::RgbImage;
use whoiswho_core::faces::FaceDetector;
use whoiswho_core::imaging::{detect, ThumbnailSize};
use whoiswho_core::jobs::search_library;
use whoiswho_core::progress::NoProgress;
use whoiswho_core::CancelToken;

const RED: [u8; 3] = [255, 0, 0];
const YELLOW: [u8; 3] = [255, 255, 0];
const WHITE: [u8; 3] = [255, 255, 255];
const GREEN: [u8; 3] = [0, 255, 0];
/// Top-left, top-right, bottom-left, bottom-right of the upright picture.
const UPRIGHT: [[u8; 3]; 4] = [RED, YELLOW, WHITE, GREEN];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/phones")
}

fn corners(img: &RgbImage) -> [[u8; 3]; 4] {
    let (w, h) = (img.width(), img.height());
    [(6, 6), (w - 7, 6), (6, h - 7), (w - 7, h - 7)].map(|(x, y)| img.get_pixel(x, y).0)
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 60)
}

fn assert_corners(name: &str, img: &RgbImage, expected: [[u8; 3]; 4]) {
    let seen = corners(img);
    assert!(
        seen.iter().zip(expected).all(|(s, e)| near(*s, e)),
        "{name}: corners {seen:?}, expected {expected:?}"
    );
}

#[test]
fn every_transform_shows_the_picture_upright_and_exif_never_turns_it_again() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&fixtures()]);
    let mut upright: Vec<String> = (1..=8)
        .map(|n| format!("heic-orientation-{n}.heic"))
        .collect();
    for angle in 0..4 {
        for mode in ["none", "0", "1"] {
            upright.push(format!("avif-irot{angle}-imir{mode}.avif"));
        }
    }
    upright.extend(
        [
            "heic-irot270-exif1.heic",
            "avif-clap.avif",
            "heic-10bit.heic",
            "avif-10bit.avif",
        ]
        .map(String::from),
    );
    for name in &upright {
        let photo = lib.photo(name);
        assert_eq!(
            (photo.width, photo.height),
            (120, 80),
            "{name} displayed size"
        );
        for size in [ThumbnailSize::Grid, ThumbnailSize::Preview] {
            let thumb = lib.thumbnail(photo.id, size);
            assert_eq!((thumb.width(), thumb.height()), (120, 80), "{name}");
            assert_corners(name, &thumb, UPRIGHT);
        }
    }
    // The iPhone layout really carries EXIF 6 (and Android's EXIF 1 against irot 270): had
    // EXIF been applied, these would come out sideways.
    let details = |name: &str| {
        let id = lib.photo(name).id;
        lib.library.catalog().unwrap().photo_details(id).unwrap()
    };
    let six = details("heic-orientation-6.heic");
    assert_eq!(six.format, "HEIC");
    assert_eq!(six.camera.as_deref(), Some("whoiswho fixture phone"));
    assert_eq!(six.taken_at.as_deref(), Some("2024-05-06T07:08:09+08:00"));
    // What the file's transforms are, as read from its boxes: the coded image and the turn
    // (as the EXIF orientation doing the same), whatever its EXIF says.
    let layout = |name: &str| {
        let d = details(name);
        (d.stored_width, d.stored_height, d.crop, d.orientation)
    };
    assert_eq!(layout("heic-orientation-6.heic"), (80, 120, None, 6));
    assert_eq!(layout("heic-irot270-exif1.heic"), (80, 120, None, 6));
    assert_eq!(layout("heic-exif6-no-irot.heic"), (80, 120, None, 1));
    assert_eq!(
        layout("avif-clap.avif"),
        (152, 112, Some([16, 16, 120, 80]), 1)
    );
    // irot (anticlockwise quarter turns) then imir (0: top and bottom, 1: left and right).
    let expected = [[1, 4, 2], [8, 5, 7], [3, 2, 4], [6, 7, 5]];
    for (angle, row) in expected.iter().enumerate() {
        for (i, mode) in ["none", "0", "1"].iter().enumerate() {
            let name = format!("avif-irot{angle}-imir{mode}.avif");
            let turned = matches!(row[i], 5..=8);
            let coded = if turned { (80, 120) } else { (120, 80) };
            assert_eq!(layout(&name), (coded.0, coded.1, None, row[i]), "{name}");
        }
    }
    assert_eq!(details("avif-irot1-imir0.avif").format, "AVIF");

    // EXIF 6 with no transform (an edited iOS photo): shown as stored, as HEIF readers do.
    let sideways = lib.photo("heic-exif6-no-irot.heic");
    assert_eq!((sideways.width, sideways.height), (80, 120));
    let thumb = lib.thumbnail(sideways.id, ThumbnailSize::Preview);
    assert_corners("heic-exif6-no-irot", &thumb, [YELLOW, GREEN, RED, WHITE]);

    // The animation is the one file refused, with its reason.
    assert_eq!(report.failed.len(), 1, "{:#?}", report.failed);
    assert!(report.failed[0].path.ends_with("avif-sequence.avif"));
    assert!(
        report.failed[0].error.contains("animated AVIF"),
        "{}",
        report.failed[0].error
    );
}

/// Three bands of grey: black, a dim grey and HDR reference white (203 nits). Read as plain
/// 8-bit codes, reference white would be a mid grey (PQ 0.58, HLG 0.75).
#[test]
fn pq_and_hlg_become_sdr_with_reference_white_as_white() {
    let lib = TestLibrary::new();
    lib.index(&[&fixtures()]);
    for (name, dim) in [("avif-pq.avif", 60..=120), ("avif-hlg.avif", 110..=190)] {
        let thumb = lib.thumbnail(lib.photo(name).id, ThumbnailSize::Preview);
        let band = |i: u32| thumb.get_pixel(i * 40 + 20, 40).0[1];
        assert!(band(0) < 16, "{name}: black is {}", band(0));
        assert!(dim.contains(&band(1)), "{name}: dim grey is {}", band(1));
        assert!(band(2) >= 225, "{name}: reference white is {}", band(2));
    }
}

#[test]
fn a_real_iphone_heic_has_its_capture_time_camera_lens_and_gps() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&shared("phones")]);
    assert!(report.failed.is_empty(), "{:#?}", report.failed);
    let id = lib.photo("IMG_5195.HEIC").id;
    let d = lib.library.catalog().unwrap().photo_details(id).unwrap();
    assert_eq!((d.width, d.height), (2566, 3313));
    assert_eq!(d.taken_at.as_deref(), Some("2021-04-11T15:47:53-05:00"));
    assert_eq!(d.camera.as_deref(), Some("Apple iPhone 11 Pro Max"));
    assert_eq!(
        d.lens.as_deref(),
        Some("iPhone 11 Pro Max back triple camera 4.25mm f/1.8")
    );
    assert!(d.has_gps);
    assert!(d.metadata_warning.is_none(), "{:?}", d.metadata_warning);
    let thumb = lib.thumbnail(id, ThumbnailSize::Grid);
    assert_eq!(thumb.height(), 400);
    let small = lib.photo("samplefilehub.heif");
    assert_eq!((small.width, small.height), (640, 426));
}

/// `bytes` with the big-endian u32 (or u16) at `at` bytes after the first `tag` replaced.
fn patch(bytes: &mut [u8], tag: &[u8], at: usize, value: &[u8]) {
    let i = bytes
        .windows(tag.len())
        .position(|w| w == tag)
        .unwrap_or_else(|| panic!("no {tag:?} box"));
    bytes[i + at..i + at + value.len()].copy_from_slice(value);
}

#[test]
fn broken_phone_files_each_get_a_reason_and_nothing_else_is_lost() {
    let lib = TestLibrary::new();
    let dir = lib.folder("phones");
    let good = fixtures().join("heic-orientation-6.heic");
    fs::copy(&good, dir.join("good.heic")).unwrap();
    assert_eq!(lib.index(&[&dir]).indexed, 1);

    let iphone = fs::read(shared("phones/IMG_5195.HEIC")).unwrap();
    fs::write(dir.join("truncated.heic"), &iphone[..iphone.len() / 2]).unwrap();
    // ispe: size, type, version and flags, then width and height. 20000x20000 is over our
    // budget; 60000x60000 is over libheif's own limit, checked as it reads the container.
    for side in [20000u32, 60000] {
        let mut huge = fs::read(&good).unwrap();
        patch(&mut huge, b"ispe", 8, &side.to_be_bytes());
        patch(&mut huge, b"ispe", 12, &side.to_be_bytes());
        fs::write(dir.join(format!("huge-{side}.heic")), huge).unwrap();
    }
    let mut orphan = fs::read(&good).unwrap();
    // pitm (version 0): the primary item's 16-bit id, pointed at no item.
    patch(&mut orphan, b"pitm", 8, &999u16.to_be_bytes());
    fs::write(dir.join("no-primary.heic"), orphan).unwrap();
    fs::copy(
        fixtures().join("avif-sequence.avif"),
        dir.join("sequence.avif"),
    )
    .unwrap();
    fs::write(
        dir.join("empty.heic"),
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
    )
    .unwrap();

    let report = lib.index(&[&dir]);
    let reason = |name: &str| failure_reason(&report, name);
    let truncated = reason("truncated.heic");
    assert!(
        truncated.contains("corrupt or truncated HEIF"),
        "{truncated}"
    );
    for side in [20000, 60000] {
        let huge = reason(&format!("huge-{side}.heic"));
        assert!(
            huge.contains(&format!("{side}x{side}")) && huge.contains("refused"),
            "{huge}"
        );
    }
    let orphan = reason("no-primary.heic");
    // libheif: "'pitm' box references a non-existing image".
    assert!(orphan.contains("non-existing image"), "{orphan}");
    assert!(reason("sequence.avif").contains("animated AVIF"));
    assert!(reason("empty.heic").contains("HEIF"));
    assert_eq!(report.failed.len(), 6, "{report:#?}");
    // The good photo is still there, untouched.
    assert_eq!(lib.photos().len(), 1);
    assert_eq!(lib.photo("good.heic").width, 120);
}

/// A photo read back from a HEIC made from the same JPEG: faces found at the same places.
#[test]
fn faces_on_a_heic_group_photo_are_where_they_are_on_its_jpeg() {
    let tmp = tempfile::tempdir().unwrap();
    let jpeg = shared("groups/ul-11.jpg");
    let heic = tmp.path().join("ul-11.heic");
    let status = Command::new("heif-enc")
        .args(["-q", "90"])
        .arg(&jpeg)
        .arg("-o")
        .arg(&heic)
        .output()
        .expect("heif-enc (libheif-examples) is installed by scripts/setup.sh");
    assert!(status.status.success(), "{status:?}");

    let detector = FaceDetector::load(&common::models()).unwrap();
    let boxes = |path: &Path| faces_in_file(&detector, path);
    let from_jpeg = boxes(&jpeg);
    let from_heic = boxes(&heic);
    assert!(
        from_jpeg.len() >= 20,
        "{} faces on the JPEG",
        from_jpeg.len()
    );
    let matched = from_jpeg
        .iter()
        .filter(|a| from_heic.iter().any(|b| a.iou(b) > 0.7))
        .count();
    assert!(
        matched + 1 >= from_jpeg.len() && from_heic.len().abs_diff(from_jpeg.len()) <= 1,
        "{matched} of {} JPEG faces found again among {} on the HEIC",
        from_jpeg.len(),
        from_heic.len()
    );

    // And through the library's own face search.
    let lib = TestLibrary::new();
    let dir = lib.folder("group");
    fs::copy(&heic, dir.join("ul-11.heic")).unwrap();
    lib.index(&[&dir]);
    let report = search_library(&lib.library, &detector, &CancelToken::new(), &NoProgress).unwrap();
    assert_eq!(report.failed.len(), 0, "{report:?}");
    assert_eq!(lib.photo("ul-11.heic").faces as usize, from_heic.len());
}

/// Face regions another tool wrote into the HEIC's own XMP are read like a JPEG's: relative
/// to the coded image, before the file's transforms.
#[test]
fn face_regions_in_a_heic_xmp_are_imported() {
    let lib = TestLibrary::new();
    let dir = lib.folder("xmp");
    let photo = dir.join("tagged.heic");
    fs::copy(fixtures().join("heic-orientation-6.heic"), &photo).unwrap();
    let out = Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            "-RegionInfo={AppliedToDimensions={W=80,H=120,Unit=pixel},RegionList=[{Area={X=0.25,Y=0.5,W=0.2,H=0.3,Unit=normalized},Name=octocat,Type=Face}]}",
        ])
        .arg(&photo)
        .output()
        .expect("exiftool");
    assert!(out.status.success(), "{out:?}");
    whoiswho_core::people::import_roster(
        &mut lib.library.catalog().unwrap(),
        b"login\noctocat\n",
        false,
    )
    .unwrap();
    lib.index(&[&dir]);
    let id = lib.photo("tagged.heic").id;
    let faces = lib.library.catalog().unwrap().faces(id).unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let f = &faces[0];
    assert_eq!(f.login.as_deref(), Some("octocat"));
    // The region is in the coded 80x120 image (as digiKam writes it): its top-left box
    // (0.15, 0.35, 0.2, 0.3) turned 90° clockwise with the picture (irot 270).
    for (got, want) in [(f.x, 0.35), (f.y, 0.15), (f.w, 0.3), (f.h, 0.2)] {
        assert!((got - want).abs() < 1e-6, "{f:?}");
    }
}

/// A library from before HEIC support listed phone photos as unsupported; after the upgrade
/// the next scan reads them although the files did not change.
#[test]
fn phone_photos_an_older_version_refused_are_read_after_the_upgrade() {
    use std::time::UNIX_EPOCH;
    let dir = tempfile::tempdir().unwrap();
    let photos = dir.path().join("photos");
    fs::create_dir(&photos).unwrap();
    let photo = photos.join("IMG_0001.HEIC");
    fs::copy(fixtures().join("heic-orientation-6.heic"), &photo).unwrap();
    let meta = fs::metadata(&photo).unwrap();
    let mtime_ns = meta
        .modified()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    let lib_dir = dir.path().join("lib");
    drop(whoiswho_core::Library::open(&lib_dir).unwrap());
    // What version 8 recorded, and its schema version.
    let db = fs::read_dir(&lib_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite" || e == "db"))
        .expect("the library's database");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO index_failures (path, size, mtime_ns, error) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![
            photo.to_string_lossy(),
            meta.len() as i64,
            mtime_ns,
            "unsupported format: HEIC (convert it to JPEG, PNG or WebP to include it)"
        ],
    )
    .unwrap();
    // Version 8's schema: without what the later migrations add.
    for column in ["crop_x", "crop_y", "crop_w", "crop_h"] {
        conn.execute_batch(&format!("ALTER TABLE photos DROP COLUMN {column}"))
            .unwrap();
    }
    conn.execute_batch(
        "ALTER TABLE people DROP COLUMN asked; ALTER TABLE faces DROP COLUMN row_fix;",
    )
    .unwrap();
    for table in [
        "team",
        "team_records",
        "team_reads",
        "team_faces",
        "team_face_state",
        "post",
        "post_photos",
        "claims",
        "roster_generation",
        "event",
        "team_settle_again",
        "team_disputes",
        "undo_steps",
    ] {
        conn.execute_batch(&format!("DROP TABLE {table}")).unwrap();
    }
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'roster_generation_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.pragma_update(None, "user_version", 8).unwrap();
    drop(conn);

    let library = whoiswho_core::Library::open(&lib_dir).unwrap();
    let report = library
        .index(&[photos], &CancelToken::new(), &NoProgress)
        .unwrap();
    assert!(report.failed.is_empty(), "{:#?}", report.failed);
    assert_eq!(report.indexed, 1);
}

/// A file's embedded thumbnail stands in for its primary image when it is large enough for
/// what is asked, and only then.
#[test]
fn an_embedded_thumbnail_is_used_only_when_large_enough() {
    let tmp = tempfile::tempdir().unwrap();
    let heic = tmp.path().join("with-thumbnail.heic");
    let out = Command::new("heif-enc")
        .args(["-q", "80", "-t", "320"])
        .arg(shared("groups/ul-11.jpg"))
        .arg("-o")
        .arg(&heic)
        .output()
        .expect("heif-enc");
    assert!(out.status.success(), "{out:?}");
    let bytes = fs::read(&heic).unwrap();
    let small =
        whoiswho_core::imaging::decode_at_least(&bytes, detect(&heic, &bytes).unwrap(), 300)
            .unwrap();
    assert_eq!(small.width().max(small.height()), 320, "from the thumbnail");
    let full = whoiswho_core::imaging::decode_at_least(&bytes, detect(&heic, &bytes).unwrap(), 400)
        .unwrap();
    assert_eq!((full.width(), full.height()), (1024, 791), "from the image");
    let shrunk = image::imageops::resize(
        &full,
        small.width(),
        small.height(),
        image::imageops::FilterType::Triangle,
    );
    let d = common::difference(&shrunk, &small);
    assert!(d < 8.0, "the thumbnail shows the same picture ({d:.1})");
}
