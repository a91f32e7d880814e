//! Claims benchmark: a generated library of 5,000 photos (10 faces each, 300 attendees) and
//! 2,000 answers shaped as `gh issue list --json` prints them, each pointing at a face by photo
//! content and box (the generated photos share four contents, so every answer is matched
//! among 1,250 photos of the same content). Timed: the import, the same import again, the
//! claims list, and a photo's faces (what the viewer asks on every key) before and after the
//! claims, against the 100 ms budget per key.
//!
//! cargo run --release -p whoiswho-core --example bench_claims [CLAIMS]

#[path = "support/generated_library.rs"]
mod generated_library;

use std::time::Instant;

use generated_library::{generate, seed_previews};
use serde_json::json;
use whoiswho_core::claims::{self, FaceRef};
use whoiswho_core::Library;

const BUDGET_IMPORT_S: f64 = 2.0;
const BUDGET_KEY_MS: f64 = 100.0;
const RUNS: usize = 200;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(&dir.path().join("lib")).expect("library");
    let hashes = seed_previews(&lib, dir.path());
    generate(&lib, 5000, 10, 300, &hashes);
    let first = 1 + hashes.len() as i64;
    let photo = |i: usize| first + ((i * 7919) % 5000) as i64;
    let faces_ms = |lib: &Library| {
        let mut times: Vec<f64> = (0..RUNS)
            .map(|i| {
                let t = Instant::now();
                let faces = lib.read(|c| c.faces(photo(i))).expect("faces");
                let _ = serde_json::to_vec(&faces).expect("json");
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        (times[RUNS / 2], times[RUNS * 95 / 100])
    };
    let before = faces_ms(&lib);

    // Answers to faces of distinct photos: a self-claim every third, the rest naming attendees.
    let mut issues = Vec::with_capacity(count);
    for i in 0..count {
        let id = photo(i);
        let (hash, face) = lib
            .read(|c| {
                Ok((
                    c.photo_hash(id)?.unwrap_or_default(),
                    c.faces(id)?.remove(i % 10),
                ))
            })
            .expect("face");
        let reference = FaceRef {
            hash,
            region: face.region(),
        };
        let author = format!("visitor-{i}");
        let who = if i % 3 == 0 {
            "me".to_string()
        } else {
            format!("@attendee-{:03}", i % 300)
        };
        issues.push(json!({
            "author": {"login": author, "is_bot": false},
            "body": format!("Who is this?\n\nWho: {who}\n\nConsent: ok\n\nFace: `{}`\n\nThe organizers review every answer.", reference.text()),
            "createdAt": "2026-06-12T10:00:00Z",
            "number": i + 1,
            "title": "Who is this?",
            "url": format!("https://github.com/o/r/issues/{}", i + 1),
        }));
    }
    let file = dir.path().join("issues.json");
    std::fs::write(&file, serde_json::to_vec(&issues).expect("json")).expect("write");

    let t = Instant::now();
    let report = claims::import_file(&lib, &file, None).expect("import");
    let import = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = claims::import_file(&lib, &file, None).expect("import again");
    let reimport = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let listed = claims::list(&lib).expect("list");
    let list = t.elapsed().as_secs_f64();
    let after = faces_ms(&lib);

    println!("| {count} answers into 5,000 photos | seconds | budget | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| `claims import` ({} claims, {} errors) | {import:.2} | {BUDGET_IMPORT_S:.0} s | {:.2} |",
        report.claims,
        report.errors.len(),
        import / BUDGET_IMPORT_S
    );
    println!(
        "| the same file again ({} claims, nothing changed) | {reimport:.2} | | {:.2} of the first |",
        again.claims,
        reimport / import
    );
    println!(
        "| `claims list` ({} claims) | {list:.3} | | |",
        listed.len()
    );
    println!();
    println!("| a photo's faces, as the viewer asks per key ({RUNS} photos) | p50 ms | p95 ms | share of 100 ms |");
    println!("|---|---|---|---|");
    println!(
        "| before the answers (reference) | {:.2} | {:.2} | {:.3} |",
        before.0,
        before.1,
        before.1 / BUDGET_KEY_MS
    );
    println!(
        "| with {count} answers | {:.2} | {:.2} | {:.3} ({:.2}× the reference p95) |",
        after.0,
        after.1,
        after.1 / BUDGET_KEY_MS,
        after.1 / before.1
    );
}
