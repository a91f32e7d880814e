//! Consent through every export, table-driven: one photo carries a face for each case (ok,
//! no-tag, no-publish, unknown consent, hidden, untagged), and the figure, the "who is who"
//! image, the gallery and the XMP sidecar are checked in the bytes they write: who is named,
//! whose head is blurred. Also: a gallery whose face crop cannot be written still gives the
//! person a page, and says so.

mod common;

use std::path::{Path, PathBuf};

use common::{shared, TestLibrary};
use image::RgbImage;
use whoiswho_core::catalog::FaceState;
use whoiswho_core::export::{
    export_figure, export_gallery, export_sidecars, export_summary, FigureOptions, LegendText,
};
use whoiswho_core::faces::{decide, FaceDecision, Region};
use whoiswho_core::imaging::{decode_displayed, detect, Orientation};
use whoiswho_core::people::{save_person, Consent, PersonInput};

/// One consent case: the attendee, how their face ends up, and what every export must do.
struct Case {
    login: &'static str,
    name: &'static str,
    /// The face is named in exports.
    named: bool,
    /// The face's head is blurred in exported images.
    blurred: bool,
    /// The face is a region in the XMP sidecar.
    region: bool,
}

const CASES: [Case; 6] = [
    Case {
        login: "okay-person",
        name: "Okay Person",
        named: true,
        blurred: false,
        region: true,
    },
    Case {
        login: "quiet-person",
        name: "Quiet Person",
        named: false,
        blurred: false,
        region: true,
    },
    Case {
        login: "private-person",
        name: "Private Person",
        named: false,
        blurred: true,
        region: true,
    },
    Case {
        login: "mystery-person",
        name: "Mystery Person",
        named: false,
        blurred: true,
        region: true,
    },
    Case {
        login: "hidden-person",
        name: "Hidden Person",
        named: false,
        blurred: false,
        region: false,
    },
    Case {
        login: "",
        name: "",
        named: false,
        blurred: false,
        region: true,
    },
];

fn region(i: usize) -> Region {
    Region {
        x: 0.04 + 0.16 * i as f64,
        y: 0.3,
        w: 0.1,
        h: 0.14,
    }
}

fn attendee(cat: &mut whoiswho_core::catalog::Catalog, login: &str, name: &str, c: Consent) {
    let input = PersonInput {
        login: login.into(),
        name: Some(name.into()),
        affiliation: None,
        consent: c,
        lower_consent: false,
    };
    save_person(cat, &input).expect("attendee");
}

/// ul-9 with one drawn face per case, each brought to its state the way the app does.
fn library() -> (TestLibrary, i64, PathBuf) {
    let lib = TestLibrary::new();
    let dir = lib.folder("photos");
    common::copy_files(&shared("groups"), &["ul-9.jpg"], &dir);
    lib.index(&[&dir]);
    let photo = lib.photo("ul-9.jpg").id;
    let mut cat = lib.library.catalog().unwrap();
    for (i, case) in CASES.iter().enumerate() {
        let login = (!case.login.is_empty()).then(|| case.login.to_string());
        if let Some(login) = &login {
            attendee(&mut cat, login, case.name, Consent::Ok);
        }
        let drawn = decide(
            &mut cat,
            photo,
            &FaceDecision::Draw {
                region: region(i),
                login,
            },
        )
        .unwrap();
        if case.login == "hidden-person" {
            let face = drawn.face_id;
            let hide = FaceDecision::Set {
                face,
                login: Some(case.login.into()),
                state: FaceState::Ignored,
            };
            decide(&mut cat, photo, &hide).unwrap();
        }
    }
    attendee(&mut cat, "quiet-person", "Quiet Person", Consent::NoTag);
    attendee(
        &mut cat,
        "private-person",
        "Private Person",
        Consent::NoPublish,
    );
    drop(cat);
    // A consent this build cannot read (written by a newer one): the safe default applies.
    let db = rusqlite::Connection::open(lib.library.root().join("library.db")).unwrap();
    db.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         UPDATE people SET consent = 'ask-me-later' WHERE login = 'mystery-person';",
    )
    .unwrap();
    (lib, photo, dir.join("ul-9.jpg"))
}

/// The photo upright at `long_side`, unblurred: what an export starts from.
fn original(path: &Path, long_side: u32) -> RgbImage {
    let bytes = std::fs::read(path).unwrap();
    let format = detect(path, &bytes).unwrap();
    decode_displayed(&bytes, format, Orientation::Normal, long_side).unwrap()
}

/// Mean absolute difference of the middle of a face's box between two images of the same size.
fn change_in(a: &RgbImage, b: &RgbImage, r: Region) -> f64 {
    let (w, h) = (a.width() as f64, a.height() as f64);
    let (x0, y0) = ((r.x + r.w * 0.25) * w, (r.y + r.h * 0.25) * h);
    let (x1, y1) = ((r.x + r.w * 0.75) * w, (r.y + r.h * 0.75) * h);
    let (mut sum, mut n) = (0.0, 0.0);
    for y in y0 as u32..y1 as u32 {
        for x in x0 as u32..x1 as u32 {
            let (p, q) = (a.get_pixel(x, y), b.get_pixel(x, y));
            for c in 0..3 {
                sum += (p[c] as f64 - q[c] as f64).abs();
                n += 1.0;
            }
        }
    }
    sum / n
}

