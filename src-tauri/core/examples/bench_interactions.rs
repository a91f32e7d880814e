//! Interaction benchmark: a generated library of 5,000 photos and 50,000 faces (300 attendees,
//! 60% of faces tagged), and every interaction the tagging UI makes, timed the way the app
//! runs it (a pooled reader for reads, a fresh connection and one transaction for writes, and
//! the JSON serialization the IPC does). The budget is 100 ms per interaction; figures are
//! reported as p50 / p95 / max and as the share of that budget the p95 uses.
//!
//! cargo run --release -p whoiswho-core --example bench_interactions [PHOTOS] [FACES_PER_PHOTO]
//!     [--keep DIR]   (leaves the generated library in DIR, for the in-window benchmark)

use std::time::Instant;

#[path = "support/generated_library.rs"]
mod generated_library;

use generated_library::{generate, seed_previews};
use whoiswho_core::catalog::{FaceState, PhotoFilter};
use whoiswho_core::faces::{self, FaceDecision, Region};
use whoiswho_core::people::{save_person, Consent, PersonInput};
use whoiswho_core::Library;

const BUDGET_MS: f64 = 100.0;
const RUNS: usize = 40;

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let keep = raw
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| raw.get(i + 1))
        .map(std::path::PathBuf::from);
    let args: Vec<usize> = raw.iter().filter_map(|a| a.parse().ok()).collect();
    let photos = args.first().copied().unwrap_or(5_000);
    let per_photo = args.get(1).copied().unwrap_or(10);
    let people = 300;
    let dir = tempfile::tempdir().expect("temp dir");
    let lib_dir = keep.clone().unwrap_or_else(|| dir.path().join("lib"));
    if lib_dir.join(Library::DATABASE_FILE).exists() {
        panic!(
            "{} already holds a library; give an empty folder",
            lib_dir.display()
        );
    }
    let lib = Library::open(&lib_dir).expect("library");

    let started = Instant::now();
    let hashes = seed_previews(&lib, dir.path());
    generate(&lib, photos, per_photo, people, &hashes);
    eprintln!(
        "generated {photos} photos, {} faces, {people} attendees in {:.1} s",
        photos * per_photo,
        started.elapsed().as_secs_f64()
    );

    let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
    let mut bench = |name: &str, f: &mut dyn FnMut(usize) -> usize| {
        let mut times = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for i in 0..RUNS {
            let t = Instant::now();
            bytes = f(i);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        rows.push((format!("{name} ({} KB JSON)", bytes / 1024), times));
    };
    let json = |v: &dyn erased::Json| v.bytes();
    let login = |i: usize| format!("attendee-{:03}", i % people);
    // The seed photos come first; the generated ones follow.
    let first = 1 + hashes.len() as i64;
    let photo = |i: usize| first + ((i * 7919) % photos) as i64;

    bench("open the grid: all photos", &mut |_| {
        json(&lib.read(|c| c.photo_summaries()).expect("photos"))
    });
    bench("filter: photos with untagged faces", &mut |_| {
        let f = PhotoFilter {
            untagged: true,
            people: vec![],
        };
        json(
            &lib.read(|c| c.filtered_photo_summaries(&f))
                .expect("filter"),
        )
    });
    bench("person page: photos of @login", &mut |i| {
        let f = PhotoFilter {
            untagged: false,
            people: vec![login(i)],
        };
        json(
            &lib.read(|c| c.filtered_photo_summaries(&f))
                .expect("filter"),
        )
    });
    bench("filter: photos with @a and @b", &mut |i| {
        let f = PhotoFilter {
            untagged: false,
            people: vec![login(i), login(i + 1)],
        };
        json(
            &lib.read(|c| c.filtered_photo_summaries(&f))
                .expect("filter"),
        )
    });
    bench("people list: counts and best face", &mut |_| {
        json(&lib.read(|c| c.people()).expect("people"))
    });
    bench(
        "triage: head of the queue (240) and its length",
        &mut |_| json(&lib.read(|c| c.untagged_faces(240)).expect("queue").0),
    );
    bench("viewer: faces of a photo and who is who", &mut |i| {
        let faces = lib.read(|c| c.faces(photo(i))).expect("faces");
        json(&faces) + json(&faces::who_is_who(&faces, |_| true))
    });
    let first_face = |i: usize| -> (i64, i64) {
        let p = photo(i);
        let f = lib.read(|c| c.faces(p)).expect("faces");
        (p, f[0].id)
    };
    bench("typeahead: the core's offer for a query", &mut |i| {
        let p = photo(i);
        let query = ["k", "ke", "att", "attendee-1", ""][i % 5];
        let (roster, on_photo) = lib
            .read(|c| Ok((c.people()?, c.faces(p)?)))
            .expect("people and faces");
        json(&whoiswho_core::people::offer(
            &roster, query, &on_photo, None,
        ))
    });
    bench("tag a face (typeahead Enter)", &mut |i| {
        let (p, f) = first_face(i);
        let mut c = lib.catalog().expect("catalog");
        json(&faces::tag_face(&mut c, p, f, &login(i + 3)).expect("tag"))
    });
    bench("undo: set a face back", &mut |i| {
        let (p, f) = first_face(i);
        let mut c = lib.catalog().expect("catalog");
        let undo = FaceDecision::Set {
            face: f,
            login: None,
            state: FaceState::Unreviewed,
        };
        json(&faces::decide(&mut c, p, &undo).expect("set"))
    });
    bench("mark not a face (X)", &mut |i| {
        let (p, f) = first_face(i + 1);
        let mut c = lib.catalog().expect("catalog");
        json(&faces::decide(&mut c, p, &FaceDecision::NotAFace { face: f }).expect("mark"))
    });
    let mut drawn = Vec::new();
    bench("draw a box", &mut |i| {
        let mut c = lib.catalog().expect("catalog");
        let r = Region {
            x: 0.01,
            y: 0.01,
            w: 0.03,
            h: 0.04,
        };
        let draw = FaceDecision::Draw {
            region: r,
            login: None,
        };
        let change = faces::decide(&mut c, photo(i), &draw).expect("draw");
        drawn.push((photo(i), change.face_id));
        json(&change)
    });
    bench("move a box", &mut |i| {
        let (p, f) = drawn[i];
        let mut c = lib.catalog().expect("catalog");
        let r = Region {
            x: 0.02,
            y: 0.02,
            w: 0.03,
            h: 0.04,
        };
        let decision = FaceDecision::Move { face: f, region: r };
        json(&faces::decide(&mut c, p, &decision).expect("move"))
    });
    bench("delete a box", &mut |i| {
        let (p, f) = drawn[i];
        let mut c = lib.catalog().expect("catalog");
        json(&faces::decide(&mut c, p, &FaceDecision::Delete { face: f }).expect("delete"))
    });
    bench("edit an attendee", &mut |i| {
        let mut c = lib.catalog().expect("catalog");
        let input = PersonInput {
            login: login(i),
            name: Some(format!("Attendee {i}")),
            affiliation: Some("CNCF".into()),
            consent: Consent::Ok,
            lower_consent: false,
        };
        json(&save_person(&mut c, &input).expect("save").person)
    });
    bench(
        "face crop, first time (from the cached preview)",
        &mut |i| {
            let (_, f) = first_face(i + 11);
            lib.face_crop(f).expect("crop").len()
        },
    );
    bench("face crop, cached", &mut |i| {
        let (_, f) = first_face(i + 11);
        lib.face_crop(f).expect("crop").len()
    });

    println!("| interaction | p50 ms | p95 ms | max ms | p95 / 100 ms budget |");
    println!("|---|---|---|---|---|");
    for (name, mut t) in rows {
        t.sort_by(f64::total_cmp);
        let p = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.2} |",
            p(0.5),
            p(0.95),
            t[t.len() - 1],
            p(0.95) / BUDGET_MS
        );
    }
}

/// Serializes what the IPC would send back, and says how big it is.
mod erased {
    pub trait Json {
        fn bytes(&self) -> usize;
    }
    impl<T: serde::Serialize> Json for T {
        fn bytes(&self) -> usize {
            serde_json::to_vec(self).map(|v| v.len()).unwrap_or(0)
        }
    }
}
