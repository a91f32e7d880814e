//! The recap post publishes as exported, over the contributor site's own event photos (a team
//! photo, an audience at tables, a talk): the organizer's text reaches `index.md`; a hand edit
//! between two exports is refused, never lost, and replaced only with `--force`; a damaged image
//! is made again; reordering renames nothing; Hugo builds it under a Docsy-style byline and
//! Chromium shows the byline, the figures at their sizes and the captions, with no character
//! reference on the page; a CommonMark library renders the Markdown flavour exactly as written.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{ok, shared_data, whoiswho};

const INTRO: &str = "On September 26, 2023, nearly 50 contributors gathered in Shanghai for the \"Kubernetes Contributor Summit\" & its talks.";
const SECTION: &str =
    "## Technical sharing\n\nThree sessions followed: sig-multicluster, helmfile & sig-scheduling.";
const CLOSING: &str = "See you next year!";
/// A caption the organizer wrote: quotes, an apostrophe, an ampersand, Markdown characters.
const CAPTION: &str = "Face to face: \"who's who\" at tables & chairs *not bold* [not a link](x)";

struct Recap {
    lib: tempfile::TempDir,
    _photos: tempfile::TempDir,
    team: String,
    tables: String,
    talk: String,
}

/// The three event photos, faces found; two attendees named on the team photo, one on the
/// audience, one on the talk; an attendee of the roster on no photo; the event set once.
fn recap() -> Recap {
    let (lib, photos) = support::detected_library(&[
        ("events/kcd-ny-2026-team.jpg", "kcd-ny-2026-team.jpg"),
        ("events/kcs06.jpeg", "kcs06.jpeg"),
        ("events/kcs03.jpeg", "kcs03.jpeg"),
    ]);
    support::import_roster(lib.path(), "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nRainbowMango,Hongcai Ren,ok\npacoxu,Paco Xu,ok\nmissing-one,Missing One,ok\n");
    ok(
        lib.path(),
        &[
            "event",
            "set",
            "--name",
            "Kubernetes Contributor Summit China 2023",
            "--start",
            "2023-09-26",
            "--place",
            "Shanghai",
            "--organizer",
            "Paco Xu",
            "--organizer",
            "Michael Yao (DaoCloud)",
            "--json",
        ],
    );
    let path = |name: &str| photos.path().join(name).display().to_string();
    let (team, tables, talk) = (
        path("kcd-ny-2026-team.jpg"),
        path("kcs06.jpeg"),
        path("kcs03.jpeg"),
    );
    let faces = |photo: &str| -> Vec<i64> {
        let mut faces: Vec<(f64, i64)> = ok(lib.path(), &["faces", "list", photo, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["x"].as_f64().unwrap(), f["id"].as_i64().unwrap()))
            .collect();
        faces.sort_by(|a, b| a.0.total_cmp(&b.0));
        faces.into_iter().map(|(_, id)| id).collect()
    };
    let (on_team, on_tables, on_talk) = (faces(&team), faces(&tables), faces(&talk));
    assert!(
        on_team.len() >= 8 && on_tables.len() >= 8 && !on_talk.is_empty(),
        "faces found: {} {} {}",
        on_team.len(),
        on_tables.len(),
        on_talk.len()
    );
    for (photo, face, login) in [
        (&team, on_team[0], "kevin-wangzefeng"),
        (&team, on_team[3], "pacoxu"),
        (&tables, on_tables[2], "RainbowMango"),
        (&talk, on_talk[0], "pacoxu"),
    ] {
        ok(
            lib.path(),
            &["tag", photo, &face.to_string(), login, "--json"],
        );
    }
    Recap {
        lib,
        _photos: photos,
        team,
        tables,
        talk,
    }
}

