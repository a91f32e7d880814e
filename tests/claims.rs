//! Attendees name themselves: the gallery's "Who is this?" links opened in headless Chromium
//! (their prefilled issue decoded from the URL, never followed), the answers imported from a file
//! shaped as `gh issue list --json` prints it, built from those very links as visitors would
//! fill them in, hostile issues, and a fetch from a stand-in for GitHub's API on 127.0.0.1.
//! Each rule of issue 31 has its test here: an attendee's privacy request applies at import, no
//! consent is lowered unless the organizer says so, a `no-tag` attendee is never named,
//! disputes are seen, reject after accept takes the tag back, answers are read strictly, links
//! publish no file name, fetch and import say what happened, and a closed pipe ends quietly.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::claims_event::*;
use support::{gallery_photo_page, ok, whoiswho};

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
