//! Recognition benchmark.
//!
//! 1. On ../shared/data/identity (25 photos, 13 people, labels in LABELS.csv): index, search for
//!    faces, embed (faces per second, and ms per face on one core), then, before anyone is
//!    named, the purity of the groups; then name the first photo (by file name) of each person
//!    seen in two or more photos and report the suggestions on every other labelled face: right,
//!    wrong, none; and any suggestion on the people seen only once (each one a wrong
//!    suggestion).
//! 2. At scale, on a generated library (5,000 photos, 50,000 faces, 60% tagged by 300 people,
//!    with made-up embeddings clustered per person): the time of a full refresh, and of one tag
//!    with everything it updates (the budget is 100 ms from key to screen).
//!
//! cargo run --release -p whoiswho-core --example bench_recognition [-- PHOTOS FACES_PER_PHOTO]

#[path = "support/generated_library.rs"]
mod generated_library;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use whoiswho_core::catalog::EmbeddingsOf;
use whoiswho_core::catalog::{AlignedBy, EmbeddingRecord, Face};
use whoiswho_core::faces::{decide, search_photo, FaceDecision, FaceDetector, Region};
use whoiswho_core::imaging::Orientation;
use whoiswho_core::jobs::{embed_library, search_library};
use whoiswho_core::progress::NoProgress;
use whoiswho_core::recognition::{align, Embedding, FaceEmbedder, EMBEDDING_LEN, MODEL_VERSION};
use whoiswho_core::suggestions::{self, AVATAR_SUGGEST_AT, GROUP_AT, MEMBER_FLOOR, SUGGEST_AT};
use whoiswho_core::{CancelToken, Library};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let models = whoiswho_core::models::Models::in_folder(
        &root.join("assets/models"),
        whoiswho_core::models::Remedy::SetUp {
            checkout: root.clone(),
        },
    );
    let detector = FaceDetector::load(&models).unwrap_or_else(|e| panic!("{e}"));
    let embedder = FaceEmbedder::load(&models).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "thresholds: suggest at cosine {SUGGEST_AT}, group at average cosine {GROUP_AT} with no member under {MEMBER_FLOOR}"
    );
    identity(&root.join("../shared/data/identity"), &detector, &embedder);
    let photos = args.first().copied().unwrap_or(5_000);
    let per_photo = args.get(1).copied().unwrap_or(10);
    at_scale(photos, per_photo);
}

struct Label {
    file: String,
    login: String,
    /// x, y, w, h in the photo's pixels; `None` for the only face of the photo.
    hint: Option<[f64; 4]>,
}

/// A photo as displayed, at most 1920 px, as the embedding job sees it.
fn displayed(path: &Path, exif_orientation: u32) -> image::RgbImage {
    let bytes = std::fs::read(path).expect("read");
    let format = whoiswho_core::imaging::detect(path, &bytes).expect("format");
    whoiswho_core::imaging::decode_displayed(
        &bytes,
        format,
        whoiswho_core::imaging::Orientation::from_exif(exif_orientation),
        1920,
    )
    .expect("decode")
}

fn labels(dir: &Path) -> Vec<Label> {
    let mut reader = csv::Reader::from_path(dir.join("LABELS.csv")).expect("LABELS.csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("label row");
            let hint: Vec<f64> = r[3]
                .split(',')
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            Label {
                file: r[0].to_string(),
                login: r[2].to_string(),
                hint: (hint.len() == 4).then(|| [hint[0], hint[1], hint[2], hint[3]]),
            }
        })
        .collect()
}