fn export(lib: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["export", "post", out.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    whoiswho(lib, &args)
}

fn exported(lib: &Path, out: &Path, extra: &[&str]) -> Value {
    let o = export(lib, out, extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The first export: the three photos in order, the organizer's texts, a caption of their own.
fn first_export(r: &Recap, out: &Path, format: &str) -> Value {
    let section = format!("1={SECTION}");
    let caption = format!("2={CAPTION}");
    exported(
        r.lib.path(),
        out,
        &[
            "--title",
            "A Quick Recap of 2023 China Kubernetes Contributor Summit",
            "--slug",
            "kcs-shanghai",
            "--photo",
            &r.team,
            "--photo",
            &r.tables,
            "--photo",
            &r.talk,
            "--intro",
            INTRO,
            "--text",
            &section,
            "--caption",
            &caption,
            "--closing",
            CLOSING,
            "--format",
            format,
        ],
    )
}

#[test]
fn a_hand_edit_is_never_lost_a_damaged_image_is_made_again_and_reordering_renames_nothing() {
    let r = recap();
    let lib = r.lib.path();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kcs-shanghai");
    let report = first_export(&r, &out, "hugo");
    let files = strings(&report["files"]);
    assert_eq!(
        files,
        [
            "index.md",
            "kcd-ny-2026-team.jpg",
            "kcd-ny-2026-team-who-is-who.jpg",
            "kcs06.jpg",
            "kcs06-who-is-who.jpg",
            "kcs03.jpg"
        ],
        "named after the photos: {report}"
    );
    assert_eq!(strings(&report["not_in_photos"]), ["missing-one"]);
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    for text in [INTRO, SECTION, CLOSING] {
        assert!(md.contains(text), "{text:?} in {md}");
    }
    // The introduction before the first figure, the section after it, the closing last.
    let at = |s: &str| md.find(s).unwrap();
    assert!(at(INTRO) < at("kcd-ny-2026-team.jpg") && at("kcd-ny-2026-team.jpg") < at(SECTION));
    assert!(at(SECTION) < at("kcs06.jpg") && at("## Who was there") < at(CLOSING));

    // An edit by hand is refused, named, and left as it was.
    let edited = format!("{md}\nA paragraph the organizer wrote by hand.\n");
    std::fs::write(out.join("index.md"), &edited).unwrap();
    let refused = export(lib, &out, &[]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("index.md") && why.contains("--force"), "{why}");
    assert_eq!(
        std::fs::read_to_string(out.join("index.md")).unwrap(),
        edited,
        "the edit is still there"
    );
    // Kept: the paragraph moves into the post's closing, and the export replaces the file.
    let kept = exported(
        lib,
        &out,
        &[
            "--closing",
            "See you next year!\n\nA paragraph the organizer wrote by hand.",
            "--force",
        ],
    );
    assert_eq!(strings(&kept["replaced"]), ["index.md"]);
    assert!(std::fs::read_to_string(out.join("index.md"))
        .unwrap()
        .contains("A paragraph the organizer wrote by hand."));

    // An image cut short is made again, byte for byte as before; one edited by hand (a whole
    // image of its own) is refused like the text.
    let image = out.join("kcs06.jpg");
    let whole = std::fs::read(&image).unwrap();
    std::fs::write(&image, &whole[..1000]).unwrap();
    let remade = exported(lib, &out, &[]);
    assert_eq!(strings(&remade["remade"]), ["kcs06.jpg"], "{remade}");
    assert_eq!(std::fs::read(&image).unwrap(), whole);
    std::fs::copy(out.join("kcs03.jpg"), &image).unwrap();
    let refused = export(lib, &out, &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("kcs06.jpg"));
    let replaced = exported(lib, &out, &["--force"]);
    assert_eq!(strings(&replaced["replaced"]), ["kcs06.jpg"]);
    assert_eq!(std::fs::read(&image).unwrap(), whole);

    // Reordered: no file renamed, none removed, no image made again.
    let again = exported(
        lib,
        &out,
        &["--photo", &r.talk, "--photo", &r.team, "--photo", &r.tables],
    );
    assert_eq!(again["removed"], 0, "{again}");
    assert_eq!(again["written"], 1, "only index.md: {again}");
    let mut before = files.clone();
    let mut after = strings(&again["files"]);
    before.sort();
    after.sort();
    assert_eq!(before, after);
    // The texts stay with their photo: the section still follows the team photo.
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    let at = |s: &str| md.find(s).unwrap();
    assert!(at("kcs03.jpg") < at("kcd-ny-2026-team.jpg"));
    assert!(at("kcd-ny-2026-team.jpg") < at(SECTION) && at(SECTION) < at("kcs06.jpg"));
}

/// Every `<img …>` tag of a page.
fn img_tags(html: &str) -> Vec<String> {
    html.split("<img")
        .skip(1)
        .map(|t| t[..t.find('>').unwrap()].to_string())
        .collect()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

#[test]
fn hugo_builds_it_with_a_docsy_byline_and_chromium_shows_sizes_captions_and_no_references() {
    let r = recap();
    let site_root = tempfile::tempdir().unwrap();
    let site = site_root.path().join("site");
    let made = Command::new("hugo")
        .args(["new", "site"])
        .arg(&site)
        .output()
        .expect("hugo (Debian: hugo) must be installed");
    assert!(made.status.success());
    let bundle = site.join("content/blog/kcs-shanghai");
    let report = first_export(&r, &bundle, "hugo");
    let md = std::fs::read_to_string(bundle.join("index.md")).unwrap();

    // The shape of a contributor-site post.
    assert!(
        md.starts_with(
            "---\nlayout: blog\ntitle: \"A Quick Recap of 2023 China Kubernetes Contributor Summit\"\ndate: 2023-"
        ),
        "{md}"
    );
    assert!(md.contains("\nslug: kcs-shanghai\nauthor: \"Paco Xu and Michael Yao (DaoCloud)\"\n"));
    // A character reference only where a character would act (a quote Hugo's typographer
    // would curl, an asterisk), never in a name: "Kevin Wang (@kevin-wangzefeng)" as is.
    assert!(
        !md.contains("&#40;") && md.contains("[Kevin Wang (@kevin-wangzefeng)]"),
        "{md}"
    );
    // Words that fit: the team photo is a group photo; the audience and the talk are people
    // at the event, not a "group photo"; nobody unnamed is listed between names.
    assert!(
        md.contains(
            "alt=\"Group photo of 11 people at the Kubernetes Contributor Summit China 2023\""
        ),
        "{md}"
    );
    assert!(
        md.contains(" people at the Kubernetes Contributor Summit China 2023\" caption=\"Figure 2. Face to face"),
        "{md}"
    );
    assert_eq!(
        md.matches("Group photo").count(),
        2,
        "alt and caption of figure 1: {md}"
    );
    assert!(
        !md.contains("unidentified") && !md.contains("All participants"),
        "{md}"
    );
    assert!(!md.contains(" 1 photos"), "{md}");

    // A Docsy-style single page: the byline through markdownify, the content.
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(
        site.join("layouts/_default/single.html"),
        r#"<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>{{ with .Params.author }}<div class="td-byline">By <b>{{ . | markdownify }}</b></div>{{ end }}
{{ .Content }}
<script>addEventListener("load", () => { const i = [...document.images]; document.body.dataset.loaded = i.filter(x => x.complete && x.naturalWidth > 0).map(x => x.naturalWidth + "x" + x.naturalHeight).join(" "); });</script>
</body></html>
"#,
    )
    .unwrap();
    let built = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page: PathBuf = site.join("public/blog/kcs-shanghai/index.html");
    assert!(page.is_file(), "the slug names the page");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian: chromium) must be installed");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("<div class=\"td-byline\">By <b>Paco Xu and Michael Yao (DaoCloud)</b></div>"),
        "{dom}"
    );
    // Every figure loads, at the size its tag says.
    let tags = img_tags(&dom);
    assert_eq!(tags.len() as u64, report["figures"].as_u64().unwrap());
    let loaded = dom
        .split("data-loaded=\"")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .expect("the images loaded");
    let sizes: Vec<String> = tags
        .iter()
        .map(|t| {
            format!(
                "{}x{}",
                attr(t, "width").expect("a width"),
                attr(t, "height").expect("a height")
            )
        })
        .collect();
    assert_eq!(loaded, sizes.join(" "), "{dom}");
    // The organizer's caption exactly as written: straight quotes, apostrophe, ampersand,
    // asterisks and brackets as text.
    assert!(
        dom.contains("Figure 2. Face to face: \"who's who\" at tables &amp; chairs *not bold* [not a link](x)."),
        "{dom}"
    );
    assert!(
        dom.contains("From left: <a href=\"https://github.com/kevin-wangzefeng\">Kevin Wang (@kevin-wangzefeng)</a>, <a href=\"https://github.com/pacoxu\">Paco Xu (@pacoxu)</a> and "),
        "{dom}"
    );
    assert!(
        dom.contains("<h2 id=\"technical-sharing\">Technical sharing</h2>"),
        "{dom}"
    );
    assert!(
        dom.contains("for the “Kubernetes Contributor Summit” &amp; its talks."),
        "the organizer's Markdown, rendered as the site renders Markdown: {dom}"
    );
    assert!(
        !dom.contains("&amp;#"),
        "no character reference shows: {dom}"
    );
}

#[test]
fn a_commonmark_library_renders_the_markdown_flavour_as_written() {
    use pulldown_cmark::{html, Options, Parser};
    let r = recap();
    let out = tempfile::tempdir().unwrap();
    first_export(&r, out.path(), "markdown");
    let md = std::fs::read_to_string(out.path().join("index.md")).unwrap();
    assert!(!md.contains("&#"), "no character reference: {md}");
    let mut page = String::new();
    html::push_html(
        &mut page,
        Parser::new_ext(&md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS),
    );
    assert!(
        page.contains("<p>Figure 2. Face to face: \"who's who\" at tables &amp; chairs *not bold* [not a link](x). From left: "),
        "{page}"
    );
    assert!(page.contains("<h2>Technical sharing</h2>"), "{page}");
    let alts: Vec<String> = img_tags(&page)
        .iter()
        .map(|t| attr(t, "alt").expect("an alt"))
        .collect();
    assert!(
        alts.iter().any(
            |a| a == "Group photo of 11 people at the Kubernetes Contributor Summit China 2023"
        ),
        "{alts:?}"
    );
}

#[test]
fn the_event_is_set_once_checked_and_titles_the_gallery() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared_data("events/kcd-ny-2026-team.jpg"),
        photos.path().join("team.jpg"),
    )
    .unwrap();
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    // A day that is not a day, or a repository that is not OWNER/REPO, is refused; nothing kept.
    for bad in [
        &["--start", "26/09/2023"][..],
        &["--repo", "not a repository"][..],
    ] {
        let mut args = vec!["event", "set", "--name", "Refused"];
        args.extend_from_slice(bad);
        let out = whoiswho(lib.path(), &args);
        assert!(!out.status.success(), "{bad:?} is refused");
    }
    assert_eq!(ok(lib.path(), &["event", "show", "--json"])["name"], "");
    let event = ok(
        lib.path(),
        &[
            "event",
            "set",
            "--name",
            " KCD New York 2026 ",
            "--repo",
            "kcd-ny/photos",
            "--json",
        ],
    );
    assert_eq!(event["name"], "KCD New York 2026");
    // Set once: another field later keeps it.
    ok(
        lib.path(),
        &["event", "set", "--place", "New York", "--json"],
    );
    let event = ok(lib.path(), &["event", "show", "--json"]);
    assert_eq!(
        (&event["name"], &event["place"], &event["repository"]),
        (
            &Value::from("KCD New York 2026"),
            &Value::from("New York"),
            &Value::from("kcd-ny/photos")
        )
    );
    // The gallery's title and its claim links (one per face) come from it.
    ok(lib.path(), &["faces", "detect", "--json"]);
    let out = tempfile::tempdir().unwrap();
    let gallery = out.path().join("gallery");
    let g = whoiswho(
        lib.path(),
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--claims",
            "--json",
        ],
    );
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    let index = std::fs::read_to_string(gallery.join("index.html")).unwrap();
    assert!(index.contains("<title>KCD New York 2026"), "{index}");
    let photo_pages: Vec<String> = std::fs::read_dir(&gallery)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("photo-"))
        .map(|p| std::fs::read_to_string(p).unwrap().replace("&#x2f;", "/"))
        .collect();
    assert!(
        photo_pages
            .iter()
            .any(|p| p.contains("https://github.com/kcd-ny/photos/issues/new")),
        "the claim links go to the event's repository"
    );
}
