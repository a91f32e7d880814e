//! The team journey in the REAL window: library A in the window and library B on the command
//! line, each with its own copy of a photo, their team folders carried between them by two real
//! Syncthing instances on 127.0.0.1. A names a face in the window and it reaches B; B names
//! another and it shows in A's window with no reload, the viewer still on the same photo.
//! Screenshots in target/e2e/.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::driver::*;
use support::{ok, shared_data, Desktop};

const PHOTO: &str = "kcd-ny-2026-team.jpg";

fn library_with_the_photo() -> (tempfile::TempDir, tempfile::TempDir) {
    let photos = tempfile::tempdir().expect("photo dir");
    std::fs::copy(
        shared_data(&format!("events/{PHOTO}")),
        photos.path().join(PHOTO),
    )
    .expect("copy");
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    ok(library.path(), &["faces", "detect", "--json"]);
    (library, photos)
}

fn faces_on(library: &Path, photos: &Path) -> Vec<Value> {
    let photo = photos.join(PHOTO);
    ok(
        library,
        &["faces", "list", photo.to_str().unwrap(), "--json"],
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Whether some file under `dir` holds `text`.
fn holds(dir: &Path, text: &str) -> bool {
    walk(dir)
        .iter()
        .any(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(text)))
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_given_in_one_window_reaches_the_other_library_through_syncthing() {
    assert!(
        support::syncthing::available(),
        "syncthing is installed by scripts/setup.sh"
    );
    let (lib_a, _photos_a) = library_with_the_photo();
    let (lib_b, photos_b) = library_with_the_photo();
    let (team_a, team_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let _syncthing = support::syncthing::pair(team_a.path(), team_b.path());
    ok(
        lib_b.path(),
        &[
            "team",
            "join",
            team_b.path().to_str().unwrap(),
            "--as",
            "mengjiao",
            "--json",
        ],
    );
    // B's log as it is now: put back later, as Syncthing's file versioning can.
    let b_log = walk(team_b.path())
        .into_iter()
        .find(|p| {
            p.file_name().is_some_and(|n| n == "log.jsonl")
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains("mengjiao"))
        })
        .expect("B's log");
    let older = std::fs::read(&b_log).unwrap();

    let desktop = Desktop::start();
    let client = open_ready(&desktop, lib_a.path()).await;
    js(
        &client,
        &format!(
            "window.whoiswho.joinTeamAt({}, 'pacoxu'); return true",
            json!(team_a.path().display().to_string())
        ),
    )
    .await;
    wait_for(
        &client,
        "the team joined",
        "return document.documentElement.dataset.team === 'joined'",
    )
    .await;
    click(&client, ".tile", "the photo").await;
    wait_for(
        &client,
        "face boxes",
        "const l = document.querySelector('.face-layer'); return l && Number(l.dataset.faceCount) > 2",
    )
    .await;
    let photo_id = js(
        &client,
        "return document.getElementById('viewer').dataset.photoId",
    )
    .await;
    let first = js(
        &client,
        "return document.querySelector('.face-box').dataset.faceId",
    )
    .await;
    let first = first.as_str().unwrap().to_string();
    let input = open_typeahead(
        &client,
        &format!(".face-box[data-face-id='{first}']"),
        "a face",
    )
    .await;
    input
        .send_keys("alice\u{E007}")
        .await
        .expect("type and enter");
    wait_for(
        &client,
        "the tagged face",
        &format!("return document.querySelector(\".face-box[data-face-id='{first}'].tagged\")"),
    )
    .await;

    // Syncthing carries A's log to B's folder; B's sync reads it.
    let tagged = Instant::now();
    let mut carried = None;
    let mut arrived = None;
    while tagged.elapsed() < Duration::from_secs(90) {
        if carried.is_none() && holds(team_b.path(), "\"alice\"") {
            carried = Some(tagged.elapsed());
        }
        if carried.is_some() {
            ok(lib_b.path(), &["team", "sync", "--json"]);
            if faces_on(lib_b.path(), photos_b.path())
                .iter()
                .any(|f| f["login"] == "alice" && f["by"] == "pacoxu")
            {
                arrived = Some(tagged.elapsed());
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let arrived = arrived.expect("the name given in the window reaches library B");
    eprintln!(
        "window tag -> library B: {:.1} s (Syncthing carried the file in {:.1} s)",
        arrived.as_secs_f64(),
        carried.unwrap_or_default().as_secs_f64()
    );

    // B names another face; A's window shows it, still on the same photo, with the typeahead
    // A had open on a third face still open and what was typed still there.
    let faces_b = faces_on(lib_b.path(), photos_b.path());
    let unnamed: Vec<&Value> = faces_b.iter().filter(|f| f["login"].is_null()).collect();
    let other = unnamed[0];
    let third = js(
        &client,
        "return [...document.querySelectorAll('.face-box:not(.tagged)')].map(b => b.dataset.faceId)",
    )
    .await;
    let third = third
        .as_array()
        .and_then(|ids| ids.last())
        .and_then(Value::as_str)
        .expect("an untagged face in the window")
        .to_string();
    let typing = open_typeahead(
        &client,
        &format!(".face-box[data-face-id='{third}']"),
        "a third face",
    )
    .await;
    typing.send_keys("car").await.expect("type");
    ok(
        lib_b.path(),
        &[
            "tag",
            photos_b.path().join(PHOTO).to_str().unwrap(),
            &other["id"].to_string(),
            "bob",
            "--json",
        ],
    );
    let named = Instant::now();
    let title = wait_for_long(
        &client,
        "B's name in A's window",
        "const b = [...document.querySelectorAll('.face-box')].find(b => b.title.startsWith('@bob')); return b && b.title",
        Duration::from_secs(90),
    )
    .await;
    eprintln!(
        "CLI tag in library B -> A's window: {:.1} s",
        named.elapsed().as_secs_f64()
    );
    assert!(
        title.as_str().unwrap().contains("named by @mengjiao"),
        "{title}"
    );
    assert_eq!(
        js(
            &client,
            "return document.getElementById('viewer').dataset.photoId"
        )
        .await,
        photo_id,
        "the viewer stayed on the photo"
    );
    assert_eq!(
        js(
            &client,
            "const f = document.querySelector('#viewer .tag-popover'); return !f.hidden && f.querySelector('input').value"
        )
        .await,
        json!("car"),
        "the open typeahead and what was typed survive a teammate's change"
    );
    save_screenshot(&client, "team-viewer.png").await;

    // An older copy of B's log is put back (Syncthing carries it to A's side too): B's next
    // sync writes the lost record again, and what B decides next still reaches A's window.
    std::fs::write(&b_log, &older).unwrap();
    let repaired = ok(lib_b.path(), &["team", "sync", "--json"]);
    assert!(repaired["repaired"].as_u64().unwrap() >= 1, "{repaired}");
    assert!(
        std::fs::read_to_string(&b_log).unwrap().contains("\"bob\""),
        "the lost record is in B's log again"
    );
    let fourth = unnamed[1];
    ok(
        lib_b.path(),
        &[
            "tag",
            photos_b.path().join(PHOTO).to_str().unwrap(),
            &fourth["id"].to_string(),
            "dave",
            "--json",
        ],
    );
    wait_for_long(
        &client,
        "B's next name in A's window, after the log was put back",
        "return [...document.querySelectorAll('.face-box')].some(b => b.title.startsWith('@dave'))",
        Duration::from_secs(90),
    )
    .await;

    keys(&client, "\u{E00C}").await; // Esc: the typeahead closes
    keys(&client, "\u{E00C}").await; // Esc: back to the grid
    click(&client, "#open-team", "the Team button").await;
    let members = wait_for(
        &client,
        "the team panel",
        "const r = [...document.querySelectorAll('#team-members tr')].map(tr => tr.dataset.login); return r.length === 2 && r",
    )
    .await;
    assert_eq!(members, json!(["mengjiao", "pacoxu"]));
    save_screenshot(&client, "team.png").await;
    client.close().await.expect("close the session");
}

/// `wait_for` with a longer limit: a file travelling through a sync engine takes seconds.
async fn wait_for_long(
    client: &fantoccini::Client,
    what: &str,
    script: &str,
    limit: Duration,
) -> Value {
    let started = Instant::now();
    while started.elapsed() < limit {
        let v = js(client, script).await;
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting for {what}");
}
