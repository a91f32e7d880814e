//! The CLI contract of SPEC.md: JSON shapes, exit codes, and the library folder.

mod support;

use serde_json::Value;
use support::{json_stdout, ok, shared_data, whoiswho};

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

#[test]
fn faces_roster_and_tag_follow_the_contract() {
    let lib = tempfile::tempdir().unwrap();
    let talk = shared_data("events/kcs03.jpeg");
    whoiswho(
        lib.path(),
        &["index", shared_data("events").to_str().unwrap()],
    );
    let detect = whoiswho(lib.path(), &["faces", "detect", "--json"]);
    assert_eq!(
        detect.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&detect.stderr)
    );
    let report = json_stdout(&detect);
    assert_eq!(report["photos"], 4);
    assert!(report["faces"].as_u64().unwrap() >= 40, "{report}");
    // Resumable: nothing left to search.
    let again = json_stdout(&whoiswho(lib.path(), &["faces", "detect", "--json"]));
    assert_eq!(again["photos"], 0);

    let faces = json_stdout(&whoiswho(
        lib.path(),
        &["faces", "list", talk.to_str().unwrap(), "--json"],
    ));
    let faces = faces.as_array().unwrap();
    assert!(!faces.is_empty());
    for f in faces {
        let mut k = keys(f);
        k.retain(|k| k != "name");
        assert_eq!(
            k,
            [
                "asked",
                "by",
                "claim",
                "conflict",
                "decided_at",
                "group",
                "h",
                "id",
                "login",
                "number",
                "row",
                "score",
                "source",
                "state",
                "suggestion",
                "w",
                "x",
                "y"
            ]
        );
        for c in ["x", "y", "w", "h"] {
            let v = f[c].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{c}={v}");
        }
        assert_eq!(
            (f["source"].as_str(), f["state"].as_str()),
            (Some("auto"), Some("unreviewed"))
        );
    }

    let roster = lib.path().join("roster.csv");
    std::fs::write(
        &roster,
        "\u{feff}GitHub,Name,Consent\nkevin-wangzefeng,Kevin Wang,ok\nshy,王小明,no-tag\nbad login,X,\n",
    )
    .unwrap();
    let import = whoiswho(
        lib.path(),
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        import.status.code(),
        Some(1),
        "a rejected row is a failed input"
    );
    let import = json_stdout(&import);
    assert_eq!(
        (import["added"].clone(), import["people"].clone()),
        (2.into(), 2.into())
    );
    assert_eq!(import["rejected"][0]["line"], 4);

    // Tag by face id (case-insensitive login), then by a new box with a login not in the roster.
    let face_id = faces[0]["id"].to_string();
    let tagged = whoiswho(
        lib.path(),
        &[
            "tag",
            talk.to_str().unwrap(),
            &face_id,
            "Kevin-WangZefeng",
            "--json",
        ],
    );
    assert_eq!(
        tagged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&tagged.stderr)
    );
    let tagged = json_stdout(&tagged);
    assert_eq!(
        (tagged["login"].as_str(), tagged["state"].as_str()),
        (Some("kevin-wangzefeng"), Some("confirmed"))
    );
    let drawn = json_stdout(&whoiswho(
        lib.path(),
        &[
            "tag",
            talk.to_str().unwrap(),
            "--box",
            "0.5,0.2,0.05,0.08",
            "@newcomer",
            "--json",
        ],
    ));
    assert_eq!(
        (drawn["source"].as_str(), drawn["login"].as_str()),
        (Some("manual"), Some("newcomer"))
    );
    assert!((drawn["x"].as_f64().unwrap() - 0.5).abs() < 1e-9);

    // Consent and bad input are refused with reasons.
    let refused = whoiswho(
        lib.path(),
        &["tag", talk.to_str().unwrap(), &face_id, "shy"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("asked not to be tagged"));
    let bad_box = whoiswho(
        lib.path(),
        &[
            "tag",
            talk.to_str().unwrap(),
            "--box",
            "0.9,0.9,0.5,0.5",
            "x",
        ],
    );
    assert_eq!(bad_box.status.code(), Some(1));
    assert_eq!(
        whoiswho(lib.path(), &["tag", talk.to_str().unwrap(), "one", "x"])
            .status
            .code(),
        Some(2)
    );

    let people = json_stdout(&whoiswho(lib.path(), &["roster", "list", "--json"]));
    let people = people.as_array().unwrap();
    let kevin = people
        .iter()
        .find(|p| p["login"] == "kevin-wangzefeng")
        .unwrap();
    assert_eq!(
        (kevin["faces"].clone(), kevin["name"].clone()),
        (1.into(), "Kevin Wang".into())
    );
    let shy = people.iter().find(|p| p["login"] == "shy").unwrap();
    assert_eq!(
        (shy["consent"].as_str(), shy["name"].as_str()),
        (Some("no-tag"), Some("王小明"))
    );
    assert!(people.iter().any(|p| p["login"] == "newcomer"));

    // The photo list counts the faces.
    let photos = json_stdout(&whoiswho(lib.path(), &["photos", "--json"]));
    let kcs03 = photos
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with("kcs03.jpeg"))
        .unwrap();
    assert_eq!(kcs03["faces"].as_u64().unwrap() as usize, faces.len() + 1);

    // Every photo of @login, of @a and @b, and of faces nobody tagged yet.
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["photos"];
        all.extend_from_slice(args);
        all.push("--json");
        json_stdout(&whoiswho(lib.path(), &all))
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(ids(&["--person", "KEVIN-WANGZEFENG"]), ["kcs03.jpeg"]);
    assert_eq!(
        ids(&["--person", "@kevin-wangzefeng", "--person", "newcomer"]),
        ["kcs03.jpeg"]
    );
    assert!(ids(&["--person", "kevin-wangzefeng", "--person", "shy"]).is_empty());
    assert_eq!(
        ids(&["--untagged"]).len(),
        4,
        "every photo still has untagged faces"
    );
}

