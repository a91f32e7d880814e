//! The claims tests' event: a library with a group photo, a roster and a gallery whose "Who is
//! this?" links visitors answer, and the helpers that read the links and import the answers.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use super::{gallery_photo_page, json_stdout, ok, percent_decode, whoiswho};
use serde_json::{json, Value};

pub const REPO: &str = "kubernetes/community";
/// A file name that holds a person's name and a right-to-left override: no link may carry it.
pub const FILE_NAME: &str = "ul-9 Zhang Wei \u{202e}gpj.jpg";

pub struct Event {
    pub lib: tempfile::TempDir,
    pub _photos: tempfile::TempDir,
    pub photo: String,
    /// The photo's faces as `faces list` gave them: [0] is Kevin's, [1] the no-publish
    /// attendee's, the rest unnamed.
    pub faces: Vec<Value>,
}

impl Event {
    pub fn lib(&self) -> &Path {
        self.lib.path()
    }

    pub fn face(&self, i: usize) -> i64 {
        self.faces[i]["id"].as_i64().unwrap()
    }

    /// The face as `faces list` shows it now.
    pub fn now(&self, i: usize) -> Value {
        let id = self.face(i);
        ok(self.lib(), &["faces", "list", &self.photo, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    }

    pub fn consent(&self, login: &str) -> Value {
        ok(self.lib(), &["roster", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .map(|p| p["consent"].clone())
            .unwrap_or(Value::Null)
    }

    pub fn claim(&self, issue: u64) -> Value {
        ok(self.lib(), &["claims", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["issue"] == issue)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Exports the gallery with claim links and returns its links, and the report.
    pub fn gallery(&self) -> (Vec<Link>, Value) {
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
pub fn event() -> Event {
    let (lib, photos) = super::detected_library(&[("groups/ul-9.jpg", FILE_NAME)]);
    let file = photos.path().join(FILE_NAME);
    super::import_roster(lib.path(), "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nprivate-person,Private Person,no-publish\nnotag-person,Notag Person,no-tag\ncarol,Carol,ok\ndave,Dave,ok\ngrace,Grace,ok\nerin,Erin,ok\n");
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
pub struct Link {
    /// "Who is this?" or "Not @login?".
    pub label: String,
    /// The link's own title attribute: where the face is.
    pub title: String,
    /// The new-issue address's query, decoded: template, title, body.
    pub query: HashMap<String, String>,
}

impl Link {
    pub fn body(&self) -> &str {
        &self.query["body"]
    }

    /// The face reference written into the body.
    pub fn reference(&self) -> String {
        let b = self.body();
        let at = b.find("whoiswho-face:").unwrap();
        b[at..at + b[at..].find('`').unwrap()].to_string()
    }

    /// The body as a visitor fills it in.
    pub fn answered(&self, who: &str, consent: &str) -> String {
        answered(self.body(), who, consent)
    }
}

pub fn answered(body: &str, who: &str, consent: &str) -> String {
    body.replace("\nWho: \n", &format!("\nWho: {who}\n"))
        .replace("\nConsent: \n", &format!("\nConsent: {consent}\n"))
}

pub fn links(page: &Path) -> Vec<Link> {
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
pub fn split(links: &[Link]) -> (Vec<Link>, Link) {
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
pub fn gh_issue(number: u64, author: &str, body: &str) -> Value {
    json!({
        "author": {"id": format!("U_{author}"), "is_bot": false, "login": author, "name": ""},
        "body": body,
        "createdAt": "2026-06-12T10:00:00Z",
        "number": number,
        "title": "Who is this?",
        "url": format!("https://github.com/{REPO}/issues/{number}"),
    })
}

pub fn import(lib: &Path, issues: &[Value]) -> Value {
    import_bytes(lib, &serde_json::to_vec_pretty(issues).unwrap())
}

pub fn import_bytes(lib: &Path, bytes: &[u8]) -> Value {
    let file = lib.join("issues.json");
    std::fs::write(&file, bytes).unwrap();
    json_stdout(&whoiswho(
        lib,
        &["claims", "import", file.to_str().unwrap(), "--json"],
    ))
}

pub fn errors(report: &Value) -> Vec<(u64, String)> {
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

pub fn fails(lib: &Path, args: &[&str]) -> String {
    let out = whoiswho(lib, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
