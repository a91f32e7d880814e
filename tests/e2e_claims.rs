//! Attendees' answers in the REAL app window: answers imported (a file as `gh issue list --json`
//! prints it, built from the gallery's own links), a self-claim shown on its face with its badge,
//! Enter accepts it, the gallery exported again names the person; a `no-tag` self-claim untags
//! at once; the People view lists the answers. Screenshot in target/e2e/.

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
    let roster = lib.join("roster.csv");
    std::fs::write(
        &roster,
        "github,name,consent\ncarol,Carol Danvers,ok\ndave,Dave Lister,ok\n",
    )
    .unwrap();
    ok(
        lib,
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
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
            .replace("\nConsent: ok\n", &format!("\nConsent: {consent}\n"))
    };
    let issue = |n: u64, author: &str, body: String| -> Value {
        json!({"author": {"login": author, "is_bot": false}, "body": body, "createdAt": "2026-06-12T10:00:00Z",
               "number": n, "title": "Who is this?", "url": format!("https://github.com/{REPO}/issues/{n}")})
    };
    let file = lib.join("answers.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&json!([
            issue(12, "carol", fill(unnamed, "me", "ok")),
            issue(13, "dave", fill(dave_link, "me", "no-tag")),
            issue(14, "erin", fill(unnamed_all[1], "me", "ok")),
        ]))
        .unwrap(),
    )
    .unwrap();

    // GitHub's API, stood in for on 127.0.0.1: one page with Frank's answer.
    let server = IssuesServer::start(vec![Page::json(&json!([{
        "number": 15, "title": "me", "body": fill(unnamed_all[2], "me", "ok"), "state": "open",
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
    assert!(result.as_str().unwrap().starts_with("3 issues read: 2 answers kept; 3 from attendees about themselves; 1 consent change applied at once"), "{result}");
    let rows = wait_for(&client, "the claims list", "const r = [...document.querySelectorAll('#claims-list li')].map(li => li.textContent); return r.length > 0 && r").await;
    assert!(
        rows[0]
            .as_str()
            .unwrap()
            .starts_with("self@carol says this is them"),
        "{rows}"
    );
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
    js(&client, "const t = document.querySelector('.face-tile.self-claim'); t.click(); t.focus(); return true").await;
    let hint = js(
        &client,
        "return document.querySelector('.face-tile.self-claim .suggestion').textContent",
    )
    .await;
    assert!(hint.as_str().unwrap().starts_with('@'), "{hint}");
    keys(&client, "\u{E007}").await;
    wait_for(
        &client,
        "the tile decided",
        "return !!document.querySelector('.face-tile.self-claim.done')",
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
    // Carol's answer shows on her face with its badge; Enter accepts it.
    let label = wait_for(
        &client,
        "the claim",
        "const b = document.querySelector('.face-box.self-claim'); return b && b.textContent",
    )
    .await;
    assert!(
        label.as_str().unwrap().starts_with("@carol? (#12)"),
        "{label}"
    );
    js(
        &client,
        "document.querySelector('.face-box.self-claim').focus(); return true",
    )
    .await;
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
        "return !!document.querySelector('.face-box.self-claim')",
    )
    .await;
    keys(&client, "\u{E009}\u{E008}z\u{E000}").await;
    wait_for(&client, "Carol named again", "return [...document.querySelectorAll('.face-box')].some(b => b.title.startsWith('@carol · '))").await;
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