/// Checks names and blurring in an exported image and the texts written with it.
fn check_image_and_text(what: &str, image: &RgbImage, reference: &RgbImage, text: &str) {
    for (i, case) in CASES.iter().enumerate() {
        if !case.login.is_empty() {
            let named = text.contains(case.login) || text.contains(case.name);
            assert_eq!(named, case.named, "{what}: is @{} named?", case.login);
        }
        let change = change_in(image, reference, region(i));
        assert_eq!(
            change > 12.0,
            case.blurred,
            "{what}: is face {i} (@{}) blurred? mean change {change:.1}",
            case.login
        );
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_consent_case_reaches_every_export_the_same_way() {
    let (lib, photo, path) = library();
    let out = tempfile::tempdir().unwrap();

    // The figure: image, alt, caption and snippets.
    let figure = out.path().join("figure.png");
    let opts = FigureOptions {
        long_side: 1024,
        ..FigureOptions::default()
    };
    let fig = export_figure(&lib.library, photo, &figure, &opts).unwrap();
    let image = image::open(&figure).unwrap().to_rgb8();
    let reference = original(&path, 1024);
    assert_eq!(image.dimensions(), reference.dimensions());
    let text = format!("{}\n{}\n{}\n{}", fig.alt, fig.caption, fig.hugo, fig.html);
    check_image_and_text("figure", &image, &reference, &text);
    assert_eq!(fig.blurred, 2);

    // The "who is who" image: the legend names only who may be named.
    let legend_file = out.path().join("legend.png");
    let with_legend = FigureOptions {
        legend: Some(LegendText::default()),
        ..opts.clone()
    };
    let fig = export_figure(&lib.library, photo, &legend_file, &with_legend).unwrap();
    let legend = fig.legend.expect("a legend");
    let logins: Vec<&str> = legend.lines.iter().map(|l| l.login.as_str()).collect();
    assert_eq!(logins, ["okay-person"]);
    let image = image::open(&legend_file).unwrap().to_rgb8();
    let top =
        image::imageops::crop_imm(&image, 0, 0, reference.width(), reference.height()).to_image();
    let names: Vec<String> = legend.lines.iter().map(|l| l.login.clone()).collect();
    check_image_and_text("legend", &top, &reference, &names.join(" "));

    // The gallery: every page and file it writes.
    let gallery = out.path().join("gallery");
    let report = export_gallery(&lib.library, &gallery, Some("Consent"), None).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.blurred, 2);
    let mut text = String::new();
    for file in files_under(&gallery) {
        text.push_str(&String::from_utf8_lossy(&std::fs::read(&file).unwrap()));
    }
    let page_image = image::open(gallery.join(format!("img/{photo}.jpg")))
        .unwrap()
        .to_rgb8();
    let reference = original(&path, page_image.width().max(page_image.height()));
    check_image_and_text("gallery", &page_image, &reference, &text);

    // The XMP sidecar: names, and a region for every visible face.
    let xmp_dir = out.path().join("xmp");
    let sidecars = export_sidecars(&lib.library, Some(&xmp_dir)).unwrap();
    assert_eq!(sidecars.written, 1);
    assert_eq!(sidecars.unnamed, 2, "the blurred faces go unnamed");
    let xmp = std::fs::read_to_string(xmp_dir.join("ul-9.jpg.xmp")).unwrap();
    for case in &CASES {
        if !case.login.is_empty() {
            let named = xmp.contains(case.login) || xmp.contains(case.name);
            assert_eq!(named, case.named, "xmp: is @{} named?", case.login);
        }
    }
    let regions = xmp.matches("mwg-rs:Type=\"Face\"").count()
        + xmp.matches("<mwg-rs:Type>Face</mwg-rs:Type>").count();
    assert_eq!(regions, CASES.iter().filter(|c| c.region).count(), "{xmp}");

    // The dry run says the same before anything is written.
    let summary = export_summary(&lib.library).unwrap();
    assert_eq!(
        (
            summary.named_people,
            summary.blurred_people,
            summary.blurred_faces
        ),
        (1, 2, 2)
    );
}

#[test]
fn a_person_whose_crop_cannot_be_made_still_gets_a_page_and_the_report_says_so() {
    let (lib, _, _) = library();
    let gallery = tempfile::tempdir().unwrap();
    // Something that is not a file sits where the crop goes: it cannot be written.
    std::fs::create_dir_all(gallery.path().join("faces/okay-person.jpg/in-the-way")).unwrap();
    let report = export_gallery(&lib.library, gallery.path(), None, None).unwrap();
    assert_eq!(report.people, 1);
    assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
    let failure = &report.failed[0];
    assert_eq!(failure.path, "faces/okay-person.jpg");
    assert!(failure.error.contains("@okay-person"), "{}", failure.error);
    let page = std::fs::read_to_string(gallery.path().join("person-okay-person.html")).unwrap();
    assert!(page.contains("Okay Person"), "{page}");
    assert!(!page.contains("faces/okay-person.jpg"), "{page}");
    let people = std::fs::read_to_string(gallery.path().join("people.html")).unwrap();
    assert!(
        people.contains("href=\"person-okay-person.html\""),
        "{people}"
    );
    assert!(people.contains("class=\"initial\""), "{people}");
    // Every link to a person page leads to a page that exists.
    for file in files_under(gallery.path()) {
        if file.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&file).unwrap();
            for link in html.split("href=\"person-").skip(1) {
                let target = format!("person-{}", link.split('"').next().unwrap());
                assert!(
                    gallery.path().join(&target).is_file(),
                    "{} links to {target}",
                    file.display()
                );
            }
        }
    }
}
