//! Team benchmark: three laptops × 20,000 decisions on a generated 5,000-photo, 50,000-face
//! library (each laptop its own library with the same photos, as a team has), one team folder.
//!
//! Reports: how long a new teammate joining takes to catch up on all of it (budget 5 s); how
//! long one arriving decision takes to be applied by a teammate's sync (budget 50 ms); the team
//! folder's size per 10,000 decisions (aim ≤ 2 MB); how long a laptop takes to repair its log
//! after the sync tool cut it in half, and a teammate to read it again.
//!
//! cargo run --release -p whoiswho-core --example bench_team [-- DECISIONS_PER_LAPTOP PHOTOS]

use std::path::Path;
use std::time::Instant;

use whoiswho_core::catalog::{FaceSource, FaceState, NewFace, PhotoRecord};
use whoiswho_core::faces::{decide, FaceDecision, Region};
use whoiswho_core::team;
use whoiswho_core::Library;

const FACES_PER_PHOTO: usize = 10;
const PEOPLE: usize = 300;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let decisions = args.first().copied().unwrap_or(20_000);
    let photos = args.get(1).copied().unwrap_or(5_000);
    let scratch = tempfile::tempdir().expect("scratch");
    let folder = scratch.path().join("team");

    let started = Instant::now();
    let laptops: Vec<Library> = (0..3)
        .map(|i| laptop(&scratch.path().join(format!("laptop-{i}")), photos, i == 0))
        .collect();
    println!(
        "{} laptops with {photos} photos and {} faces each, made in {:.1} s",
        laptops.len(),
        photos * FACES_PER_PHOTO,
        started.elapsed().as_secs_f64()
    );
    for (i, lib) in laptops.iter().enumerate() {
        team::join(lib, &folder, ["pacoxu", "mengjiao", "kevin"][i]).expect("join");
    }

    // Each laptop decides: tags mostly, some untags and ignores.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (i, lib) in laptops.iter().enumerate() {
        let t = Instant::now();
        let mut catalog = lib.catalog().expect("catalog");
        let faces: Vec<(i64, i64)> = lib
            .read(|c| {
                let mut all = Vec::new();
                for p in c.photo_summaries()? {
                    for f in c.faces(p.id)? {
                        all.push((p.id, f.id));
                    }
                }
                Ok(all)
            })
            .expect("faces");
        for _ in 0..decisions {
            let (photo, face) = faces[rng.below(faces.len())];
            let decision = match rng.below(10) {
                0 => FaceDecision::Untag { face },
                1 => FaceDecision::Ignore { face },
                _ => FaceDecision::Tag {
                    face,
                    login: format!("attendee-{:03}", rng.below(PEOPLE)),
                },
            };
            decide(&mut catalog, photo, &decision).expect("decision");
        }
        let written = team::flush(lib).expect("flush").written;
        println!(
            "laptop {i}: {decisions} decisions in {:.1} s ({:.2} ms each, recorded for the team), {written} records written",
            t.elapsed().as_secs_f64(),
            t.elapsed().as_secs_f64() * 1e3 / decisions as f64
        );
    }
    let bytes = folder_size(&folder.join(team::ROOT));
    let total = (decisions * 3) as f64;
    println!(
        "team folder: {:.1} MB for {} decisions (and the roster): {:.2} MB per 10,000 decisions (aim ≤ 2 MB)",
        bytes as f64 / 1e6,
        decisions * 3,
        bytes as f64 / 1e6 / (total / 10_000.0)
    );

    // A new teammate joins and catches up on everything.
    let newcomer = laptop(&scratch.path().join("laptop-new"), photos, false);
    let t = Instant::now();
    let report = team::join(&newcomer, &folder, "newcomer").expect("join");
    println!(
        "a new teammate joining catches up on {} records in {:.2} s (budget 5 s); {} conflicts",
        report.read,
        t.elapsed().as_secs_f64(),
        report.conflicts
    );
    // The others catch up too, so one decision is all each later sync reads.
    for lib in &laptops {
        team::sync(lib).expect("sync");
    }

    // One decision arriving: made on one laptop, applied by another's sync.
    let (a, b) = (&laptops[0], &laptops[1]);
    let faces: Vec<(i64, i64)> = a
        .read(|c| {
            let p = c.photo_summaries()?;
            Ok(c.faces(p[0].id)?.iter().map(|f| (p[0].id, f.id)).collect())
        })
        .expect("faces");
    let mut times = Vec::new();
    for k in 0..30 {
        let (photo, face) = faces[k % faces.len()];
        decide(
            &mut a.catalog().expect("catalog"),
            photo,
            &FaceDecision::Tag {
                face,
                login: format!("attendee-{:03}", k),
            },
        )
        .expect("decision");
        team::flush(a).expect("flush");
        let t = Instant::now();
        let report = team::sync(b).expect("sync");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(report.applied >= 1, "{report:?}");
    }
    times.sort_by(f64::total_cmp);
    println!(
        "one arriving decision applied by a teammate's sync: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (budget 50 ms)",
        times[times.len() / 2],
        times[times.len() * 95 / 100],
        times[times.len() - 1]
    );

    // The sync tool cuts laptop 0's log in half: its next sync writes the lost half again, and
    // a teammate reads the file again from its start.
    let log = std::fs::read_dir(folder.join(team::ROOT))
        .expect("team folder")
        .flatten()
        .map(|e| e.path().join("log.jsonl"))
        .find(|p| {
            std::fs::read_to_string(p)
                .map(|t| t.lines().next().is_some_and(|h| h.contains("pacoxu")))
                .unwrap_or(false)
        })
        .expect("laptop 0's log");
    let text = std::fs::read(&log).expect("log");
    let records = text.iter().filter(|b| **b == b'\n').count() - 1;
    std::fs::write(&log, &text[..text.len() / 2]).expect("cut");
    let t = Instant::now();
    let report = team::sync(a).expect("sync");
    let repair = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let read = team::sync(b).expect("sync");
    println!(
        "a {records}-record log cut in half: {} records written again in {repair:.2} s; a teammate reads it again in {:.2} s ({} new records, {} errors)",
        report.repaired,
        t.elapsed().as_secs_f64(),
        read.read,
        read.errors.len()
    );
}

