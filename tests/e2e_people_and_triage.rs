//! The people and triage journey in the REAL app window: import a roster, tag, draw and move
//! boxes, number the faces, the people list and the person page, triage by keyboard, and the
//! CLI seeing all of it. Screenshots in target/e2e/.

mod support;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::driver::*;
use support::{shared_data, Desktop};

/// What the steps of the journey share: the window, the library, and the group photo open in it.
struct Journey {
    client: Client,
    library: std::path::PathBuf,
    ul9: String,
    face_ids: Vec<String>,
}

impl Journey {
    /// The selector of the `i`-th box of the group photo, as first drawn.
    fn face(&self, i: usize) -> String {
        format!(".face-box[data-face-id='{}']", self.face_ids[i])
    }
}

const FACE_COUNT: &str = "return Number(document.querySelector('.face-layer').dataset.faceCount)";
const TYPEAHEAD_INPUT: &str = "#viewer .tag-popover input";

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

    import_the_roster(&client, &roster).await;
    let (ul9, face_ids) = open_the_group_photo(&client).await;
    let j = Journey {
        client,
        library: library.path().to_path_buf(),
        ul9,
        face_ids,
    };
    tag_two_faces_and_undo_one(&j).await;
    draw_move_resize_and_number_a_box(&j).await;
    change_and_remove_a_tag(&j).await;
    the_person_page(&j).await;
    photos_with_untagged_faces(&j).await;
    triage_by_keyboard(&j).await;
    the_cli_sees_it_all(&j).await;
}

