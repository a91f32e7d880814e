//! Attendees name themselves: the gallery's "Who is this?" links opened in headless Chromium
//! (their prefilled issue decoded from the URL, never followed), the answers imported from a file
//! shaped as `gh issue list --json` prints it, built from those very links as visitors would
//! fill them in, hostile issues, and a fetch from a stand-in for GitHub's API on 127.0.0.1.
//! Each rule of issue 31 has its test here: an attendee's privacy request applies at import, no
//! consent is lowered unless the organizer says so, a `no-tag` attendee is never named,
//! disputes are seen, reject after accept takes the tag back, answers are read strictly, links
//! publish no file name, fetch and import say what happened, and a closed pipe ends quietly.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::issues_server::{IssuesServer, Page};
use support::{gallery_photo_page, json_stdout, ok, percent_decode, shared_data, whoiswho};

const REPO: &str = "kubernetes/community";
/// A file name that holds a person's name and a right-to-left override: no link may carry it.
const FILE_NAME: &str = "ul-9 Zhang Wei \u{202e}gpj.jpg";

struct Event {
    lib: tempfile::TempDir,
    _photos: tempfile::TempDir,
    photo: String,
    /// The photo's faces as `faces list` gave them: [0] is Kevin's, [1] the no-publish
    /// attendee's, the rest unnamed.
    faces: Vec<Value>,
}

impl Event {
    fn lib(&self) -> &Path {
        self.lib.path()
    }

    fn face(&self, i: usize) -> i64 {
        self.faces[i]["id"].as_i64().unwrap()
    }

    /// The face as `faces list` shows it now.
    fn now(&self, i: usize) -> Value {
        let id = self.face(i);
        ok(self.lib(), &["faces", "list", &self.photo, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    }

    fn consent(&self, login: &str) -> Value {
        ok(self.lib(), &["roster", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .map(|p| p["consent"].clone())
            .unwrap_or(Value::Null)
    }

    fn claim(&self, issue: u64) -> Value {
        ok(self.lib(), &["claims", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["issue"] == issue)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Exports the gallery with claim links and returns its links, and the report.
    fn gallery(&self) -> (Vec<Link>, Value) {
        let gallery = self.lib().join("gallery");
        let report = ok(
            self.lib(),
            &[
                "export",
                "gallery",
                gallery.to_str().unwrap(),
                "--claims-repo",
                REPO,
                "--json",
            ],
        );
        (links(&gallery_photo_page(&gallery)), report)
    }
}

/// ul-9 (8 faces) under a file name that holds a person's name; Kevin tagged, a `no-publish`
/// attendee tagged; carol, dave, grace, erin (ok) and a `no-tag` attendee in the roster.
fn event() -> Event {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    let file = photos.path().join(FILE_NAME);
    std::fs::copy(shared_data("groups/ul-9.jpg"), &file).unwrap();
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    ok(lib.path(), &["faces", "detect", "--json"]);
    let roster = lib.path().join("roster.csv");
    std::fs::write(
        &roster,
        "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nprivate-person,Private Person,no-publish\nnotag-person,Notag Person,no-tag\ncarol,Carol,ok\ndave,Dave,ok\ngrace,Grace,ok\nerin,Erin,ok\n",
    )
    .unwrap();
    ok(
        lib.path(),
        &["roster", "import", roster.to_str().unwrap(), "--json"],
    );
    let photo = file.display().to_string();
    let faces: Vec<Value> = ok(lib.path(), &["faces", "list", &photo, "--json"])
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(faces.len(), 8);
    for (i, login) in [(0, "kevin-wangzefeng"), (1, "private-person")] {
        let id = faces[i]["id"].to_string();
        ok(lib.path(), &["tag", &photo, &id, login, "--json"]);
    }
    Event {
        lib,
        _photos: photos,
        photo,
        faces,
    }
}

/// A claim link of the gallery's photo page, as Chromium sees it.
#[derive(Debug, Clone)]
struct Link {
    /// "Who is this?" or "Not @login?".
    label: String,
    /// The link's own title attribute: where the face is.
    title: String,
    /// The new-issue address's query, decoded: template, title, body.
    query: HashMap<String, String>,
}

impl Link {
    fn body(&self) -> &str {
        &self.query["body"]
    }

    /// The face reference written into the body.
    fn reference(&self) -> String {
        let b = self.body();
        let at = b.find("whoiswho-face:").unwrap();
        b[at..at + b[at..].find('`').unwrap()].to_string()
    }

    /// The body as a visitor fills it in.
    fn answered(&self, who: &str, consent: &str) -> String {
        answered(self.body(), who, consent)
    }
}

fn answered(body: &str, who: &str, consent: &str) -> String {
    body.replace("\nWho: \n", &format!("\nWho: {who}\n"))
        .replace("\nConsent: \n", &format!("\nConsent: {consent}\n"))
}

fn links(page: &Path) -> Vec<Link> {
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
            let title_at = rest.find("title=\"").unwrap() + 7;
            let title = rest[title_at..title_at + rest[title_at..].find('"').unwrap()].to_string();
            let label = rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()].to_string();
            let query = href
                .split_once('?')
                .unwrap()
                .1
                .split('&')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_string(), percent_decode(v))
                })
                .collect();
            assert!(
                href.starts_with(&format!("https://github.com/{REPO}/issues/new?")),
                "{href}"
            );
            Link {
                label,
                title,
                query,
            }
        })
        .collect()
}

