//! Face detection benchmark: recall and precision against the hand-drawn boxes of
//! ../shared/data/faces-gt (IoU >= 0.4), faces found and time per photo on
//! ../shared/data/events and ../shared/data/groups; whoiswho's tiled search against the same model
//! at a single 1920 px pass, in the same run.
//!
//! cargo run --release -p whoiswho-core --example bench_faces

use std::path::{Path, PathBuf};
use std::time::Instant;

use whoiswho_core::faces::evaluation::{read_imglab, Score};
use whoiswho_core::faces::{DetectOptions, FaceDetector};
use whoiswho_core::imaging::{decode_displayed, detect, Orientation};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data");
    let detector = FaceDetector::load(&root.join("assets/models/centerface.onnx"))
        .unwrap_or_else(|e| panic!("{e}"));
    let variants = [
        (
            "whoiswho (coarse 640 + 2 tiles at 1920)",
            DetectOptions::default(),
        ),
        ("single pass at 1920", DetectOptions::single_pass(1920)),
    ];

    let gt_dir = data.join("faces-gt");
    let mut truth = read_imglab(&gt_dir.join("training.xml")).expect("training.xml");
    truth.extend(read_imglab(&gt_dir.join("testing.xml")).expect("testing.xml"));
    truth.insert("dogs.jpg".into(), Vec::new());
    let mut names: Vec<_> = truth.keys().cloned().collect();
    names.sort();

    for (label, options) in &variants {
        // Warm the plan cache so the timings are of detection, not of model optimization.
        let warm = load(&gt_dir.join(&names[0]), options.fine_long_side);
        detector.detect(&warm, options).expect("warm-up");
        let mut total = Score::default();
        let mut worst_false = 0;
        let start = Instant::now();
        for name in &names {
            let img = load(&gt_dir.join(name), options.fine_long_side);
            let found: Vec<_> = detector
                .detect(&img, options)
                .expect("detect")
                .into_iter()
                .map(|d| d.region)
                .collect();
            let score = Score::of(&truth[name], &found, 0.4);
            worst_false = worst_false.max(score.false_boxes());
            total = total + score;
        }
        let per_photo = start.elapsed().as_secs_f64() / names.len() as f64;
        println!(
            "faces-gt  {label}: recall {:.3} ({}/{}), precision {:.3}, most false boxes in a photo {}, {:.0} ms/photo",
            total.recall(), total.found, total.truth, total.precision(), worst_false, per_photo * 1e3
        );
    }

    for folder in ["events", "groups"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join(folder))
            .expect("folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for (label, options) in &variants {
            let mut line = Vec::new();
            let mut time = 0.0;
            for f in &files {
                let img = load(f, options.fine_long_side);
                let start = Instant::now();
                let n = detector.detect(&img, options).expect("detect").len();
                time += start.elapsed().as_secs_f64();
                line.push(format!("{}={n}", f.file_name().unwrap().to_string_lossy()));
            }
            println!(
                "{folder:<8}  {label}: {:.0} ms/photo; faces {}",
                time / files.len() as f64 * 1e3,
                line.join(" ")
            );
        }
    }
}

fn load(path: &Path, long_side: u32) -> image::RgbImage {
    let bytes = std::fs::read(path).expect("read photo");
    let format = detect(path, &bytes).expect("format");
    decode_displayed(&bytes, format, Orientation::Normal, long_side).expect("decode")
}
