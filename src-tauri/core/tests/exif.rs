//! EXIF fields, checked against what exiftool reports for the same files.

mod common;

use common::{shared, TestLibrary};

#[test]
fn nikon_photos_carry_time_camera_and_gps() {
    let lib = TestLibrary::new();
    let report = lib.index(&[&shared("exif")]);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.indexed, 9);
    let expected = [
        ("DSCN0010.jpg", "2008-10-22T16:28:39"),
        ("DSCN0012.jpg", "2008-10-22T16:29:49"),
        ("DSCN0021.jpg", "2008-10-22T16:38:20"),
        ("DSCN0042.jpg", "2008-10-22T17:00:07"),
    ];
    for (name, taken) in expected {
        let p = lib.photo(name);
        assert_eq!(p.taken_at.as_deref(), Some(taken), "{name}");
        assert_eq!(p.camera.as_deref(), Some("NIKON COOLPIX P6000"), "{name}");
        assert_eq!((p.width, p.height), (640, 480), "{name}");
        assert_eq!(p.day, "2008-10-22");
        let d = lib.library.catalog().unwrap().photo_details(p.id).unwrap();
        assert!(d.has_gps, "{name} has GPS");
        assert_eq!(d.lens, None);
    }
    // Sorted by capture time.
    let times: Vec<_> = lib.photos().into_iter().map(|p| p.taken_at).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
}

#[test]
fn event_photos_keep_their_utc_offset_and_lens() {
    let lib = TestLibrary::new();
    lib.index(&[&shared("events")]);
    let kcs = lib.photo("kcs03.jpeg");
    assert_eq!(kcs.taken_at.as_deref(), Some("2023-09-26T09:46:59+08:00"));
    // "Canon" + "Canon EOS R5" is not repeated.
    assert_eq!(kcs.camera.as_deref(), Some("Canon EOS R5"));
    assert_eq!((kcs.width, kcs.height), (4000, 2668));
    let d = lib
        .library
        .catalog()
        .unwrap()
        .photo_details(kcs.id)
        .unwrap();
    assert_eq!(d.lens.as_deref(), Some("RF24-105mm F4 L IS USM"));
    assert!(!d.has_gps);

    let ny = lib.photo("kcd-ny-2026-team.jpg");
    assert_eq!(ny.taken_at.as_deref(), Some("2026-06-10T17:13:03-04:00"));
    assert_eq!(ny.camera.as_deref(), Some("SONY ILCE-7M4"));
}