/// The unnamed faces' links (in reading order) and Kevin's.
fn split(links: &[Link]) -> (Vec<Link>, Link) {
    let unnamed = links
        .iter()
        .filter(|l| l.label == "Who is this?")
        .cloned()
        .collect();
    let kevin = links
        .iter()
        .find(|l| l.label.starts_with("Not "))
        .unwrap()
        .clone();
    (unnamed, kevin)
}

/// An issue as `gh issue list --json number,author,title,body,createdAt,url` prints it.
fn gh_issue(number: u64, author: &str, body: &str) -> Value {
    json!({
        "author": {"id": format!("U_{author}"), "is_bot": false, "login": author, "name": ""},
        "body": body,
        "createdAt": "2026-06-12T10:00:00Z",
        "number": number,
        "title": "Who is this?",
        "url": format!("https://github.com/{REPO}/issues/{number}"),
    })
}

fn import(lib: &Path, issues: &[Value]) -> Value {
    import_bytes(lib, &serde_json::to_vec_pretty(issues).unwrap())
}

fn import_bytes(lib: &Path, bytes: &[u8]) -> Value {
    let file = lib.join("issues.json");
    std::fs::write(&file, bytes).unwrap();
    json_stdout(&whoiswho(
        lib,
        &["claims", "import", file.to_str().unwrap(), "--json"],
    ))
}

