//! Hostile, corrupt and huge files: each gets a clear per-file reason, never a panic, and nothing
//! already in the library is lost.

mod common;

use std::fs;

use common::{copy_files, failure_reason, shared, TestLibrary};

#[test]
fn every_broken_file_is_indexed_or_reported_with_a_reason() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&shared("broken")]);
    let on_disk = fs::read_dir(shared("broken")).unwrap().count() as u64;
    assert_eq!(
        report.indexed + report.failed.len() as u64,
        on_disk,
        "{report:#?}"
    );
    for f in &report.failed {
        assert!(f.error.len() > 10, "{}: vague reason {:?}", f.path, f.error);
    }
    let reason = |name: &str| failure_reason(&report, name);
    assert!(reason("decompression_bomb.ico").contains("megapixel limit"));
    assert!(reason("truncated_image.png").contains("corrupt or truncated PNG"));
    assert!(reason("pngtest_bad.png.bin").contains("not an image"));
    // Odd but valid files are indexed: CMYK JPEG, MPO, Ultra HDR, bad EXIF.
    for name in [
        "pil_sample_cmyk.jpg",
        "frozenpond.mpo",
        "ultrahdr.jpg",
        "invalid-exif.jpg",
    ] {
        let p = lib.photo(name);
        assert!(p.width > 0 && p.height > 0, "{name}");
    }
}

#[test]
fn a_gigapixel_claim_in_a_tiny_file_is_refused_before_allocation() {
    let lib = TestLibrary::new();
    let dir = lib.folder("bombs");
    fs::write(dir.join("claim.png"), png_claiming(64250, 64250)).unwrap();
    let mut jpeg = fs::read(shared("orientation/hopper/hopper.jpg")).unwrap();
    patch_jpeg_size(&mut jpeg, 64250, 64250);
    fs::write(dir.join("claim.jpg"), jpeg).unwrap();
    let report = lib.index(&[&dir]);
    assert_eq!(report.indexed, 0);
    assert_eq!(report.failed.len(), 2, "{report:#?}");
    for f in &report.failed {
        assert!(
            f.error.contains("64250x64250") && f.error.contains("refused"),
            "{}: {}",
            f.path,
            f.error
        );
    }
}

#[test]
fn a_file_too_big_to_be_a_photo_is_refused_without_reading_it() {
    let lib = TestLibrary::new();
    let dir = lib.folder("huge");
    // Sparse: takes no disk space, but claims 600 MB.
    fs::File::create(dir.join("huge.jpg"))
        .unwrap()
        .set_len(600 * 1024 * 1024)
        .unwrap();
    let report = lib.index(&[&dir]);
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0].error.contains("over the 500 MB limit"),
        "{:?}",
        report.failed
    );
}

#[test]
fn broken_files_never_cost_what_is_already_indexed() {
    let lib = TestLibrary::new();
    let good = lib.folder("good");
    copy_files(&shared("exif"), &["DSCN0010.jpg", "DSCN0012.jpg"], &good);
    assert_eq!(lib.index(&[&good]).indexed, 2);
    // The same path now holds garbage; the photo and its thumbnails stay as they were.
    fs::write(good.join("DSCN0012.jpg"), b"\xFF\xD8\xFF\xE0 not really").unwrap();
    copy_files(&shared("broken"), &["truncated_image.png"], &good);
    let report = lib.index(&[&good]);
    assert_eq!(report.failed.len(), 2, "{report:#?}");
    assert_eq!(report.photos, 2);
    let kept = lib.photo("DSCN0012.jpg");
    assert_eq!(kept.camera.as_deref(), Some("NIKON COOLPIX P6000"));
    // Unchanged broken files are reported again on the next run.
    assert_eq!(lib.index(&[&good]).failed.len(), 2);
}

/// A valid PNG header and a tiny IDAT that claim `w`x`h` pixels.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]);
    chunk(&mut out, b"tEXt", &vec![b'a'; 5000]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Rewrites the frame size in the first SOF marker.
fn patch_jpeg_size(jpeg: &mut [u8], w: u16, h: u16) {
    let sof = jpeg
        .windows(2)
        .position(|m| m[0] == 0xFF && (0xC0..=0xC2).contains(&m[1]))
        .expect("SOF marker");
    jpeg[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
}
