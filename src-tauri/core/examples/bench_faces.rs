//! Face search benchmark. Per set of `../shared/data`: faces found, false boxes where ground
//! truth exists (faces-gt: hand-drawn boxes, IoU >= 0.4), and seconds per photo, for whoiswho's
//! search plan and, as the reference in the same run, a single pass at 1920 px. Then the
//! library job on 8 distinct copies of a 4000x2668 event photo (one `faces detect` run), and
//! the same copies through the reference two at a time. Boxes are drawn on every photo into
//! `target/bench_faces/` for looking at. "MP searched" counts the pixels fed to the model,
//! padding included: the cost of a plan without the shared machine's noise.
//!
//! cargo run --release -p whoiswho-core --example bench_faces

use std::path::{Path, PathBuf};
use std::time::Instant;

use image::{Rgb, RgbImage};
use whoiswho_core::faces::evaluation::{read_imglab, Score};
use whoiswho_core::faces::{search_photo, FaceDetector, Region, SearchPlan, SCORE_THRESHOLD};
use whoiswho_core::imaging::{decode_displayed, detect, ImageFormat, Orientation};
use whoiswho_core::jobs::search_library;
use whoiswho_core::progress::NoProgress;
use whoiswho_core::{CancelToken, Library};

struct Photo {
    name: String,
    bytes: Vec<u8>,
    format: ImageFormat,
    /// Displayed size at full resolution.
    size: (u32, u32),
}

impl Photo {
    fn load(path: &Path) -> Self {
        let bytes = std::fs::read(path).expect("read photo");
        let format = detect(path, &bytes).expect("format");
        let full = decode_displayed(&bytes, format, Orientation::Normal, u32::MAX).expect("decode");
        Self {
            name: path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
            size: full.dimensions(),
            bytes,
            format,
        }
    }

    fn decode(&self, long_side: u32) -> Result<RgbImage, whoiswho_core::imaging::ImagingError> {
        decode_displayed(&self.bytes, self.format, Orientation::Normal, long_side)
    }
}

/// Boxes in full-resolution pixels of the displayed photo.
type Search = fn(&FaceDetector, &Photo) -> Vec<Region>;

fn whoiswho(detector: &FaceDetector, photo: &Photo) -> Vec<Region> {
    let (w, h) = (photo.size.0 as f64, photo.size.1 as f64);
    search_photo(detector, |long| photo.decode(long))
        .expect("search")
        .into_iter()
        .map(|d| d.region.scaled(w, h))
        .collect()
}

fn reference(detector: &FaceDetector, photo: &Photo) -> Vec<Region> {
    let image = photo.decode(1920).expect("decode");
    let back = photo.size.0 as f64 / image.width() as f64;
    let plan = SearchPlan::single(image.width(), image.height(), 1920);
    detector
        .detect(&image, &plan, SCORE_THRESHOLD)
        .expect("detect")
        .into_iter()
        .map(|d| d.region.scaled(back, back))
        .collect()
}

