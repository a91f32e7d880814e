//! Attendees' answers as they arrive: listings read as `gh` and PowerShell write them, a fetch
//! from a stand-in for GitHub's API on 127.0.0.1 that reads every page and says what went
//! wrong, and a closed pipe that ends any command quietly.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::claims_event::*;
use support::issues_server::{IssuesServer, Page};
use support::{json_stdout, ok, whoiswho};

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
