//! The CLI contract of SPEC.md: JSON shapes, exit codes, and the library folder.

mod support;

use serde_json::Value;
use support::{json_stdout, shared_data, whoiswho};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn index_reports_counts_and_photos_lists_displayed_sizes() {
    let lib = tempfile::tempdir().unwrap();
    let out = whoiswho(
        lib.path(),
        &[
            "index",
            shared_data("orientation/recurser").to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_stdout(&out);
    for key in ["indexed", "unchanged", "removed", "failed", "photos"] {
        assert!(report.get(key).is_some(), "missing {key}: {report}");
    }
    assert_eq!(report["indexed"], 18);
    assert_eq!(report["photos"], 18);
    assert_eq!(report["failed"], Value::Array(vec![]));
    assert!(lib.path().join("library.db").is_file());

    let again = json_stdout(&whoiswho(
        lib.path(),
        &[
            "index",
            shared_data("orientation/recurser").to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(
        (again["indexed"].clone(), again["unchanged"].clone()),
        (0.into(), 18.into())
    );

    let photos = json_stdout(&whoiswho(lib.path(), &["photos", "--json"]));
    let photos = photos.as_array().expect("array");
    assert_eq!(photos.len(), 18);
    for p in photos {
        for key in [
            "id",
            "path",
            "width",
            "height",
            "orientation",
            "taken_at",
            "camera",
            "faces",
        ] {
            assert!(p.get(key).is_some(), "missing {key}: {p}");
        }
        let name = p["path"].as_str().unwrap();
        let portrait = name.contains("Portrait_");
        let size = (p["width"].as_u64().unwrap(), p["height"].as_u64().unwrap());
        assert_eq!(
            size,
            if portrait { (1200, 1800) } else { (1800, 1200) },
            "{name}"
        );
        assert!(std::path::Path::new(name).is_absolute());
    }
    let p5 = photos
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with("Landscape_5.jpg"))
        .unwrap();
    assert_eq!(p5["orientation"], 5);
}

#[test]
fn exif_fields_reach_the_json() {
    let lib = tempfile::tempdir().unwrap();
    whoiswho(
        lib.path(),
        &["index", shared_data("events").to_str().unwrap()],
    );
    let photos = json_stdout(&whoiswho(lib.path(), &["photos", "--json"]));
    let kcs = photos
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with("kcs06.jpeg"))
        .expect("kcs06");
    assert_eq!(kcs["taken_at"], "2023-09-26T10:00:05+08:00");
    assert_eq!(kcs["camera"], "Canon EOS R5");
    assert_eq!(
        (kcs["width"].clone(), kcs["height"].clone()),
        (4000.into(), 2668.into())
    );
}

#[test]
fn partial_failure_exits_1_and_names_each_file() {
    let lib = tempfile::tempdir().unwrap();
    let out = whoiswho(
        lib.path(),
        &["index", shared_data("broken").to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json_stdout(&out);
    let failed = report["failed"].as_array().unwrap();
    assert!(!failed.is_empty());
    for f in failed {
        assert_eq!(keys(f), ["error", "path"]);
        assert!(!f["error"].as_str().unwrap().is_empty());
    }
    assert!(report["indexed"].as_u64().unwrap() > 0, "the rest was done");
}

#[test]
fn a_missing_folder_is_a_failed_input_not_a_crash() {
    let lib = tempfile::tempdir().unwrap();
    let out = whoiswho(lib.path(), &["index", "/no/such/folder", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_stdout(&out);
    assert_eq!(report["failed"][0]["path"], "/no/such/folder");
}

#[test]
fn usage_errors_exit_2() {
    let lib = tempfile::tempdir().unwrap();
    assert_eq!(whoiswho(lib.path(), &["index"]).status.code(), Some(2));
    assert_eq!(whoiswho(lib.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        whoiswho(lib.path(), &["photos", "--bogus"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_library_can_come_from_the_environment() {
    let lib = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(support::BIN)
        .env("WHOISWHO_LIBRARY", lib.path())
        .args(["index", shared_data("exif").to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(lib.path().join("library.db").is_file());
    // Human text goes to stderr; stdout is only the JSON document.
    assert!(json_stdout(&out).is_object());
    let human = whoiswho(lib.path(), &["photos"]);
    assert!(human.stdout.is_empty());
    assert!(String::from_utf8_lossy(&human.stderr).contains("9 photos"));
}