/// A library with the photos every laptop has (same content hashes, its own paths) and the
/// boxes every laptop's detector draws on them; the first also has the roster.
fn laptop(dir: &Path, photos: usize, roster: bool) -> Library {
    let lib = Library::open(dir).expect("library");
    let mut c = lib.catalog().expect("catalog");
    c.write(|w| {
        if roster {
            for i in 0..PEOPLE {
                w.upsert_person(
                    &format!("attendee-{i:03}"),
                    Some(&format!("Attendee {i}")),
                    None,
                    None,
                )?;
            }
        }
        for p in 0..photos {
            let hash = blake3::hash(format!("photo {p}").as_bytes())
                .to_hex()
                .to_string();
            let record = PhotoRecord {
                path: format!("{}/photos/IMG_{p:05}.jpg", dir.display()),
                size: 4_000_000,
                mtime_ns: p as i64,
                hash,
                format: "JPEG".into(),
                stored_width: 4000,
                stored_height: 2668,
                crop: None,
                width: 4000,
                height: 2668,
                orientation: 1,
                taken_at: None,
                sort_time: format!("2026-06-01T10:{:02}:{:02}", (p / 60) % 60, p % 60),
                camera: None,
                lens: None,
                gps: None,
                metadata_warning: None,
            };
            let id = w.upsert_photo(None, &record)?;
            // Searched for faces, as the face search leaves a photo.
            w.record_detection(id, &record.hash, "bench", None)?;
            for k in 0..FACES_PER_PHOTO {
                w.insert_face(
                    id,
                    &NewFace {
                        region: Region {
                            x: 0.02 + 0.095 * k as f64,
                            y: 0.3,
                            w: 0.05,
                            h: 0.08,
                        },
                        score: Some(0.9),
                        landmarks: None,
                        source: FaceSource::Auto,
                        state: FaceState::Unreviewed,
                        person_id: None,
                    },
                )?;
            }
        }
        Ok::<_, whoiswho_core::CatalogError>(())
    })
    .expect("generate");
    drop(c);
    lib
}

fn folder_size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        total += if path.is_dir() {
            folder_size(&path)
        } else {
            e.metadata().map(|m| m.len()).unwrap_or(0)
        };
    }
    total
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
