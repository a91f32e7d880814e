//! Attendees name themselves: the gallery's "Who is this?" links opened in headless Chromium
//! (their prefilled issue decoded from the URL, never followed), the answers imported from a file
//! shaped as `gh issue list --json` prints it, built from those very links as visitors would
//! fill them in, hostile issues, and a fetch from a stand-in for GitHub's API on 127.0.0.1.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use support::issues_server::{IssuesServer, Page};
use support::{gallery_photo_page, json_stdout, ok, percent_decode, shared_data, whoiswho};

const REPO: &str = "kubernetes/community";

struct Event {
    lib: tempfile::TempDir,
    _photos: tempfile::TempDir,
    photo: String,
    faces: Vec<Value>,
}

/// ul-9 (8 faces), Kevin tagged, a `no-publish` attendee tagged; carol, dave (ok) and a
/// `no-tag` attendee in the roster.
fn event() -> Event {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        photos.path().join("ul-9.jpg"),
    )
    .unwrap();
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    ok(lib.path(), &["faces", "detect", "--json"]);
    let roster = lib.path().join("roster.csv");
    std::fs::write(
        &roster,
        "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nprivate-person,Private Person,no-publish\nnotag-person,Notag Person,no-tag\ncarol,Carol,ok\ndave,Dave,ok\n",
    )
    .unwrap();
    ok(
        lib.path(),
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
    let photo = photos.path().join("ul-9.jpg").display().to_string();
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    let faces: Vec<Value> = faces.as_array().unwrap().clone();
    ok(
        lib.path(),
        &[
            "tag",
            &photo,
            &faces[0]["id"].to_string(),
            "kevin-wangzefeng",
            "--json",
        ],
    );
    ok(
        lib.path(),
        &[
            "tag",
            &photo,
            &faces[1]["id"].to_string(),
            "private-person",
            "--json",
        ],
    );
    Event {
        lib,
        _photos: photos,
        photo,
        faces,
    }
}

/// A link's query, decoded: template, title, body.
fn query(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').unwrap().1;
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), percent_decode(v))
        })
        .collect()
}

/// The claim links of the gallery's photo page as Chromium sees them: (label, href, left, top).
fn claim_links(page: &Path) -> Vec<(String, String)> {
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian: chromium) must be installed");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !dom.contains("src=\"http"),
        "nothing loaded from elsewhere: {dom}"
    );
    dom.split("<a class=\"claim\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
            let label = rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()].to_string();
            (label, href)
        })
        .collect()
}

/// An issue as `gh issue list --json number,author,title,body,createdAt,url` prints it.
fn gh_issue(number: u64, author: &str, title: &str, body: &str) -> Value {
    json!({
        "author": {"id": format!("U_{author}"), "is_bot": false, "login": author, "name": ""},
        "body": body,
        "createdAt": "2026-06-12T10:00:00Z",
        "number": number,
        "title": title,
        "url": format!("https://github.com/{REPO}/issues/{number}"),
    })
}

/// A visitor's answer: the link's body with its `Who:` and `Consent:` lines filled in.
fn answered(body: &str, who: &str, consent: &str) -> String {
    body.replace("\nWho: \n", &format!("\nWho: {who}\n"))
        .replace("\nConsent: ok\n", &format!("\nConsent: {consent}\n"))
}

fn import(lib: &Path, issues: &[Value]) -> Value {
    let file = lib.join("issues.json");
    std::fs::write(&file, serde_json::to_vec_pretty(issues).unwrap()).unwrap();
    json_stdout(&whoiswho(
        lib,
        &["claims", "import", file.to_str().unwrap(), "--json"],
    ))
}

fn claim_of(lib: &Path, photo: &str, face: i64) -> Value {
    let faces = ok(lib, &["faces", "list", photo, "--json"]);
    faces
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == face)
        .unwrap()["claim"]
        .clone()
}

