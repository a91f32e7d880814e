//! Face detection on real photos: recall and precision against hand-drawn boxes, counts on
//! group photos, boxes on the face under every EXIF orientation, and re-detection that never
//! touches a person's work. Thresholds are what the detector measured (see the README), with a
//! small margin; no timing is asserted.

mod common;

use std::path::PathBuf;

use common::{shared, TestLibrary};
use whoiswho_core::catalog::{FaceSource, FaceState};
use whoiswho_core::faces::evaluation::{read_imglab, Score};
use whoiswho_core::faces::{
    decide, tag_box, tag_face, DetectOptions, FaceDecision, FaceDetector, FacesError, Region,
};
use whoiswho_core::imaging::{decode_displayed, detect, Orientation};
use whoiswho_core::jobs::{
    search_library, DetectReport, JobError, JobEvent, JobKind, JobOutcome, JobRequest, Jobs, Models,
};
use whoiswho_core::progress::NoProgress;
use whoiswho_core::CancelToken;

fn model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/models/centerface.onnx")
}

fn detector() -> FaceDetector {
    FaceDetector::load(&model()).unwrap_or_else(|e| panic!("{e}"))
}

fn search(lib: &TestLibrary, detector: &FaceDetector) -> DetectReport {
    search_library(
        &lib.library,
        detector,
        &DetectOptions::default(),
        &CancelToken::new(),
        &NoProgress,
    )
    .expect("search")
}

#[test]
fn faces_gt_recall_and_precision_at_iou_0_4() {
    let detector = detector();
    let dir = shared("faces-gt");
    let mut truth = read_imglab(&dir.join("training.xml")).unwrap();
    truth.extend(read_imglab(&dir.join("testing.xml")).unwrap());
    truth.insert("dogs.jpg".into(), Vec::new());
    let mut total = Score::default();
    for (name, boxes) in &truth {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        let img = decode_displayed(
            &bytes,
            detect(&path, &bytes).unwrap(),
            Orientation::Normal,
            1920,
        )
        .unwrap();
        let found: Vec<Region> = detector
            .detect(&img, &DetectOptions::default())
            .unwrap()
            .into_iter()
            .map(|d| d.region)
            .collect();
        let score = Score::of(boxes, &found, 0.4);
        assert!(
            score.false_boxes() <= 2,
            "{name}: {} false boxes",
            score.false_boxes()
        );
        total = total + score;
    }
    assert_eq!(total.truth, 43);
    // Measured: 43/43 found, no false box.
    assert!(total.recall() >= 0.97, "recall {:.3}", total.recall());
    assert!(
        total.precision() >= 0.95,
        "precision {:.3}",
        total.precision()
    );
}

#[test]
fn group_photos_yield_the_faces_counted_by_eye() {
    let lib = TestLibrary::new();
    lib.index(&[&shared("groups")]);
    let report = search(&lib, &detector());
    // The seven posed group photos below, and the two crowds (ul-1, ul-26) of the crowd issue.
    assert_eq!(report.photos, 9);
    for (name, expected) in [
        ("ul-6.jpg", 14),
        ("ul-9.jpg", 8),
        ("ul-10.jpg", 19),
        ("ul-11.jpg", 26),
        ("ul-15.jpg", 16),
        ("ul-16.jpg", 9),
        ("ul-20.jpg", 10),
    ] {
        let photo = lib.photo(name);
        let found = photo.faces as i64;
        assert!(
            (found - expected).abs() <= 1,
            "{name}: {found} faces, {expected} by eye"
        );
    }
}

#[test]
fn boxes_sit_on_the_face_under_every_orientation() {
    let lib = TestLibrary::new();
    lib.index(&[&shared("orientation/hopper")]);
    search(&lib, &detector());
    let faces_of = |name: &str| {
        let id = lib.photo(name).id;
        lib.library.read(|c| c.faces(id)).unwrap()
    };
    let reference = faces_of("hopper.jpg");
    assert_eq!(reference.len(), 1, "hopper.jpg has one face");
    let upright = reference[0].region();
    for n in 2..=8 {
        for ext in ["jpg", "webp"] {
            let name = format!("hopper_orientation_{n}.{ext}");
            let faces = faces_of(&name);
            assert_eq!(faces.len(), 1, "{name}");
            let iou = faces[0].region().iou(&upright);
            assert!(
                iou > 0.6,
                "{name}: box off the face (IoU {iou:.2} with the upright box)"
            );
        }
    }
}