fn errors(report: &Value) -> Vec<(u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["issue"].as_u64().unwrap(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn fails(lib: &Path, args: &[&str]) -> String {
    let out = whoiswho(lib, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn gallery_links_name_no_file_and_answers_are_read_strictly() {
    let e = event();
    let lib = e.lib();
    let (all, report) = e.gallery();

    // The issue template lies beside the published folder, with what to do in the repository.
    let template = lib.join("gallery.whoiswho-claim.md");
    let text = std::fs::read_to_string(&template).unwrap();
    assert!(text.contains("\nlabels: whoiswho-claim\n"), "{text}");
    assert!(!text.contains("Face: `"), "the template points at no face");
    assert!(!lib.join("gallery/.github").exists());
    assert_eq!(report["claims_template"], template.display().to_string());
    let setup = report["claims_setup"].to_string();
    assert!(
        setup.contains("gh label create whoiswho-claim --repo kubernetes/community"),
        "{setup}"
    );

    // Eight faces, one blurred (no-publish): seven links, each titled by its place.
    assert_eq!(all.len(), 7, "{all:?}");
    let mut titles: Vec<&str> = all.iter().map(|l| l.query["title"].as_str()).collect();
    titles.sort();
    titles.dedup();
    assert_eq!(
        titles.len(),
        7,
        "each face's link has its own title: {titles:?}"
    );
    for l in &all {
        assert_eq!(l.query["template"], "whoiswho-claim.md");
        assert!(
            !l.query.contains_key("labels"),
            "GitHub ignores visitors' labels"
        );
        let (title, body) = (&l.query["title"], l.body());
        assert!(
            title.starts_with(&format!("{} Photo 1, ", l.label)),
            "{title}"
        );
        assert!(title.ends_with(&l.title), "{title} / {}", l.title);
        assert!(
            l.title.contains("row, ") && l.title.ends_with(" from left"),
            "{}",
            l.title
        );
        for text in [title.as_str(), body] {
            assert!(
                !text.contains("ul-9") && !text.contains("Zhang") && !text.contains(".jpg"),
                "no file name: {text}"
            );
            assert!(
                !text.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)),
                "no direction controls: {text:?}"
            );
        }
        assert!(
            body.contains("\nWho: \n") && body.contains("\nConsent: \n"),
            "nothing prefilled: {body}"
        );
        assert!(
            body.contains("no-publish  never publish my face or my name"),
            "{body}"
        );
        assert!(!body.contains("Private") && !body.contains("private-person"));
    }
    let private_ref = format!(
        "{:.4},{:.4}",
        e.faces[1]["x"].as_f64().unwrap(),
        e.faces[1]["y"].as_f64().unwrap()
    );
    assert!(all.iter().all(|l| !l.body().contains(&private_ref)));
    let (unnamed, kevin) = split(&all);
    assert_eq!(unnamed.len(), 6);

    // The answers, as visitors fill in those links.
    let template_body = text.split("---\n\n").nth(1).unwrap();
    let issues = vec![
        gh_issue(101, "alice", &unnamed[0].answered("me", "")),
        gh_issue(102, "bob", &kevin.answered("@RainbowMango", "")),
        // Carol rewrote everything around the reference.
        gh_issue(
            103,
            "carol",
            &format!(
                "hey that's me!!\n\n**Who**: me\n> Consent: no-publish\n\n`{}`",
                unnamed[1].reference()
            ),
        ),
        gh_issue(
            104,
            "heidi",
            &unnamed[2].answered("this is me, 3rd from the right", ""),
        ),
        gh_issue(105, "ivan", &unnamed[2].answered("Bob Builder", "")),
        // Opened from the repository's template chooser: no Face line.
        gh_issue(106, "judy", &answered(template_body, "me", "")),
        gh_issue(
            107,
            "grace",
            &format!(
                "Who: me\n`whoiswho-face:{}:0.1,0.1,0.1,0.1`",
                "ab".repeat(32)
            ),
        ),
        gh_issue(108, "ivan", &unnamed[2].answered("@notag-person", "")),
        gh_issue(
            109,
            "mallory",
            &unnamed[3].answered("me", "").replace(
                "Who is this",
                "<script>alert(1)</script> [x](javascript:alert(1))",
            ),
        ),
    ];
    let report = import(lib, &issues);
    assert_eq!(
        (
            report["read"].clone(),
            report["claims"].clone(),
            report["self"].clone(),
            report["consent"].clone()
        ),
        (json!(9), json!(4), json!(3), json!(1)),
        "{report}"
    );
    let errs = errors(&report);
    let numbers: Vec<u64> = errs.iter().map(|e| e.0).collect();
    assert_eq!(numbers, [104, 105, 106, 107, 108], "{errs:?}");
    for (n, expect) in [
        (0, "must be `me` or one GitHub login"),
        (1, "\"Bob Builder\""),
        (2, "has no Face line"),
        (3, "not in this library"),
        (4, "asked not to be named"),
    ] {
        assert!(errs[n].1.contains(expect), "{expect}: {errs:?}");
    }
    assert_eq!(e.consent("carol"), json!("no-publish"));
    let list = ok(lib, &["claims", "list", "--json"]);
    let mut keys: Vec<&str> = list[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "against", "by", "consent", "face", "issue", "login", "lowers", "name", "photo",
            "reason", "roster", "self", "state", "url"
        ]
    );
    let c101 = e.claim(101);
    assert_eq!(
        (
            c101["state"].clone(),
            c101["self"].clone(),
            c101["consent"].clone(),
            c101["roster"].clone()
        ),
        (json!("open"), json!(true), Value::Null, json!(false)),
        "alice is not in the roster: flagged"
    );
    assert_eq!(c101["url"], format!("https://github.com/{REPO}/issues/101"));
    let c102 = e.claim(102);
    assert_eq!(c102["state"], "conflict", "against the name on the face");
    assert_eq!(c102["against"], "kevin-wangzefeng");
    assert_eq!(c102["login"], "RainbowMango");

    // Re-importing changes nothing.
    let again = import(lib, &issues);
    assert_eq!(
        (again["claims"].clone(), again["consent"].clone()),
        (json!(4), json!(0))
    );
    assert_eq!(ok(lib, &["claims", "list", "--json"]), list);

    // Accepted, the face is named, and the gallery names her.
    let alice_face = c101["face"].as_i64().unwrap();
    let accepted = ok(lib, &["claims", "accept", "101", "--json"]);
    assert_eq!(accepted["state"], "accepted");
    let (links_now, _) = e.gallery();
    assert!(links_now.iter().any(|l| l.label == "Not @alice?"));
    let html = std::fs::read_to_string(gallery_photo_page(&lib.join("gallery"))).unwrap();
    assert!(
        html.contains("href=\"https:&#x2f;&#x2f;github.com&#x2f;alice\"")
            && html.contains(">@alice</a>"),
        "the gallery names her: {html}"
    );
    assert!(!html.contains("RainbowMango") && !html.contains("<script>alert"));
    assert_eq!(
        ok(lib, &["faces", "list", &e.photo, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == alice_face)
            .unwrap()["claim"],
        json!({"login": "alice", "by": "alice", "issue": 101})
    );

    // Edits: a new login updates the claim; an answer edited into one that cannot be read
    // withdraws its claim; a closed issue keeps an accepted claim and a privacy request.
    let mut edited = issues.clone();
    edited[8]["body"] = json!(issues[8]["body"]
        .as_str()
        .unwrap()
        .replace("Who: me", "Who: @mallory-friend"));
    edited[1]["body"] = json!(kevin.answered("not sure, the tall one?", ""));
    edited[0]["state"] = json!("CLOSED");
    edited[2]["state"] = json!("CLOSED");
    let report = import(lib, &edited);
    assert_eq!(report["withdrawn"], 1, "{report}");
    assert!(errors(&report)
        .iter()
        .any(|(n, e)| *n == 102 && e.contains("the claim it made before is withdrawn")));
    assert_eq!(e.claim(109)["login"], "mallory-friend");
    assert_eq!(e.claim(109)["self"], false);
    let c102 = e.claim(102);
    assert_eq!(c102["state"], "withdrawn");
    assert!(
        c102["reason"].as_str().unwrap().contains("must be `me`"),
        "{c102}"
    );
    assert_eq!(e.claim(101)["state"], "accepted");
    assert_eq!(
        e.claim(103)["state"],
        "open",
        "a privacy request stays, closed or not"
    );
    assert_eq!(e.consent("carol"), json!("no-publish"));

    // A file that is not a list of issues is refused whole.
    let bad = lib.join("bad.json");
    std::fs::write(&bad, b"{\"not\": \"a list\"}").unwrap();
    let err = fails(lib, &["claims", "import", bad.to_str().unwrap(), "--json"]);
    assert!(err.contains("not a JSON array of issues"), "{err}");
}

#[test]
fn an_attendees_privacy_request_applies_at_import_before_any_review() {
    let e = event();
    let lib = e.lib();
    let (all, before) = e.gallery();
    assert_eq!(before["blurred"], 1);
    let (unnamed, _) = split(&all);
    let report = import(
        lib,
        &[
            gh_issue(201, "carol", &unnamed[0].answered("me", "no-publish")),
            // Not in the roster yet: added with what they asked.
            gh_issue(202, "frank", &unnamed[1].answered("me", "no-publish")),
            gh_issue(203, "dave", &unnamed[2].answered("me", "no-tag")),
            // Someone else's word about consent is no consent.
            gh_issue(204, "mallory", &unnamed[3].answered("@grace", "no-tag")),
        ],
    );
    assert_eq!(report["consent"], 3, "{report}");
    assert_eq!(e.consent("carol"), json!("no-publish"));
    assert_eq!(e.consent("frank"), json!("no-publish"));
    assert_eq!(e.consent("dave"), json!("no-tag"));
    assert_eq!(e.consent("grace"), json!("ok"));
    let roster = ok(lib, &["roster", "list", "--json"]);
    let frank = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "frank")
        .unwrap();
    assert_eq!(frank["asked"], "no-publish");

    // The faces, before anyone reviewed anything.
    let faces = ok(lib, &["faces", "list", &e.photo, "--json"]);
    let asked = |reference: &str| {
        faces
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                reference.ends_with(&format!(
                    "{:.4},{:.4},{:.4},{:.4}",
                    f["x"].as_f64().unwrap(),
                    f["y"].as_f64().unwrap(),
                    f["w"].as_f64().unwrap(),
                    f["h"].as_f64().unwrap()
                ))
            })
            .map(|f| (f["asked"].clone(), f["claim"].clone(), f["login"].clone()))
            .unwrap()
    };
    assert_eq!(asked(&unnamed[0].reference()).0, json!("no-publish"));
    assert_eq!(asked(&unnamed[1].reference()).0, json!("no-publish"));
    let dave = asked(&unnamed[2].reference());
    assert_eq!(dave.0, json!("no-tag"));
    assert_eq!(dave.1, Value::Null, "a no-tag answer is no suggestion");
    assert_eq!(asked(&unnamed[3].reference()).0, Value::Null);
    assert_eq!(e.claim(204)["consent"], Value::Null);

    // The next export blurs the two, names nobody, and offers no link on any of the three.
    let (links_now, report) = e.gallery();
    assert_eq!(report["blurred"], 3, "{report}");
    assert_eq!(links_now.len(), 4, "{links_now:?}");
    for (i, link) in unnamed.iter().take(3).enumerate() {
        let r = link.reference();
        assert!(links_now.iter().all(|l| l.reference() != r), "face {i}");
    }
    let figure = lib.join("figure.jpg");
    let fig = ok(
        lib,
        &[
            "export",
            "figure",
            &e.photo,
            "--out",
            figure.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(fig["blurred"], 3, "{fig}");

    // dave's answer names nobody: nothing to accept.
    assert_eq!(e.claim(203)["state"], "withdrawn");
    let err = fails(lib, &["claims", "accept", "203"]);
    assert!(err.contains("nothing to accept"), "{err}");
    // Rejecting carol's answer takes its blur off the face (her roster consent stays).
    ok(lib, &["claims", "reject", "201", "--json"]);
    let (_, report) = e.gallery();
    assert_eq!(report["blurred"], 2);
    assert_eq!(e.consent("carol"), json!("no-publish"));
}

#[test]
fn no_consent_is_made_less_private_unless_the_organizer_says_so() {
    let e = event();
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, _) = split(&all);
    // The organizer made private-person no-publish; she answers "me" and nothing else.
    import(
        lib,
        &[gh_issue(
            301,
            "private-person",
            &unnamed[0].answered("me", ""),
        )],
    );
    let c = e.claim(301);
    assert_eq!(
        (c["consent"].clone(), c["lowers"].clone()),
        (Value::Null, Value::Null)
    );
    // Her face is blurred at once: the answer names a no-publish attendee.
    let (links_now, report) = e.gallery();
    assert_eq!((links_now.len(), report["blurred"].clone()), (6, json!(2)));
    ok(lib, &["claims", "accept", "301", "--json"]);
    assert_eq!(e.consent("private-person"), json!("no-publish"));
    let (_, report) = e.gallery();
    assert_eq!(report["blurred"], 2);
    for entry in walk(&lib.join("gallery")) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        assert!(
            !text.contains("Private Person") && !text.contains("private-person"),
            "{}",
            entry.display()
        );
    }

    // grace asks no-publish, then writes another answer saying ok: nothing lowers her.
    import(
        lib,
        &[
            gh_issue(302, "grace", &unnamed[1].answered("me", "no-publish")),
            gh_issue(303, "grace", &unnamed[2].answered("me", "ok")),
        ],
    );
    assert_eq!(e.consent("grace"), json!("no-publish"));
    let c = e.claim(303);
    assert_eq!(
        c["lowers"],
        json!({"login": "grace", "from": "no-publish", "to": "ok"})
    );
    let out = whoiswho(lib, &["claims", "accept", "303", "--json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lower-consent"));
    assert_eq!(e.consent("grace"), json!("no-publish"));

    // A roster import lowers what the organizer set, says so, and keeps what attendees asked.
    let csv = lib.join("again.csv");
    std::fs::write(
        &csv,
        "github,consent\nprivate-person,ok\ngrace,ok\ncarol,ok\n",
    )
    .unwrap();
    let report = ok(lib, &["roster", "import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(
        report["lowered"],
        json!([{"login": "private-person", "from": "no-publish", "to": "ok"}]),
        "{report}"
    );
    assert_eq!(
        report["kept"],
        json!([{"login": "grace", "from": "no-publish", "to": "ok"}])
    );
    assert_eq!(e.consent("grace"), json!("no-publish"));
    let report = ok(
        lib,
        &[
            "roster",
            "import",
            csv.to_str().unwrap(),
            "--lower-consent",
            "--json",
        ],
    );
    assert_eq!(
        report["lowered"],
        json!([{"login": "grace", "from": "no-publish", "to": "ok"}])
    );
    assert_eq!(e.consent("grace"), json!("ok"));

    // The form (`roster set`) too: what erin asked needs --lower-consent.
    import(
        lib,
        &[gh_issue(
            304,
            "erin",
            &unnamed[3].answered("me", "no-publish"),
        )],
    );
    let err = fails(lib, &["roster", "set", "erin", "--consent", "ok"]);
    assert!(
        err.contains("asked to be no-publish themselves") && err.contains("--lower-consent"),
        "{err}"
    );
    assert_eq!(e.consent("erin"), json!("no-publish"));
    ok(
        lib,
        &[
            "roster",
            "set",
            "erin",
            "--consent",
            "ok",
            "--lower-consent",
            "--json",
        ],
    );
    assert_eq!(e.consent("erin"), json!("ok"));

    // Accepting with --lower-consent applies the answer's consent.
    import(
        lib,
        &[
            gh_issue(305, "hank", &unnamed[4].answered("me", "no-publish")),
            gh_issue(306, "hank", &unnamed[5].answered("me", "ok")),
        ],
    );
    assert_eq!(e.consent("hank"), json!("no-publish"));
    ok(
        lib,
        &["claims", "accept", "306", "--lower-consent", "--json"],
    );
    assert_eq!(e.consent("hank"), json!("ok"));
}