#[test]
fn gallery_links_become_claims_the_organizer_accepts() {
    let e = event();
    let lib = e.lib.path();
    let gallery = lib.join("gallery");
    let out = whoiswho(
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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_stdout(&out);
    let template =
        std::fs::read_to_string(gallery.join(".github/ISSUE_TEMPLATE/whoiswho-claim.md")).unwrap();
    assert!(
        template.contains("\nlabels: whoiswho-claim\n"),
        "{template}"
    );
    assert!(report["claims_template"]
        .as_str()
        .unwrap()
        .ends_with("whoiswho-claim.md"));

    let page = gallery_photo_page(&gallery);
    let links = claim_links(&page);
    // Eight faces, one blurred (no-publish): seven links.
    assert_eq!(links.len(), 7, "{links:?}");
    let mut by_face: Vec<(String, std::collections::HashMap<String, String>)> = Vec::new();
    for (label, href) in &links {
        assert!(
            href.starts_with(&format!("https://github.com/{REPO}/issues/new?")),
            "{href}"
        );
        let q = query(href);
        assert_eq!(q["template"], "whoiswho-claim.md");
        assert!(
            q["body"].contains("\nWho: \n") && q["body"].contains("\nConsent: ok\n"),
            "{}",
            q["body"]
        );
        assert!(q["body"].contains("The organizers review every answer"));
        assert!(!q["body"].contains("private-person") && !q["body"].contains("Private"));
        assert!(
            !q.contains_key("labels"),
            "GitHub ignores labels from visitors"
        );
        by_face.push((label.clone(), q));
    }
    let named: Vec<&String> = by_face
        .iter()
        .map(|(l, _)| l)
        .filter(|l| l.starts_with("Not "))
        .collect();
    assert_eq!(named, [&"Not @kevin-wangzefeng?".to_string()]);
    assert!(by_face.iter().filter(|(l, _)| l == "Who is this?").count() == 6);
    // The blurred face's box is in no link.
    let private = &e.faces[1];
    let private_ref = format!(
        "{:.4},{:.4}",
        private["x"].as_f64().unwrap(),
        private["y"].as_f64().unwrap()
    );
    assert!(by_face
        .iter()
        .all(|(_, q)| !q["body"].contains(&private_ref)));

    // The answers, as visitors fill in those links.
    let unnamed: Vec<&std::collections::HashMap<String, String>> = by_face
        .iter()
        .filter(|(l, _)| l == "Who is this?")
        .map(|(_, q)| q)
        .collect();
    let kevin = &by_face
        .iter()
        .find(|(l, _)| l.starts_with("Not "))
        .unwrap()
        .1;
    let reference = |q: &std::collections::HashMap<String, String>| {
        let b = &q["body"];
        let at = b.find("whoiswho-face:").unwrap();
        b[at..at + b[at..].find('`').unwrap()].to_string()
    };
    let issues = vec![
        gh_issue(
            101,
            "alice",
            &unnamed[0]["title"],
            &answered(&unnamed[0]["body"], "me", "ok"),
        ),
        gh_issue(
            102,
            "bob",
            &kevin["title"],
            &answered(&kevin["body"], "@RainbowMango", "ok"),
        ),
        // Carol rewrote everything around the reference.
        gh_issue(
            103,
            "carol",
            "it's me",
            &format!(
                "hey that's me!!\n\n**Who**: me\n> Consent: no-publish\n\n`{}`",
                reference(unnamed[1])
            ),
        ),
        gh_issue(
            104,
            "dave",
            "me",
            &answered(&unnamed[2]["body"], "me", "no-tag"),
        ),
        gh_issue(
            105,
            "eve",
            "big",
            &format!(
                "{}\n{}",
                answered(&unnamed[3]["body"], "me", "ok"),
                "x".repeat(1024 * 1024)
            ),
        ),
        gh_issue(
            106,
            "frank",
            "broken",
            &answered(&unnamed[3]["body"], "me", "ok")
                .replace("whoiswho-face:", "whoiswho-face:zz"),
        ),
        gh_issue(
            107,
            "grace",
            "elsewhere",
            &format!(
                "Who: me\n`whoiswho-face:{}:0.1,0.1,0.1,0.1`",
                "ab".repeat(32)
            ),
        ),
        gh_issue(
            108,
            "heidi",
            "html",
            &answered(&unnamed[3]["body"], "<img src=x onerror=alert(1)>", "ok"),
        ),
        gh_issue(
            109,
            "ivan",
            "no-tag",
            &answered(&unnamed[3]["body"], "@notag-person", "ok"),
        ),
        gh_issue(
            110,
            "judy",
            "rtl",
            &answered(&unnamed[3]["body"], "@\u{202e}live", "ok"),
        ),
        gh_issue(
            111,
            "mallory",
            "<script>alert(1)</script>",
            &answered(&unnamed[4]["body"], "me", "ok").replace(
                "Who is this",
                "<script>alert(1)</script> [x](javascript:alert(1))",
            ),
        ),
    ];
    let report = import(lib, &issues);
    assert_eq!(report["read"], 11, "{report}");
    assert_eq!(report["claims"], 4, "{report}");
    assert_eq!(report["self"], 4, "{report}");
    assert_eq!(report["consent"], 2, "{report}");
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["issue"].as_u64().unwrap(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let numbers: Vec<u64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(numbers, [105, 106, 107, 108, 109, 110], "{errors:?}");
    assert!(errors[0].1.contains("over the 64 KB"), "{errors:?}");
    assert!(errors[1].1.contains("damaged"), "{errors:?}");
    assert!(errors[2].1.contains("not in this library"), "{errors:?}");
    assert!(errors[4].1.contains("asked not to be named"), "{errors:?}");

    // Consent from the attendees themselves, applied at once.
    let roster = ok(lib, &["roster", "list", "--json"]);
    let consent = |login: &str| {
        roster
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .unwrap()["consent"]
            .clone()
    };
    assert_eq!(consent("carol"), json!("no-publish"));
    assert_eq!(consent("dave"), json!("no-tag"));

    let list = ok(lib, &["claims", "list", "--json"]);
    let state = |issue: u64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["issue"] == issue)
            .map(|c| c["state"].clone())
    };
    assert_eq!(state(101), Some(json!("open")));
    assert_eq!(
        state(102),
        Some(json!("conflict")),
        "against the name on the face"
    );
    assert_eq!(state(104), None, "a no-tag self-claim names nobody");
    let first = &list[0];
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "against", "by", "consent", "face", "issue", "login", "name", "photo", "self", "state",
            "url"
        ]
    );
    assert_eq!(first["self"], true);

    // Re-importing changes nothing.
    let again = import(lib, &issues);
    assert_eq!(
        (again["claims"].clone(), again["consent"].clone()),
        (json!(4), json!(0))
    );
    assert_eq!(ok(lib, &["claims", "list", "--json"]), list);

    // A suggestion-like claim on the face, then accepted: the face is named, from where.
    let alice_face = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["issue"] == 101)
        .unwrap()["face"]
        .as_i64()
        .unwrap();
    assert_eq!(
        claim_of(lib, &e.photo, alice_face),
        json!({"login": "alice", "by": "alice", "issue": 101})
    );
    let accepted = ok(lib, &["claims", "accept", "101", "--json"]);
    assert_eq!(accepted["state"], "accepted");
    let faces = ok(lib, &["faces", "list", &e.photo, "--json"]);
    let face = faces
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == alice_face)
        .unwrap();
    assert_eq!(face["login"], "alice");
    assert_eq!(
        face["claim"],
        json!({"login": "alice", "by": "alice", "issue": 101})
    );
    ok(lib, &["claims", "reject", "102", "--json"]);
    assert_eq!(
        claim_of(lib, &e.photo, e.faces[0]["id"].as_i64().unwrap()),
        Value::Null
    );
    let out = whoiswho(
        lib,
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--claims-repo",
            REPO,
        ],
    );
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("alice (@alice)") && html.contains("Not @alice?"),
        "the gallery names her"
    );
    assert!(
        !html.contains("RainbowMango") && !html.contains("<script>alert"),
        "no claim published unaccepted"
    );

    // An edited issue updates its claim; a closed one with nothing accepted is dropped; an
    // accepted claim stays when its issue is closed.
    let mut edited = issues.clone();
    edited[10]["body"] = json!(issues[10]["body"]
        .as_str()
        .unwrap()
        .replace("Who: me", "Who: @mallory-friend"));
    edited[2]["state"] = json!("CLOSED");
    edited[0]["state"] = json!("CLOSED");
    import(lib, &edited);
    let list = ok(lib, &["claims", "list", "--json"]);
    let get = |issue: u64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["issue"] == issue)
            .cloned()
    };
    assert_eq!(get(111).unwrap()["login"], "mallory-friend");
    assert_eq!(get(111).unwrap()["self"], false);
    assert!(get(103).is_none(), "closed and never accepted: dropped");
    assert_eq!(get(101).unwrap()["state"], "accepted");
    // The claims of a library that lacks the photo are errors, not crashes, and a file that is
    // not a list of issues is refused whole.
    let bad = lib.join("bad.json");
    std::fs::write(&bad, b"{\"not\": \"a list\"}").unwrap();
    let refused = whoiswho(lib, &["claims", "import", bad.to_str().unwrap(), "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a JSON array of issues"));
}