/// The only face of a photo of the identity set, as `faces list` gives it.
fn only_face(lib: &std::path::Path, photo: &std::path::Path) -> Value {
    let faces = json_stdout(&whoiswho(
        lib,
        &["faces", "list", photo.to_str().unwrap(), "--json"],
    ));
    let faces = faces.as_array().expect("array");
    faces
        .iter()
        .max_by(|a, b| {
            let area = |f: &Value| f["w"].as_f64().unwrap() * f["h"].as_f64().unwrap();
            area(a).total_cmp(&area(b))
        })
        .expect("a face")
        .clone()
}

#[test]
fn recognition_commands_follow_the_contract() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    for name in [
        "photo_001.jpg",
        "photo_051.jpg",
        "photo_078.jpg",
        "photo_028.jpg",
        "photo_058.jpg",
    ] {
        std::fs::copy(shared_data("identity").join(name), photos.path().join(name)).unwrap();
    }
    let photo = |name: &str| photos.path().join(name);
    whoiswho(lib.path(), &["index", photos.path().to_str().unwrap()]);
    whoiswho(lib.path(), &["faces", "detect"]);

    let out = whoiswho(lib.path(), &["faces", "suggest", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_stdout(&out);
    assert_eq!(
        keys(&report),
        ["cancelled", "embedded", "failed", "groups", "suggested"]
    );
    assert!(report["embedded"].as_u64().unwrap() >= 5, "{report}");
    assert_eq!(report["suggested"], 0, "nobody is named yet");
    assert!(report["groups"].as_u64().unwrap() >= 1, "{report}");
    assert_eq!(
        json_stdout(&whoiswho(lib.path(), &["faces", "suggest", "--json"]))["embedded"],
        0,
        "resumable"
    );

    // Kit's three photos are one group; naming it names them all.
    let groups = json_stdout(&whoiswho(lib.path(), &["faces", "groups", "--json"]));
    let kit = only_face(lib.path(), &photo("photo_001.jpg"));
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["faces"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["face"] == kit["id"])
        })
        .expect("Kit's face is grouped")
        .clone();
    assert_eq!(keys(&group), ["faces", "id", "size", "suggestion"]);
    assert_eq!(keys(&group["faces"][0]), ["face", "photo"]);
    assert_eq!(group["size"], 3, "{group}");
    assert_eq!(kit["group"], group["id"]);

    // Naming Obama's group names both his photos.
    let obama = only_face(lib.path(), &photo("photo_028.jpg"));
    let obama_group = obama["group"].clone();
    assert!(obama_group.is_number(), "{obama}");
    assert_ne!(obama_group, group["id"]);
    let named = whoiswho(
        lib.path(),
        &[
            "tag",
            "--group",
            &obama_group.to_string(),
            "barack-obama",
            "--json",
        ],
    );
    assert_eq!(
        named.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&named.stderr)
    );
    assert_eq!(json_stdout(&named).as_array().unwrap().len(), 2);
    assert_eq!(
        only_face(lib.path(), &photo("photo_058.jpg"))["login"],
        "barack-obama"
    );
    assert_eq!(
        whoiswho(lib.path(), &["tag", "--group", "999", "kit-harington"])
            .status
            .code(),
        Some(1),
        "no such group"
    );

    // Kit named once: suggested on his other photos; accept one, reject the other.
    whoiswho(
        lib.path(),
        &[
            "tag",
            photo("photo_001.jpg").to_str().unwrap(),
            &kit["id"].to_string(),
            "kit-harington",
        ],
    );
    let p051 = photo("photo_051.jpg");
    let other = only_face(lib.path(), &p051);
    assert_eq!(other["suggestion"]["login"], "kit-harington", "{other}");
    assert!(other["suggestion"]["score"].as_f64().unwrap() > 0.4);
    assert_eq!(other["suggestion"]["from"], "photos", "{other}");
    assert_eq!(other["login"], Value::Null, "a suggestion is not a tag");
    let face = other["id"].to_string();
    let accepted = whoiswho(
        lib.path(),
        &["faces", "accept", p051.to_str().unwrap(), &face, "--json"],
    );
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    assert_eq!(json_stdout(&accepted)["login"], "kit-harington");
    assert_eq!(json_stdout(&accepted)["state"], "confirmed");
    assert_eq!(
        whoiswho(
            lib.path(),
            &["faces", "accept", p051.to_str().unwrap(), &face]
        )
        .status
        .code(),
        Some(1),
        "nothing left to accept"
    );
    let p078 = photo("photo_078.jpg");
    let third = only_face(lib.path(), &p078);
    assert_eq!(third["suggestion"]["login"], "kit-harington", "{third}");
    let rejected = whoiswho(
        lib.path(),
        &[
            "faces",
            "reject",
            p078.to_str().unwrap(),
            &third["id"].to_string(),
        ],
    );
    assert_eq!(
        rejected.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rejected.stderr)
    );
    assert_eq!(only_face(lib.path(), &p078)["suggestion"], Value::Null);
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