#[test]
fn a_no_tag_attendee_is_never_named_and_disputes_are_seen() {
    let e = event();
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, kevin) = split(&all);
    import(
        lib,
        &[gh_issue(401, "erin", &unnamed[0].answered("me", ""))],
    );
    assert_eq!(e.claim(401)["state"], "open");
    // The organizer makes erin no-tag: her answer is withdrawn and can name nobody.
    ok(
        lib,
        &["roster", "set", "erin", "--consent", "no-tag", "--json"],
    );
    assert_eq!(e.claim(401)["state"], "withdrawn");
    let err = fails(lib, &["claims", "accept", "401"]);
    assert!(err.contains("asked not to be named (no-tag)"), "{err}");
    let report = import(
        lib,
        &[gh_issue(402, "bob", &unnamed[1].answered("@erin", ""))],
    );
    assert!(
        errors(&report)[0].1.contains("asked not to be named"),
        "{report}"
    );
    assert!(e.now(0)["login"] == "kevin-wangzefeng");

    // dave answers "Not @kevin-wangzefeng?" with "me, no-tag": a dispute the organizer sees,
    // and Kevin's name is withheld from exports until they decide.
    import(
        lib,
        &[
            gh_issue(403, "dave", &kevin.answered("me", "no-tag")),
            gh_issue(404, "bob", &kevin.answered("@carol", "")),
        ],
    );
    assert_eq!(e.consent("dave"), json!("no-tag"));
    let c = e.claim(403);
    assert_eq!(
        (c["state"].clone(), c["against"].clone()),
        (json!("dispute"), json!("kevin-wangzefeng"))
    );
    assert_eq!(e.claim(404)["state"], "conflict");
    let face = e.now(0);
    assert_eq!(
        (face["login"].clone(), face["asked"].clone()),
        (json!("kevin-wangzefeng"), json!("no-tag"))
    );
    let (links_now, _) = e.gallery();
    assert!(
        links_now.iter().all(|l| !l.label.starts_with("Not ")),
        "no link on the disputed face"
    );
    let page = std::fs::read_to_string(gallery_photo_page(&lib.join("gallery"))).unwrap();
    assert!(
        !page.contains("kevin-wangzefeng") && !page.contains("Kevin Wang"),
        "withheld"
    );
    let faces = ok(lib, &["faces", "list", &e.photo, "--json"]);
    assert_eq!(faces[0]["number"], Value::Null, "unnumbered while disputed");

    // Accepting the dispute takes the name off; rejecting after the accept puts it back.
    ok(lib, &["claims", "accept", "403", "--json"]);
    assert_eq!(e.now(0)["login"], Value::Null);
    let (links_now, _) = e.gallery();
    assert!(
        links_now.iter().all(|l| l.reference() != kevin.reference()),
        "dave's face offers no link"
    );
    let rejected = ok(lib, &["claims", "reject", "403", "--json"]);
    assert_eq!(rejected["state"], "rejected");
    assert_eq!(e.now(0)["login"], "kevin-wangzefeng");
    assert_eq!(e.now(0)["asked"], Value::Null);
    e.gallery();
    let page = std::fs::read_to_string(gallery_photo_page(&lib.join("gallery"))).unwrap();
    assert!(page.contains("Kevin Wang"), "named again");
}