fn identity(dir: &Path, detector: &FaceDetector, embedder: &FaceEmbedder) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(&scratch.path().join("lib")).expect("library");
    let cancel = CancelToken::new();
    lib.index(&[dir.to_path_buf()], &cancel, &NoProgress)
        .expect("index");
    search_library(&lib, detector, &cancel, &NoProgress).expect("face search");
    let started = Instant::now();
    let report = embed_library(&lib, embedder, detector, &cancel, &NoProgress).expect("embed");
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "identity: {} faces embedded in {:.2} s: {:.1} faces/s on {} cores (one photo at a time; the faces of a photo in parallel)",
        report.embedded,
        elapsed,
        report.embedded as f64 / elapsed,
        rayon::current_num_threads()
    );
    one_core_speed(dir, detector, embedder);
    crowded_photos(&dir.join(".."), detector, embedder);

    // Which catalog face each label is.
    let mut catalog = lib.catalog().expect("catalog");
    let mut face_of: Vec<(i64, i64, String, String)> = Vec::new(); // photo, face, login, file
    for label in labels(dir) {
        let path = dir.join(&label.file);
        let photo = lib
            .resolve_photo(&path.display().to_string())
            .expect("labelled photo indexed");
        let details = catalog.photo_details(photo).expect("details");
        let faces = catalog.faces(photo).expect("faces");
        let chosen = match label.hint {
            None => faces
                .iter()
                .max_by(|a, b| (a.w * a.h).total_cmp(&(b.w * b.h))),
            Some([x, y, w, h]) => {
                let (pw, ph) = (details.width as f64, details.height as f64);
                let hint = Region {
                    x: x / pw,
                    y: y / ph,
                    w: w / pw,
                    h: h / ph,
                };
                faces
                    .iter()
                    .map(|f| (f, f.region().iou(&hint)))
                    .filter(|(_, iou)| *iou > 0.2)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(f, _)| f)
            }
        };
        match chosen {
            Some(f) => face_of.push((photo, f.id, label.login.clone(), label.file.clone())),
            None => println!(
                "  label {} of {} matches no face found",
                label.login, label.file
            ),
        }
    }
    let login_of: HashMap<i64, String> =
        face_of.iter().map(|(_, f, l, _)| (*f, l.clone())).collect();
    pair_similarities(&catalog, &login_of);

    // Groups before anyone is named.
    let groups = suggestions::groups(&catalog).expect("groups");
    let (mut same, mut different) = (0, 0);
    for g in &groups {
        let known: Vec<&String> = g
            .faces
            .iter()
            .filter_map(|f| login_of.get(&f.face))
            .collect();
        for i in 0..known.len() {
            for j in i + 1..known.len() {
                if known[i] == known[j] {
                    same += 1
                } else {
                    different += 1
                }
            }
        }
    }
    let grouped: usize = groups.iter().map(|g| g.size as usize).sum();
    println!(
        "groups before naming: {} groups holding {} faces; pairs of labelled faces in one group: {} same person, {} different: purity {:.1}%",
        groups.len(),
        grouped,
        same,
        different,
        100.0 * same as f64 / (same + different).max(1) as f64
    );

    avatars_before_naming(&lib, &face_of, detector, embedder);

    // Name the first photo of each person seen in two or more photos.
    let mut by_login: HashMap<&str, Vec<&(i64, i64, String, String)>> = HashMap::new();
    for entry in &face_of {
        by_login.entry(&entry.2).or_default().push(entry);
    }
    let mut named = Vec::new();
    let mut tag_ms = Vec::new();
    for entries in by_login.values_mut() {
        entries.sort_by(|a, b| a.3.cmp(&b.3));
        if entries.len() >= 2 {
            let (photo, face, login, _) = entries[0];
            let t = Instant::now();
            decide(
                &mut catalog,
                *photo,
                &FaceDecision::Tag {
                    face: *face,
                    login: login.clone(),
                },
            )
            .expect("tag");
            tag_ms.push(t.elapsed().as_secs_f64() * 1e3);
            named.push(*face);
        }
    }
    let Counts {
        right,
        wrong,
        none,
        once,
        once_wrong,
    } = count_suggestions(&catalog, &face_of, &named, "");
    let others = right + wrong + none;
    println!(
        "named {} people by one face each ({:.1} ms per tag with its refresh); on their {} other faces: {} right, {} wrong, {} none: precision {:.1}%, recall {:.1}%",
        named.len(),
        tag_ms.iter().sum::<f64>() / tag_ms.len().max(1) as f64,
        others,
        right,
        wrong,
        none,
        100.0 * right as f64 / (right + wrong).max(1) as f64,
        100.0 * right as f64 / others.max(1) as f64
    );
    println!("people seen once ({once} faces): {once_wrong} wrong suggestions");
}