const VARIANTS: [(&str, Search); 2] = [
    ("whoiswho plan", whoiswho),
    ("reference: one pass at 1920", reference),
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data");
    let out = root.join("target/bench_faces");
    std::fs::create_dir_all(&out).expect("output folder");
    let models = whoiswho_core::models::Models::in_folder(
        &root.join("assets/models"),
        whoiswho_core::models::Remedy::SetUp {
            checkout: root.clone(),
        },
    );
    let detector = FaceDetector::load(&models).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{} threads; times are wall-clock per photo, decode included",
        rayon::current_num_threads()
    );

    let gt_dir = data.join("faces-gt");
    let mut truth = read_imglab(&gt_dir.join("training.xml")).expect("training.xml");
    truth.extend(read_imglab(&gt_dir.join("testing.xml")).expect("testing.xml"));
    truth.insert("dogs.jpg".into(), Vec::new());
    let mut names: Vec<_> = truth.keys().cloned().collect();
    names.sort();
    let gt_photos: Vec<Photo> = names.iter().map(|n| Photo::load(&gt_dir.join(n))).collect();
    // Warm up (a session per thread, the runtime's caches) so the timings are of searching.
    for photo in &gt_photos {
        for (_, search) in VARIANTS {
            search(&detector, photo);
        }
    }
    let mut seconds = [0.0f64; 2];
    for (v, (label, search)) in VARIANTS.iter().enumerate() {
        let mut total = Score::default();
        let mut falses = Vec::new();
        let start = Instant::now();
        for photo in &gt_photos {
            let found = search(&detector, photo);
            let score = Score::of(&truth[&photo.name], &found, 0.4);
            if score.false_boxes() > 0 {
                falses.push(format!("{}: {}", photo.name, score.false_boxes()));
            }
            total = total + score;
        }
        seconds[v] = start.elapsed().as_secs_f64() / gt_photos.len() as f64;
        println!(
            "faces-gt  {label}: recall {:.3} ({}/{}), precision {:.3}, false boxes [{}], {:.3} s/photo",
            total.recall(),
            total.found,
            total.truth,
            total.precision(),
            falses.join(", "),
            seconds[v]
        );
    }
    println!(
        "faces-gt  time ratio plan/reference {:.2}",
        seconds[0] / seconds[1]
    );

    let sets: [(&str, &[&str]); 4] = [
        (
            "posed",
            &[
                "groups/ul-6.jpg",
                "groups/ul-9.jpg",
                "groups/ul-10.jpg",
                "groups/ul-11.jpg",
                "groups/ul-15.jpg",
                "groups/ul-16.jpg",
                "groups/ul-20.jpg",
                "events/kcd-ny-2026-team.jpg",
            ],
        ),
        ("crowds", &["groups/ul-1.jpg", "groups/ul-26.jpg"]),
        (
            "events",
            &[
                "events/kcs03.jpeg",
                "events/kcs06.jpeg",
                "events/kcd-ny-2026-attendees-networking.jpg",
            ],
        ),
        ("no faces", &["faces-gt/dogs.jpg"]),
    ];
    for (set, files) in sets {
        let photos: Vec<Photo> = files.iter().map(|f| Photo::load(&data.join(f))).collect();
        for photo in &photos {
            for (_, search) in VARIANTS {
                search(&detector, photo);
            }
        }
        let mut seconds = [0.0f64; 2];
        for (v, (label, search)) in VARIANTS.iter().enumerate() {
            let mut counts = Vec::new();
            let pixels = detector.searched_pixels();
            let start = Instant::now();
            for photo in &photos {
                let found = search(&detector, photo);
                counts.push(format!("{}={}", photo.name, found.len()));
                if v == 0 {
                    draw(photo, &found, &out);
                }
            }
            seconds[v] = start.elapsed().as_secs_f64() / photos.len() as f64;
            println!(
                "{set:<9} {label}: {:.3} s/photo, {:.2} MP searched/photo; faces {}",
                seconds[v],
                (detector.searched_pixels() - pixels) as f64 / 1e6 / photos.len() as f64,
                counts.join(" ")
            );
        }
        println!(
            "{set:<9} time ratio plan/reference {:.2}",
            seconds[0] / seconds[1]
        );
    }

    web_size_copies(&detector, &data, &out);
    mosaic_crowd(&detector, &data, &out);
    library_run(&detector, &data.join("events/kcs06.jpeg"));
    println!("boxes drawn in {}", out.display());
}

/// Crowds as a blog or a chat passes them on: shrunk copies whose every face is known, namely
/// those the reference finds on the full-size photo (all of them on ul-26 and ul-1: counted
/// row by row on the drawn boxes).
fn web_size_copies(detector: &FaceDetector, data: &Path, out: &Path) {
    for (file, long) in [
        ("groups/ul-26.jpg", 1024),
        ("groups/ul-1.jpg", 720),
        ("events/kcs06.jpeg", 1920),
    ] {
        let original = Photo::load(&data.join(file));
        let full = original.decode(long).expect("decode");
        let full_photo = in_memory(&original.name, &full);
        let truth = reference(detector, &full_photo);
        for fraction in [0.5, 0.4, 0.33] {
            let (w, h) = (
                (full.width() as f64 * fraction).round() as u32,
                (full.height() as f64 * fraction).round() as u32,
            );
            let small = image::imageops::resize(&full, w, h, image::imageops::FilterType::Triangle);
            let name = format!("{}@{w}", original.name);
            let photo = in_memory(&name, &small);
            let truth: Vec<Region> = truth
                .iter()
                .map(|r| {
                    r.scaled(
                        w as f64 / full.width() as f64,
                        h as f64 / full.height() as f64,
                    )
                })
                .collect();
            let median = {
                let mut heights: Vec<f64> = truth.iter().map(|r| r.h).collect();
                heights.sort_by(f64::total_cmp);
                heights.get(heights.len() / 2).copied().unwrap_or(0.0)
            };
            println!(
                "web-size  {name} (faces ~{median:.0} px): {}",
                against_known_faces(detector, &photo, &truth, out)
            );
        }
    }
}

/// A 1024 px crowd of 308 faces of about 12 px: ul-26 at half size, four times over.
fn mosaic_crowd(detector: &FaceDetector, data: &Path, out: &Path) {
    let original = Photo::load(&data.join("groups/ul-26.jpg"));
    let full = original.decode(1024).expect("decode");
    let truth = reference(detector, &in_memory("ul-26", &full));
    let (w, h) = (full.width() / 2, full.height() / 2);
    let tile = image::imageops::resize(&full, w, h, image::imageops::FilterType::Triangle);
    let mut mosaic = RgbImage::new(w * 2, h * 2);
    let mut faces = Vec::new();
    for (i, j) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        image::imageops::replace(&mut mosaic, &tile, (i * w) as i64, (j * h) as i64);
        faces.extend(truth.iter().map(|r| {
            let r = r.scaled(0.5, 0.5);
            Region {
                x: r.x + (i * w) as f64,
                y: r.y + (j * h) as f64,
                ..r
            }
        }));
    }
    let photo = in_memory("crowd-mosaic", &mosaic);
    println!(
        "web-size  a {}x{} crowd of {} faces of ~12 px (ul-26 at half size, 2x2): {}",
        mosaic.width(),
        mosaic.height(),
        faces.len(),
        against_known_faces(detector, &photo, &faces, out)
    );
}

