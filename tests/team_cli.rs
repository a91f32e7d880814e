//! A team from the command line, as several processes use one library at once: ten `tag`
//! commands while a `team sync` runs all succeed and no record is written twice; every decision
//! the window makes can be made here (not a face, ignore, untag, delete, undo, an attendee's
//! consent) and reaches a teammate; `tag --json` says who decided; `team status` names every
//! member and says whose file and which line a problem is on.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use support::{json_stdout, ok, shared_data, whoiswho, BIN};

struct Laptop {
    lib: tempfile::TempDir,
    _photos: tempfile::TempDir,
    photo: PathBuf,
}

impl Laptop {
    fn new() -> Self {
        let lib = tempfile::tempdir().unwrap();
        let photos = tempfile::tempdir().unwrap();
        let photo = photos.path().join("hopper.jpg");
        std::fs::copy(shared_data("orientation/hopper/hopper.jpg"), &photo).unwrap();
        ok(
            lib.path(),
            &["index", photos.path().to_str().unwrap(), "--json"],
        );
        Self {
            lib,
            _photos: photos,
            photo,
        }
    }

    fn path(&self) -> &Path {
        self.lib.path()
    }

    fn photo(&self) -> &str {
        self.photo.to_str().unwrap()
    }

    fn faces(&self) -> Vec<Value> {
        ok(self.path(), &["faces", "list", self.photo(), "--json"])
            .as_array()
            .unwrap()
            .clone()
    }

    fn join(&self, team: &Path, login: &str) {
        ok(
            self.path(),
            &[
                "team",
                "join",
                team.to_str().unwrap(),
                "--as",
                login,
                "--json",
            ],
        );
    }
}