/// Cosine similarity of every pair of labelled faces: where same-person pairs and strangers
/// lie, which the thresholds are calibrated on.
fn pair_similarities(catalog: &whoiswho_core::catalog::Catalog, login_of: &HashMap<i64, String>) {
    let ids: Vec<i64> = login_of.keys().copied().collect();
    let stored = catalog
        .embeddings(EmbeddingsOf::Faces(&ids))
        .expect("embeddings");
    let vectors: Vec<(String, Embedding)> = stored
        .iter()
        .filter_map(|s| {
            Some((
                login_of.get(&s.face_id)?.clone(),
                Embedding::from_bytes(&s.vector)?,
            ))
        })
        .collect();
    let (mut same, mut strangers) = (Vec::new(), Vec::new());
    for i in 0..vectors.len() {
        for j in i + 1..vectors.len() {
            let c = vectors[i].1.cosine(&vectors[j].1);
            if vectors[i].0 == vectors[j].0 {
                same.push(c)
            } else {
                strangers.push(c)
            }
        }
    }
    same.sort_by(f32::total_cmp);
    strangers.sort_by(f32::total_cmp);
    let at = |v: &[f32], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    if !same.is_empty() && !strangers.is_empty() {
        println!(
            "pairs of labelled faces: {} same person, cosine {:.2}-{:.2} (5th percentile {:.2}); {} strangers, {:.2}-{:.2} (95th percentile {:.2}); strangers under the member floor {MEMBER_FLOOR}: {:.1}%",
            same.len(),
            same[0],
            same[same.len() - 1],
            at(&same, 0.05),
            strangers.len(),
            strangers[0],
            strangers[strangers.len() - 1],
            at(&strangers, 0.95),
            100.0 * strangers.iter().filter(|c| **c < MEMBER_FLOOR).count() as f64
                / strangers.len() as f64
        );
    }
}

/// Before anyone is named: each person seen in two or more photos gets an avatar cut from their
/// first photo (a square around the face, 460 px, as GitHub serves it), imported from a folder;
/// then the suggestions on their other faces, and on the people seen once (who have no avatar),
/// are counted. The faces the avatars were cut from are left out of the count.
fn avatars_before_naming(
    lib: &Library,
    face_of: &[(i64, i64, String, String)],
    detector: &FaceDetector,
    embedder: &FaceEmbedder,
) {
    let folder = tempfile::tempdir().expect("avatar dir");
    let mut by_login: HashMap<&str, Vec<&(i64, i64, String, String)>> = HashMap::new();
    for entry in face_of {
        by_login.entry(&entry.2).or_default().push(entry);
    }
    let mut roster = String::from("login\n");
    let mut sources = Vec::new();
    let mut catalog = lib.catalog().expect("catalog");
    for (login, entries) in by_login.iter_mut() {
        roster.push_str(&format!("{login}\n"));
        entries.sort_by(|a, b| a.3.cmp(&b.3));
        if entries.len() < 2 {
            continue;
        }
        let (photo, face, _, _) = entries[0];
        let details = catalog.photo_details(*photo).expect("details");
        let region = catalog
            .faces(*photo)
            .expect("faces")
            .into_iter()
            .find(|f| f.id == *face)
            .expect("face")
            .region();
        let image = displayed(Path::new(&details.path), details.orientation.into());
        let (w, h) = (image.width() as f64, image.height() as f64);
        let side = (region.w * w).max(region.h * h) * 2.4;
        let cx = (region.x + region.w / 2.0) * w;
        let cy = (region.y + region.h / 2.0) * h;
        let x0 = (cx - side / 2.0).clamp(0.0, w - 1.0);
        let y0 = (cy - side / 2.0).clamp(0.0, h - 1.0);
        let cw = side.min(w - x0).max(1.0);
        let ch = side.min(h - y0).max(1.0);
        let crop = image::imageops::crop_imm(&image, x0 as u32, y0 as u32, cw as u32, ch as u32)
            .to_image();
        let avatar =
            image::imageops::resize(&crop, 460, 460, image::imageops::FilterType::Triangle);
        avatar
            .save(folder.path().join(format!("{login}.jpg")))
            .expect("save avatar");
        sources.push(*face);
    }
    whoiswho_core::people::import_roster(&mut catalog, roster.as_bytes(), false).expect("roster");
    let models = whoiswho_core::avatars::AvatarModels { detector, embedder };
    let report = whoiswho_core::avatars::import(
        lib,
        folder.path(),
        &models,
        &CancelToken::new(),
        &NoProgress,
    )
    .expect("avatars");
    let Counts {
        right,
        wrong,
        none,
        once,
        once_wrong,
    } = count_suggestions(&catalog, face_of, &sources, "avatar ");
    let others = right + wrong + none;
    println!(
        "avatars ({} imported, {} with one face; threshold {AVATAR_SUGGEST_AT}), nobody named: on the {} other faces of those people {} right, {} wrong, {} none: precision {:.1}%, recall {:.1}%; people seen once ({once} faces): {once_wrong} wrong",
        report.imported,
        report.with_face,
        others,
        right,
        wrong,
        none,
        100.0 * right as f64 / (right + wrong).max(1) as f64,
        100.0 * right as f64 / others.max(1) as f64
    );
}