/// Both variants on one photo whose every face is known (each timed after a warm-up run):
/// found, false boxes and seconds for each, then the time ratio plan/reference. The plan's
/// boxes are drawn.
fn against_known_faces(
    detector: &FaceDetector,
    photo: &Photo,
    truth: &[Region],
    out: &Path,
) -> String {
    let mut line = Vec::new();
    let mut seconds = [0.0f64; 2];
    for (v, (label, search)) in VARIANTS.iter().enumerate() {
        search(detector, photo);
        let pixels = detector.searched_pixels();
        let start = Instant::now();
        let found = search(detector, photo);
        seconds[v] = start.elapsed().as_secs_f64();
        let score = Score::of(truth, &found, 0.4);
        line.push(format!(
            "{label} {}/{} false {} {:.3} s {:.2} MP",
            score.found,
            score.truth,
            score.false_boxes(),
            seconds[v],
            (detector.searched_pixels() - pixels) as f64 / 1e6
        ));
        if v == 0 {
            draw(photo, &found, out);
        }
    }
    format!(
        "{}; time ratio {:.2}",
        line.join("; "),
        seconds[0] / seconds[1]
    )
}

fn in_memory(name: &str, image: &RgbImage) -> Photo {
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode");
    Photo {
        name: format!("{name}.png"),
        bytes,
        format: ImageFormat::Png,
        size: image.dimensions(),
    }
}

/// Eight distinct copies (bytes appended after the image, so each hash differs) searched by the
/// library job in one run, against the reference over the same copies two at a time.
fn library_run(detector: &FaceDetector, source: &Path) {
    const COPIES: usize = 8;
    let scratch = tempfile::tempdir().expect("temp dir");
    let photos = scratch.path().join("photos");
    std::fs::create_dir(&photos).expect("photos dir");
    let bytes = std::fs::read(source).expect("read");
    let files: Vec<PathBuf> = (0..COPIES)
        .map(|i| {
            let path = photos.join(format!("copy-{i}.jpg"));
            let mut copy = bytes.clone();
            copy.extend_from_slice(format!("copy {i}").as_bytes());
            std::fs::write(&path, copy).expect("write copy");
            path
        })
        .collect();
    let lib = Library::open(&scratch.path().join("lib")).expect("library");
    let cancel = CancelToken::new();
    lib.index(&[photos], &cancel, &NoProgress).expect("index");
    let start = Instant::now();
    let report = search_library(&lib, detector, &cancel, &NoProgress).expect("search");
    let ours = start.elapsed().as_secs_f64() / COPIES as f64;
    assert_eq!(report.photos as usize, COPIES);

    let start = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(f) =
                    files.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    let bytes = std::fs::read(f).expect("read");
                    let format = detect(f, &bytes).expect("format");
                    let image = decode_displayed(&bytes, format, Orientation::Normal, 1920)
                        .expect("decode");
                    let plan = SearchPlan::single(image.width(), image.height(), 1920);
                    detector
                        .detect(&image, &plan, SCORE_THRESHOLD)
                        .expect("detect");
                }
            });
        }
    });
    let reference_time = start.elapsed().as_secs_f64() / COPIES as f64;
    println!(
        "library  {COPIES} copies of {} ({} faces each) in one faces-detect run: {ours:.3} s/photo; \
         reference two at a time {reference_time:.3} s/photo; ratio {:.2}",
        source.file_name().expect("name").to_string_lossy(),
        report.faces as usize / COPIES,
        ours / reference_time
    );
}

/// The photo with its boxes drawn in green, for looking at.
fn draw(photo: &Photo, found: &[Region], out: &Path) {
    let Ok(mut image) = photo.decode(2400) else {
        return;
    };
    let k = image.width() as f64 / photo.size.0 as f64;
    let (w, h) = image.dimensions();
    for r in found {
        let (x0, y0) = ((r.x * k) as i64, (r.y * k) as i64);
        let (x1, y1) = (((r.x + r.w) * k) as i64, ((r.y + r.h) * k) as i64);
        for x in x0..=x1 {
            for y in [y0, y1] {
                put(&mut image, x, y, w, h);
            }
        }
        for y in y0..=y1 {
            for x in [x0, x1] {
                put(&mut image, x, y, w, h);
            }
        }
    }
    let name = Path::new(&photo.name).with_extension("png");
    image.save(out.join(name)).expect("save drawing");
}

fn put(image: &mut RgbImage, x: i64, y: i64, w: u32, h: u32) {
    if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
        image.put_pixel(x as u32, y as u32, Rgb([0, 255, 0]));
    }
}
