//! Rows by hand in the REAL window: with the numbers shown (W), the numbers sit where the core
//! placed them (none on a face, none on another); Up moves the face under the pointer to the
//! row above, Ctrl+Z and Ctrl+Y take it back and forth, a row button in the "who is who" list
//! moves one below, L reads the photo left to right. `faces list` follows, and the fix reaches a
//! teammate's library through the team folder. Screenshot in target/e2e/.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::driver::*;
use support::{ok, Desktop};

const PHOTO: &str = "ul-9.jpg";

fn library_with_the_photo() -> (tempfile::TempDir, tempfile::TempDir) {
    support::detected_library(&[(&format!("groups/{PHOTO}"), PHOTO)])
}

fn listed(library: &Path, photos: &Path) -> Vec<Value> {
    let photo = photos.join(PHOTO);
    ok(
        library,
        &["faces", "list", photo.to_str().unwrap(), "--json"],
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Each face's centre (in 1/100ths of the photo) and row, left to right then top to bottom: what
/// two libraries with their own detectors compare.
fn rows_of(faces: &[Value]) -> Vec<(i64, i64, Value)> {
    let mut rows: Vec<(i64, i64, Value)> = faces
        .iter()
        .map(|f| {
            let c = |k: &str, s: &str| {
                ((f[k].as_f64().unwrap() + f[s].as_f64().unwrap() / 2.0) * 100.0).round() as i64
            };
            (c("x", "w"), c("y", "h"), f["row"].clone())
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    rows
}

/// Whether the markers shown overlap one another or any face box, in the window's pixels.
const MARKERS_CLEAR: &str = r#"
    const m = [...document.querySelectorAll('.face-number')].map(e => e.getBoundingClientRect());
    const f = [...document.querySelectorAll('.face-box')].map(e => e.getBoundingClientRect());
    const disc = (a, r) => {
      const cx = a.left + a.width / 2, cy = a.top + a.height / 2, rad = a.width / 2 - 1;
      const nx = Math.min(Math.max(cx, r.left), r.right), ny = Math.min(Math.max(cy, r.top), r.bottom);
      return Math.hypot(cx - nx, cy - ny) < rad;
    };
    const far = (a, b) => Math.hypot(a.left + a.width / 2 - b.left - b.width / 2,
                                     a.top + a.height / 2 - b.top - b.height / 2) >= (a.width + b.width) / 2 - 1;
    const bad = [];
    m.forEach((a, i) => {
      m.forEach((b, j) => { if (j > i && !far(a, b)) bad.push(`markers ${i} and ${j}`); });
      f.forEach((r, j) => { if (disc(a, r)) bad.push(`marker ${i} on face ${j}`); });
    });
    return { count: m.length, bad, width: m.length ? m[0].width : 0 };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_fixed_by_hand_in_the_window_reach_every_output_and_a_teammate() {
    let (lib_a, photos_a) = library_with_the_photo();
    let (lib_b, photos_b) = library_with_the_photo();
    let team = tempfile::tempdir().unwrap();
    let team_dir = team.path().to_str().unwrap();
    let logins: Vec<String> = (1..=8).map(|i| format!("person-{i}")).collect();
    support::import_roster(
        lib_a.path(),
        &format!("login,consent\n{}\n", logins.join(",ok\n") + ",ok"),
    );
    let photo_a = photos_a.path().join(PHOTO).display().to_string();
    let faces = listed(lib_a.path(), photos_a.path());
    assert_eq!(faces.len(), 8);
    for (face, login) in faces.iter().zip(&logins) {
        ok(
            lib_a.path(),
            &["tag", &photo_a, &face["id"].to_string(), login, "--json"],
        );
    }
    let by_rule = rows_of(&listed(lib_a.path(), photos_a.path()));
    assert!(
        by_rule.iter().any(|r| r.2 == json!(2)),
        "{PHOTO} has two rows: {by_rule:?}"
    );
    ok(
        lib_a.path(),
        &["team", "join", team_dir, "--as", "paco", "--json"],
    );
    ok(
        lib_b.path(),
        &["team", "join", team_dir, "--as", "meng", "--json"],
    );

    let desktop = Desktop::start();
    let client = open_ready(&desktop, lib_a.path()).await;
    click(&client, ".tile", "the photo").await;
    wait_for(
        &client,
        "boxes",
        "return Number(document.querySelector('.face-layer').dataset.faceCount) === 8",
    )
    .await;
    keys(&client, "w").await;
    wait_for(
        &client,
        "eight numbers",
        "return document.querySelectorAll('.face-number').length === 8",
    )
    .await;
    let clear = js(&client, MARKERS_CLEAR).await;
    assert_eq!(clear["bad"], json!([]), "{clear}");
    let rows_shown = js(
        &client,
        "return [...document.querySelectorAll('#who-list li.row-start')].map(li => li.dataset.rowName)",
    )
    .await;
    assert_eq!(rows_shown, json!(["back row", "front row"]));
    save_screenshot(&client, "rows-by-hand-numbers.png").await;

    // The pointer on the leftmost face of the front row; Up moves it to the back row.
    let front = js(
        &client,
        "const b = [...document.querySelectorAll('.face-box[data-row=\"2\"]')]
           .sort((p, q) => p.getBoundingClientRect().left - q.getBoundingClientRect().left)[0];
         const r = b.getBoundingClientRect();
         return [b.dataset.faceId, r.left + r.width / 2, r.top + r.height / 2]",
    )
    .await;
    let face = front[0].as_str().unwrap().to_string();
    let (x, y) = (front[1].as_f64().unwrap(), front[2].as_f64().unwrap());
    {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        });
        client.perform_actions(hover).await.expect("hover");
    }
    keys(&client, "\u{E013}").await; // Up
    let moved = format!(
        "return document.querySelector('.face-layer').dataset.rowsBy === 'hand'
           && document.querySelector(\".face-box[data-face-id='{face}']\").dataset.row === '1'"
    );
    wait_for(&client, "the face in the back row", &moved).await;
    assert_eq!(
        js(
            &client,
            "return document.getElementById('rows-how').textContent"
        )
        .await,
        json!("Rows fixed by hand.")
    );
    let fixed = rows_of(&listed(lib_a.path(), photos_a.path()));
    assert_ne!(fixed, by_rule, "faces list follows the window");
    let clear = js(&client, MARKERS_CLEAR).await;
    assert_eq!(clear["bad"], json!([]), "{clear}");

    // The teammate's library gets the same rows through the team folder.
    let started = Instant::now();
    loop {
        ok(lib_b.path(), &["team", "sync", "--json"]);
        if rows_of(&listed(lib_b.path(), photos_b.path())) == fixed {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the rows fixed in the window reach the teammate: {:?} against {fixed:?}",
            rows_of(&listed(lib_b.path(), photos_b.path()))
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    // Undo and redo.
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the rows of the rule again",
        "return document.querySelector('.face-layer').dataset.rowsBy === 'rule'",
    )
    .await;
    assert_eq!(rows_of(&listed(lib_a.path(), photos_a.path())), by_rule);
    keys(&client, "\u{E009}y\u{E000}").await;
    wait_for(&client, "the fix again", &moved).await;

    // The pointer on the list: the back row's first entry goes down a row.
    let first = js(
        &client,
        "return document.querySelector('#who-list li[data-row=\"1\"]').dataset.faceId",
    )
    .await;
    let first = first.as_str().unwrap().to_string();
    js(
        &client,
        &format!("document.querySelector(\"#who-list li[data-face-id='{first}'] .row-move.down\").style.opacity = 1; return true"),
    )
    .await;
    click(
        &client,
        &format!("#who-list li[data-face-id='{first}'] .row-move.down"),
        "move down",
    )
    .await;
    wait_for(
        &client,
        "the entry in the front row",
        &format!("return document.querySelector(\"#who-list li[data-face-id='{first}']\").dataset.row === '2'"),
    )
    .await;

    // L: left to right, no rows anywhere.
    keys(&client, "l").await;
    wait_for(
        &client,
        "left to right",
        "return document.querySelector('.face-layer').dataset.rowsBy === 'left_to_right'
           && document.querySelectorAll('#who-list li.row-start').length === 0",
    )
    .await;
    let plain = listed(lib_a.path(), photos_a.path());
    assert!(plain.iter().all(|f| f["row"].is_null()), "{plain:?}");
    let numbers: Vec<i64> = {
        let mut by_x: Vec<&Value> = plain.iter().collect();
        by_x.sort_by(|a, b| {
            let c = |f: &Value| f["x"].as_f64().unwrap() + f["w"].as_f64().unwrap() / 2.0;
            c(a).total_cmp(&c(b))
        });
        by_x.iter().map(|f| f["number"].as_i64().unwrap()).collect()
    };
    assert_eq!(
        numbers,
        (1..=8).collect::<Vec<_>>(),
        "numbered left to right"
    );
    click(&client, "#rows-by-rule", "Rows by whoiswho").await;
    wait_for(
        &client,
        "the rule's rows",
        "return document.querySelector('.face-layer').dataset.rowsBy === 'rule'",
    )
    .await;
    assert_eq!(rows_of(&listed(lib_a.path(), photos_a.path())), by_rule);
}
