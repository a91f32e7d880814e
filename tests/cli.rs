//! The CLI contract of SPEC.md: JSON shapes, exit codes, the library folder, the window without
//! a display, and failures reported, never dropped (faces and people: `cli_faces.rs`; teams:
//! `team_cli.rs`).

mod support;

use serde_json::Value;
use support::{json_stdout, ok, shared_data, whoiswho};

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
        assert_eq!(support::json_keys(f), ["error", "path"]);
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

#[test]
fn without_a_display_the_window_says_so_in_one_line_and_points_to_the_cli() {
    let lib = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_whoiswho");
    for display in [None, Some(":4242")] {
        let mut cmd = std::process::Command::new(bin);
        cmd.arg("--library").arg(lib.path());
        cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
        if let Some(d) = display {
            cmd.env("DISPLAY", d);
        }
        let out = cmd.output().expect("run whoiswho");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{display:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{display:?}: {err}");
        assert!(
            err.starts_with("whoiswho: cannot open the window: ")
                && err.contains("whoiswho --help")
                && !err.contains("panicked"),
            "{display:?}: {err}"
        );
    }
    let version = std::process::Command::new(bin)
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("whoiswho {}", env!("CARGO_PKG_VERSION"))
    );
}

/// What once passed without a word is now said: recognition without the face finder, a figure
/// of an original that cannot be read or is gone, a gallery's damaged manifest and a kept
/// gallery image that cannot be read.
#[test]
fn failures_are_reported_not_dropped() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    for name in ["kcs03.jpeg", "kcd-ny-2026-team.jpg"] {
        std::fs::copy(shared_data("events").join(name), photos.path().join(name)).unwrap();
    }
    let (damaged, gone) = (
        photos.path().join("kcs03.jpeg"),
        photos.path().join("kcd-ny-2026-team.jpg"),
    );
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    let found = ok(lib.path(), &["faces", "detect", "--json"]);
    let faces = found["faces"].as_u64().unwrap();
    assert!(faces >= 2, "{found}");

    // Recognition without the face finder stops, says which file and what to do, keeps nothing.
    let missing = lib.path().join("no-such-centerface.onnx");
    let out = std::process::Command::new(support::BIN)
        .env("WHOISWHO_MODEL", &missing)
        .arg("--library")
        .arg(lib.path())
        .args(["faces", "suggest", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("CenterFace is missing at"), "{stderr}");
    assert!(stderr.contains("no-such-centerface.onnx"), "{stderr}");
    assert!(
        stderr.contains("WHOISWHO_MODEL names this file"),
        "{stderr}"
    );
    let report = ok(lib.path(), &["faces", "suggest", "--json"]);
    assert_eq!(
        report["embedded"], faces,
        "nothing was kept without it: {report}"
    );

    // A figure of an original that cannot be read fails and names it; it is never made from
    // the preview unsaid.
    std::fs::write(&damaged, b"\xff\xd8\xff\xe0 no longer a photo").unwrap();
    let figure = lib.path().join("figure.jpg");
    let export_figure = |photo: &str, json: bool| {
        let mut args = vec!["export", "figure", photo, "--out", figure.to_str().unwrap()];
        args.extend(json.then_some("--json"));
        whoiswho(lib.path(), &args)
    };
    let out = export_figure(damaged.to_str().unwrap(), true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("kcs03.jpeg"), "{stderr}");
    assert!(!figure.exists(), "no figure written");
    // One whose original is gone from disk (rescanned: missing) is made from the preview, and
    // says so.
    let id = json_stdout(&whoiswho(lib.path(), &["photos", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["path"]
                .as_str()
                .unwrap()
                .ends_with("kcd-ny-2026-team.jpg")
        })
        .map(|p| p["id"].as_i64().unwrap())
        .unwrap()
        .to_string();
    std::fs::remove_file(&gone).unwrap();
    whoiswho(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    let out = export_figure(&id, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("made from the cached preview"), "{stderr}");
    let json = json_stdout(&export_figure(&id, true));
    assert_eq!(json["pixels_from"], "preview", "{json}");

    // A gallery whose manifest is damaged is written anew and says so (exit 1).
    let gallery = lib.path().join("gallery");
    let first = ok(
        lib.path(),
        &["export", "gallery", gallery.to_str().unwrap(), "--json"],
    );
    assert_eq!(first["failed"], Value::Array(vec![]), "{first}");
    std::fs::write(gallery.join(".whoiswho-gallery.json"), b"{ not json").unwrap();
    let out = whoiswho(
        lib.path(),
        &["export", "gallery", gallery.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_stdout(&out);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report}");
    assert_eq!(failed[0]["path"], ".whoiswho-gallery.json");
    assert!(
        failed[0]["error"].as_str().unwrap().contains("is damaged"),
        "{report}"
    );
    assert_eq!(
        report["photos"], first["photos"],
        "the gallery is still whole"
    );

    // A kept page image that cannot be read is made again, not left out of the gallery.
    let image = gallery.join(format!("img/{id}.jpg"));
    std::fs::write(&image, b"").unwrap();
    let report = ok(
        lib.path(),
        &["export", "gallery", gallery.to_str().unwrap(), "--json"],
    );
    assert_eq!(report["photos"], first["photos"], "{report}");
    assert!(report["written"].as_u64().unwrap() >= 2, "{report}");
    assert!(image::image_dimensions(&image).is_ok(), "made again");
    let page = std::fs::read_to_string(gallery.join(format!("photo-{id}.html"))).unwrap();
    // minijinja writes the slash as &#x2f;
    assert!(
        page.contains(&format!("{id}.jpg\" width=")),
        "the photo's page shows it"
    );
}