#[test]
fn searching_again_keeps_what_a_person_did() {
    let lib = TestLibrary::new();
    let dir = lib.folder("talk");
    common::copy_files(&shared("events"), &["kcs03.jpeg"], &dir);
    lib.index(&[&dir]);
    let detector = detector();
    search(&lib, &detector);
    let photo = lib.photo("kcs03.jpeg").id;
    let auto = lib.library.read(|c| c.faces(photo)).unwrap();
    assert!(auto.len() >= 2, "{auto:?}");

    let mut catalog = lib.library.catalog().unwrap();
    let tagged = tag_face(&mut catalog, photo, auto[0].id, "speaker-one").unwrap();
    // A person redraws the second face by hand (overlapping the automatic box).
    let r = auto[1].region();
    let manual = tag_box(&mut catalog, photo, r, "speaker-two").unwrap();
    assert_eq!(manual.source, FaceSource::Manual);

    catalog.write(|w| w.forget_detections()).unwrap();
    let again = search(&lib, &detector);
    assert_eq!(again.photos, 1);
    let after = lib.library.read(|c| c.faces(photo)).unwrap();
    let kept = after
        .iter()
        .find(|f| f.id == tagged.id)
        .expect("tagged face kept");
    assert_eq!(
        (kept.login.as_deref(), kept.state),
        (Some("speaker-one"), FaceState::Confirmed)
    );
    assert!(after.iter().any(|f| f.id == manual.id), "manual box kept");
    // The automatic box under the manual one was not added back; nothing was duplicated.
    let on_second = after.iter().filter(|f| f.region().iou(&r) > 0.5).count();
    assert_eq!(on_second, 1, "{after:?}");
    assert_eq!(after.len(), auto.len());

    // Deleting a detector's box marks it "not a face", so the next search keeps it out.
    assert_eq!(kept.source, FaceSource::Auto);
    let change = decide(&mut catalog, photo, &FaceDecision::Delete { face: kept.id }).unwrap();
    assert_eq!(
        change.face.map(|f| (f.id, f.state, f.login)),
        Some((kept.id, FaceState::NotAFace, None))
    );
    catalog.write(|w| w.forget_detections()).unwrap();
    search(&lib, &detector);
    let last = lib.library.read(|c| c.faces(photo)).unwrap();
    assert_eq!(last.len(), after.len(), "{last:?}");
}

#[test]
fn indexing_in_the_background_is_followed_by_a_face_search_then_recognition() {
    let lib = TestLibrary::new();
    let dir = lib.folder("talk");
    common::copy_files(&shared("events"), &["kcs03.jpeg"], &dir);
    let library = std::sync::Arc::new(whoiswho_core::Library::open(lib.library.root()).unwrap());
    let models = Models {
        faces: model(),
        recognition: model().with_file_name("sface.onnx"),
    };
    let jobs = Jobs::new(library.clone(), models);
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let observer = move |e: JobEvent| {
        if let JobEvent::Finished(_) | JobEvent::Failed { .. } = e {
            let _ = tx.lock().unwrap().send(e);
        }
    };
    jobs.start(
        JobRequest::Index {
            folders: vec![dir.clone()],
        },
        std::sync::Arc::new(observer),
    )
    .unwrap();
    // One of each kind at a time: a second indexing run is refused while the first runs.
    let busy = jobs.index(&[], &|_: JobEvent| {});
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .unwrap();
    let second = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .unwrap();
    let third = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .unwrap();
    assert!(
        matches!(busy, Err(JobError::Busy(JobKind::Index))) || !jobs.is_running(JobKind::Index),
        "{busy:?}"
    );
    assert!(
        matches!(&first, JobEvent::Finished(JobOutcome::Indexed(r)) if r.indexed == 1),
        "{first:?}"
    );
    assert!(
        matches!(&second, JobEvent::Finished(JobOutcome::Searched(r)) if r.photos == 1 && r.faces >= 2),
        "{second:?}"
    );
    assert!(
        matches!(&third, JobEvent::Finished(JobOutcome::Recognized(r)) if r.embedded >= 2 && r.failed.is_empty()),
        "{third:?}"
    );
    let photo = lib.photo("kcs03.jpeg").id;
    assert!(library.read(|c| c.faces(photo)).unwrap().len() >= 2);
    assert!(!jobs.cancel_all(), "nothing runs once all three ended");
}

#[test]
fn a_missing_or_damaged_model_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = FaceDetector::load(&dir.path().join("nope.onnx"))
        .err()
        .expect("missing");
    assert!(matches!(missing, FacesError::ModelMissing { .. }));
    assert!(missing.to_string().contains("setup"), "{missing}");
    let damaged = dir.path().join("centerface.onnx");
    std::fs::write(&damaged, b"not a model").unwrap();
    let err = FaceDetector::load(&damaged).err().expect("damaged");
    assert!(matches!(err, FacesError::ModelCorrupt { .. }), "{err}");
}