/// Import the roster from the People view: the report lists rejected rows, and four cards appear, names in any script intact.
async fn import_the_roster(client: &Client, roster: &std::path::Path) {
    // People: empty at first; import the roster (the path the file dialog would return).
    click(client, "#tab-people", "People tab").await;
    wait_for(
        client,
        "the empty roster",
        "return !document.getElementById('people-empty').hidden",
    )
    .await;
    js(
        client,
        &format!(
            "window.whoiswho.importRoster({}); return true",
            serde_json::to_string(roster.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let summary = wait_for(
        client,
        "the import report",
        "const d = document.getElementById('roster-report'); return d.open && document.getElementById('roster-summary').textContent",
    )
    .await;
    assert!(
        summary.as_str().unwrap().starts_with("4 added"),
        "{summary}"
    );
    let rejected = js(
        client,
        "return document.getElementById('roster-rejected').textContent",
    )
    .await;
    let rejected = rejected.as_str().unwrap();
    assert!(
        rejected.contains("Line 6") && rejected.contains("Line 7"),
        "{rejected}"
    );
    save_screenshot(client, "roster-report.png").await;
    click(client, "#roster-report button[type=submit]", "close report").await;
    let cards = wait_for(
        client,
        "four cards",
        "const n = document.querySelectorAll('.person-card').length; return n === 4 && n",
    )
    .await;
    assert_eq!(cards, json!(4));
    let chinese = js(
        client,
        "return document.querySelector(\".person-card[data-login='lixiang'] strong\").textContent",
    )
    .await;
    assert_eq!(chinese, json!("李想"));
}

/// Open the group photo from the grid: its 8 boxes are drawn over the image.
async fn open_the_group_photo(client: &Client) -> (String, Vec<String>) {
    // Photos: open the group photo.
    click(client, "#tab-photos", "Photos tab").await;
    let ul9 = wait_for(
        client,
        "the group photo tile",
        "const t = [...document.querySelectorAll('.tile')].find(t => t.title === 'ul-9.jpg'); return t && t.dataset.photoId",
    )
    .await;
    click(
        client,
        &format!(".tile[data-photo-id='{}']", ul9.as_str().unwrap()),
        "ul-9",
    )
    .await;
    wait_for(client, "8 boxes", &format!("{FACE_COUNT} === 8")).await;
    wait_for(
        client,
        "the layer over the image",
        "return document.querySelector('.face-layer').getBoundingClientRect().width > 100",
    )
    .await;
    let ids = js(
        client,
        "return [...document.querySelectorAll('.face-box')].map(b => b.dataset.faceId)",
    )
    .await;
    let ids = ids
        .as_array()
        .expect("face ids")
        .iter()
        .map(|id| id.as_str().expect("face id").to_string())
        .collect();
    (ul9.as_str().expect("photo id").to_string(), ids)
}

/// Tag two faces through the typeahead (once by a Chinese name), then undo one.
async fn tag_two_faces_and_undo_one(j: &Journey) {
    open_typeahead(&j.client, &j.face(0), "first face")
        .await
        .send_keys("kev\u{E007}")
        .await
        .expect("type");
    wait_for(
        &j.client,
        "one tag",
        "return document.querySelectorAll('.face-box.tagged').length === 1",
    )
    .await;
    open_typeahead(&j.client, &j.face(1), "second face")
        .await
        .send_keys("李")
        .await
        .expect("type");
    // Until the answer for what was typed draws: the answer for the empty text may draw first
    // while recognition runs in the background.
    let offered = wait_for(
        &j.client,
        "a suggestion by Chinese name",
        "const o = [...document.querySelectorAll('#viewer .tag-choices li')].map(li => li.dataset.login); return o.length === 1 && o",
    )
    .await;
    assert_eq!(offered, json!(["lixiang"]));
    keys(&j.client, "\u{E007}").await;
    wait_for(
        &j.client,
        "two tags",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    let legend = js(
        &j.client,
        "return [...document.querySelectorAll('#who-list li')].map(li => li.textContent)",
    )
    .await;
    assert_eq!(legend.as_array().unwrap().len(), 2, "{legend}");
    // Undo one: the second tag goes.
    keys(&j.client, "\u{E009}z\u{E000}").await;
    wait_for(
        &j.client,
        "the undo",
        "return document.querySelectorAll('.face-box.tagged').length === 1",
    )
    .await;
}

/// Draw a box the detector missed, tag it, move it and resize it by its corner; W numbers the faces.
async fn draw_move_resize_and_number_a_box(j: &Journey) {
    // Draw a box on the wall at the top left, tag it; then move it by dragging.
    let layer = js(&j.client, "const r = document.querySelector('.face-layer').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]").await;
    let l: Vec<f64> = layer
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let at = |fx: f64, fy: f64| (l[0] + fx * l[2], l[1] + fy * l[3]);
    drag(&j.client, at(0.02, 0.03), at(0.09, 0.13)).await;
    wait_for(&j.client, "a ninth box", &format!("{FACE_COUNT} === 9")).await;
    j.client
        .find(Locator::Css(TYPEAHEAD_INPUT))
        .await
        .expect("typeahead opens on the new box")
        .send_keys("octocat\u{E007}")
        .await
        .expect("type");
    let drawn = wait_for(
        &j.client,
        "the drawn box tagged",
        "const b = [...document.querySelectorAll('.face-box')].find(b => b.title.startsWith('@octocat')); return b && b.dataset.source === 'manual' && b.dataset.faceId",
    )
    .await;
    let drawn_box = format!(".face-box[data-face-id='{}']", drawn.as_str().unwrap());
    let left_before = js(
        &j.client,
        &format!("return document.querySelector(\"{drawn_box}\").style.left"),
    )
    .await;
    drag(&j.client, at(0.055, 0.08), at(0.155, 0.08)).await;
    wait_for(
        &j.client,
        "the box to move",
        &format!("const b = document.querySelector(\"{drawn_box}\"); return b && b.style.left !== {left_before}"),
    )
    .await;
    let moved_x = js(
        &j.client,
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
    let before = width(j.client.clone()).await;
    let corner = js(
        &j.client,
        &format!("const r = document.querySelector(\"{drawn_box}\").getBoundingClientRect(); return [r.right, r.bottom]"),
    )
    .await;
    let (cx, cy) = (corner[0].as_f64().unwrap(), corner[1].as_f64().unwrap());
    drag(
        &j.client,
        (cx - 1.0, cy - 1.0),
        (cx - 1.0 + 0.03 * l[2], cy + 10.0),
    )
    .await;
    wait_for(
        &j.client,
        "the box to grow",
        &format!(
            "return parseFloat(document.querySelector(\"{drawn_box}\").style.width) > {before} + 2"
        ),
    )
    .await;
    let after = width(j.client.clone()).await;
    assert!(
        (after - before - 3.0).abs() < 1.0,
        "resized from {before}% to {after}%"
    );

    // "Who is who": numbered markers on the tagged faces an export may name (octocat chose
    // no-publish: tagged, never numbered or named in an export).
    keys(&j.client, "w").await;
    let numbers = wait_for(&j.client, "numbers", "const n = [...document.querySelectorAll('.face-number')].map(n => n.textContent); return n.length > 0 && n").await;
    assert_eq!(numbers, json!(["1"]));
    let legend = js(
        &j.client,
        "return [...document.querySelectorAll('#who-list li')].map(li => li.textContent)",
    )
    .await;
    assert_eq!(
        legend,
        json!(["1Kevin Wang (@kevin-wangzefeng)"]),
        "only who an export names"
    );
    save_screenshot(&j.client, "who-is-who.png").await;
}

/// Change a tag with the same gesture; remove one with the popover's button.
async fn change_and_remove_a_tag(j: &Journey) {
    // Changing a tag is the same gesture; removing one is the popover's button.
    click(&j.client, &j.face(2), "third face").await;
    j.client
        .find(Locator::Css(TYPEAHEAD_INPUT))
        .await
        .expect("typeahead")
        .send_keys("lix\u{E007}")
        .await
        .expect("type");
    wait_for(
        &j.client,
        "three tags",
        "return document.querySelectorAll('.face-box.tagged').length === 3",
    )
    .await;
    click(&j.client, &j.face(2), "third face again").await;
    click(&j.client, "#viewer .remove-tag", "Remove tag").await;
    wait_for(
        &j.client,
        "the tag removed",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    keys(&j.client, "\u{E00C}").await; // Esc closes the viewer
    wait_for(
        &j.client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;
}

/// From the People list, a card opens the person page: every photo of them and their GitHub link.
async fn the_person_page(j: &Journey) {
    // The person page: from the People list, Kevin's card opens every photo of him.
    click(&j.client, "#tab-people", "People tab").await;
    let stats = wait_for(
        &j.client,
        "Kevin's card",
        "const c = document.querySelector(\".person-card[data-login='kevin-wangzefeng'] .person-text\"); return c && c.textContent.includes('1 face') && c.textContent",
    )
    .await;
    assert!(stats.as_str().unwrap().contains("1 photo"), "{stats}");
    click(
        &j.client,
        ".person-card[data-login='kevin-wangzefeng'] .person-open",
        "Kevin's card",
    )
    .await;
    let header = wait_for(
        &j.client,
        "the person page",
        "const h = document.getElementById('person-header'); return !h.hidden && document.getElementById('person-name').textContent",
    )
    .await;
    assert_eq!(header, json!("Kevin Wang"));
    wait_for(&j.client, "his one photo", &format!("const t = document.querySelectorAll('.tile'); return t.length === 1 && t[0].dataset.photoId === '{}'", j.ul9.as_str())).await;
    let link = js(
        &j.client,
        "return document.getElementById('person-link').href",
    )
    .await;
    assert_eq!(link, json!("https://github.com/kevin-wangzefeng"));
    save_screenshot(&j.client, "person-page.png").await;
}

/// The untagged filter: both photos still have some.
async fn photos_with_untagged_faces(j: &Journey) {
    // Photos with untagged faces: both photos still have some.
    click(&j.client, "#person-back", "All photos").await;
    click(&j.client, "#filter-untagged", "untagged filter").await;
    wait_for(
        &j.client,
        "the untagged filter",
        "return document.getElementById('photo-count').textContent.startsWith('2 photos of 2')",
    )
    .await;
}

/// Triage by keyboard: type to tag, X not a face, Ctrl+Z undo.
async fn triage_by_keyboard(j: &Journey) {
    // Triage by keyboard: type to tag, X not a face, Ctrl+Z undo.
    let untagged: Vec<Value> = support::json_stdout(&support::whoiswho(
        j.library.as_path(),
        &["faces", "list", j.ul9.as_str(), "--json"],
    ))
    .as_array()
    .unwrap()
    .clone();
    let queue = untagged
        .iter()
        .filter(|f| f["login"].is_null() && f["state"] == "unreviewed")
        .count();
    click(&j.client, "#tab-triage", "Triage tab").await;
    let tiles = "return Number(document.getElementById('triage-grid').dataset.count)";
    let first = wait_for(
        &j.client,
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
        &j.client,
        "a selected tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    save_screenshot(&j.client, "triage.png").await;
    keys(&j.client, "octo").await;
    wait_for(
        &j.client,
        "the triage typeahead",
        "return !document.querySelector('#view-triage .tag-popover').hidden",
    )
    .await;
    keys(&j.client, "\u{E007}").await;
    wait_for(
        &j.client,
        "one face fewer",
        &format!("{tiles} === {}", first - 1),
    )
    .await;
    wait_for(
        &j.client,
        "focus back on a tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    keys(&j.client, "x").await;
    wait_for(
        &j.client,
        "two faces fewer",
        &format!("{tiles} === {}", first - 2),
    )
    .await;
    keys(&j.client, "\u{E009}z\u{E000}").await;
    wait_for(
        &j.client,
        "the undo in triage",
        &format!("{tiles} === {}", first - 1),
    )
    .await;
    let latencies = wait_for(
        &j.client,
        "key-to-screen times",
        "const l = window.whoiswho.latencies(); return l.length >= 2 && l",
    )
    .await;
    eprintln!("triage key-to-screen (ms): {latencies}");
    j.client.clone().close().await.expect("close session");
}

/// The CLI sees the same library: Kevin on one photo; octocat tagged twice (drawn box and triage).
async fn the_cli_sees_it_all(j: &Journey) {
    // The CLI sees the same library: Kevin on one photo; octocat tagged twice (drawn box and triage).
    let kevin = support::json_stdout(&support::whoiswho(
        j.library.as_path(),
        &["photos", "--person", "kevin-wangzefeng", "--json"],
    ));
    assert_eq!(kevin.as_array().unwrap().len(), 1);
    assert_eq!(kevin[0]["id"].to_string(), j.ul9.as_str());
    let people = support::json_stdout(&support::whoiswho(
        j.library.as_path(),
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
        j.library.as_path(),
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
