//! End to end: the REAL app binary in a real WebKitGTK window under a private Xvfb, driven
//! through WebKitWebDriver. The library is prepared with the CLI, then a person's path is
//! followed: see the grid, open a photo, read its info panel, step to the next, close.
//! Screenshots land in target/e2e/.

mod support;

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::{shared_data, Desktop};

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
}

/// Polls `script` until it returns something truthy (the app renders asynchronously).
async fn wait_for(client: &Client, what: &str, script: &str) -> Value {
    for _ in 0..200 {
        let v = js(client, script).await;
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Starts the real app on `library` and waits until its UI says it is ready.
async fn open_ready(desktop: &Desktop, library: &std::path::Path) -> Client {
    let client = desktop.open_app(library).await;
    wait_for(
        &client,
        "the ready marker",
        "return document.documentElement.dataset.ready === 'true'",
    )
    .await;
    client
}

/// Clicks the element `css` selects; `what` names it in the failure message. A view may redraw
/// between finding and clicking (fresh data replacing cached), so a vanished element is looked
/// up again.
async fn click(client: &Client, css: &str, what: &str) {
    for attempt in 0..3 {
        let found = client.find(Locator::Css(css)).await;
        let result = match found {
            Ok(el) => el.click().await.map(|_| ()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => return,
            Err(e) if attempt < 2 => {
                eprintln!("retrying click on {what} after: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("click {what}: {e}"),
        }
    }
}

async fn field(client: &Client, name: &str) -> String {
    client
        .find(Locator::Css(&format!("#viewer [data-field=\"{name}\"]")))
        .await
        .expect(name)
        .text()
        .await
        .expect(name)
}

async fn save_screenshot(client: &Client, name: &str) {
    // Two frames so the last change is painted.
    js(
        client,
        "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    )
    .await;
    let png = client.screenshot().await.expect("screenshot");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(name), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_the_grid_and_read_a_photo_in_the_viewer() {
    let library = tempfile::tempdir().expect("library dir");
    let photos = support::prepare_library(
        library.path(),
        &[shared_data("exif"), shared_data("orientation/hopper")],
    );
    assert_eq!(photos.len(), 24, "9 EXIF photos + 15 hopper orientations");

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    let total = js(
        &client,
        "return document.getElementById('grid-canvas').dataset.totalTiles",
    )
    .await;
    assert_eq!(total, json!("24"));
    let count_text = js(
        &client,
        "return document.getElementById('photo-count').textContent",
    )
    .await;
    assert_eq!(count_text, json!("24 photos"));
    // Every tile in view shows its real thumbnail, served by the thumb: scheme.
    wait_for(
        &client,
        "grid thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')];
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    save_screenshot(&client, "grid.png").await;

    // Open the first Nikon photo of the day: its info panel must show what its EXIF says.
    let index = photos
        .iter()
        .position(|p| p["path"].as_str().unwrap_or("").ends_with("DSCN0010.jpg"))
        .expect("DSCN0010 indexed");
    let id = photos[index]["id"].as_i64().expect("id");
    click(
        &client,
        &format!(".tile[data-photo-id=\"{id}\"]"),
        "tile of DSCN0010",
    )
    .await;
    wait_for(
        &client,
        "the info panel",
        "return document.getElementById('viewer').dataset.loaded === 'true'",
    )
    .await;
    assert_eq!(field(&client, "file-name").await, "DSCN0010.jpg");
    assert_eq!(field(&client, "dimensions").await, "640 × 480 px");
    assert_eq!(field(&client, "camera").await, "NIKON COOLPIX P6000");
    assert_eq!(field(&client, "taken").await, "22 Oct 2008, 16:28:39");
    assert!(field(&client, "gps").await.starts_with("Present"));
    let preview = wait_for(
        &client,
        "the preview image",
        "const i = document.getElementById('viewer-image');
         return i.complete && i.naturalWidth > 0 && [i.naturalWidth, i.naturalHeight]",
    )
    .await;
    assert_eq!(preview, json!([640, 480]));
    save_screenshot(&client, "viewer.png").await;

    // Right arrow moves to the next photo in grid order; Esc closes the viewer.
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys("\u{E014}")
        .await
        .expect("arrow right");
    let next_id = photos[index + 1]["id"].as_i64().expect("next id");
    wait_for(
        &client,
        "the next photo",
        &format!("return document.getElementById('viewer').dataset.photoId === '{next_id}'"),
    )
    .await;
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys("\u{E00C}")
        .await
        .expect("escape");
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_photos_stay_virtualized_from_top_to_bottom() {
    // 10,000 distinct files (hard links to the shared EXIF photos) across ten folders.
    let photos = tempfile::tempdir().expect("photo dir");
    let sources: Vec<_> = std::fs::read_dir(shared_data("exif"))
        .expect("exif folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .collect();
    for i in 0..10_000 {
        let dir = photos.path().join(format!("part{:02}", i / 1000));
        std::fs::create_dir_all(&dir).expect("part dir");
        std::fs::hard_link(
            &sources[i % sources.len()],
            dir.join(format!("p{i:05}.jpg")),
        )
        .expect("link photo");
    }
    let library = tempfile::tempdir().expect("library dir");
    let listed = support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    assert_eq!(listed.len(), 10_000);

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    let total = js(
        &client,
        "return document.getElementById('grid-canvas').dataset.totalTiles",
    )
    .await;
    assert_eq!(total, json!("10000"));
    let tiles_in_dom = "return document.querySelectorAll('.tile').length";
    let at_top = js(&client, tiles_in_dom).await.as_u64().expect("count");
    assert!(
        at_top > 0 && at_top < 400,
        "only rows near the view exist, got {at_top}"
    );

    js(
        &client,
        "const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight; return true",
    )
    .await;
    wait_for(
        &client,
        "the last tile",
        "return !!document.querySelector('.tile[data-index=\"9999\"]')",
    )
    .await;
    let at_bottom = js(&client, tiles_in_dom).await.as_u64().expect("count");
    assert!(
        at_bottom < 400,
        "still virtualized at the bottom, got {at_bottom}"
    );
    wait_for(
        &client,
        "bottom thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')].filter(i => i.getBoundingClientRect().top < innerHeight && i.getBoundingClientRect().bottom > 0);
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    save_screenshot(&client, "grid-10000-bottom.png").await;

    // The last photo opens in the viewer from the bottom of the grid.
    click(&client, ".tile[data-index=\"9999\"]", "last tile").await;
    wait_for(
        &client,
        "the info panel",
        "return document.getElementById('viewer').dataset.loaded === 'true'",
    )
    .await;
    assert_eq!(
        field(&client, "file-name").await,
        listed[9999]["path"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
    );
    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_library_invites_adding_a_folder() {
    let library = tempfile::tempdir().expect("library dir");
    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    let empty_visible = js(&client, "return !document.getElementById('empty').hidden").await;
    assert_eq!(empty_visible, json!(true));
    let label = client
        .find(Locator::Css("#add-folder-empty"))
        .await
        .expect("add folder button")
        .text()
        .await
        .expect("label");
    assert_eq!(label, "Add photo folder");
    save_screenshot(&client, "empty.png").await;
    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rescan_from_the_window_adds_new_photos_and_lists_unreadable_files() {
    let folder = tempfile::tempdir().expect("photo folder");
    for name in ["DSCN0010.jpg", "DSCN0012.jpg"] {
        std::fs::copy(shared_data("exif").join(name), folder.path().join(name)).expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[folder.path().to_path_buf()]);
    // After the first index, the organizer drops more files in, one of them broken.
    for name in ["DSCN0021.jpg", "DSCN0025.jpg"] {
        std::fs::copy(shared_data("exif").join(name), folder.path().join(name)).expect("copy");
    }
    std::fs::copy(
        shared_data("broken/truncated_image.png"),
        folder.path().join("broken.png"),
    )
    .expect("copy broken");

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    assert_eq!(
        js(
            &client,
            "return document.getElementById('grid-canvas').dataset.totalTiles"
        )
        .await,
        json!("2")
    );
    click(&client, "#rescan", "rescan button").await;
    wait_for(
        &client,
        "the grid to grow",
        "return document.getElementById('grid-canvas').dataset.totalTiles === '4'",
    )
    .await;
    wait_for(&client, "the indexing summary", "return !document.getElementById('toast').hidden && document.getElementById('toast').textContent").await;
    let toast = js(
        &client,
        "return document.getElementById('toast').textContent",
    )
    .await;
    assert_eq!(
        toast,
        json!("2 photos indexed, 2 unchanged, 1 could not be read")
    );
    // The new tiles show their thumbnails, made during the rescan.
    wait_for(
        &client,
        "new thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')];
         return imgs.length === 4 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    let failures = wait_for(
        &client,
        "the unreadable-files button",
        "const b = document.getElementById('show-failures'); return !b.hidden && b.textContent",
    )
    .await;
    assert_eq!(failures, json!("1 file could not be read"));
    click(&client, "#show-failures", "failures button").await;
    let listed = js(
        &client,
        "return document.getElementById('failures-list').textContent",
    )
    .await;
    let listed = listed.as_str().expect("text");
    assert!(
        listed.contains("broken.png") && listed.contains("corrupt or truncated PNG"),
        "{listed}"
    );
    save_screenshot(&client, "failures.png").await;
    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_faces_of_a_group_photo_through_the_typeahead() {
    let photos = tempfile::tempdir().expect("photo dir");
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        photos.path().join("ul-9.jpg"),
    )
    .expect("copy");
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let roster = library.path().join("roster.csv");
    std::fs::write(
        &roster,
        "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nkevinsmith,Kevin Smith,no-tag\noctocat,Mona Lisa,\n",
    )
    .expect("roster");
    for args in [
        vec!["roster", "import", roster.to_str().unwrap()],
        vec!["faces", "detect"],
    ] {
        let out = support::whoiswho(library.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    click(&client, ".tile", "tile").await;
    let count = wait_for(
        &client,
        "face boxes",
        "const l = document.querySelector('.face-layer'); return l && Number(l.dataset.faceCount) > 0 && Number(l.dataset.faceCount)",
    )
    .await;
    assert_eq!(count, json!(8), "ul-9 has 8 faces");
    wait_for(
        &client,
        "the layer over the image",
        "return document.querySelector('.face-layer').getBoundingClientRect().width > 100",
    )
    .await;

    // First face: type three letters; the no-tag attendee is never offered.
    let ids = js(
        &client,
        "return [...document.querySelectorAll('.face-box')].map(b => b.dataset.faceId)",
    )
    .await;
    let box_of = |i: usize| {
        format!(
            ".face-box[data-face-id='{}']",
            ids[i].as_str().expect("face id")
        )
    };
    let open_box = |i: usize| {
        let selector = box_of(i);
        let client = client.clone();
        async move {
            click(&client, &selector, "face box").await;
            client
                .find(Locator::Css("#viewer .tag-popover input"))
                .await
                .expect("typeahead")
        }
    };
    let input = open_box(0).await;
    input.send_keys("kev").await.expect("type");
    let offered = wait_for(
        &client,
        "suggestions",
        "const o = [...document.querySelectorAll('#viewer .tag-choices li')].map(li => li.dataset.login); return o.length && o",
    )
    .await;
    assert_eq!(
        offered,
        json!(["kevin-wangzefeng"]),
        "kevinsmith asked not to be tagged"
    );
    input.send_keys("\u{E007}").await.expect("enter");
    let title = wait_for(
        &client,
        "the tagged box",
        &format!(
            "const b = document.querySelector(\"{}.tagged\"); return b && b.title",
            box_of(0)
        ),
    )
    .await;
    assert_eq!(title, json!("@kevin-wangzefeng · Kevin Wang"));

    // Second face: a login typed in full; arrow keys inside the box move the caret, not the photo.
    let input = open_box(1).await;
    input
        .send_keys("octo\u{E012}\u{E014}cat")
        .await
        .expect("type");
    let photo_before = js(
        &client,
        "return document.getElementById('viewer').dataset.photoId",
    )
    .await;
    input.send_keys("\u{E007}").await.expect("enter");
    wait_for(
        &client,
        "two tagged boxes",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    assert_eq!(
        js(
            &client,
            "return document.getElementById('viewer').dataset.photoId"
        )
        .await,
        photo_before
    );
    save_screenshot(&client, "tagged.png").await;

    // Ctrl+Z undoes the second tag, Ctrl+Shift+Z redoes it.
    let keys = |k: &'static str| {
        let client = client.clone();
        async move {
            client
                .active_element()
                .await
                .expect("focus")
                .send_keys(k)
                .await
                .expect("keys")
        }
    };
    let tagged_count = "return document.querySelectorAll('.face-box.tagged').length";
    keys("\u{E009}z\u{E000}").await;
    wait_for(&client, "the undo", &format!("{tagged_count} === 1")).await;
    keys("\u{E009}\u{E008}z\u{E000}").await;
    wait_for(&client, "the redo", &format!("{tagged_count} === 2")).await;

    // X with the pointer on a face marks it "not a face": it leaves the photo; Ctrl+Z brings it back.
    js(
        &client,
        &format!(
            "document.querySelector(\"{}\").focus(); return true",
            box_of(2)
        ),
    )
    .await;
    keys("x").await;
    let face_count = "return Number(document.querySelector('.face-layer').dataset.faceCount)";
    wait_for(&client, "the face to leave", &format!("{face_count} === 7")).await;
    keys("\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the face to come back",
        &format!("{face_count} === 8"),
    )
    .await;
    client.close().await.expect("close session");

    // The tags are in the library, as the CLI sees them.
    let people = support::json_stdout(&support::whoiswho(
        library.path(),
        &["roster", "list", "--json"],
    ));
    let faces_of = |login: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .map(|p| p["faces"].clone())
    };
    assert_eq!(faces_of("kevin-wangzefeng"), Some(json!(1)));
    assert_eq!(faces_of("octocat"), Some(json!(1)));
}

/// Sends keys to whatever has focus, as a person typing would.
async fn keys(client: &Client, k: &str) {
    // The focused element may be replaced between finding it and typing (a list refilled);
    // a person's keys would go to its successor, so try once more.
    for attempt in 0..2 {
        let sent = client
            .active_element()
            .await
            .expect("focus")
            .send_keys(k)
            .await;
        match sent {
            Ok(()) => return,
            Err(e) if attempt == 0 => eprintln!("retrying keys after: {e}"),
            Err(e) => panic!("keys {k:?}: {e}"),
        }
    }
}

/// Drags with the real pointer from one point to another (viewport pixels).
async fn drag(client: &Client, from: (f64, f64), to: (f64, f64)) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let step = Some(Duration::from_millis(60));
    let moves = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: from.0,
            y: from.1,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveTo {
            duration: step,
            x: (from.0 + to.0) / 2.0,
            y: (from.1 + to.1) / 2.0,
        })
        .then(PointerAction::MoveTo {
            duration: step,
            x: to.0,
            y: to.1,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(moves).await.expect("drag");
    client.release_actions().await.expect("release");
}

/// The path end to end: import a roster in the app, tag two faces of a group photo
/// through the typeahead, undo one, draw and move a box, number the faces, then the people
/// list, the person page, triage by keyboard, and the CLI seeing all of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_tagging_boxes_people_and_triage() {
    let photos = tempfile::tempdir().expect("photo dir");
    for (from, to) in [
        ("groups/ul-9.jpg", "ul-9.jpg"),
        ("faces-gt/2007_007763.jpg", "b.jpg"),
    ] {
        std::fs::copy(shared_data(from), photos.path().join(to)).expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let out = support::whoiswho(library.path(), &["faces", "detect"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let roster = library.path().join("roster.csv");
    std::fs::write(
        &roster,
        "\u{feff}GitHub;Name;Affiliation;Consent\n\
         kevin-wangzefeng;Kevin Wang;Huawei;ok\n\
         kevinsmith;Kevin Smith;;no-tag\n\
         lixiang;李想;DaoCloud;ok\n\
         octocat;\"Mona \"\"the cat\"\" Lisa\";GitHub;no-publish\n\
         not a login!;Bad Row;;ok\n\
         KEVIN-WANGZEFENG;Duplicate;;ok\n",
    )
    .expect("roster");

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;

    // People: empty at first; import the roster (the path the file dialog would return).
    click(&client, "#tab-people", "People tab").await;
    wait_for(
        &client,
        "the empty roster",
        "return !document.getElementById('people-empty').hidden",
    )
    .await;
    js(
        &client,
        &format!(
            "window.whoiswho.importRoster({}); return true",
            serde_json::to_string(roster.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let summary = wait_for(
        &client,
        "the import report",
        "const d = document.getElementById('roster-report'); return d.open && document.getElementById('roster-summary').textContent",
    )
    .await;
    assert!(
        summary.as_str().unwrap().starts_with("4 added"),
        "{summary}"
    );
    let rejected = js(
        &client,
        "return document.getElementById('roster-rejected').textContent",
    )
    .await;
    let rejected = rejected.as_str().unwrap();
    assert!(
        rejected.contains("Line 6") && rejected.contains("Line 7"),
        "{rejected}"
    );
    save_screenshot(&client, "roster-report.png").await;
    click(
        &client,
        "#roster-report button[type=submit]",
        "close report",
    )
    .await;
    let cards = wait_for(
        &client,
        "four cards",
        "const n = document.querySelectorAll('.person-card').length; return n === 4 && n",
    )
    .await;
    assert_eq!(cards, json!(4));
    let chinese = js(
        &client,
        "return document.querySelector(\".person-card[data-login='lixiang'] strong\").textContent",
    )
    .await;
    assert_eq!(chinese, json!("李想"));

    // Photos: open the group photo.
    click(&client, "#tab-photos", "Photos tab").await;
    let ul9 = wait_for(
        &client,
        "the group photo tile",
        "const t = [...document.querySelectorAll('.tile')].find(t => t.title === 'ul-9.jpg'); return t && t.dataset.photoId",
    )
    .await;
    click(
        &client,
        &format!(".tile[data-photo-id='{}']", ul9.as_str().unwrap()),
        "ul-9",
    )
    .await;
    let face_count = "return Number(document.querySelector('.face-layer').dataset.faceCount)";
    wait_for(&client, "8 boxes", &format!("{face_count} === 8")).await;
    wait_for(
        &client,
        "the layer over the image",
        "return document.querySelector('.face-layer').getBoundingClientRect().width > 100",
    )
    .await;
    let ids = js(
        &client,
        "return [...document.querySelectorAll('.face-box')].map(b => b.dataset.faceId)",
    )
    .await;
    let box_of = |i: usize| {
        format!(
            ".face-box[data-face-id='{}']",
            ids[i].as_str().expect("face id")
        )
    };
    let input = "#viewer .tag-popover input";

    click(&client, &box_of(0), "first face").await;
    client
        .find(Locator::Css(input))
        .await
        .expect("typeahead")
        .send_keys("kev\u{E007}")
        .await
        .expect("type");
    wait_for(
        &client,
        "one tag",
        "return document.querySelectorAll('.face-box.tagged').length === 1",
    )
    .await;
    click(&client, &box_of(1), "second face").await;
    client
        .find(Locator::Css(input))
        .await
        .expect("typeahead")
        .send_keys("李")
        .await
        .expect("type");
    let offered = wait_for(
        &client,
        "a suggestion by Chinese name",
        "const o = [...document.querySelectorAll('#viewer .tag-choices li')].map(li => li.dataset.login); return o.length && o",
    )
    .await;
    assert_eq!(offered, json!(["lixiang"]));
    keys(&client, "\u{E007}").await;
    wait_for(
        &client,
        "two tags",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    let legend = js(
        &client,
        "return [...document.querySelectorAll('#who-list li')].map(li => li.textContent)",
    )
    .await;
    assert_eq!(legend.as_array().unwrap().len(), 2, "{legend}");
    // Undo one: the second tag goes.
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the undo",
        "return document.querySelectorAll('.face-box.tagged').length === 1",
    )
    .await;

    // Draw a box on the wall at the top left, tag it; then move it by dragging.
    let layer = js(&client, "const r = document.querySelector('.face-layer').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]").await;
    let l: Vec<f64> = layer
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let at = |fx: f64, fy: f64| (l[0] + fx * l[2], l[1] + fy * l[3]);
    drag(&client, at(0.02, 0.03), at(0.09, 0.13)).await;
    wait_for(&client, "a ninth box", &format!("{face_count} === 9")).await;
    client
        .find(Locator::Css(input))
        .await
        .expect("typeahead opens on the new box")
        .send_keys("octocat\u{E007}")
        .await
        .expect("type");
    let drawn = wait_for(
        &client,
        "the drawn box tagged",
        "const b = [...document.querySelectorAll('.face-box')].find(b => b.title.startsWith('@octocat')); return b && b.dataset.source === 'manual' && b.dataset.faceId",
    )
    .await;
    let drawn_box = format!(".face-box[data-face-id='{}']", drawn.as_str().unwrap());
    let left_before = js(
        &client,
        &format!("return document.querySelector(\"{drawn_box}\").style.left"),
    )
    .await;
    drag(&client, at(0.055, 0.08), at(0.155, 0.08)).await;
    wait_for(
        &client,
        "the box to move",
        &format!("const b = document.querySelector(\"{drawn_box}\"); return b && b.style.left !== {left_before}"),
    )
    .await;
    let moved_x = js(
        &client,
        &format!("return parseFloat(document.querySelector(\"{drawn_box}\").style.left)"),
    )
    .await;
    assert!(
        (moved_x.as_f64().unwrap() - 12.0).abs() < 2.5,
        "box moved to {moved_x}%"
    );
    // Its corner handle resizes it: from 7% wide to about 10%.
    let width = |client: Client| {
        let drawn_box = drawn_box.clone();
        async move {
            js(
                &client,
                &format!("return parseFloat(document.querySelector(\"{drawn_box}\").style.width)"),
            )
            .await
            .as_f64()
            .unwrap()
        }
    };
    let before = width(client.clone()).await;
    let corner = js(
        &client,
        &format!("const r = document.querySelector(\"{drawn_box}\").getBoundingClientRect(); return [r.right, r.bottom]"),
    )
    .await;
    let (cx, cy) = (corner[0].as_f64().unwrap(), corner[1].as_f64().unwrap());
    drag(
        &client,
        (cx - 1.0, cy - 1.0),
        (cx - 1.0 + 0.03 * l[2], cy + 10.0),
    )
    .await;
    wait_for(
        &client,
        "the box to grow",
        &format!(
            "return parseFloat(document.querySelector(\"{drawn_box}\").style.width) > {before} + 2"
        ),
    )
    .await;
    let after = width(client.clone()).await;
    assert!(
        (after - before - 3.0).abs() < 1.0,
        "resized from {before}% to {after}%"
    );

    // "Who is who": numbered markers on the two tagged faces, in reading order.
    keys(&client, "w").await;
    let numbers = wait_for(&client, "numbers", "const n = [...document.querySelectorAll('.face-number')].map(n => n.textContent); return n.length && n").await;
    assert_eq!(numbers, json!(["1", "2"]));
    let legend = js(
        &client,
        "return [...document.querySelectorAll('#who-list li')].map(li => li.textContent)",
    )
    .await;
    assert_eq!(
        legend,
        json!([
            "1Mona \"the cat\" Lisa (@octocat)",
            "2Kevin Wang (@kevin-wangzefeng)"
        ]),
        "the box at the top left reads first"
    );
    save_screenshot(&client, "who-is-who.png").await;
    // Changing a tag is the same gesture; removing one is the popover's button.
    click(&client, &box_of(2), "third face").await;
    client
        .find(Locator::Css(input))
        .await
        .expect("typeahead")
        .send_keys("lix\u{E007}")
        .await
        .expect("type");
    wait_for(
        &client,
        "three tags",
        "return document.querySelectorAll('.face-box.tagged').length === 3",
    )
    .await;
    click(&client, &box_of(2), "third face again").await;
    click(&client, "#viewer .remove-tag", "Remove tag").await;
    wait_for(
        &client,
        "the tag removed",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    keys(&client, "\u{E00C}").await; // Esc closes the viewer
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    // The person page: from the People list, Kevin's card opens every photo of him.
    click(&client, "#tab-people", "People tab").await;
    let stats = wait_for(
        &client,
        "Kevin's card",
        "const c = document.querySelector(\".person-card[data-login='kevin-wangzefeng'] .person-text\"); return c && c.textContent.includes('1 face') && c.textContent",
    )
    .await;
    assert!(stats.as_str().unwrap().contains("1 photo"), "{stats}");
    click(
        &client,
        ".person-card[data-login='kevin-wangzefeng'] .person-open",
        "Kevin's card",
    )
    .await;
    let header = wait_for(
        &client,
        "the person page",
        "const h = document.getElementById('person-header'); return !h.hidden && document.getElementById('person-name').textContent",
    )
    .await;
    assert_eq!(header, json!("Kevin Wang"));
    wait_for(&client, "his one photo", &format!("const t = document.querySelectorAll('.tile'); return t.length === 1 && t[0].dataset.photoId === '{}'", ul9.as_str().unwrap())).await;
    let link = js(
        &client,
        "return document.getElementById('person-link').href",
    )
    .await;
    assert_eq!(link, json!("https://github.com/kevin-wangzefeng"));
    save_screenshot(&client, "person-page.png").await;

    // Photos with untagged faces: both photos still have some.
    click(&client, "#person-back", "All photos").await;
    click(&client, "#filter-untagged", "untagged filter").await;
    wait_for(
        &client,
        "the untagged filter",
        "return document.getElementById('photo-count').textContent.startsWith('2 photos of 2')",
    )
    .await;

    // Triage by keyboard: type to tag, X not a face, Ctrl+Z undo.
    let untagged: Vec<Value> = support::json_stdout(&support::whoiswho(
        library.path(),
        &["faces", "list", ul9.as_str().unwrap(), "--json"],
    ))
    .as_array()
    .unwrap()
    .clone();
    let queue = untagged
        .iter()
        .filter(|f| f["login"].is_null() && f["state"] == "unreviewed")
        .count();
    click(&client, "#tab-triage", "Triage tab").await;
    let tiles = "return Number(document.getElementById('triage-grid').dataset.count)";
    let first = wait_for(
        &client,
        "the triage grid",
        "const n = Number(document.getElementById('triage-grid').dataset.count); return n > 0 && n",
    )
    .await;
    let first = first.as_u64().unwrap() as usize;
    assert!(
        first >= queue,
        "the group photo's {queue} untagged faces are in the queue of {first}"
    );
    wait_for(
        &client,
        "a selected tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    save_screenshot(&client, "triage.png").await;
    keys(&client, "octo").await;
    wait_for(
        &client,
        "the triage typeahead",
        "return !document.querySelector('#view-triage .tag-popover').hidden",
    )
    .await;
    keys(&client, "\u{E007}").await;
    wait_for(
        &client,
        "one face fewer",
        &format!("{tiles} === {}", first - 1),
    )
    .await;
    wait_for(
        &client,
        "focus back on a tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    keys(&client, "x").await;
    wait_for(
        &client,
        "two faces fewer",
        &format!("{tiles} === {}", first - 2),
    )
    .await;
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the undo in triage",
        &format!("{tiles} === {}", first - 1),
    )
    .await;
    let latencies = wait_for(
        &client,
        "key-to-screen times",
        "const l = window.whoiswho.latencies(); return l.length >= 2 && l",
    )
    .await;
    eprintln!("triage key-to-screen (ms): {latencies}");
    client.close().await.expect("close session");

    // The CLI sees the same library: Kevin on one photo; octocat tagged twice (drawn box and triage).
    let kevin = support::json_stdout(&support::whoiswho(
        library.path(),
        &["photos", "--person", "kevin-wangzefeng", "--json"],
    ));
    assert_eq!(kevin.as_array().unwrap().len(), 1);
    assert_eq!(kevin[0]["id"].to_string(), ul9.as_str().unwrap());
    let people = support::json_stdout(&support::whoiswho(
        library.path(),
        &["roster", "list", "--json"],
    ));
    let octocat = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "octocat")
        .unwrap();
    assert_eq!(octocat["faces"], json!(2));
    let with_both = support::json_stdout(&support::whoiswho(
        library.path(),
        &[
            "photos",
            "--person",
            "kevin-wangzefeng",
            "--person",
            "lixiang",
            "--json",
        ],
    ));
    assert_eq!(with_both, json!([]), "the tag of @lixiang was undone");
}

/// Runs `action` in the page and returns the milliseconds until `done` holds, measured in the
/// page at the frame after it holds (the frame that shows it).
async fn time_until(client: &Client, action: &str, done: &str) -> f64 {
    // Start from a quiet page: the images the last interaction asked for have arrived (a person
    // does not act within the frame after the previous result appears).
    wait_for(
        client,
        "images to settle",
        "return [...document.images].every(i => i.complete)",
    )
    .await;
    let script = format!(
        "const finish = arguments[arguments.length - 1];
         const t0 = performance.now();
         {action};
         const check = () => {{
           if ({done}) requestAnimationFrame(() => finish(performance.now() - t0));
           else if (performance.now() - t0 > 10000) finish(-1);
           else requestAnimationFrame(check);
         }};
         requestAnimationFrame(check);"
    );
    let ms = client
        .execute_async(&script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{action}: {e}"))
        .as_f64()
        .expect("milliseconds");
    assert!(ms >= 0.0, "timed out: {action} until {done}");
    ms
}

fn percentiles(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.2} |",
        ms.len(),
        p(0.5),
        p(0.95),
        ms[ms.len() - 1],
        p(0.95) / 100.0
    );
}

/// In-window interaction times on the generated 5,000-photo / 50,000-face library that
/// `bench_interactions --keep DIR` leaves behind. Run by scripts/bench-interactions.sh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench-interactions.sh"]
async fn bench_window_interactions_on_a_generated_library() {
    let dir = std::env::var("WHOISWHO_BENCH_LIBRARY")
        .expect("WHOISWHO_BENCH_LIBRARY names the library bench_interactions --keep made");
    let desktop = Desktop::start();
    let client = open_ready(&desktop, std::path::Path::new(&dir)).await;
    println!("| in the window | runs | p50 ms | p95 ms | max ms | p95 / 100 ms budget |");
    println!("|---|---|---|---|---|---|");

    // The floor: nothing to do, so this is the time to the next painted frame.
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(time_until(&client, "", "true").await);
    }
    percentiles("floor: the next frame, in the photo grid", idle);

    let mut open = Vec::new();
    let mut next = Vec::new();
    for i in 0..20 {
        let tile = format!("document.querySelectorAll('.tile')[{}]", i % 12);
        let id = js(&client, &format!("return {tile}.dataset.photoId")).await;
        let id = id.as_str().expect("photo id").to_string();
        let layer = "document.querySelector('.face-layer')";
        open.push(
            time_until(
                &client,
                &format!("{tile}.click()"),
                &format!("{layer}.dataset.photoId === '{id}'"),
            )
            .await,
        );
        next.push(
            time_until(
                &client,
                "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}))",
                &format!("{layer}.dataset.photoId !== '{id}'"),
            )
            .await,
        );
        js(
            &client,
            "document.getElementById('viewer-close').click(); return true",
        )
        .await;
    }
    percentiles("open a photo in the viewer, boxes drawn", open);
    percentiles("next photo (→), boxes drawn", next);

    let mut filter = Vec::new();
    for _ in 0..10 {
        for on in [true, false] {
            let want = if on { "of" } else { "photos" };
            filter.push(
                time_until(
                    &client,
                    "document.getElementById('filter-untagged').click()",
                    &format!("document.getElementById('photo-count').textContent.includes('{want}') && document.getElementById('filter-untagged').checked === {on}"),
                )
                .await,
            );
        }
    }
    percentiles("filter: photos with untagged faces, on and off", filter);

    let mut people = Vec::new();
    let mut all_people = Vec::new();
    let mut person = Vec::new();
    for i in 0..10 {
        all_people.push(
            time_until(
                &client,
                "document.getElementById('tab-people').click()",
                "!document.getElementById('view-people').hidden && document.querySelectorAll('.person-card').length === 300",
            )
            .await,
        );
        js(
            &client,
            "document.getElementById('tab-photos').click(); return true",
        )
        .await;
        people.push(
            time_until(
                &client,
                "document.getElementById('tab-people').click()",
                "!document.getElementById('view-people').hidden && document.querySelectorAll('.person-card').length >= 32",
            )
            .await,
        );
        let login = format!("attendee-{:03}", i * 7);
        person.push(
            time_until(
                &client,
                &format!("document.querySelector(\".person-card[data-login='{login}'] .person-open\").click()"),
                &format!("document.getElementById('person-header').dataset.login === '{login}' && !document.getElementById('person-header').hidden && document.querySelectorAll('.tile').length > 0"),
            )
            .await,
        );
    }
    percentiles(
        "people list: the first screen (32 cards with crops)",
        people,
    );
    percentiles("people list: all 300 cards", all_people);
    percentiles("person page: every photo of @login", person);

    let mut triage = Vec::new();
    for _ in 0..5 {
        js(
            &client,
            "document.getElementById('tab-photos').click(); return true",
        )
        .await;
        triage.push(
            time_until(
                &client,
                "document.getElementById('tab-triage').click()",
                "document.getElementById('triage-grid').dataset.count === '96'",
            )
            .await,
        );
    }
    percentiles("triage: open the queue (96 crops)", triage);

    // Keys, as a person presses them: tag by typing, X, I, undo. The app records key-to-screen.
    wait_for(
        &client,
        "a selected tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    let mut suggest = Vec::new();
    for i in 0..10 {
        keys(&client, "a").await;
        wait_for(
            &client,
            "the typeahead",
            "return !document.querySelector('#view-triage .tag-popover').hidden",
        )
        .await;
        suggest.push(
            time_until(
                &client,
                &format!("const inp = document.querySelector('#view-triage .tag-popover input'); inp.value = 'attendee-{:03}'; inp.dispatchEvent(new Event('input'))", i * 11),
                &format!("document.querySelector('#view-triage .tag-choices li')?.dataset.login === 'attendee-{:03}'", i * 11),
            )
            .await,
        );
        keys(&client, "\u{E007}").await;
        wait_for(
            &client,
            "focus back on a tile",
            "return document.activeElement.classList.contains('face-tile')",
        )
        .await;
        keys(&client, "x").await;
        keys(&client, "i").await;
        keys(&client, "\u{E009}z\u{E000}").await;
        wait_for(
            &client,
            "focus on a tile",
            "return document.activeElement.classList.contains('face-tile')",
        )
        .await;
    }
    percentiles("typeahead: suggestions while typing", suggest);
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(time_until(&client, "", "true").await);
    }
    percentiles("floor: the next frame, in triage", idle);
    let latencies = wait_for(
        &client,
        "key-to-screen times",
        "const l = window.whoiswho.latencies(); return l.length >= 30 && l",
    )
    .await;
    let latencies: Vec<f64> = latencies
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    percentiles("triage: key (Enter, X, I) to screen", latencies);
    client.close().await.expect("close session");
}

/// "Export figure" from the viewer: caption and alt prefilled from the event and the people,
/// the no-publish attendee announced as blurred, the image written and the snippet shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_figure_from_the_viewer() {
    let photos = tempfile::tempdir().expect("photo dir");
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        photos.path().join("ul-9.jpg"),
    )
    .expect("copy");
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let roster = library.path().join("roster.csv");
    std::fs::write(&roster, "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nprivate-person,Private Person,no-publish\n").expect("roster");
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = support::whoiswho(library.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    run(vec![
        "roster".into(),
        "import".into(),
        roster.display().to_string(),
    ]);
    run(vec!["faces".into(), "detect".into()]);
    let photo = photos.path().join("ul-9.jpg").display().to_string();
    let faces = support::json_stdout(&run(vec![
        "faces".into(),
        "list".into(),
        photo.clone(),
        "--json".into(),
    ]));
    for (i, login) in ["kevin-wangzefeng", "private-person"].iter().enumerate() {
        run(vec![
            "tag".into(),
            photo.clone(),
            faces[i]["id"].to_string(),
            login.to_string(),
        ]);
    }

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    click(&client, ".tile", "the photo").await;
    wait_for(
        &client,
        "boxes",
        "return Number(document.querySelector('.face-layer').dataset.faceCount) === 8",
    )
    .await;
    click(&client, "#export-figure", "Export figure").await;
    wait_for(
        &client,
        "the dialog",
        "return document.getElementById('figure-dialog').open",
    )
    .await;
    let event = client
        .find(Locator::Css("#fig-event"))
        .await
        .expect("event field");
    event.clear().await.expect("clear");
    event
        .send_keys("2026 Kubernetes Contributor Summit Shanghai\u{E004}")
        .await
        .expect("type the event");
    let caption = wait_for(
        &client,
        "the caption from the event",
        "const c = document.getElementById('fig-caption').value; return c.includes('Shanghai') && c",
    )
    .await;
    assert_eq!(
        caption,
        json!("All participants in the 2026 Kubernetes Contributor Summit Shanghai")
    );
    let alt = js(&client, "return document.getElementById('fig-alt').value").await;
    assert_eq!(
        alt,
        json!("Group photo of 8 contributors, including Kevin Wang (@kevin-wangzefeng)")
    );
    let consent = js(
        &client,
        "return document.getElementById('fig-consent').textContent",
    )
    .await;
    assert!(
        consent
            .as_str()
            .unwrap()
            .starts_with("1 person who chose no-publish will be blurred"),
        "{consent}"
    );
    // The legend, previewed before saving: the photo plus the names beneath.
    click(&client, "#fig-legend", "legend checkbox").await;
    let ratio = wait_for(
        &client,
        "the preview with its legend",
        "const i = document.getElementById('fig-preview'); return !i.hidden && i.src.startsWith('data:image/jpeg') && i.naturalWidth > 0 && i.naturalHeight / i.naturalWidth > 0.8 && i.naturalHeight / i.naturalWidth",
    )
    .await;
    assert!(ratio.as_f64().unwrap() > 0.8, "{ratio}");
    let title = js(&client, "return document.getElementById('fig-title').value").await;
    assert_eq!(title, json!("2026 Kubernetes Contributor Summit Shanghai"));
    let out = library.path().join("exports/recap.jpg");
    js(
        &client,
        &format!(
            "window.whoiswho.exportFigureTo({}); return true",
            serde_json::to_string(out.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let snippet = wait_for(
        &client,
        "the snippet",
        "return !document.getElementById('fig-result').hidden && document.getElementById('fig-snippet').value",
    )
    .await;
    assert!(
        snippet
            .as_str()
            .unwrap()
            .starts_with("{{< figure src=\"recap.jpg\" alt=\"Group photo of 8 contributors"),
        "{snippet}"
    );
    let written = image::open(&out).expect("the exported image");
    assert!(
        written.height() * 4 > written.width() * 3 + 40,
        "the legend is burned in"
    );
    save_screenshot(&client, "export-figure.png").await;
    click(&client, "[data-snippet='html']", "HTML tab").await;
    let html = js(
        &client,
        "return document.getElementById('fig-snippet').value",
    )
    .await;
    assert!(html.as_str().unwrap().starts_with("<figure>"), "{html}");
    click(&client, "#fig-close", "close the figure dialog").await;
    keys(&client, "\u{E00C}").await;
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    // The Export dialog: the dry run says who is blurred, then the gallery is written.
    click(&client, "#open-export", "Export").await;
    let summary = wait_for(
        &client,
        "the dry-run summary",
        "const t = document.getElementById('export-summary').textContent; return t.includes('no-publish') && t",
    )
    .await;
    assert!(
        summary
            .as_str()
            .unwrap()
            .contains("1 person chose no-publish: 1 face will be blurred"),
        "{summary}"
    );
    let gallery = library.path().join("gallery");
    js(
        &client,
        &format!(
            "window.whoiswho.exportGalleryTo({}); return true",
            serde_json::to_string(gallery.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    wait_for(
        &client,
        "the gallery",
        "return document.getElementById('export-result').textContent.startsWith('Gallery in')",
    )
    .await;
    assert!(gallery.join("index.html").is_file() && gallery.join("people.html").is_file());
    save_screenshot(&client, "export-dialog.png").await;
    client.close().await.expect("close session");
}
