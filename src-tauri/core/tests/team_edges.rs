//! A team loses nothing and credits every decision to its author, whatever the sync tool does:
//! a conflict copy never overrides its laptop's records; a log cut or put back is written
//! again; leaving and rejoining keeps the laptop's identity and publishes only what changed; a
//! consent that arrives untags without records of the receiver's and credits its author; a
//! decision about a photo not yet searched for faces waits for its faces.

mod common;

use std::path::Path;

use common::laptop::{log_of, slot, tag, Laptop};
use whoiswho_core::faces::FaceDecision;
use whoiswho_core::people::{save_person, Consent, PersonInput};
use whoiswho_core::team;

const PHOTO: &str = "hopper.jpg";

fn hopper() -> Laptop {
    Laptop::new("orientation/hopper", &[PHOTO])
}

fn draw(l: &Laptop, i: usize, login: &str) {
    l.decide(
        PHOTO,
        FaceDecision::Draw {
            region: slot(i),
            login: Some(login.into()),
        },
    );
}

/// The ids of the record lines of a log.
fn ids(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
        .collect()
}

fn laptop_id(l: &Laptop) -> String {
    l.lib.library.read(|c| c.team()).unwrap().unwrap().laptop
}

/// The name and author of the face at `slot(i)`.
fn named(l: &Laptop, i: usize) -> (Option<String>, Option<String>) {
    let f = l.face_at(PHOTO, &slot(i));
    (f.login, f.by)
}

#[test]
fn a_conflict_copy_never_overrides_its_laptops_records() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hopper(), hopper());
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    draw(&a, 0, "alice");
    // bob is known to the team already, so naming a face bob is one record.
    draw(&a, 1, "bob");
    a.sync();
    b.sync();
    assert_eq!(named(&b, 0), (Some("alice".into()), Some("paco".into())));

    // A copy of A's log, as a sync engine keeps one, holding a record under A's next id that A
    // never made: it names the face @mallory.
    let log = log_of(dir.path(), &a);
    let text = std::fs::read_to_string(&log).unwrap();
    let last: serde_json::Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["k"] == "face" && v["login"] == "alice")
        .unwrap();
    let next = a.lib.library.read(|c| c.team()).unwrap().unwrap().next_seq;
    let mut forged = last.clone();
    forged["id"] = format!("{}.{next}", laptop_id(&a)).into();
    forged["login"] = "mallory".into();
    forged["at"]["ms"] = (last["at"]["ms"].as_u64().unwrap() + 1000).into();
    forged["after"] = serde_json::json!([last["id"]]);
    let copy = log.with_file_name("log.sync-conflict-20261206-120000-ABCDEFG.jsonl");
    let forged_copy = format!("{}\n{}\n", text.lines().next().unwrap(), forged);
    std::fs::write(&copy, &forged_copy).unwrap();
    // B reads it first: a record only the copy holds, that agrees with everything else.
    b.sync();
    assert_eq!(named(&b, 0).0.as_deref(), Some("mallory"));

    // A makes its own record with that id, and folds the copy back: the library wins.
    a.decide(PHOTO, tag(&a.face_at(PHOTO, &slot(0)), "bob"));
    let report = a.sync();
    assert_eq!(report.folded, 1, "{report:?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.error.contains("contradicted")),
        "{report:?}"
    );
    assert!(!copy.exists(), "the copy is folded back and removed");
    assert_eq!(named(&a, 0).0.as_deref(), Some("bob"));
    let in_log = ids(&log);
    let mut unique = in_log.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), in_log.len(), "no id twice in the log");

    // The sync engine brings the copy back late: B sees one id with two contents, reports both
    // files and applies neither; once the copy is gone, A's own record is applied.
    std::fs::write(&copy, &forged_copy).unwrap();
    let report = b.sync();
    let dispute = report
        .errors
        .iter()
        .find(|e| e.error.contains("applied neither way"))
        .unwrap_or_else(|| panic!("{report:?}"));
    assert!(
        dispute.error.contains("log.sync-conflict-") || dispute.file.contains("log.sync-conflict-"),
        "{dispute:?}"
    );
    assert!(
        dispute.error.contains("log.jsonl") || dispute.file.contains("log.jsonl"),
        "{dispute:?}"
    );
    assert_eq!(
        named(&b, 0),
        (Some("alice".into()), Some("paco".into())),
        "neither way"
    );
    std::fs::remove_file(&copy).unwrap();
    let report = b.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(named(&b, 0), (Some("bob".into()), Some("paco".into())));
    // The forged name joined B's roster when it was applied; no face carries it any more.
    let on_b: Vec<String> = b
        .state()
        .into_iter()
        .filter(|l| l != "@mallory None ok")
        .collect();
    assert_eq!(a.state(), on_b);
}

