//! A generated library for the benchmarks: photos whose previews are real (made from
//! `../shared/data/events`), and made-up faces, attendees and tags.
#![allow(dead_code)]

use std::path::Path;

use whoiswho_core::catalog::{FaceSource, FaceState, NewFace, PhotoRecord};
use whoiswho_core::faces::Region;
use whoiswho_core::imaging;
use whoiswho_core::people::{save_person, Consent, PersonInput};
use whoiswho_core::{CancelToken, Library};

/// Real previews made from `../shared/data/events`, cached under made-up content hashes that
/// the generated photos share, so face crops cut real pixels.
pub fn seed_previews(lib: &Library, scratch: &Path) -> Vec<String> {
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/events");
    let mut files: Vec<_> = std::fs::read_dir(&events)
        .expect("shared/data/events")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| imaging::has_image_extension(p))
        .collect();
    files.sort();
    let folder = scratch.join("seed");
    std::fs::create_dir_all(&folder).expect("seed folder");
    for f in files.iter().take(4) {
        std::fs::copy(f, folder.join(f.file_name().expect("name"))).expect("copy");
    }
    lib.index(
        &[folder],
        &CancelToken::new(),
        &whoiswho_core::progress::NoProgress,
    )
    .expect("index seed photos");
    lib.read(|c| {
        let ids: Vec<i64> = c.photo_summaries()?.iter().map(|p| p.id).collect();
        ids.iter()
            .map(|&id| Ok(c.photo_hash(id)?.unwrap_or_default()))
            .collect()
    })
    .expect("hashes")
}

pub fn generate(lib: &Library, photos: usize, per_photo: usize, people: usize, hashes: &[String]) {
    let mut c = lib.catalog().expect("catalog");
    c.write(|w| {
        let mut person_ids = Vec::with_capacity(people);
        for i in 0..people {
            let login = format!("attendee-{i:03}");
            let name = format!("Attendee {i}");
            person_ids.push(w.upsert_person(&login, Some(&name), None, None)?.0);
        }
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for p in 0..photos {
            let record = PhotoRecord {
                path: format!("/generated/event/IMG_{p:05}.jpg"),
                size: 4_000_000,
                mtime_ns: p as i64,
                hash: hashes[p % hashes.len()].clone(),
                format: "JPEG".into(),
                stored_width: 4000,
                stored_height: 2668,
                crop: None,
                width: 4000,
                height: 2668,
                orientation: 1,
                taken_at: Some(format!(
                    "2026-06-{:02}T10:{:02}:00+08:00",
                    1 + p % 3,
                    p % 60
                )),
                sort_time: format!(
                    "2026-06-{:02}T10:{:02}:{:02}",
                    1 + p % 3,
                    (p / 60) % 60,
                    p % 60
                ),
                camera: Some("Canon EOS R6".into()),
                lens: None,
                gps: None,
                metadata_warning: None,
            };
            let id = w.upsert_photo(None, &record)?;
            for k in 0..per_photo {
                let tagged = next() % 10 < 6;
                let person = tagged.then(|| person_ids[(next() % people as u64) as usize]);
                w.insert_face(
                    id,
                    &NewFace {
                        region: Region {
                            x: 0.05 + 0.09 * k as f64 % 0.9,
                            y: 0.2 + 0.05 * (k % 3) as f64,
                            w: 0.02 + (next() % 100) as f64 / 5000.0,
                            h: 0.03 + (next() % 100) as f64 / 5000.0,
                        },
                        score: Some(0.5 + (next() % 50) as f32 / 100.0),
                        landmarks: None,
                        source: FaceSource::Auto,
                        state: if tagged {
                            FaceState::Confirmed
                        } else {
                            FaceState::Unreviewed
                        },
                        person_id: person,
                    },
                )?;
            }
        }
        Ok::<_, whoiswho_core::CatalogError>(())
    })
    .expect("generate");
}

/// One attendee in ten (`attendee-000`, `-010`, …) chooses `no-publish`: the exports blur them.
pub fn no_publish_every_tenth(lib: &Library) {
    let mut catalog = lib.catalog().expect("catalog");
    for i in (0..300).step_by(10) {
        let input = PersonInput {
            login: format!("attendee-{i:03}"),
            name: Some(format!("Attendee {i}")),
            affiliation: None,
            consent: Consent::NoPublish,
            lower_consent: false,
        };
        save_person(&mut catalog, &input).expect("consent");
    }
}
