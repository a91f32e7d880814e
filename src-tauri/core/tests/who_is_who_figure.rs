//! The "who is who" figure a reader can read, proved on its own geometry (`legend` in the
//! export's answer, in output pixels) for every group and event photo: no marker overlaps
//! another, none covers a face, each is at least 16 px across when the image is shown 800 px
//! wide; the crop is people; the rows are listed back to front. Every face is named, but on the
//! crowds (ul-1, ul-26 and a crowd of 308), where one in four is (the rest are obstacles, not
//! numbered).

mod common;

use common::{shared, TestLibrary};
use whoiswho_core::export::{export_figure, Crop, FigureOptions, LegendText, PhotoArea};
use whoiswho_core::faces::{decide_all, FaceDecision};
use whoiswho_core::people::import_roster;

fn overlap(a: [f64; 4], b: [f64; 4]) -> f64 {
    let w = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let h = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 {
        w * h
    } else {
        0.0
    }
}

/// Whether a marker (a disc in its box) touches a rectangle.
fn disc_meets(m: [f64; 4], r: [f64; 4]) -> bool {
    let (cx, cy, rad) = (m[0] + m[2] / 2.0, m[1] + m[3] / 2.0, m[2] / 2.0);
    let nx = cx.clamp(r[0], r[0] + r[2]);
    let ny = cy.clamp(r[1], r[1] + r[3]);
    (cx - nx).hypot(cy - ny) < rad - 0.5
}

fn rect(v: &serde_json::Value) -> [f64; 4] {
    ["x", "y", "w", "h"].map(|k| v[k].as_f64().unwrap())
}

/// A 1024 px crowd of 308 faces of about 12 px: ul-26 at half size, four times over (as
/// `bench_faces` builds it).
fn crowd_of_308(to: &std::path::Path) {
    let full = image::open(shared("groups/ul-26.jpg")).unwrap().to_rgb8();
    let (w, h) = (full.width() / 2, full.height() / 2);
    let tile = image::imageops::resize(&full, w, h, image::imageops::FilterType::Triangle);
    let mut mosaic = image::RgbImage::new(w * 2, h * 2);
    for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        image::imageops::replace(&mut mosaic, &tile, i64::from(i * w), i64::from(j * h));
    }
    mosaic.save(to).unwrap();
}

