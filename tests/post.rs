//! The recap post with its real consumers: Hugo builds the page bundle inside a fresh site and
//! headless Chromium loads it (every image loads, every alt is short, the names link to GitHub);
//! the Markdown flavour is rendered by a CommonMark renderer; a `no-publish` or `no-tag`
//! attendee is in no byte of any file; hostile names and captions stay text.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{ok, whoiswho};

const HOSTILE: &str =
    "Mona \"the cat\" <script>alert(1)</script> }} {{< figure src=\"x\" >}} \u{202e}evil\u{202c} 🎉 & [link](http://evil)";

/// An author as the contributor site writes one: a Markdown link and an affiliation.
const AUTHOR: &str = "[Bo Li](https://github.com/bo-li) (Example & Co)";

/// Words that must be in no file of a bundle: the names and logins of the attendees who chose
/// `no-publish` (tagged on the group photo) and `no-tag`.
const WITHHELD: [&str; 4] = [
    "Private Person",
    "private-person",
    "Notag Person",
    "notag-person",
];

struct Recap {
    lib: tempfile::TempDir,
    _photos: tempfile::TempDir,
    group: String,
    small: String,
    networking: String,
}

/// A library with the 19-person group photo ul-10 (three rows), ul-9 (two rows) and the
/// networking photo (no rows), faces found, and attendees tagged across the rows of ul-10: one
/// with a hostile name, one who chose `no-publish`; a `no-tag` attendee and one seen on no photo
/// are in the roster.
fn recap() -> Recap {
    let (lib, photos) = support::detected_library(&[
        ("groups/ul-10.jpg", "ul-10.jpg"),
        ("groups/ul-9.jpg", "ul-9.jpg"),
        (
            "events/kcd-ny-2026-attendees-networking.jpg",
            "networking.jpg",
        ),
    ]);
    let mut csv = String::from("github,name,consent\n");
    for (login, name, consent) in [
        ("kevin-wangzefeng", "Kevin Wang", "ok"),
        ("RainbowMango", "Hongcai Ren", "ok"),
        ("octocat", HOSTILE, "ok"),
        ("private-person", "Private Person", "no-publish"),
        ("notag-person", "Notag Person", "no-tag"),
        ("missing-one", "Missing One", "ok"),
    ] {
        csv += &format!("{login},\"{}\",{consent}\n", name.replace('"', "\"\""));
    }
    support::import_roster(lib.path(), &csv);
    ok(
        lib.path(),
        &[
            "event",
            "set",
            "--name",
            "Open Source Summit 2026",
            "--json",
        ],
    );
    let group = photos.path().join("ul-10.jpg").display().to_string();
    let rows = rows_of(lib.path(), &group);
    assert_eq!(rows.len(), 3, "ul-10 has three rows: {rows:?}");
    // Back row: Kevin first from left, the no-publish attendee last; middle row: the hostile
    // name second; front row: Hongcai Ren third.
    for (face, login) in [
        (rows[0][0], "kevin-wangzefeng"),
        (*rows[0].last().unwrap(), "private-person"),
        (rows[1][1], "octocat"),
        (rows[2][2], "RainbowMango"),
    ] {
        ok(
            lib.path(),
            &["tag", &group, &face.to_string(), login, "--json"],
        );
    }
    let small = photos.path().join("ul-9.jpg").display().to_string();
    let first = rows_of(lib.path(), &small)[0][0];
    ok(
        lib.path(),
        &[
            "tag",
            &small,
            &first.to_string(),
            "kevin-wangzefeng",
            "--json",
        ],
    );
    let networking = photos.path().join("networking.jpg").display().to_string();
    Recap {
        lib,
        _photos: photos,
        group,
        small,
        networking,
    }
}

/// Face ids of a photo by row (top to bottom), left to right, from `faces list --json`.
fn rows_of(lib: &Path, photo: &str) -> Vec<Vec<i64>> {
    let faces = ok(lib, &["faces", "list", photo, "--json"]);
    let mut placed: Vec<(u64, f64, i64)> = faces
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["row"].as_u64().expect("a posed photo has rows"),
                f["x"].as_f64().unwrap() + f["w"].as_f64().unwrap() / 2.0,
                f["id"].as_i64().unwrap(),
            )
        })
        .collect();
    placed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut rows: Vec<Vec<i64>> = Vec::new();
    for (row, _, id) in placed {
        if rows.len() < row as usize {
            rows.push(Vec::new());
        }
        rows.last_mut().unwrap().push(id);
    }
    rows
}