/// `roster avatars --fetch` talks only to the address in WHOISWHO_AVATAR_URL (a local server
/// here), and only for attendees who may be tagged; `roster avatars DIR` imports a folder.
#[test]
fn avatar_commands_follow_the_contract() {
    let portrait = std::fs::read(shared_data("orientation/hopper/hopper.jpg")).unwrap();
    let server = support::avatar_server::AvatarServer::start(
        [("octocat".to_string(), portrait)].into_iter().collect(),
    );

    let lib = tempfile::tempdir().unwrap();
    let roster = lib.path().join("roster.csv");
    std::fs::write(
        &roster,
        "login,name,consent\noctocat,Octo,ok\nghost,Ghost,ok\nhidden,Hidden,no-tag\n",
    )
    .unwrap();
    support::ok(
        lib.path(),
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
    assert!(server.asked().is_empty(), "importing a roster asks nothing");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whoiswho"))
        .arg("--library")
        .arg(lib.path())
        .args(["roster", "avatars", "--fetch", "--json"])
        .env("WHOISWHO_AVATAR_URL", server.template())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a login without an avatar is a partial failure"
    );
    let report = json_stdout(&out);
    assert_eq!(
        keys(&report),
        ["cancelled", "failed", "fetched", "imported", "with_face"]
    );
    assert_eq!(report["fetched"], 1);
    assert_eq!(report["imported"], 0);
    assert_eq!(report["with_face"], 1);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(keys(&failed[0]), ["error", "login"]);
    assert_eq!(failed[0]["login"], "ghost");
    assert_eq!(
        server.asked(),
        ["/ghost.png", "/octocat.png"],
        "never the no-tag attendee"
    );
    // A malformed address is an error, never a quiet fall back to github.com.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whoiswho"))
        .arg("--library")
        .arg(lib.path())
        .args(["roster", "avatars", "--fetch", "--refresh", "--json"])
        .env("WHOISWHO_AVATAR_URL", "127.0.0.1:9/no-login-here.png")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("WHOISWHO_AVATAR_URL") && said.contains("{login}"),
        "{said}"
    );
    assert_eq!(server.asked().len(), 2, "nothing more was asked");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Ghost.PNG"), b"not a picture at all").unwrap();
    std::fs::copy(
        shared_data("orientation/hopper/hopper.jpg"),
        dir.path().join("octocat.jpg"),
    )
    .unwrap();
    let out = whoiswho(
        lib.path(),
        &["roster", "avatars", dir.path().to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json_stdout(&out);
    assert_eq!(report["imported"], 1);
    assert_eq!(report["fetched"], 0);
    assert_eq!(report["failed"][0]["login"], "ghost");

    let out = whoiswho(lib.path(), &["roster", "avatars", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a folder or --fetch is required"
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

/// `team join|sync|status|leave` and the `by` and `conflict` of `faces list`, between two
/// libraries with their own copies of a photo; a sync killed midway leaves nothing half done.
#[test]
fn team_commands_follow_the_contract() {
    let team = tempfile::tempdir().unwrap();
    let libraries = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let photos = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (lib, dir) in libraries.iter().zip(&photos) {
        std::fs::copy(
            shared_data("orientation/hopper/hopper.jpg"),
            dir.path().join("hopper.jpg"),
        )
        .unwrap();
        ok(
            lib.path(),
            &["index", dir.path().to_str().unwrap(), "--json"],
        );
    }
    let (a, b) = (libraries[0].path(), libraries[1].path());
    let photo = |i: usize| photos[i].path().join("hopper.jpg");
    let photo_a = photo(0);
    let photo_b = photo(1);

    let out = whoiswho(a, &["team", "status", "--json"]);
    assert_eq!(out.status.code(), Some(0), "no team yet is an answer");
    assert_eq!(json_stdout(&out), Value::Null);
    let out = whoiswho(a, &["team", "status"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("in no team"));

    let joined = ok(
        a,
        &[
            "team",
            "join",
            team.path().to_str().unwrap(),
            "--as",
            "pacoxu",
            "--json",
        ],
    );
    assert_eq!(
        keys(&joined),
        [
            "applied",
            "conflicts",
            "errors",
            "folded",
            "members",
            "read",
            "repaired",
            "waiting"
        ]
    );
    ok(
        b,
        &[
            "team",
            "join",
            team.path().to_str().unwrap(),
            "--as",
            "mengjiao",
            "--json",
        ],
    );
    let bad = whoiswho(
        b,
        &["team", "join", "/tmp/another-team", "--as", "mengjiao"],
    );
    assert_eq!(bad.status.code(), Some(1), "one team at a time");

    // Each names the same box differently before seeing the other's.
    let region = "0.3,0.3,0.4,0.5";
    ok(
        a,
        &[
            "tag",
            photo_a.to_str().unwrap(),
            "--box",
            region,
            "alice",
            "--json",
        ],
    );
    ok(
        b,
        &[
            "tag",
            photo_b.to_str().unwrap(),
            "--box",
            "0.6,0.05,0.3,0.3",
            "bob",
            "--json",
        ],
    );
    let synced = ok(a, &["team", "sync", "--json"]);
    assert_eq!(synced["read"], 2, "B's box and Bob: {synced}");
    assert_eq!(synced["members"], 2);
    let faces = ok(a, &["faces", "list", photo_a.to_str().unwrap(), "--json"]);
    let faces = faces.as_array().unwrap();
    assert_eq!(faces.len(), 2, "{faces:?}");
    for f in faces {
        assert!(f.get("by").is_some() && f.get("conflict").is_some(), "{f}");
    }
    let bobs = faces.iter().find(|f| f["login"] == "bob").unwrap();
    assert_eq!(bobs["by"], "mengjiao");
    assert_eq!(bobs["conflict"], Value::Null);
    ok(b, &["team", "sync", "--json"]);

    let status = ok(b, &["team", "status", "--json"]);
    assert_eq!(keys(&status), ["conflicts", "folder", "me", "members"]);
    assert_eq!(status["me"], "mengjiao");
    let members = status["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    for m in members {
        assert_eq!(keys(m), ["decisions", "last", "login"]);
    }

    // Many decisions on A; B's catch-up is killed midway, then runs again: each applied once.
    for i in 0..40 {
        let x = 0.01 + (i % 8) as f64 * 0.11;
        let y = 0.01 + (i / 8) as f64 * 0.19;
        ok(
            a,
            &[
                "tag",
                photo_a.to_str().unwrap(),
                "--box",
                &format!("{x:.2},{y:.2},0.05,0.05"),
                &format!("person-{i}"),
                "--json",
            ],
        );
    }
    let mut child = std::process::Command::new(support::BIN)
        .args(["--library", b.to_str().unwrap(), "team", "sync"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    let again = ok(b, &["team", "sync", "--json"]);
    assert!(again["errors"].as_array().unwrap().is_empty(), "{again}");
    let on_b = ok(b, &["faces", "list", photo_b.to_str().unwrap(), "--json"]);
    assert_eq!(
        on_b.as_array().unwrap().len(),
        42,
        "40 new boxes, each once"
    );
    assert_eq!(ok(b, &["team", "sync", "--json"])["read"], 0);

    let left = ok(a, &["team", "leave", "--json"]);
    assert_eq!(keys(&left), ["folder", "laptop", "me", "unsent", "written"]);
    assert_eq!(left["me"], "pacoxu");
    assert_eq!(
        ok(a, &["faces", "list", photo_a.to_str().unwrap(), "--json"])
            .as_array()
            .unwrap()
            .len(),
        42,
        "kept"
    );
}

#[test]
fn rows_can_be_fixed_by_hand_and_undone_on_the_command_line() {
    let lib = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        folder.path().join("ul-9.jpg"),
    )
    .unwrap();
    ok(
        lib.path(),
        &["index", folder.path().to_str().unwrap(), "--json"],
    );
    ok(lib.path(), &["faces", "detect", "--json"]);
    let photo = folder.path().join("ul-9.jpg");
    let photo = photo.to_str().unwrap();
    let list = |lib: &std::path::Path| ok(lib, &["faces", "list", photo, "--json"]);
    let rows = |faces: &Value| -> Vec<(i64, Value)> {
        faces
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["id"].as_i64().unwrap(), f["row"].clone()))
            .collect()
    };
    let by_rule = rows(&list(lib.path()));
    let (front, _) = by_rule
        .iter()
        .find(|(_, r)| r.as_i64() == Some(2))
        .expect("ul-9 has a front row")
        .clone();
    let fixed = ok(
        lib.path(),
        &["faces", "row", photo, &front.to_string(), "up", "--json"],
    );
    let row_of = |faces: &Value, id: i64| {
        faces
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .map(|f| f["row"].clone())
    };
    assert_eq!(row_of(&fixed, front), Some(Value::from(1)), "{fixed}");
    assert_eq!(rows(&list(lib.path())), rows(&fixed), "faces list follows");
    let plain = ok(
        lib.path(),
        &[
            "faces",
            "row",
            photo,
            &front.to_string(),
            "left-to-right",
            "--json",
        ],
    );
    assert!(plain.as_array().unwrap().iter().all(|f| f["row"].is_null()));
    ok(lib.path(), &["undo", "--json"]);
    assert_eq!(
        rows(&list(lib.path())),
        rows(&fixed),
        "undo: the move again"
    );
    ok(lib.path(), &["undo", "--json"]);
    assert_eq!(rows(&list(lib.path())), by_rule, "undo: the rule's rows");
    let missing = whoiswho(lib.path(), &["faces", "row", photo, "999999", "up"]);
    assert_eq!(missing.status.code(), Some(1), "no such face is an error");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("999999"));
}
