//! The CLI contract of SPEC.md for faces, people and recognition: `faces list|detect|row|…`,
//! `roster`, `tag`, the recognition commands, `roster avatars`: JSON shapes and exit codes.

mod support;

use serde_json::Value;
use support::{json_stdout, ok, shared_data, whoiswho};

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
        let mut k = support::json_keys(f);
        k.retain(|k| k != "name");
        assert_eq!(
            k,
            [
                "asked",
                "by",
                "claim",
                "conflict",
                "crop",
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
        // The crop's name, for the window's addresses: 12 hex digits.
        let crop = f["crop"].as_str().unwrap();
        assert!(
            crop.len() == 12 && crop.bytes().all(|b| b.is_ascii_hexdigit()),
            "{crop}"
        );
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
        support::json_keys(&report),
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
    assert_eq!(
        support::json_keys(&group),
        ["faces", "id", "size", "suggestion"]
    );
    assert_eq!(support::json_keys(&group["faces"][0]), ["face", "photo"]);
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

/// `roster avatars --fetch` talks only to the address in WHOISWHO_AVATAR_URL (a local server
/// here), and only for attendees who may be tagged; `roster avatars DIR` imports a folder.
#[test]
fn avatar_commands_follow_the_contract() {
    let portrait = std::fs::read(shared_data("orientation/hopper/hopper.jpg")).unwrap();
    let server = support::avatar_server::AvatarServer::start(
        [("octocat".to_string(), portrait)].into_iter().collect(),
    );

    let lib = tempfile::tempdir().unwrap();
    support::import_roster(
        lib.path(),
        "login,name,consent\noctocat,Octo,ok\nghost,Ghost,ok\nhidden,Hidden,no-tag\n",
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
        support::json_keys(&report),
        ["cancelled", "failed", "fetched", "imported", "with_face"]
    );
    assert_eq!(report["fetched"], 1);
    assert_eq!(report["imported"], 0);
    assert_eq!(report["with_face"], 1);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(support::json_keys(&failed[0]), ["error", "login"]);
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