fn export_post(r: &Recap, out: &Path, format: &str) -> Value {
    ok(
        r.lib.path(),
        &[
            "export",
            "post",
            out.to_str().unwrap(),
            "--title",
            &format!("Summit recap {HOSTILE}"),
            "--date",
            "2026-06-10",
            "--author",
            "Ann Organizer",
            "--author",
            AUTHOR,
            "--photo",
            &r.small,
            "--photo",
            &r.group,
            "--photo",
            &r.networking,
            "--format",
            format,
            "--json",
        ],
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// No file under `dir` holds a withheld name or login, in any case.
fn assert_nobody_withheld_in(dir: &Path) {
    for file in files_under(dir) {
        let bytes = std::fs::read(&file).unwrap().to_ascii_lowercase();
        for word in WITHHELD {
            let word = word.to_ascii_lowercase();
            assert!(
                !bytes.windows(word.len()).any(|w| w == word.as_bytes()),
                "{} holds {word:?}",
                file.display()
            );
        }
    }
}

/// Decoded text of an HTML attribute value, enough to count an alt's characters.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every `alt="…"` of `html`, decoded.
fn alts(html: &str) -> Vec<String> {
    html.split("<img")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find('>').unwrap()];
            let start = tag.find("alt=\"").expect("every image has an alt") + 5;
            unescape(&tag[start..start + tag[start..].find('"').unwrap()])
        })
        .collect()
}

#[test]
fn hugo_builds_the_bundle_and_chromium_shows_every_figure_with_short_alts_and_linked_names() {
    let r = recap();
    let site_root = tempfile::tempdir().unwrap();
    let site = site_root.path().join("site");
    let made = Command::new("hugo")
        .args(["new", "site"])
        .arg(&site)
        .output()
        .expect("hugo (Debian: hugo) must be installed");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let bundle = site.join("content/posts/recap");
    let report = export_post(&r, &bundle, "hugo");

    // ul-9 (8 faces, Kevin named) and ul-10 (19 faces, three named) each get a "who is who"
    // image; the networking photo names nobody.
    assert_eq!(report["figures"], 5, "{report}");
    assert_eq!(report["named"], 3, "{report}");
    assert_eq!(report["blurred"], 1, "{report}");
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files[0], "index.md");
    for f in &files {
        assert!(bundle.join(f).is_file(), "{f} was written");
    }
    // Named after their photos, not their places in the post.
    assert!(files.contains(&"ul-10-who-is-who.jpg"), "{files:?}");
    assert_nobody_withheld_in(&bundle);

    let md = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    // The front matter of a contributor-site post: one `author` string.
    assert!(
        md.starts_with("---\nlayout: blog\ntitle: \"Summit recap Mona \\\"the cat\\\""),
        "{md}"
    );
    assert!(
        md.contains("\ndate: 2026-06-10\n")
            && md.contains("\nslug: summit-recap-mona-the-cat")
            && md.contains(&format!("\nauthor: \"Ann Organizer and {AUTHOR}\"\n")),
        "{md}"
    );

    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    // A minimal theme: the title, the byline as Docsy writes it, the content; a script of ours
    // counts the images that loaded.
    std::fs::write(
        site.join("layouts/_default/single.html"),
        r#"<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>{{ with .Params.author }}<p class="authors">{{ . | markdownify }}</p>{{ end }}
<p class="description">{{ .Description }}</p>
{{ .Content }}
<script>addEventListener("load", () => { const i = [...document.images]; document.body.dataset.loaded = i.filter(x => x.complete && x.naturalWidth > 0).length + "/" + i.length; });</script>
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
    let slug_dir = std::fs::read_dir(site.join("public/posts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .expect("the post's folder");
    assert!(
        slug_dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("summit-recap-mona-the-cat"),
        "the slug names the page: {}",
        slug_dir.display()
    );
    let page = slug_dir.join("index.html");
    assert_nobody_withheld_in(&site.join("public"));

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
        dom.contains("data-loaded=\"5/5\""),
        "every figure's image loads: {dom}"
    );
    let alts = alts(&dom);
    assert_eq!(alts.len(), 5);
    for alt in &alts {
        assert!(!alt.is_empty() && alt.chars().count() <= 150, "{alt:?}");
        assert!(
            !alt.contains("Kevin"),
            "the alt says what and how many, not who: {alt}"
        );
    }
    assert!(
        alts[2].starts_with("Group photo of 19 people at the Open Source Summit 2026"),
        "{alts:?}"
    );

    // The names of ul-10 by rows, linked, under its figure (figure 2).
    let caption = dom
        .split("<figcaption>")
        .find(|c| c.contains("Figure 2."))
        .expect("figure 2's caption");
    let caption = &caption[..caption.find("</figcaption>").unwrap()];
    let back = caption.find("Back row, from left: <a href=\"https://github.com/kevin-wangzefeng\">Kevin Wang (@kevin-wangzefeng)</a> and ");
    let middle = caption.find("; middle row, from left: <a href=\"https://github.com/octocat\">");
    let front = caption.find("; front row, from left: <a href=\"https://github.com/RainbowMango\">Hongcai Ren (@RainbowMango)</a> and ");
    assert!(
        back.is_some() && middle.is_some() && front.is_some() && back < middle && middle < front,
        "{caption}"
    );
    // Unnamed people are counted per row, never listed between names.
    assert!(!caption.contains("unidentified"), "{caption}");
    // The byline as Docsy renders it: one line, the author's link kept.
    assert!(
        dom.contains("<p class=\"authors\">Ann Organizer and <a href=\"https://github.com/bo-li\">Bo Li</a> (Example &amp; Co)</p>"),
        "{dom}"
    );
    // Plain Markdown: no character reference shows as text.
    assert!(!dom.contains("&amp;#"), "{dom}");

    // Who was there: each named person once, linked, with their figures.
    let who = &dom[dom.find("Who was there").expect("the list")..];
    assert_eq!(
        who.matches("https://github.com/kevin-wangzefeng").count(),
        1
    );
    assert!(
        who.contains("Kevin Wang (@kevin-wangzefeng)</a>: figures 1, 2"),
        "{who}"
    );
    assert!(
        who.contains("Hongcai Ren (@RainbowMango)</a>: figure 2"),
        "{who}"
    );

    // Hostile text is text: in the title, the authors, the caption and the list.
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the theme's script: {dom}"
    );
    assert!(!dom.contains("href=\"http://evil"), "{dom}");
    assert!(dom.contains("<h1>Summit recap Mona \"the cat\" &lt;script&gt;alert(1)&lt;/script&gt; }} {{&lt; figure src=\"x\" &gt;}}"), "{dom}");
    // Written exactly: straight quotes (not the typographer's), the ampersand, the brackets.
    assert!(
        dom.contains("Mona \"the cat\" &lt;script&gt;alert(1)&lt;/script&gt; }} {{&lt; figure src=\"x\" &gt;}} evil 🎉 &amp; [link](http://evil) (@octocat)</a>"),
        "{dom}"
    );
    // The right-to-left override is dropped: it would reorder the text after it.
    assert!(
        !dom.contains('\u{202e}') && !md.contains('\u{202e}'),
        "{dom}"
    );

    // A second export with nothing changed rewrites nothing.
    let again = export_post(&r, &bundle, "hugo");
    assert_eq!(again["written"], 0, "{again}");
    assert_eq!(again["unchanged"], 6, "{again}");
    let _ = &r.group;
}