/// Suggestions on the labelled faces, `skip` left out: right, wrong or none for people seen
/// twice or more; any at all is wrong for people seen once.
struct Counts {
    right: usize,
    wrong: usize,
    none: usize,
    once: usize,
    once_wrong: usize,
}

fn count_suggestions(
    catalog: &whoiswho_core::catalog::Catalog,
    face_of: &[(i64, i64, String, String)],
    skip: &[i64],
    prefix: &str,
) -> Counts {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (_, _, login, _) in face_of {
        *seen.entry(login.as_str()).or_default() += 1;
    }
    let mut c = Counts {
        right: 0,
        wrong: 0,
        none: 0,
        once: 0,
        once_wrong: 0,
    };
    for (photo, face, login, _) in face_of {
        if skip.contains(face) {
            continue;
        }
        let suggestion = catalog
            .faces(*photo)
            .expect("faces")
            .into_iter()
            .find(|f: &Face| f.id == *face)
            .and_then(|f| f.suggestion);
        match (seen[login.as_str()] < 2, suggestion) {
            (true, s) => {
                c.once += 1;
                if let Some(s) = s {
                    c.once_wrong += 1;
                    println!(
                        "  {prefix}wrong: {login} (seen once) suggested as {} ({:.2})",
                        s.login, s.score
                    );
                }
            }
            (false, Some(s)) if &s.login == login => c.right += 1,
            (false, Some(s)) => {
                c.wrong += 1;
                println!(
                    "  {prefix}wrong: {login} suggested as {} ({:.2})",
                    s.login, s.score
                );
            }
            (false, None) => {
                c.none += 1;
                println!("  {prefix}missed: {login} on face {face}");
            }
        }
    }
    c
}

/// Aligning and embedding the identity faces on this thread alone.
fn one_core_speed(dir: &Path, detector: &FaceDetector, embedder: &FaceEmbedder) {
    let mut faces = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("identity")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| whoiswho_core::imaging::has_image_extension(p))
        .collect();
    files.sort();
    for file in &files {
        let image = displayed(file, 1);
        let (w, h) = (image.width() as f64, image.height() as f64);
        let bytes = std::fs::read(file).expect("read");
        let format = whoiswho_core::imaging::detect(file, &bytes).expect("format");
        let found = search_photo(detector, |long_side| {
            whoiswho_core::imaging::decode_displayed(&bytes, format, Orientation::Normal, long_side)
        })
        .expect("detect");
        for d in found {
            faces.push(align(&image, &d.landmarks.map(|(x, y)| (x * w, y * h))));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let per_face = |embed: &(dyn Fn(&image::RgbImage) -> Embedding + Sync)| {
        pool.install(|| embed(&faces[0]));
        let t = Instant::now();
        for f in &faces {
            pool.install(|| embed(f));
        }
        t.elapsed().as_secs_f64() * 1e3 / faces.len() as f64
    };
    let embed = |f: &image::RgbImage| embedder.embed(f).expect("embed");
    for _ in 0..3 {
        println!(
            "embedding on one core: {:.1} ms per face ({} faces)",
            per_face(&embed),
            faces.len()
        );
    }
}

/// The target is a 44-face group photo embedded in 1 s on 2 cores. The test photos hold no
/// 44-face photo: the two most crowded stand in, each alone in a library, with the whole job
/// timed (decode, alignment, embedding, storing, suggestions and groups) in a 2-thread pool.
fn crowded_photos(data: &Path, detector: &FaceDetector, embedder: &FaceEmbedder) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("pool");
    for file in ["groups/ul-1.jpg", "events/kcs06.jpeg", "groups/ul-11.jpg"] {
        let scratch = tempfile::tempdir().expect("temp dir");
        let photos = scratch.path().join("photos");
        std::fs::create_dir(&photos).expect("photos dir");
        let source = data.join(file);
        std::fs::copy(&source, photos.join(source.file_name().expect("name"))).expect("copy");
        let lib = Library::open(&scratch.path().join("lib")).expect("library");
        let cancel = CancelToken::new();
        lib.index(&[photos], &cancel, &NoProgress).expect("index");
        search_library(&lib, detector, &cancel, &NoProgress).expect("face search");
        let started = Instant::now();
        let report = pool
            .install(|| embed_library(&lib, embedder, detector, &cancel, &NoProgress))
            .expect("embed");
        let elapsed = started.elapsed().as_secs_f64();
        println!(
            "{file}: {} faces embedded in {:.2} s on 2 threads ({:.2} s per 44 faces)",
            report.embedded,
            elapsed,
            elapsed * 44.0 / report.embedded.max(1) as f64
        );
    }
}

