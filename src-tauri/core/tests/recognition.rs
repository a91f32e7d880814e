//! Recognition on real faces: the SFace model as the app runs it (on ONNX Runtime, its graph
//! edited in memory at load) gives the embeddings onnxruntime gave for the original file, and
//! those embeddings tell the same person from strangers. No timing is asserted.

mod common;

use std::path::PathBuf;

use common::shared;
use whoiswho_core::imaging::{decode_displayed, detect, Orientation};
use whoiswho_core::inference::InferenceError;
use whoiswho_core::recognition::{align, place_box, FaceEmbedder};
use whoiswho_core::region::Region;

#[derive(serde::Deserialize)]
struct Reference {
    decode_long_side: u32,
    faces: Vec<ReferenceFace>,
}

#[derive(serde::Deserialize)]
struct ReferenceFace {
    file: String,
    login: String,
    landmarks: [(f64, f64); 5],
    embedding: Vec<f32>,
}

impl Reference {
    fn face(&self, file: &str) -> &ReferenceFace {
        self.faces
            .iter()
            .find(|f| f.file == file)
            .unwrap_or_else(|| panic!("{file} is in the fixture"))
    }
}

fn reference() -> Reference {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sface_reference.json");
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("fixture parses")
}

fn decoded(file: &str, long_side: u32) -> image::RgbImage {
    let path = shared("identity").join(file);
    let bytes = std::fs::read(&path).expect("identity photo");
    let format = detect(&path, &bytes).expect("format");
    decode_displayed(&bytes, format, Orientation::from_exif(1), long_side).expect("decode")
}

#[test]
fn embeddings_match_onnxruntime_on_the_original_file_and_tell_people_apart() {
    let embedder = FaceEmbedder::load(&common::models()).unwrap_or_else(|e| panic!("{e}"));
    let reference = reference();
    let mut ours = Vec::new();
    for face in &reference.faces {
        let image = decoded(&face.file, reference.decode_long_side);
        let embedding = embedder
            .embed(&align(&image, &face.landmarks))
            .expect("embed");
        let worst = embedding
            .values()
            .iter()
            .zip(&face.embedding)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            worst < 1e-4,
            "{}: differs from onnxruntime by {worst}",
            face.file
        );
        ours.push((face, embedding));
    }
    for (a, ea) in &ours {
        for (b, eb) in &ours {
            if a.file == b.file {
                continue;
            }
            let cosine = ea.cosine(eb);
            if a.login == b.login {
                assert!(
                    cosine > 0.5,
                    "{} and {} are one person: {cosine}",
                    a.file,
                    b.file
                );
            } else {
                assert!(
                    cosine < 0.35,
                    "{} and {} are strangers: {cosine}",
                    a.file,
                    b.file
                );
            }
        }
    }
}

#[test]
fn a_box_without_landmarks_still_resembles_its_person() {
    // A drawn box is embedded from the box placed where a face box sits in the template: no
    // rotation and a guessed eye line, still far nearer its person than a stranger.
    let embedder = FaceEmbedder::load(&common::models()).unwrap_or_else(|e| panic!("{e}"));
    let reference = reference();
    let boxed = |file: &str| {
        let face = reference.face(file);
        let image = decoded(file, reference.decode_long_side);
        let (w, h) = (image.width() as f64, image.height() as f64);
        let xs = face.landmarks.map(|p| p.0);
        let ys = face.landmarks.map(|p| p.1);
        let (x0, x1) = (
            xs.iter().cloned().fold(f64::MAX, f64::min),
            xs.iter().cloned().fold(0.0, f64::max),
        );
        // The box a person would draw, brow to chin: eyes at about 38% of its height, mouth at
        // 73%, a little narrower than high.
        let (eyes, mouth) = ((ys[0] + ys[1]) / 2.0, (ys[3] + ys[4]) / 2.0);
        let height = (mouth - eyes) / 0.35;
        let (centre_x, width) = ((x0 + x1) / 2.0, height * 0.8);
        let region = Region {
            x: (centre_x - width / 2.0) / w,
            y: (eyes - 0.38 * height) / h,
            w: width / w,
            h: height / h,
        };
        embedder.embed(&place_box(&image, &region)).expect("embed")
    };
    let aligned = |file: &str| {
        let face = reference.face(file);
        let image = decoded(file, reference.decode_long_side);
        embedder
            .embed(&align(&image, &face.landmarks))
            .expect("embed")
    };
    for (drawn, same, stranger) in [
        ("photo_001.jpg", "photo_051.jpg", "photo_023.jpg"),
        ("photo_030.jpg", "photo_023.jpg", "photo_015.jpg"),
        ("photo_019.jpg", "photo_015.jpg", "photo_008.jpg"),
    ] {
        let drawn_embedding = boxed(drawn);
        let (to_same, to_stranger) = (
            drawn_embedding.cosine(&aligned(same)),
            drawn_embedding.cosine(&aligned(stranger)),
        );
        eprintln!("{drawn}: same {to_same:.2}, stranger {to_stranger:.2}");
        assert!(
            to_same > to_stranger + 0.1,
            "{drawn} drawn: {to_same} to {same}, {to_stranger} to stranger {stranger}"
        );
    }
}

#[test]
fn a_missing_or_damaged_model_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut models = common::models();
    models.recognizer.path = dir.path().join("nope.onnx");
    let missing = FaceEmbedder::load(&models).err().expect("missing");
    assert!(
        matches!(&missing, InferenceError::Missing { name, .. } if name.starts_with("SFace")),
        "{missing}"
    );
    assert!(missing.to_string().contains("setup"), "{missing}");
    let damaged = dir.path().join("sface.onnx");
    std::fs::write(&damaged, b"not a model").unwrap();
    models.recognizer.path = damaged;
    let err = FaceEmbedder::load(&models).err().expect("damaged");
    assert!(matches!(err, InferenceError::Altered { .. }), "{err}");
}