/// `claims fetch --repo REPO --json` from the stand-in API at `base`, with a token or none.
fn fetch(lib: &Path, base: &str, token: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(support::BIN);
    cmd.args([
        "--library",
        lib.to_str().unwrap(),
        "claims",
        "fetch",
        "--repo",
        REPO,
        "--json",
    ])
    .env("WHOISWHO_GITHUB_API", base);
    match token {
        Some(t) => cmd.env("GITHUB_TOKEN", t),
        None => cmd.env_remove("GITHUB_TOKEN"),
    };
    cmd.output().unwrap()
}

/// An issue as GitHub's REST API lists it.
fn rest_issue(number: u64, author: &str, body: &str) -> Value {
    json!({
        "number": number, "title": "Who is this?", "body": body, "state": "open",
        "user": {"login": author, "id": 1}, "created_at": "2026-06-12T10:00:00Z",
        "html_url": format!("https://github.com/{REPO}/issues/{number}"),
    })
}

#[test]
fn fetching_reads_every_page_and_says_what_went_wrong() {
    let e = event();
    let lib = e.lib.path();
    let hash_ref = {
        // The reference of the first unnamed face, from a gallery link.
        let gallery = lib.join("g");
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
        let page = gallery_photo_page(&gallery);
        let html = std::fs::read_to_string(page).unwrap();
        let bodies: Vec<String> = html
            .split("body=")
            .skip(1)
            .map(|b| percent_decode(&b[..b.find('"').unwrap()]))
            .collect();
        bodies
            .into_iter()
            .find(|b| b.starts_with("Who is this"))
            .unwrap()
    };
    let body = answered(&hash_ref, "me", "ok");
    let server = IssuesServer::start(vec![
        Page::json(
            &json!([rest_issue(201, "alice", &body), {"number": 202, "user": {"login": "bob"}, "pull_request": {"url": "x"}}]),
        ),
        Page::json(&json!([rest_issue(
            203,
            "bob",
            &answered(&hash_ref, "@carol", "ok")
        )])),
    ]);
    let fetched = fetch(lib, &server.base, Some("t0ken"));
    assert!(
        fetched.status.success(),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let report = json_stdout(&fetched);
    assert_eq!(
        (report["read"].clone(), report["claims"].clone()),
        (json!(2), json!(2)),
        "{report}"
    );
    let asked = server.asked();
    assert_eq!(asked.len(), 2, "two pages: {asked:?}");
    assert_eq!(
        asked[0].0,
        "/repos/kubernetes/community/issues?labels=whoiswho-claim&state=all&per_page=100"
    );
    assert!(
        asked.iter().all(|(_, token)| *token),
        "the token goes with every request"
    );

    for (pages, expect) in [
        (vec![Page::status(403)], "rate limit"),
        (vec![Page::status(429)], "rate limit"),
        (vec![Page::status(500)], "GitHub answered 500"),
        (
            vec![Page::status(404)],
            "has no repository kubernetes/community",
        ),
        (
            vec![Page {
                status: 200,
                body: vec![b' '; 17 * 1024 * 1024],
            }],
            "over 16 MB",
        ),
        (
            vec![Page::json(&json!({"message": "Bad credentials"}))],
            "not a list of issues",
        ),
    ] {
        let server = IssuesServer::start(pages);
        let out = fetch(lib, &server.base, None);
        assert_eq!(out.status.code(), Some(1), "{expect}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{expect}: {err}");
    }
    // A page failing after the first: what was read is imported, and the stop is said.
    let server = IssuesServer::start(vec![
        Page::json(&json!([rest_issue(
            301,
            "dave",
            &answered(&hash_ref, "me", "ok")
        )])),
        Page::status(500),
    ]);
    let out = fetch(lib, &server.base, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_stdout(&out)["claims"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped early: GitHub answered 500"));
    let refused = whoiswho(lib, &["claims", "fetch", "--repo", "../etc"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("write OWNER/REPO"));
}