fn at_scale(photos: usize, per_photo: usize) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(&scratch.path().join("lib")).expect("library");
    let hashes = generated_library::seed_previews(&lib, scratch.path());
    generated_library::generate(&lib, photos, per_photo, 300, &hashes);
    let mut catalog = lib.catalog().expect("catalog");
    // Made-up embeddings: each person a direction, each of their faces near it; untagged faces
    // half near someone, half strangers.
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng >> 11) as f32 / (1u64 << 53) as f32 - 0.5
    };
    let mut centres: HashMap<Option<String>, Vec<f32>> = HashMap::new();
    let todo = catalog.awaiting_embedding(MODEL_VERSION).expect("awaiting");
    let logins: HashMap<i64, Option<String>> = todo
        .iter()
        .flat_map(|f| catalog.faces(f.photo_id).expect("faces"))
        .map(|f| (f.id, f.login))
        .collect();
    let vectors: Vec<Vec<u8>> = todo
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let login = logins.get(&f.face_id).cloned().flatten();
            let key = login.or_else(|| (i % 2 == 0).then(|| format!("attendee-{:03}", i % 300)));
            let centre = centres
                .entry(key.clone())
                .or_insert_with(|| (0..EMBEDDING_LEN).map(|_| next()).collect())
                .clone();
            let raw: Vec<f32> = if key.is_some() {
                centre.iter().map(|c| c + 0.6 * next()).collect()
            } else {
                (0..EMBEDDING_LEN).map(|_| next()).collect()
            };
            Embedding::normalized(&raw).expect("vector").to_bytes()
        })
        .collect();
    catalog
        .write(|w| {
            for (f, v) in todo.iter().zip(&vectors) {
                w.store_embedding(
                    MODEL_VERSION,
                    &EmbeddingRecord {
                        face: f,
                        aligned_by: AlignedBy::Landmarks,
                        outcome: Ok(v.clone()),
                    },
                )?;
            }
            Ok::<_, whoiswho_core::CatalogError>(())
        })
        .expect("store");
    let t = Instant::now();
    catalog.write(suggestions::refresh_all).expect("refresh");
    println!(
        "generated library: {} faces; full refresh (every untagged face against every tagged one, then groups) {:.1} s; {} suggestions",
        todo.len(),
        t.elapsed().as_secs_f64(),
        catalog.suggestion_count().expect("count")
    );
    let t = Instant::now();
    let read = catalog
        .embeddings(whoiswho_core::catalog::EmbeddingsOf::Untagged)
        .expect("read")
        .len();
    println!(
        "reading the {read} current embeddings of untagged faces: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let untagged: Vec<(i64, i64)> = todo
        .iter()
        .filter(|f| logins.get(&f.face_id).cloned().flatten().is_none())
        .map(|f| (f.photo_id, f.face_id))
        .take(20)
        .collect();
    let mut times = Vec::new();
    for (i, (photo, face)) in untagged.iter().enumerate() {
        let t = Instant::now();
        decide(
            &mut catalog,
            *photo,
            &FaceDecision::Tag {
                face: *face,
                login: format!("attendee-{:03}", i * 7 % 300),
            },
        )
        .expect("tag");
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "one tag with its suggestion refresh at {} faces: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (budget 100 ms key to screen)",
        todo.len(),
        times[times.len() / 2],
        times[(times.len() * 95 / 100).min(times.len() - 1)],
        times[times.len() - 1]
    );
}
