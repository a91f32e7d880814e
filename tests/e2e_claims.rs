//! Attendees' answers in the REAL app window: answers imported (a file as `gh issue list --json`
//! prints it, built from the gallery's own links), a self-claim shown on its face with its badge,
//! Enter accepts it, the gallery exported again names the person; a `no-tag` self-claim untags
//! at once and a `no-publish` one shows its face as blurred at once; accepting an answer that
//! would make an attendee less private asks the organizer plainly; Reject after Accept takes the
//! name back; the People view lists the answers. Screenshot in target/e2e/.

mod support;

use serde_json::{json, Value};
use support::driver::*;
use support::issues_server::{IssuesServer, Page};
use support::{gallery_photo_page, ok, percent_decode, shared_data, Desktop};

const REPO: &str = "kubernetes/community";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_claim_is_accepted_with_enter_and_a_no_tag_one_untags_at_once() {
    let photos = tempfile::tempdir().expect("photo dir");
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        photos.path().join("ul-9.jpg"),
    )
    .expect("copy");
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let lib = library.path();
    support::import_roster(lib, "github,name,consent\ncarol,Carol Danvers,ok\ndave,Dave Lister,ok\nhank,Hank Hill,no-publish\n");
    ok(lib, &["faces", "detect", "--json"]);
    let photo = photos.path().join("ul-9.jpg").display().to_string();
    let faces = ok(lib, &["faces", "list", &photo, "--json"]);
    let dave_face = faces[0]["id"].as_i64().unwrap();
    ok(
        lib,
        &["tag", &photo, &dave_face.to_string(), "dave", "--json"],
    );

    // The gallery's links, as visitors fill them in.
    let gallery = lib.join("gallery");
    ok(
        lib,
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--claims-repo",
            REPO,
            "--json",
        ],
    );
    let html = std::fs::read_to_string(gallery_photo_page(&gallery)).unwrap();
    let bodies: Vec<String> = html
        .split("body=")
        .skip(1)
        .map(|b| percent_decode(&b[..b.find('"').unwrap()]))
        .collect();
    let unnamed_all: Vec<&String> = bodies
        .iter()
        .filter(|b| b.starts_with("Who is this"))
        .collect();
    let unnamed = unnamed_all[0];
    let dave_link = bodies.iter().find(|b| b.contains("names @dave")).unwrap();
    let fill = |body: &str, who: &str, consent: &str| {
        body.replace("\nWho: \n", &format!("\nWho: {who}\n"))
            .replace("\nConsent: \n", &format!("\nConsent: {consent}\n"))
    };
    let issue = |n: u64, author: &str, body: String| -> Value {
        json!({"author": {"login": author, "is_bot": false}, "body": body, "createdAt": "2026-06-12T10:00:00Z",
               "number": n, "title": "Who is this?", "url": format!("https://github.com/{REPO}/issues/{n}")})
    };
    let file = lib.join("answers.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&json!([
            issue(12, "carol", fill(unnamed, "me", "")),
            issue(13, "dave", fill(dave_link, "me", "no-tag")),
            issue(14, "erin", fill(unnamed_all[1], "me", "")),
            issue(16, "gina", fill(unnamed_all[3], "me", "no-publish")),
            issue(17, "hank", fill(unnamed_all[4], "me", "ok")),
        ]))
        .unwrap(),
    )
    .unwrap();

    // GitHub's API, stood in for on 127.0.0.1: one page with Frank's answer.
    let server = IssuesServer::start(vec![Page::json(&json!([{
        "number": 15, "title": "me", "body": fill(unnamed_all[2], "me", ""), "state": "open",
        "user": {"login": "frank"}, "created_at": "2026-06-12T10:00:00Z",
        "html_url": format!("https://github.com/{REPO}/issues/15"),
    }]))]);
    let desktop = Desktop::start_with_env(&[("WHOISWHO_GITHUB_API", &server.base)]);
    let watch = support::network_watch::NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, lib).await;
    keys(&client, "3").await;
    js(
        &client,
        &format!(
            "window.whoiswho.importClaimsFrom({}); return true",
            serde_json::to_string(file.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let result = wait_for(&client, "the import", "const t = document.getElementById('claims-result').textContent; return t.includes('read') && t").await;
    assert!(result.as_str().unwrap().starts_with("5 issues read: 5 answers kept; 5 from attendees about themselves; 2 privacy requests applied at once"), "{result}");
    let rows = wait_for(&client, "the claims list", "const r = [...document.querySelectorAll('#claims-list li')].map(li => li.textContent); return r.length > 0 && r").await;
    assert!(
        rows[0]
            .as_str()
            .unwrap()
            .starts_with("self@carol says this is them"),
        "{rows}"
    );
    let dave_row = js(
        &client,
        "return document.querySelector('#claims-list li[data-issue=\"13\"]').dataset.state",
    )
    .await;
    assert_eq!(dave_row, json!("withdrawn"), "Dave asked not to be named");
    // Fetch from "GitHub": the dialog says what will be asked before anything is sent.
    click(&client, "#claims-fetch", "Fetch from GitHub").await;
    js(&client, &format!("const i = document.getElementById('claims-repo'); i.value = '{REPO}'; i.dispatchEvent(new Event('input')); return true")).await;
    let plan = wait_for(&client, "the plan", "const t = document.getElementById('claims-plan').textContent; return t.includes('will ask') && t").await;
    assert!(
        plan.as_str().unwrap().contains(&format!(
            "{}/repos/{REPO}/issues?labels=whoiswho-claim&state=all&per_page=100",
            server.base
        )),
        "{plan}"
    );
    assert!(
        server.asked().is_empty(),
        "nothing sent before the organizer says so"
    );
    click(&client, "#claims-go", "Fetch").await;
    let fetched = wait_for(&client, "the fetch", "const t = document.getElementById('claims-result').textContent; return t.startsWith('1 issue read') && t").await;
    assert!(
        fetched.as_str().unwrap().contains("1 answer kept"),
        "{fetched}"
    );
    assert_eq!(server.asked().len(), 1);
    save_screenshot(&client, "claims-people.png").await;
    // Triage shows an answer where it shows suggestions: Erin's, accepted with Enter.
    keys(&client, "2").await;
    wait_for(
        &client,
        "Erin's tile",
        "return !!document.querySelector('.face-tile.self-claim')",
    )
    .await;
    js(&client, "const t = document.querySelector('.face-tile.self-claim[data-claim=\"14\"]'); t.click(); t.focus(); return true").await;
    let hint = js(
        &client,
        "return document.querySelector('.face-tile.self-claim[data-claim=\"14\"] .suggestion').textContent",
    )
    .await;
    assert!(hint.as_str().unwrap().starts_with("@erin?"), "{hint}");
    keys(&client, "\u{E007}").await;
    wait_for(
        &client,
        "the tile decided",
        "return !!document.querySelector('.face-tile.self-claim[data-claim=\"14\"].done')",
    )
    .await;

    // The no-tag self-claim took Dave's name off his face at once.
    click(&client, "#tab-photos", "Photos").await;
    click(&client, ".tile", "the photo").await;
    wait_for(
        &client,
        "boxes",
        "return Number(document.querySelector('.face-layer').dataset.faceCount) === 8",
    )
    .await;
    let dave_named = js(
        &client,
        "return [...document.querySelectorAll('.face-box')].some(b => b.title.startsWith('@dave'))",
    )
    .await;
    assert_eq!(dave_named, json!(false));
    // Gina asked never to be published: before anyone reviewed it, her face shows as the
    // exports will show it.
    let private = js(
        &client,
        "const b = document.querySelector('.face-box.private[data-asked=\"no-publish\"]'); return b && [b.dataset.asked, b.title]",
    )
    .await;
    assert_eq!(private[0], "no-publish", "{private}");
    assert!(
        private[1].as_str().unwrap().contains("never published"),
        "{private}"
    );
    // Carol's answer shows on her face with its badge; Enter accepts it.
    const CAROL: &str = "[...document.querySelectorAll('.face-box.self-claim')].find(b => b.textContent.startsWith('@carol?'))";
    let label = wait_for(
        &client,
        "the claim",
        &format!("const b = {CAROL}; return b && b.textContent"),
    )
    .await;
    assert!(
        label.as_str().unwrap().starts_with("@carol? (#12)"),
        "{label}"
    );
    js(&client, &format!("{CAROL}.focus(); return true")).await;
    save_screenshot(&client, "claims-viewer.png").await;
    keys(&client, "\u{E007}").await;
    let title = wait_for(&client, "Carol named", "const b = [...document.querySelectorAll('.face-box')].find(b => b.title.startsWith('@carol · ')); return b && b.title").await;
    assert!(
        title
            .as_str()
            .unwrap()
            .contains("named by @carol themselves, issue #12"),
        "{title}"
    );
    // Undo takes the name back and opens the answer again; redo accepts it again.
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the answer open again",
        &format!("return !!{CAROL}"),
    )
    .await;
    keys(&client, "\u{E009}\u{E008}z\u{E000}").await;
    wait_for(&client, "Carol named again", "return [...document.querySelectorAll('.face-box')].some(b => b.title.startsWith('@carol · '))").await;

    // Hank is no-publish (the organizer set it); his answer says ok. Accept asks plainly first.
    keys(&client, "\u{E00C}").await;
    keys(&client, "3").await;
    let hank = "#claims-list li[data-issue=\"17\"]";
    wait_for(
        &client,
        "Hank's answer",
        &format!("return !!document.querySelector('{hank}')"),
    )
    .await;
    click(
        &client,
        &format!("{hank} button[data-action=accept]"),
        "Accept",
    )
    .await;
    let asked = wait_for(&client, "the question", "const d = document.getElementById('confirm-dialog'); return d.open && document.getElementById('confirm-message').textContent").await;
    assert!(
        asked
            .as_str()
            .unwrap()
            .starts_with("This makes @hank ok; they are no-publish now."),
        "{asked}"
    );
    save_screenshot(&client, "claims-lower-consent.png").await;
    click(
        &client,
        "#confirm-choices button[data-choice=keep]",
        "Accept, keep no-publish",
    )
    .await;
    wait_for(&client, "Hank accepted", &format!("const li = document.querySelector('{hank}'); return li && li.dataset.state === 'accepted'")).await;
    let consent = |login: &'static str| {
        let roster = ok(lib, &["roster", "list", "--json"]);
        roster
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .unwrap()["consent"]
            .clone()
    };
    assert_eq!(
        consent("hank"),
        json!("no-publish"),
        "kept: the organizer chose so"
    );
    let hank_face = || {
        let faces = ok(lib, &["faces", "list", &photo, "--json"]);
        faces
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["login"] == "hank")
    };
    assert!(hank_face(), "accepted: the face is Hank's");
    // Reject after accept takes the name back.
    click(
        &client,
        &format!("{hank} button[data-action=reject]"),
        "Reject",
    )
    .await;
    wait_for(&client, "Hank rejected", &format!("const li = document.querySelector('{hank}'); return li && li.dataset.state === 'rejected'")).await;
    assert!(
        !hank_face(),
        "rejected after accept: the name is taken back"
    );
    // Undo brings the accept back.
    keys(&client, "\u{E009}z\u{E000}").await;
    for _ in 0..100 {
        if hank_face() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(hank_face(), "undo accepted it again");
    client.close().await.expect("close session");
    watch.assert_stayed_local(10);

    // The gallery exported again names her.
    ok(
        lib,
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--claims-repo",
            REPO,
            "--json",
        ],
    );
    let html = std::fs::read_to_string(gallery_photo_page(&gallery)).unwrap();
    assert!(
        html.contains("Carol Danvers (@carol)"),
        "the gallery names Carol"
    );
    assert!(!html.contains("@dave"), "Dave asked not to be named");
}