#[test]
fn rejecting_an_accepted_claim_takes_its_tag_back() {
    let e = event();
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, _) = split(&all);
    import(
        lib,
        &[gh_issue(501, "carol", &unnamed[0].answered("me", ""))],
    );
    let face = e.claim(501)["face"].as_i64().unwrap();
    let login_of = || {
        ok(lib, &["faces", "list", &e.photo, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == face)
            .unwrap()["login"]
            .clone()
    };
    ok(lib, &["claims", "accept", "501", "--json"]);
    assert_eq!(login_of(), "carol");
    let out = whoiswho(lib, &["claims", "reject", "501"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken back"));
    assert_eq!(login_of(), Value::Null);
    assert_eq!(e.claim(501)["state"], "rejected");
    // A face named otherwise since is left alone.
    import(
        lib,
        &[gh_issue(502, "dave", &unnamed[1].answered("me", ""))],
    );
    let face2 = e.claim(502)["face"].as_i64().unwrap();
    ok(lib, &["claims", "accept", "502", "--json"]);
    ok(
        lib,
        &["tag", &e.photo, &face2.to_string(), "grace", "--json"],
    );
    ok(lib, &["claims", "reject", "502", "--json"]);
    let grace = ok(lib, &["faces", "list", &e.photo, "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == face2)
        .unwrap()["login"]
        .clone();
    assert_eq!(grace, "grace");
}

#[test]
fn listings_are_read_as_gh_and_powershell_write_them() {
    let e = event();
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, _) = split(&all);
    // The roster name carries terminal escapes; `claims list` shows none of them.
    let csv = lib.join("evil.csv");
    std::fs::write(
        &csv,
        "github,name\ncarol,Carol \x1b[2J\x1b]0;pwned\x07Danvers\u{202e}\n",
    )
    .unwrap();
    ok(lib, &["roster", "import", csv.to_str().unwrap(), "--json"]);
    let issues = json!([
        gh_issue(601, "carol", &unnamed[0].answered("me", "")),
        gh_issue(602, "dave", &unnamed[1].answered("me", "")),
        gh_issue(602, "grace", &unnamed[2].answered("me", "")),
        gh_issue(0, "erin", &unnamed[3].answered("me", "")),
        gh_issue(4_294_967_296, "erin", &unnamed[3].answered("me", "")),
    ]);
    // UTF-16 with its mark, as `gh … > file` writes it in Windows PowerShell.
    let text = serde_json::to_string(&issues).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let report = import_bytes(lib, &utf16);
    assert_eq!(report["claims"], 1, "{report}");
    let errs = errors(&report);
    assert_eq!(errs.len(), 3, "{report}");
    assert!(
        errs[0].0 == 602 && errs[0].1.contains("listed 2 times"),
        "{errs:?}"
    );
    assert!(
        errs[1].1.starts_with("0 is not an issue number"),
        "{errs:?}"
    );
    assert!(
        errs[2].1.starts_with("4294967296 is not an issue number"),
        "{errs:?}"
    );
    // UTF-8 with a byte-order mark.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(text.as_bytes());
    assert_eq!(import_bytes(lib, &bom)["claims"], 1);

    // An address outside the event's repository is refused; none is ever listed.
    let mut elsewhere = gh_issue(603, "dave", &unnamed[4].answered("me", ""));
    elsewhere["url"] = json!("https://github.com/evil/phish/issues/603");
    let report = import(lib, &[elsewhere]);
    assert!(
        errors(&report)[0]
            .1
            .contains("not issue #603 of the event's repository kubernetes/community"),
        "{report}"
    );
    let out = whoiswho(lib, &["claims", "list"]);
    let shown = String::from_utf8_lossy(&out.stderr);
    assert!(shown.contains("#601") && shown.contains("Carol"), "{shown}");
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n') && !shown.contains('\u{202e}'),
        "no terminal controls: {shown:?}"
    );
    assert!(!shown.contains("evil/phish"));
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
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, _) = split(&all);
    let server = IssuesServer::start(vec![
        Page::json(
            &json!([rest_issue(701, "alice", &unnamed[0].answered("me", "")), {"number": 702, "user": {"login": "bob"}, "pull_request": {"url": "x"}}]),
        ),
        Page::json(&json!([rest_issue(
            703,
            "bob",
            &unnamed[0].answered("@carol", "")
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

    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 12 * 60;
    // The pages, the token, what the error says, and what it never says then.
    type Case<'a> = (Vec<Page>, Option<&'a str>, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            vec![Page::status(401)],
            Some("bad"),
            "refused the token in GITHUB_TOKEN (401)",
            Some("set GITHUB_TOKEN"),
        ),
        (
            vec![Page::status(401)],
            None,
            "asks to sign in (401): set GITHUB_TOKEN",
            None,
        ),
        (
            vec![Page::status(403)],
            Some("t"),
            "lacks the permission",
            Some("set GITHUB_TOKEN"),
        ),
        (
            vec![Page::status(403)],
            None,
            "(403): set GITHUB_TOKEN",
            None,
        ),
        (
            vec![Page::status(403)
                .header("X-RateLimit-Remaining: 0")
                .header(&format!("X-RateLimit-Reset: {reset}"))],
            None,
            "rate limit was reached; it resets at ",
            None,
        ),
        (
            vec![Page::status(429)],
            Some("t"),
            "rate limit",
            Some("GITHUB_TOKEN"),
        ),
        (
            vec![
                Page::status(301).header("Location: https://api.github.com/repositories/42/issues")
            ],
            None,
            "was renamed or moved",
            None,
        ),
        (
            vec![Page::status(404)],
            None,
            "has no repository kubernetes/community (if it is private, set GITHUB_TOKEN",
            None,
        ),
        (
            vec![Page::status(404)],
            Some("t"),
            "that your GITHUB_TOKEN can see",
            Some("set GITHUB_TOKEN"),
        ),
        (vec![Page::status(500)], None, "GitHub answered 500", None),
        (
            vec![Page {
                status: 200,
                body: vec![b' '; 17 * 1024 * 1024],
                headers: Vec::new(),
            }],
            None,
            "over 16 MB",
            None,
        ),
        (
            vec![Page::json(&json!({"message": "Bad credentials"}))],
            None,
            "not a list of issues",
            None,
        ),
        (
            vec![Page::json(&json!([]))
                .header("Link: <https://evil.example/next?page=2>; rel=\"next\"")],
            None,
            "the next page is on another server (https://evil.example/next?page=2)",
            None,
        ),
        (
            vec![Page::json(&json!([])); 101],
            None,
            "more than 100 pages",
            None,
        ),
    ];
    for (pages, token, expect, never) in cases {
        let server = IssuesServer::start(pages);
        let out = fetch(lib, &server.base, token);
        assert_eq!(out.status.code(), Some(1), "{expect}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{expect}: {err}");
        if expect.contains("resets at") {
            assert!(
                err.contains("(in 12 minutes)") || err.contains("(in 11 minutes)"),
                "{err}"
            );
        }
        if let Some(never) = never {
            assert!(
                !err.contains(never),
                "{expect}: said {never:?} with a token set: {err}"
            );
        }
    }
    // A page failing after the first: what was read is imported, and the stop is said.
    let server = IssuesServer::start(vec![
        Page::json(&json!([rest_issue(
            704,
            "dave",
            &unnamed[1].answered("me", "")
        )])),
        Page::status(500),
    ]);
    let out = fetch(lib, &server.base, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_stdout(&out)["claims"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped early: GitHub answered 500"));
    let err = fails(lib, &["claims", "fetch", "--repo", "../etc"]);
    assert!(err.contains("write OWNER/REPO"));
    // A malformed address for the API is an error, never a quiet fall back to github.com.
    let out = Command::new(support::BIN)
        .args([
            "--library",
            lib.to_str().unwrap(),
            "claims",
            "fetch",
            "--repo",
            REPO,
        ])
        .env("WHOISWHO_GITHUB_API", "127.0.0.1:9/api")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must start with http:// or https://"));
}

#[test]
fn no_command_panics_on_a_closed_pipe() {
    let e = event();
    let lib = e.lib();
    let (all, _) = e.gallery();
    let (unnamed, _) = split(&all);
    import(
        lib,
        &[gh_issue(801, "carol", &unnamed[0].answered("me", ""))],
    );
    let lib = lib.to_str().unwrap();
    let bin = support::BIN;
    for (args, stream) in [
        ("claims list --json", "1"),
        ("claims list", "2"),
        ("roster list --json", "1"),
        ("roster list", "2"),
        ("photos --json", "1"),
        (&*format!("faces list '{}' --json", e.photo), "1"),
        ("claims accept 801 --json", "1"),
    ] {
        let status = lib_path(lib).join("status");
        let errors = lib_path(lib).join("stderr");
        // The reader is gone before the command writes a byte (`true` reads nothing).
        let _ = std::fs::remove_file(&errors);
        let redirect = if stream == "1" {
            format!("2>'{}'", errors.display())
        } else {
            // Human text goes to stderr: that is the closed pipe now (a panic would exit 101).
            "2>&1 >/dev/null".to_string()
        };
        let script = format!(
            "( sleep 0.3; '{bin}' --library '{lib}' {args} {redirect}; echo $? > '{}' ) | true",
            status.display()
        );
        let sh = Command::new("bash").args(["-c", &script]).output().unwrap();
        assert!(sh.status.success());
        std::thread::sleep(std::time::Duration::from_millis(50));
        let code = std::fs::read_to_string(&status).unwrap_or_default();
        let said = std::fs::read_to_string(&errors).unwrap_or_default();
        assert_eq!(code.trim(), "0", "{args} ({stream} closed): {said}");
        assert!(!said.contains("panicked"), "{args}: {said}");
    }
}

fn lib_path(lib: &str) -> PathBuf {
    PathBuf::from(lib)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
