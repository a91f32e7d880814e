//! XMP with its real consumers: exiftool reads the sidecars whoiswho writes (regions land on the
//! face in the STORED pixels, for all 8 orientations); sidecars come back as the same faces and
//! logins when the copies are indexed into a new library; and regions in the shapes other tools
//! write (attribute form, Seq, Microsoft MP:RegionInfo, embedded in the JPEG) are imported.

mod support;

use std::path::Path;
use std::process::Command;

use image::imageops::FilterType;
use image::RgbImage;
use serde_json::Value;
use support::{ok, shared_data, whoiswho};
use whoiswho_core::imaging::Orientation;

fn exiftool(file: &Path) -> Value {
    let out = Command::new("exiftool")
        .args(["-j", "-struct", "-XMP:all"])
        .arg(file)
        .output()
        .expect("exiftool (Debian: libimage-exiftool-perl) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("exiftool JSON");
    v[0].clone()
}

/// A normalized top-left box from exiftool's center-based MWG area.
fn top_left(area: &Value) -> [f64; 4] {
    let n = |k: &str| area[k].as_f64().unwrap_or_else(|| panic!("{k} in {area}"));
    let (w, h) = (n("W"), n("H"));
    [n("X") - w / 2.0, n("Y") - h / 2.0, w, h]
}

fn crop(img: &RgbImage, b: [f64; 4]) -> RgbImage {
    let (w, h) = (img.width() as f64, img.height() as f64);
    let x = (b[0] * w).round().max(0.0) as u32;
    let y = (b[1] * h).round().max(0.0) as u32;
    let cw = ((b[2] * w).round() as u32).clamp(1, img.width() - x);
    let ch = ((b[3] * h).round() as u32).clamp(1, img.height() - y);
    image::imageops::crop_imm(img, x, y, cw, ch).to_image()
}

fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let a = image::imageops::resize(a, 32, 32, FilterType::Triangle);
    let b = image::imageops::resize(b, 32, 32, FilterType::Triangle);
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(p, q)| (*p as i64 - *q as i64).unsigned_abs())
        .sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn exiftool_reads_regions_that_sit_on_the_face_in_stored_pixels_for_all_8_orientations() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    let hopper = shared_data("orientation/hopper");
    let mut names = vec!["hopper.jpg".to_string()];
    names.extend((2..=8).map(|o| format!("hopper_orientation_{o}.jpg")));
    for n in &names {
        std::fs::copy(hopper.join(n), photos.path().join(n)).unwrap();
    }
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    ok(lib.path(), &["faces", "detect", "--json"]);
    support::import_roster(lib.path(), "github,name\ngrace-hopper,Grace Hopper\n");
    for n in &names {
        let photo = photos.path().join(n);
        let faces = ok(
            lib.path(),
            &["faces", "list", photo.to_str().unwrap(), "--json"],
        );
        let face = faces[0]["id"].to_string();
        ok(
            lib.path(),
            &[
                "tag",
                photo.to_str().unwrap(),
                &face,
                "grace-hopper",
                "--json",
            ],
        );
    }
    let out = lib.path().join("xmp");
    let report = ok(
        lib.path(),
        &["export", "xmp", "--out", out.to_str().unwrap(), "--json"],
    );
    assert_eq!(report["written"], 8);

    // The upright face: orientation 1 stores what is displayed.
    let upright = image::open(photos.path().join("hopper.jpg"))
        .unwrap()
        .to_rgb8();
    let reference = exiftool(&out.join("hopper.jpg.xmp"));
    let reference_face = crop(
        &upright,
        top_left(&reference["RegionInfo"]["RegionList"][0]["Area"]),
    );
    for (i, n) in names.iter().enumerate() {
        let meta = exiftool(&out.join(format!("{n}.xmp")));
        let region = &meta["RegionInfo"]["RegionList"][0];
        assert_eq!(region["Name"], "grace-hopper", "{n}");
        assert_eq!(region["Type"], "Face");
        assert_eq!(region["Area"]["Unit"], "normalized");
        assert_eq!(meta["PersonInImage"], serde_json::json!(["Grace Hopper"]));
        assert_eq!(
            meta["PersonInImageWDetails"][0]["PersonId"],
            serde_json::json!(["https://github.com/grace-hopper"])
        );
        assert_eq!(meta["Subject"], serde_json::json!(["grace-hopper"]));
        // `image` decodes the stored pixels (it does not apply EXIF orientation).
        let stored = image::open(photos.path().join(n)).unwrap().to_rgb8();
        let dims = &meta["RegionInfo"]["AppliedToDimensions"];
        assert_eq!(
            (dims["W"].as_u64(), dims["H"].as_u64()),
            (Some(stored.width() as u64), Some(stored.height() as u64))
        );
        let face =
            Orientation::from_exif(i as u32 + 1).apply(crop(&stored, top_left(&region["Area"])));
        let d = difference(&face, &reference_face);
        assert!(
            d < 12.0,
            "{n}: the stored-space region is not on the face (difference {d:.1})"
        );
    }
}