/// The record ids of every log in the team folder.
fn record_ids(team: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for laptop in std::fs::read_dir(team.join("whoiswho-team"))
        .unwrap()
        .flatten()
    {
        let log = laptop.path().join("log.jsonl");
        for line in std::fs::read_to_string(log).unwrap_or_default().lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                if let Some(id) = v.get("id").and_then(Value::as_str) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids
}

/// A teammate's log that takes a while to apply: `n` attendees.
fn busy_teammate(team: &Path, n: usize) {
    let laptop = "0123456789abcdef";
    let dir = team.join("whoiswho-team").join(laptop);
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = format!(
        "{}\n",
        json!({"whoiswho": "team-log", "format": 1, "laptop": laptop, "login": "busy-bee"})
    );
    for i in 1..=n {
        text.push_str(&format!(
            "{}\n",
            json!({"id": format!("{laptop}.{i}"), "at": {"ms": 1_780_000_000_000u64 + i as u64}, "k": "person", "login": format!("attendee-{i}"), "consent": "ok"})
        ));
    }
    std::fs::write(dir.join("log.jsonl"), text).unwrap();
}

#[test]
fn ten_tags_during_a_team_sync_all_succeed_and_no_record_is_written_twice() {
    let team = tempfile::tempdir().unwrap();
    let a = Laptop::new();
    a.join(team.path(), "paco");
    busy_teammate(team.path(), 6000);
    let sync = Command::new(BIN)
        .args([
            "--library",
            a.path().to_str().unwrap(),
            "team",
            "sync",
            "--json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let tags: Vec<_> = (0..10)
        .map(|i| {
            let x = 0.02 + 0.09 * f64::from(i);
            Command::new(BIN)
                .args([
                    "--library",
                    a.path().to_str().unwrap(),
                    "tag",
                    a.photo(),
                    "--box",
                    &format!("{x:.3},0.4,0.06,0.08"),
                    &format!("person-{i}"),
                    "--json",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut failed = Vec::new();
    for child in tags {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failed.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let face: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert_eq!(face["by"], "paco", "tag --json says who decided: {face}");
        assert_eq!(face["conflict"], Value::Null);
    }
    let sync = sync.wait_with_output().unwrap();
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    assert!(
        failed.is_empty(),
        "{} of 10 failed: {failed:?}",
        failed.len()
    );
    ok(a.path(), &["team", "sync", "--json"]);
    let ids = record_ids(team.path());
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no record twice");
    assert_eq!(
        a.faces().iter().filter(|f| f["login"].is_string()).count(),
        10
    );
}

#[test]
fn every_decision_of_the_window_can_be_made_here_and_reaches_a_teammate() {
    let team = tempfile::tempdir().unwrap();
    let (a, b) = (Laptop::new(), Laptop::new());
    a.join(team.path(), "paco");
    b.join(team.path(), "meng");
    for (i, login) in ["alice", "bob", "carol", "dave"].iter().enumerate() {
        let x = 0.05 + 0.22 * i as f64;
        ok(
            a.path(),
            &[
                "tag",
                a.photo(),
                "--box",
                &format!("{x:.2},0.3,0.15,0.2"),
                login,
                "--json",
            ],
        );
    }
    let faces = a.faces();
    let id = |login: &str| faces.iter().find(|f| f["login"] == login).unwrap()["id"].to_string();
    let marked = ok(
        a.path(),
        &[
            "faces",
            "mark",
            a.photo(),
            &id("alice"),
            "not-a-face",
            "--json",
        ],
    );
    assert_eq!(
        (marked["state"].clone(), marked["by"].clone()),
        (json!("not_a_face"), json!("paco"))
    );
    let ignored = ok(
        a.path(),
        &["faces", "mark", a.photo(), &id("bob"), "ignore", "--json"],
    );
    assert_eq!(ignored["state"], "ignored");
    let untagged = ok(
        a.path(),
        &["faces", "untag", a.photo(), &id("carol"), "--json"],
    );
    assert_eq!(untagged["login"], Value::Null);
    let deleted = ok(
        a.path(),
        &["faces", "delete", a.photo(), &id("dave"), "--json"],
    );
    assert_eq!(deleted, Value::Null);
    // Undo takes back the last step (the delete): dave's box is back.
    let back = ok(a.path(), &["undo", "--json"]);
    assert_eq!(back[0]["login"], "dave");
    let set = ok(
        a.path(),
        &["roster", "set", "erin", "--consent", "no-publish", "--json"],
    );
    assert_eq!(set["consent"], "no-publish");

    ok(b.path(), &["team", "sync", "--json"]);
    let on_b = b.faces();
    let state_of = |login: Option<&str>, state: &str| {
        on_b.iter()
            .any(|f| f["state"] == state && f["login"].as_str() == login && f["by"] == "paco")
    };
    assert!(state_of(None, "not_a_face"), "{on_b:?}");
    assert!(state_of(None, "ignored"), "{on_b:?}");
    assert!(state_of(None, "unreviewed"), "{on_b:?}");
    assert!(state_of(Some("dave"), "confirmed"), "{on_b:?}");
    let roster = ok(b.path(), &["roster", "list", "--json"]);
    let erin = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "erin")
        .unwrap();
    assert_eq!(erin["consent"], "no-publish");
}

#[test]
fn team_status_names_every_member_and_where_each_problem_is() {
    let team = tempfile::tempdir().unwrap();
    let (a, b) = (Laptop::new(), Laptop::new());
    a.join(team.path(), "paco");
    b.join(team.path(), "meng");
    // meng has decided nothing yet; a third laptop's log holds a line that cannot be read.
    let laptop = "fedcba9876543210";
    let dir = team.path().join("whoiswho-team").join(laptop);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("log.jsonl"),
        format!(
            "{}\n{}\nnot json at all\n",
            json!({"whoiswho": "team-log", "format": 1, "laptop": laptop, "login": "kevin"}),
            json!({"id": format!("{laptop}.1"), "at": {"ms": 1_780_000_000_000u64}, "k": "person", "login": "zoe", "consent": "ok"})
        ),
    )
    .unwrap();
    // A link where a log should be is reported, not followed.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", dir.join("log.sync-conflict-x.jsonl")).unwrap();
    // A file where a teammate's folder should be is reported too.
    std::fs::write(
        team.path().join("whoiswho-team").join("0123456789abcdee"),
        b"not a folder",
    )
    .unwrap();
    let out = whoiswho(a.path(), &["team", "sync", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["file"] == "0123456789abcdee"
            && e["error"].as_str().unwrap().contains("not a folder")),
        "{report}"
    );
    let bad_line = errors
        .iter()
        .find(|e| e["line"] == 3)
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(bad_line["login"], "kevin");
    assert_eq!(bad_line["file"], format!("{laptop}/log.jsonl"));
    assert!(
        errors
            .iter()
            .any(|e| e["error"].as_str().unwrap().contains("a link")),
        "{report}"
    );
    let status = ok(a.path(), &["team", "status", "--json"]);
    let logins: Vec<&str> = status["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["login"].as_str().unwrap())
        .collect();
    assert_eq!(
        logins,
        ["kevin", "meng", "paco"],
        "meng decided nothing yet: still a member"
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
        support::json_keys(&joined),
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
    assert_eq!(
        support::json_keys(&status),
        ["conflicts", "folder", "me", "members"]
    );
    assert_eq!(status["me"], "mengjiao");
    let members = status["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    for m in members {
        assert_eq!(support::json_keys(m), ["decisions", "last", "login"]);
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
    assert_eq!(
        support::json_keys(&left),
        ["folder", "laptop", "me", "unsent", "written"]
    );
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
