//! "Who is who" benchmark: the numbers placed on a crowd, and the legend figure of a 4000 px
//! photo against the plain figure of the same photo (the reference run), in one sitting.
//!
//! - Placing: 300 of the faces the face search finds on a 1024 px crowd of 308 faces of ~12 px
//!   (`groups/ul-26.jpg` at half size, 2x2, as `bench_faces` builds it; every face an
//!   obstacle), numbered in reading order; best of 20 runs. Budget: 50 ms.
//! - Figures: `events/kcs06.jpeg` (4000×2668), every face found named; the plain figure
//!   (`FigureOptions::default()`) is the reference, the legend figure (numbers, names beneath,
//!   the crop that holds the people) is timed against it; best of 5 each. Budget: 1.5×.
//!
//! cargo run --release -p whoiswho-core --example bench_who_is_who

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use whoiswho_core::export::{export_figure, FigureOptions, LegendText};
use whoiswho_core::faces::markers::{min_diameter, place, ToNumber};
use whoiswho_core::faces::{decide_all, reading_order, FaceDecision};
use whoiswho_core::jobs::{JobEvent, JobRequest, Jobs};
use whoiswho_core::people::import_roster;
use whoiswho_core::Library;

const CROWD: &str = "crowd-308.jpg";
const GROUP: &str = "events/kcs06.jpeg";
const NUMBERED: usize = 300;
const PLACE_BUDGET_MS: f64 = 50.0;
const FIGURE_BUDGET: f64 = 1.5;

/// ul-26 at half size, four times over.
fn crowd_of_308(from: &Path, to: &Path) {
    let full = image::open(from).expect("ul-26").to_rgb8();
    let (w, h) = (full.width() / 2, full.height() / 2);
    let tile = image::imageops::resize(&full, w, h, image::imageops::FilterType::Triangle);
    let mut mosaic = image::RgbImage::new(w * 2, h * 2);
    for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        image::imageops::replace(&mut mosaic, &tile, i64::from(i * w), i64::from(j * h));
    }
    mosaic.save(to).expect("the crowd");
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = checkout.join("../shared/data");
    let dir = tempfile::tempdir().expect("temp dir");
    let photos = dir.path().join("photos");
    std::fs::create_dir_all(&photos).expect("photos");
    std::fs::copy(shared.join(GROUP), photos.join("kcs06.jpeg")).expect("copy a photo");
    crowd_of_308(&shared.join("groups/ul-26.jpg"), &photos.join(CROWD));
    let library = Arc::new(Library::open(&dir.path().join("lib")).expect("library"));
    library
        .index(
            std::slice::from_ref(&photos),
            &whoiswho_core::progress::CancelToken::new(),
            &whoiswho_core::progress::NoProgress,
        )
        .expect("index");
    let models = whoiswho_core::models::Models::in_folder(
        &checkout.join("assets/models"),
        whoiswho_core::models::Remedy::SetUp {
            checkout: checkout.clone(),
        },
    );
    Jobs::new(library.clone(), models)
        .run(&JobRequest::FaceSearch { again: false }, &|_: JobEvent| {})
        .expect("face search");
    let photo = |name: &str| {
        library
            .catalog()
            .expect("catalog")
            .photo_summaries()
            .expect("photos")
            .into_iter()
            .find(|p| p.path.ends_with(name))
            .expect("indexed")
    };

    // Placing the numbers of the crowd's 300 largest faces.
    let crowd = photo(CROWD);
    let faces = library.read(|c| c.faces(crowd.id)).expect("faces");
    let mut by_size: Vec<_> = faces.iter().collect();
    by_size.sort_by(|a, b| (b.w * b.h).total_cmp(&(a.w * a.h)));
    let chosen: std::collections::HashSet<i64> =
        by_size.iter().take(NUMBERED).map(|f| f.id).collect();
    let regions: Vec<_> = faces.iter().map(|f| f.region()).collect();
    let (w, h) = (f64::from(crowd.width), f64::from(crowd.height));
    let numbered = || -> Vec<ToNumber> {
        reading_order(&faces)
            .iter()
            .filter(|p| chosen.contains(&p.face_id))
            .enumerate()
            .filter_map(|(i, p)| {
                let face = faces.iter().find(|f| f.id == p.face_id)?;
                Some(ToNumber {
                    face_id: p.face_id,
                    number: i as u32 + 1,
                    region: face.region(),
                    row: p.row,
                })
            })
            .collect()
    };
    let placed = place(w, h, &regions, &numbered(), min_diameter(w));
    let crowded = placed.iter().filter(|m| m.crowded).count();
    let numbers = numbered();
    let placing = best_of(20, || place(w, h, &regions, &numbers, min_diameter(w)));

    // The legend figure of a 4000 px photo against its plain figure.
    let group = photo("kcs06.jpeg");
    let mut roster = String::from("login,name,consent\n");
    let group_faces = library.read(|c| c.faces(group.id)).expect("faces");
    for i in 0..group_faces.len() {
        roster.push_str(&format!("person-{i:02},Person {i},ok\n"));
    }
    let mut catalog = library.catalog().expect("catalog");
    import_roster(&mut catalog, roster.as_bytes(), false).expect("roster");
    let names: Vec<(i64, FaceDecision)> = group_faces
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                group.id,
                FaceDecision::Tag {
                    face: f.id,
                    login: format!("person-{i:02}"),
                },
            )
        })
        .collect();
    decide_all(&mut catalog, &names).expect("names");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let plain = best_of(5, || {
        export_figure(
            &library,
            group.id,
            &out.join("plain.jpg"),
            &FigureOptions::default(),
        )
        .expect("plain figure")
    });
    let legend_options = FigureOptions {
        legend: Some(LegendText::default()),
        ..FigureOptions::default()
    };
    let mut size = (0, 0);
    let legend = best_of(5, || {
        let fig = export_figure(&library, group.id, &out.join("legend.jpg"), &legend_options)
            .expect("legend figure");
        size = (fig.width, fig.height);
    });

    println!(
        "placing the numbers of {} faces of {} ({} on the photo): {:.1} ms (budget {PLACE_BUDGET_MS} ms), {crowded} without a free place; {:.3}× the plain figure below",
        placed.len(),
        CROWD,
        faces.len(),
        placing * 1e3,
        placing / plain,
    );
    println!(
        "{GROUP} ({}×{}, {} faces named): plain figure {:.0} ms (reference), legend figure {:.0} ms ({}×{} px) = {:.2}× the plain figure (budget {FIGURE_BUDGET}×)",
        group.width,
        group.height,
        group_faces.len(),
        plain * 1e3,
        legend * 1e3,
        size.0,
        size.1,
        legend / plain,
    );
    let ok = placing * 1e3 <= PLACE_BUDGET_MS && legend / plain <= FIGURE_BUDGET;
    println!("{}", if ok { "within budget" } else { "OVER BUDGET" });
}