#[test]
fn sidecars_round_trip_into_a_new_library_and_consent_keeps_names_out() {
    let (lib, photos) = support::detected_library(&[
        ("groups/ul-9.jpg", "ul-9.jpg"),
        ("orientation/hopper/hopper_orientation_6.jpg", "h6.jpg"),
    ]);
    support::import_roster(lib.path(), "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nlixiang,李想,ok\nprivate-person,Private Person,no-publish\n");
    let ul9 = photos.path().join("ul-9.jpg");
    let h6 = photos.path().join("h6.jpg");
    let faces = ok(
        lib.path(),
        &["faces", "list", ul9.to_str().unwrap(), "--json"],
    );
    for (i, login) in ["kevin-wangzefeng", "lixiang", "private-person"]
        .iter()
        .enumerate()
    {
        ok(
            lib.path(),
            &[
                "tag",
                ul9.to_str().unwrap(),
                &faces[i]["id"].to_string(),
                login,
                "--json",
            ],
        );
    }
    ok(
        lib.path(),
        &[
            "tag",
            h6.to_str().unwrap(),
            "--box",
            "0.3,0.2,0.25,0.3",
            "lixiang",
            "--json",
        ],
    );

    // Export the copies' sidecars into a folder that also receives the copies.
    let copies = tempfile::tempdir().unwrap();
    let report = ok(
        lib.path(),
        &[
            "export",
            "xmp",
            "--out",
            copies.path().to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(
        (report["written"].as_u64(), report["unnamed"].as_u64()),
        (Some(2), Some(1))
    );
    let sidecar = std::fs::read_to_string(copies.path().join("ul-9.jpg.xmp")).unwrap();
    assert!(!sidecar.contains("private-person") && !sidecar.contains("Private Person"));
    for n in ["ul-9.jpg", "h6.jpg"] {
        std::fs::copy(photos.path().join(n), copies.path().join(n)).unwrap();
    }

    // The same roster, as another organizer would import it.
    let lib2 = tempfile::tempdir().unwrap();
    let roster = lib.path().join("roster.csv");
    ok(
        lib2.path(),
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
    ok(
        lib2.path(),
        &["index", copies.path().to_str().unwrap(), "--json"],
    );
    for (name, original) in [("ul-9.jpg", &ul9), ("h6.jpg", &h6)] {
        let before = ok(
            lib.path(),
            &["faces", "list", original.to_str().unwrap(), "--json"],
        );
        let after = ok(
            lib2.path(),
            &[
                "faces",
                "list",
                copies.path().join(name).to_str().unwrap(),
                "--json",
            ],
        );
        let after = after.as_array().unwrap();
        assert_eq!(
            after.len(),
            before.as_array().unwrap().len(),
            "{name}: every face came back"
        );
        for b in before.as_array().unwrap() {
            let close = |a: &Value| {
                ["x", "y", "w", "h"]
                    .iter()
                    .all(|k| (a[k].as_f64().unwrap() - b[k].as_f64().unwrap()).abs() < 1e-4)
            };
            let a = after
                .iter()
                .find(|a| close(a))
                .unwrap_or_else(|| panic!("{name}: no face at {b}"));
            assert_eq!(a["source"], "imported");
            let want = if b["login"] == "private-person" {
                Value::Null
            } else {
                b["login"].clone()
            };
            assert_eq!(a["login"], want, "{name}");
        }
    }
    // A face search in the new library keeps the imported faces and adds no duplicates.
    let again = ok(lib2.path(), &["faces", "detect", "--json"]);
    assert_eq!(again["photos"], 2);
    let ul9_copy = ok(
        lib2.path(),
        &[
            "faces",
            "list",
            copies.path().join("ul-9.jpg").to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(ul9_copy.as_array().unwrap().len(), 8, "{ul9_copy}");
}

#[test]
fn regions_other_tools_wrote_are_imported_in_every_shape() {
    let photos = tempfile::tempdir().unwrap();
    let src = shared_data("orientation/hopper/hopper.jpg");
    let attribute = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
  <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Seq>
   <rdf:li><rdf:Description mwg-rs:Name="Kevin Wang" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.5" stArea:y="0.4" stArea:w="0.3" stArea:h="0.4" stArea:unit="normalized"/></rdf:Description></rdf:li>
   <rdf:li><rdf:Description mwg-rs:Name="Everyone" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="1" stArea:h="1" stArea:unit="normalized"/></rdf:Description></rdf:li>
  </rdf:Seq></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let microsoft = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">
  <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
   <rdf:li MPReg:Rectangle="0.1, 0.2, 0.3, 0.4" MPReg:PersonDisplayName="octocat"/>
  </rdf:Bag></MPRI:Regions></MP:RegionInfo></rdf:Description></rdf:RDF></x:xmpmeta>"#;
    for (name, sidecar) in [
        ("attribute.jpg", Some(attribute)),
        ("microsoft.jpg", Some(microsoft)),
        ("broken.jpg", Some("<x:xmpmeta><rdf:RDF")),
        ("embedded.jpg", None),
    ] {
        std::fs::copy(&src, photos.path().join(name)).unwrap();
        if let Some(xmp) = sidecar {
            std::fs::write(photos.path().join(format!("{name}.xmp")), xmp).unwrap();
        }
    }
    // Embedded: exiftool writes the attribute-form packet into a copy (never an original).
    let packet = photos.path().join("packet.xmp");
    std::fs::write(&packet, attribute).unwrap();
    let embed = Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            &format!("-xmp<={}", packet.display()),
        ])
        .arg(photos.path().join("embedded.jpg"))
        .output()
        .unwrap();
    assert!(
        embed.status.success(),
        "{}",
        String::from_utf8_lossy(&embed.stderr)
    );
    std::fs::remove_file(&packet).unwrap();

    let lib = tempfile::tempdir().unwrap();
    support::import_roster(
        lib.path(),
        "github,name\nkevin-wangzefeng,Kevin Wang\noctocat,Mona\n",
    );
    let report = ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    assert_eq!(
        report["indexed"], 4,
        "a broken sidecar does not fail its photo: {report}"
    );
    let faces = |name: &str| {
        ok(
            lib.path(),
            &[
                "faces",
                "list",
                photos.path().join(name).to_str().unwrap(),
                "--json",
            ],
        )
    };
    for name in ["attribute.jpg", "embedded.jpg"] {
        let f = faces(name);
        assert_eq!(
            f.as_array().unwrap().len(),
            1,
            "{name}: the whole-image box is skipped: {f}"
        );
        assert_eq!(
            f[0]["login"], "kevin-wangzefeng",
            "{name}: matched by display name"
        );
        assert_eq!(f[0]["source"], "imported");
        assert!((f[0]["x"].as_f64().unwrap() - 0.35).abs() < 1e-6);
    }
    let f = faces("microsoft.jpg");
    assert_eq!(
        (f[0]["login"].as_str(), f[0]["x"].as_f64()),
        (Some("octocat"), Some(0.1))
    );
    assert!(faces("broken.jpg").as_array().unwrap().is_empty());
}

/// HEICs whose pixels are stored turned (irot 270): one with EXIF 6 agreeing (an iPhone), one
/// with EXIF 1 against it (some Android phones). The regions whoiswho writes refer to the coded
/// image, before the file's transforms, with its size as `AppliedToDimensions` (exiftool's
/// `ImageSize`): digiKam decodes a HEIF that way (libheif's `ignore_transformations`) and turns
/// it by the EXIF orientation. Turned by the file's own transforms onto what `heif-convert`
/// shows, each region lands on the box drawn in the window: the red top-left corner.
#[test]
fn heic_sidecar_regions_refer_to_the_coded_image_and_land_on_the_corner() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core/tests/fixtures/phones");
    for (name, fixture) in [
        ("iphone.heic", "heic-orientation-6.heic"),
        ("android.heic", "heic-irot270-exif1.heic"),
    ] {
        std::fs::copy(fixtures.join(fixture), photos.path().join(name)).unwrap();
    }
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    let out = lib.path().join("xmp");
    for name in ["iphone.heic", "android.heic"] {
        let p = photos.path().join(name);
        // The red block: 32x24 px at the top-left of the 120x80 displayed picture.
        ok(
            lib.path(),
            &[
                "tag",
                p.to_str().unwrap(),
                "--box",
                "0.02,0.03,0.22,0.24",
                "octocat",
                "--json",
            ],
        );
    }
    let report = ok(
        lib.path(),
        &["export", "xmp", "--out", out.to_str().unwrap(), "--json"],
    );
    assert_eq!(report["written"], 2);
    for (name, exif_orientation) in [("iphone.heic", 6), ("android.heic", 1)] {
        let photo = photos.path().join(name);
        let meta = exiftool(&out.join(format!("{name}.xmp")));
        let dims = &meta["RegionInfo"]["AppliedToDimensions"];
        assert_eq!(
            (dims["W"].as_u64(), dims["H"].as_u64()),
            (Some(80), Some(120)),
            "{name}"
        );
        let file = Command::new("exiftool")
            .args(["-j", "-n", "-Orientation", "-ImageSize"])
            .arg(&photo)
            .output()
            .unwrap();
        let file: Value = serde_json::from_slice(&file.stdout).unwrap();
        assert_eq!(file[0]["Orientation"], exif_orientation, "{name}");
        assert_eq!(file[0]["ImageSize"], "80 120", "{name}: the coded size");
        let coded = top_left(&meta["RegionInfo"]["RegionList"][0]["Area"]);
        // The coded image is shown turned 90° clockwise (irot 270 = orientation 6).
        let shown_area = whoiswho_core::xmp::convert(
            whoiswho_core::faces::Region {
                x: coded[0],
                y: coded[1],
                w: coded[2],
                h: coded[3],
            },
            Orientation::from_exif(6).into(),
            whoiswho_core::xmp::Direction::StoredToDisplayed,
        );
        let area = [shown_area.x, shown_area.y, shown_area.w, shown_area.h];
        for (got, want) in area.iter().zip([0.02, 0.03, 0.22, 0.24]) {
            assert!((got - want).abs() < 1e-3, "{name}: {area:?}");
        }
        let shown = photos.path().join("shown.png");
        let status = Command::new("heif-convert")
            .arg(&photo)
            .arg(&shown)
            .output()
            .expect("heif-convert (libheif-examples) is installed by scripts/setup.sh");
        assert!(status.status.success(), "{status:?}");
        let shown = image::open(&shown).unwrap().to_rgb8();
        let face = crop(&shown, area);
        let mean = |c: usize| {
            face.pixels().map(|p| p.0[c] as f64).sum::<f64>()
                / (face.width() * face.height()) as f64
        };
        assert!(
            mean(0) > 200.0 && mean(1) < 60.0 && mean(2) < 60.0,
            "{name}: the region is not on the red corner: mean rgb {:.0} {:.0} {:.0}",
            mean(0),
            mean(1),
            mean(2)
        );
    }
}

#[test]
fn a_sidecar_that_cannot_be_read_or_is_no_file_is_left_alone_and_said() {
    let (lib, photos) = support::detected_library(&[
        ("groups/ul-9.jpg", "ul-9.jpg"),
        ("groups/ul-6.jpg", "ul-6.jpg"),
        ("groups/ul-16.jpg", "ul-16.jpg"),
    ]);
    // Beside ul-9: a link that cannot be followed (it points to itself); beside ul-6: a folder.
    let looped = photos.path().join("ul-9.jpg.xmp");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let folder = photos.path().join("ul-6.jpg.xmp");
    std::fs::create_dir(&folder).unwrap();
    let out = whoiswho(lib.path(), &["export", "xmp", "--json"]);
    let report = support::json_stdout(&out);
    assert_eq!(report["written"], 1, "ul-16's own sidecar: {report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{report}");
    for f in failed {
        let error = f["error"].as_str().unwrap();
        assert!(
            error.contains("left as it is") && error.contains("--out DIR"),
            "{error}"
        );
    }
    assert!(
        std::fs::symlink_metadata(&looped)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert!(folder.is_dir());
    assert!(!out.status.success(), "some photos failed: exit 1");
}
