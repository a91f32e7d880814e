//! Recap post benchmark: a generated library of 5,000 photos (10 faces each, 300 attendees, one
//! in ten `no-publish`), 20 of them given real originals (the event photos of
//! `../shared/data/events`, up to 4000 px, each cropped a little differently so all 20 differ),
//! kept as the post. Timed: the reference run (the 20 figures exported one at a time, as an
//! organizer did before there was a post), the post export (figures, "who is who" images and
//! index.md), and the same export again with nothing changed. Budget: 10 s for the post.
//!
//! cargo run --release -p whoiswho-core --example bench_post [PHOTOS]

#[path = "support/generated_library.rs"]
mod generated_library;

use std::path::Path;
use std::time::Instant;

use generated_library::{generate, seed_previews};
use whoiswho_core::catalog::{Event, KeptPost, PhotoRecord, PostPhoto};
use whoiswho_core::export::{
    export_figure, export_post, FigureOptions, HandEdits, PostFormat, PostSpec,
};
use whoiswho_core::Library;

const POST_PHOTOS: usize = 20;
const BUDGET_S: f64 = 10.0;

fn main() {
    let photos: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(&dir.path().join("lib")).expect("library");
    let hashes = seed_previews(&lib, dir.path());
    generate(&lib, photos, 10, 300, &hashes);
    generated_library::no_publish_every_tenth(&lib);
    let mut catalog = lib.catalog().expect("catalog");
    let chosen = give_real_originals(&lib, dir.path(), hashes.len());
    let post = KeptPost {
        title: "Generated summit recap".into(),
        date: "2026-06-03".into(),
        authors: vec!["Bench Organizer".into()],
        photos: chosen
            .iter()
            .map(|&photo_id| PostPhoto::new(photo_id))
            .collect(),
        ..KeptPost::default()
    };
    catalog.write(|w| w.set_post(&post)).expect("keep the post");
    let spec = PostSpec {
        post,
        event: Event {
            name: "Generated summit".into(),
            ..Event::default()
        },
        format: PostFormat::Hugo,
        aspect: None,
    };
    let threads = rayon::current_num_threads();

    let figures = dir.path().join("figures");
    let t = Instant::now();
    for (i, &id) in chosen.iter().enumerate() {
        export_figure(
            &lib,
            id,
            &figures.join(format!("{i:02}.jpg")),
            &FigureOptions::default(),
        )
        .expect("figure");
    }
    let reference = t.elapsed().as_secs_f64();

    let out = dir.path().join("post");
    let t = Instant::now();
    let first = export_post(&lib, &out, &spec, HandEdits::Refuse).expect("post");
    let full = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = export_post(&lib, &out, &spec, HandEdits::Refuse).expect("post again");
    let unchanged = t.elapsed().as_secs_f64();
    let size: u64 = first
        .files
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).map_or(0, |m| m.len()))
        .sum();

    println!("| post of {POST_PHOTOS} photos from {photos} ({threads} threads) | seconds | files written | budget | ratio |");
    println!("|---|---|---|---|---|");
    println!(
        "| reference: the {POST_PHOTOS} figures one at a time (`export figure`) | {reference:.2} | {POST_PHOTOS} | | 1.00 |"
    );
    println!(
        "| `export post` ({} figures, \"who is who\" images included, and index.md) | {full:.2} | {} | {BUDGET_S:.0} s | {:.2} of the reference, {:.2} of the budget |",
        first.figures,
        first.written,
        full / reference,
        full / BUDGET_S
    );
    println!(
        "| the same export again, nothing changed | {unchanged:.2} | {} | | {:.3} of the first |",
        again.written,
        unchanged / full
    );
    println!(
        "bundle: {} files, {:.1} MB; {} people named, {} heads blurred (no-publish)",
        first.files.len(),
        size as f64 / 1e6,
        first.named,
        first.blurred
    );
}

/// Gives 20 generated photos real originals: the seed event photos, each cropped by a few more
/// pixels than the last so every file differs, written as JPEG.
fn give_real_originals(lib: &Library, scratch: &Path, seeds: usize) -> Vec<i64> {
    let sources: Vec<(String, image::RgbImage)> = lib
        .read(|c| {
            (1..=seeds as i64)
                .map(|id| c.photo_details(id).map(|d| d.path))
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("seed paths")
        .into_iter()
        .map(|p| {
            let img = image::open(&p).expect("seed photo").to_rgb8();
            (p, img)
        })
        .collect();
    let folder = scratch.join("originals");
    std::fs::create_dir_all(&folder).expect("originals");
    let first_generated = 1 + seeds as i64;
    let mut chosen = Vec::with_capacity(POST_PHOTOS);
    for i in 0..POST_PHOTOS {
        let (_, src) = &sources[i % sources.len()];
        let cut = 8 * (1 + i as u32 / sources.len() as u32);
        let img =
            image::imageops::crop_imm(src, cut, cut, src.width() - 2 * cut, src.height() - 2 * cut)
                .to_image();
        let path = folder.join(format!("IMG_{i:02}.jpg"));
        img.save(&path).expect("write original");
        let id = first_generated + (i as i64) * 250;
        let size = std::fs::metadata(&path).expect("size").len() as i64;
        let hash = lib
            .read(|c| c.photo_hash(id))
            .expect("hash")
            .unwrap_or_default();
        let record = PhotoRecord {
            path: path.display().to_string(),
            size,
            mtime_ns: i as i64,
            hash,
            format: "JPEG".into(),
            stored_width: img.width(),
            stored_height: img.height(),
            crop: None,
            width: img.width(),
            height: img.height(),
            orientation: 1,
            taken_at: Some("2026-06-02T10:00:00+08:00".into()),
            sort_time: format!("2026-06-02T10:00:{i:02}"),
            camera: None,
            lens: None,
            gps: None,
            metadata_warning: None,
        };
        let mut c = lib.catalog().expect("catalog");
        c.write(|w| w.upsert_photo(Some(id), &record))
            .expect("point the photo at its original");
        chosen.push(id);
    }
    chosen
}