#[test]
fn a_log_cut_or_put_back_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hopper(), hopper());
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    for i in 0..3 {
        draw(&a, i, &format!("person-{i}"));
    }
    a.sync();
    let log = log_of(dir.path(), &a);
    let older = std::fs::read(&log).unwrap();
    for i in 3..6 {
        draw(&a, i, &format!("person-{i}"));
    }
    a.sync();
    let whole = ids(&log);
    // The sync tool cuts the log in the middle of a line.
    let bytes = std::fs::read(&log).unwrap();
    std::fs::write(&log, &bytes[..bytes.len() / 2 + 7]).unwrap();
    let report = a.sync();
    assert!(report.repaired >= 3, "{report:?}");
    let mut now = ids(&log);
    now.sort();
    let mut expected = whole.clone();
    expected.sort();
    assert_eq!(now, expected, "every record is in the log again, once");
    // B had read none of it: it gets all six.
    b.sync();
    assert_eq!(a.state(), b.state());

    // An older copy put back: the later records come back, and the next one follows them.
    std::fs::write(&log, &older).unwrap();
    let report = a.sync();
    assert!(report.repaired >= 3, "{report:?}");
    a.decide(PHOTO, tag(&a.face_at(PHOTO, &slot(5)), "zed"));
    let report = a.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    let report = b.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(named(&b, 5).0.as_deref(), Some("zed"));
    assert_eq!(a.state(), b.state());
}

#[test]
fn leaving_and_rejoining_keeps_the_laptop_and_publishes_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hopper(), hopper());
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    draw(&b, 0, "bob");
    draw(&a, 1, "alice");
    draw(&b, 2, "carol");
    for l in [&a, &b, &a] {
        l.sync();
    }
    let laptop = laptop_id(&a);
    let before = ids(&log_of(dir.path(), &a)).len();
    let left = team::leave(&a.lib.library).unwrap();
    assert_eq!(left.laptop, laptop);
    // While away: one face renamed after seeing bob's name.
    a.decide(PHOTO, tag(&a.face_at(PHOTO, &slot(0)), "dave"));
    a.join(dir.path(), "paco");
    assert_eq!(laptop_id(&a), laptop, "the laptop keeps its identity");
    let after = ids(&log_of(dir.path(), &a));
    // The renamed face, and the attendee new to the team: nothing else again.
    assert_eq!(after.len() - before, 2, "{after:?}");
    let report = b.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(b.faces(PHOTO).len(), 3, "no face doubled");
    assert_eq!(named(&b, 0), (Some("dave".into()), Some("paco".into())));
    assert_eq!(named(&b, 1), (Some("alice".into()), Some("paco".into())));
    assert_eq!(
        named(&b, 2),
        (Some("carol".into()), Some("meng".into())),
        "no by rewritten"
    );
    assert!(
        team::status(&b.lib.library).unwrap().conflicts.is_empty(),
        "no new conflict"
    );
    assert_eq!(a.state(), b.state());
}

#[test]
fn a_consent_that_arrives_untags_without_records_and_credits_its_author() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (hopper(), hopper(), hopper());
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    c.join(dir.path(), "kevin");
    draw(&b, 0, "erin");
    for l in [&b, &a, &c] {
        l.sync();
    }
    // Kevin makes erin no-tag; before it reaches her, meng names another face erin.
    save_person(
        &mut c.lib.library.catalog().unwrap(),
        &PersonInput {
            login: "erin".into(),
            name: None,
            affiliation: None,
            consent: Consent::NoTag,
            lower_consent: false,
        },
    )
    .unwrap();
    c.sync();
    draw(&b, 1, "erin");
    let a_before = ids(&log_of(dir.path(), &a)).len();
    let b_before = ids(&log_of(dir.path(), &b)).len();
    for l in [&a, &b, &a, &c, &b] {
        let report = l.sync();
        assert!(report.errors.is_empty(), "{report:?}");
    }
    assert_eq!(
        ids(&log_of(dir.path(), &a)).len(),
        a_before,
        "A recorded nothing"
    );
    assert_eq!(
        ids(&log_of(dir.path(), &b)).len(),
        b_before + 1,
        "B recorded only its own drawing"
    );
    for l in [&a, &b, &c] {
        for i in 0..2 {
            assert_eq!(named(l, i), (None, Some("kevin".into())), "face {i}");
        }
    }
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state(), c.state());
}

#[test]
fn a_decision_about_a_photo_not_yet_searched_waits_for_its_faces() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hopper(), hopper());
    a.search_faces();
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    let face = a.faces(PHOTO)[0].clone();
    a.decide(PHOTO, tag(&face, "alice"));
    a.sync();
    let report = b.sync();
    assert_eq!(report.waiting, 1, "{report:?}");
    assert!(
        b.faces(PHOTO).is_empty(),
        "no box made by hand for the detector's"
    );
    b.search_faces();
    let report = b.sync();
    assert_eq!(report.waiting, 0, "{report:?}");
    let faces = b.faces(PHOTO);
    assert_eq!(
        faces.len(),
        a.faces(PHOTO).len(),
        "the detector's box, named: no double"
    );
    assert_eq!(
        b.face_at(PHOTO, &face.region()).login.as_deref(),
        Some("alice")
    );
    assert_eq!(a.state(), b.state());
}