#[test]
fn markers_cover_no_face_and_no_marker_on_every_group_and_event_photo() {
    let lib = TestLibrary::new();
    let photos = lib.folder("photos");
    let groups = [
        "ul-1.jpg",
        "ul-6.jpg",
        "ul-9.jpg",
        "ul-10.jpg",
        "ul-11.jpg",
        "ul-15.jpg",
        "ul-16.jpg",
        "ul-20.jpg",
        "ul-26.jpg",
    ];
    let events = [
        "kcs03.jpeg",
        "kcs06.jpeg",
        "kcd-ny-2026-team.jpg",
        "kcd-ny-2026-attendees-networking.jpg",
    ];
    common::copy_files(&shared("groups"), &groups, &photos);
    crowd_of_308(&photos.join("crowd-308.jpg"));
    common::copy_files(&shared("events"), &events, &photos);
    lib.index(&[&photos]);
    let laptop = common::laptop::Laptop {
        lib,
        photos: photos.clone(),
    };
    laptop.search_faces();
    let lib = &laptop.lib;
    let mut roster = String::from("login,consent\n");
    for i in 0..400 {
        roster.push_str(&format!("person-{i:03},ok\n"));
    }
    import_roster(
        &mut lib.library.catalog().unwrap(),
        roster.as_bytes(),
        false,
    )
    .unwrap();
    let out = lib.dir.path().join("figures");
    std::fs::create_dir_all(&out).unwrap();
    let mut next = 0;
    for name in groups.iter().chain(&events).chain(&["crowd-308.jpg"]) {
        let photo = lib.photo(name);
        let faces = lib.library.read(|c| c.faces(photo.id)).unwrap();
        // Every face named, but on the crowds (ul-1, ul-26) one in four.
        let crowd = faces.len() > 40;
        let decisions: Vec<(i64, FaceDecision)> = faces
            .iter()
            .enumerate()
            .filter(|(i, _)| !crowd || i % 4 == 0)
            .map(|(_, f)| {
                next += 1;
                (
                    photo.id,
                    FaceDecision::Tag {
                        face: f.id,
                        login: format!("person-{:03}", next % 400),
                    },
                )
            })
            .collect();
        let named = decisions.len();
        decide_all(&mut lib.library.catalog().unwrap(), &decisions).unwrap();
        let fig = export_figure(
            &lib.library,
            photo.id,
            &out.join(format!("{name}.png")),
            &FigureOptions {
                legend: Some(LegendText::default()),
                crop: Crop::People { aspect: None },
                ..FigureOptions::default()
            },
        )
        .unwrap();
        let legend = serde_json::to_value(fig.legend.as_ref().unwrap()).unwrap();
        let markers: Vec<[f64; 4]> = legend["markers"]
            .as_array()
            .unwrap()
            .iter()
            .map(rect)
            .collect();
        let boxes: Vec<[f64; 4]> = legend["faces"]
            .as_array()
            .unwrap()
            .iter()
            .map(rect)
            .collect();
        assert_eq!(markers.len(), named, "{name}: a marker per named face");
        let width = match &fig.legend.as_ref().unwrap().photo {
            PhotoArea::Whole(a) => a.w,
            PhotoArea::Panels(p) => p.iter().map(|a| a.w).fold(0.0, f64::max),
        };
        let smallest = 16.0 * width / 800.0;
        for (i, m) in markers.iter().enumerate() {
            assert!(
                m[2] >= smallest - 0.01,
                "{name}: marker {i} is {} px, under {smallest}",
                m[2]
            );
            for (j, o) in markers.iter().enumerate().skip(i + 1) {
                assert!(
                    overlap(*m, *o) < 1.0 || {
                        let (a, b) = (
                            (m[0] + m[2] / 2.0, m[1] + m[3] / 2.0),
                            (o[0] + o[2] / 2.0, o[1] + o[3] / 2.0),
                        );
                        (a.0 - b.0).hypot(a.1 - b.1) >= m[2] / 2.0 + o[2] / 2.0
                    },
                    "{name}: markers {i} and {j} overlap"
                );
            }
            for b in &boxes {
                assert!(
                    !disc_meets(*m, *b),
                    "{name}: marker {i} covers a face {b:?}"
                );
            }
        }
        let areas = match &fig.legend.as_ref().unwrap().photo {
            PhotoArea::Whole(a) => vec![*a],
            PhotoArea::Panels(p) => p.clone(),
        };
        for a in &areas {
            let inside: Vec<&[f64; 4]> = boxes
                .iter()
                .filter(|b| {
                    let (cx, cy) = (b[0] + b[2] / 2.0, b[1] + b[3] / 2.0);
                    cx >= a.x && cx <= a.x + a.w && cy >= a.y && cy <= a.y + a.h
                })
                .collect();
            let Some(top) = inside.iter().min_by(|p, q| p[1].total_cmp(&q[1])) else {
                continue;
            };
            let low = inside
                .iter()
                .max_by(|p, q| (p[1] + p[3]).total_cmp(&(q[1] + q[3])))
                .unwrap();
            let above = (top[1] - 1.5 * top[3] - a.y).max(0.0);
            let below = (a.y + a.h - (low[1] + low[3] + 10.0 * low[3])).max(0.0);
            let empty = (above + below) / a.h;
            assert!(
                empty <= 0.25,
                "{name}: {:.0}% of the photo is far above or below the people",
                empty * 100.0
            );
        }
        let rows = legend["rows"].as_array().unwrap();
        let listed: usize = rows.iter().map(|r| r.as_array().unwrap().len()).sum();
        assert_eq!(listed, named, "{name}: every numbered face in a row");
        eprintln!(
            "{name}: {} faces, {named} numbered, {} rows, {}×{} px, markers {:.0} px",
            faces.len(),
            rows.len(),
            fig.width,
            fig.height,
            markers.first().map_or(0.0, |m| m[2]),
        );
        if std::env::var_os("WHOISWHO_KEEP_FIGURES").is_some() {
            let keep = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
            std::fs::create_dir_all(&keep).unwrap();
            std::fs::copy(
                out.join(format!("{name}.png")),
                keep.join(format!("who-is-who-{name}.png")),
            )
            .unwrap();
        }
    }
}