#[test]
fn the_markdown_flavour_renders_with_a_commonmark_renderer() {
    use pulldown_cmark::{html, Options, Parser};
    let r = recap();
    let out = tempfile::tempdir().unwrap();
    let report = export_post(&r, out.path(), "markdown");
    assert_eq!(report["figures"], 5, "{report}");
    assert_nobody_withheld_in(out.path());
    let md = std::fs::read_to_string(out.path().join("index.md")).unwrap();
    let body = &md[md[4..].find("\n---\n").unwrap() + 8..];
    assert!(
        !body.contains("{{") && !body.contains("{%"),
        "no shortcode or Liquid tag: {md}"
    );
    let mut page = String::new();
    html::push_html(
        &mut page,
        Parser::new_ext(&md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS),
    );
    assert!(
        !page.contains("<hr"),
        "the front matter is metadata, not text: {page}"
    );
    let srcs: Vec<&str> = page
        .split("<img src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(srcs.len(), 5, "{page}");
    for src in &srcs {
        assert!(out.path().join(src).is_file(), "{src} is beside index.md");
    }
    for alt in alts(&page) {
        assert!(!alt.is_empty() && alt.chars().count() <= 150, "{alt:?}");
    }
    assert!(page.contains("Back row, from left: <a href=\"https://github.com/kevin-wangzefeng\">Kevin Wang (@kevin-wangzefeng)</a> and "), "{page}");
    assert!(
        !page.contains("&amp;#"),
        "no character reference shows as text: {page}"
    );
    assert!(page.contains("<h2>Who was there</h2>"), "{page}");
    assert!(
        !page.contains("<script") && !page.contains("href=\"http://evil"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
}

#[test]
fn rows_and_legend_numbers_are_listed_and_a_face_named_renumbers_nobody_else() {
    let r = recap();
    let lib = r.lib.path();
    let faces = ok(lib, &["faces", "list", &r.group, "--json"]);
    let numbered: Vec<(i64, u64)> = faces
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| Some((f["id"].as_i64()?, f["number"].as_u64()?)))
        .collect();
    // Kevin, the hostile name and Hongcai Ren are numbered 1-3 in reading order; the no-publish
    // attendee is not in the legend.
    let rows = rows_of(lib, &r.group);
    let mut by_number = numbered.clone();
    by_number.sort_by_key(|(_, n)| *n);
    let ids: Vec<i64> = by_number.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, vec![rows[0][0], rows[1][1], rows[2][2]]);
    // Naming the first face of the front row puts it third, and moves nobody else's row.
    ok(
        lib,
        &[
            "tag",
            &r.group,
            &rows[2][0].to_string(),
            "missing-one",
            "--json",
        ],
    );
    assert_eq!(rows_of(lib, &r.group), rows);
    let after = ok(lib, &["faces", "list", &r.group, "--json"]);
    let number_of = |id: i64| {
        after
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()["number"]
            .as_u64()
    };
    assert_eq!(
        [rows[0][0], rows[1][1], rows[2][0], rows[2][2]].map(number_of),
        [Some(1), Some(2), Some(3), Some(4)]
    );
    assert_eq!(
        number_of(*rows[0].last().unwrap()),
        None,
        "no-publish: no number"
    );
    // The roster says on how many photos each attendee is named.
    let roster = ok(lib, &["roster", "list", "--json"]);
    let photos_of = |login: &str| {
        roster
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .unwrap()["photos"]
            .as_u64()
    };
    assert_eq!(photos_of("kevin-wangzefeng"), Some(2));
    assert_eq!(photos_of("notag-person"), Some(0));
}

#[test]
fn a_post_that_would_name_a_withheld_attendee_or_carries_a_long_alt_is_refused_whole() {
    let r = recap();
    let lib = r.lib.path();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("post");
    let refused = whoiswho(
        lib,
        &[
            "export",
            "post",
            dir.to_str().unwrap(),
            "--title",
            "Thanks @private-person!",
            "--date",
            "2026-06-10",
            "--photo",
            "1",
            "--json",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("the title names @private-person, who chose not to be named"),
        "{err}"
    );
    assert!(!dir.join("index.md").exists(), "nothing written");
    let bad_date = whoiswho(
        lib,
        &[
            "export",
            "post",
            dir.to_str().unwrap(),
            "--title",
            "Recap",
            "--date",
            "2026-02-30",
            "--photo",
            "1",
        ],
    );
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("is not a day written YYYY-MM-DD"));
}

#[test]
fn the_who_is_who_image_of_a_wide_group_can_be_cropped_to_the_people() {
    let (lib, photos) = support::detected_library(&[("groups/ul-26.jpg", "ul-26.jpg")]);
    std::fs::write(
        lib.path().join("r.csv"),
        "github,name\nkevin-wangzefeng,Kevin Wang\n",
    )
    .unwrap();
    ok(
        lib.path(),
        &[
            "roster",
            "import",
            lib.path().join("r.csv").to_str().unwrap(),
            "--json",
        ],
    );
    let photo = photos.path().join("ul-26.jpg").display().to_string();
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    let first = faces[0]["id"].to_string();
    ok(
        lib.path(),
        &["tag", &photo, &first, "kevin-wangzefeng", "--json"],
    );
    let whole = lib.path().join("whole.jpg");
    let cropped = lib.path().join("people.jpg");
    let w = ok(
        lib.path(),
        &[
            "export",
            "figure",
            &photo,
            "--out",
            whole.to_str().unwrap(),
            "--legend",
            "--crop",
            "whole",
            "--json",
        ],
    );
    let c = ok(
        lib.path(),
        &[
            "export",
            "figure",
            &photo,
            "--out",
            cropped.to_str().unwrap(),
            "--legend",
            "--crop",
            "people",
            "--json",
        ],
    );
    // ul-26's 77 people fill the middle of a 1024-pixel-wide photo, with lawn below and trees
    // above: the crop keeps them and their marker, and leaves the rest.
    let (ww, cw) = (w["width"].as_u64().unwrap(), c["width"].as_u64().unwrap());
    assert_eq!(ww, 1024);
    assert!(cw < 1000 && cw > 700, "cropped to the people: {cw}");
    for v in [&w, &c] {
        assert_eq!(
            v["legend"]["lines"].as_array().map(Vec::len),
            Some(1),
            "{v}"
        );
    }
}
