//! Gallery export benchmark: a generated library of 1,000 photos (real ~2048 px previews made
//! from `../shared/data/events`, 10 faces each, 300 attendees, one in ten `no-publish`), exported
//! to a gallery of 2,000 px images; then the same export again with nothing changed, and with
//! one photo's people (so its caption) changed. Budgets: 60 s for the first export, 3 s for the
//! re-export.
//!
//! cargo run --release -p whoiswho-core --example bench_gallery [PHOTOS]

#[path = "support/generated_library.rs"]
mod generated_library;

use std::time::Instant;

use generated_library::{generate, seed_previews};
use whoiswho_core::export::export_gallery;
use whoiswho_core::faces;
use whoiswho_core::Library;

fn main() {
    let photos: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(&dir.path().join("lib")).expect("library");
    let hashes = seed_previews(&lib, dir.path());
    generate(&lib, photos, 10, 300, &hashes);
    generated_library::no_publish_every_tenth(&lib);
    let mut catalog = lib.catalog().expect("catalog");
    let out = dir.path().join("gallery");
    let threads = rayon::current_num_threads();

    let t = Instant::now();
    let first = export_gallery(&lib, &out, Some("Generated summit"), None).expect("export");
    let full = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let same = export_gallery(&lib, &out, Some("Generated summit"), None).expect("re-export");
    let unchanged = t.elapsed().as_secs_f64();
    // One photo's people change: a face is tagged, so its caption and alt text change.
    let first_generated = 1 + hashes.len() as i64;
    let face = lib.read(|c| c.faces(first_generated)).expect("faces")[0].id;
    faces::tag_face(&mut catalog, first_generated, face, "attendee-001").expect("tag");
    let t = Instant::now();
    let changed = export_gallery(&lib, &out, Some("Generated summit"), None).expect("re-export");
    let one = t.elapsed().as_secs_f64();

    println!("| gallery of {photos} photos ({threads} threads) | seconds | files written | budget | ratio |");
    println!("|---|---|---|---|---|");
    println!(
        "| first export (2,000 px images + thumbnails + pages) | {full:.1} | {} | 60 s | {:.2} |",
        first.written,
        full / 60.0
    );
    println!(
        "| re-export, nothing changed | {unchanged:.2} | {} | 3 s | {:.2} |",
        same.written,
        unchanged / 3.0
    );
    println!(
        "| re-export, one photo's caption changed | {one:.2} | {} | 3 s | {:.2} |",
        changed.written,
        one / 3.0
    );
    println!(
        "({} heads blurred, {} people pages)",
        first.blurred, first.people
    );
}
