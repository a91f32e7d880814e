//! Exported figures with their real consumers: Hugo builds a page from the exported shortcode
//! and image; exiftool finds no metadata left in the image; a `no-publish` attendee is blurred
//! and named nowhere.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{ok, shared_data};

const HOSTILE: &str = "Mona \"the cat\" <script>alert(1)</script> {{< figure src=\"x\" >}} *bold* & [link](http://evil)";

/// A library with the group photo ul-9, faces found, and three attendees tagged: one with a
/// hostile name, one who chose no-publish.
fn tagged_group() -> (tempfile::TempDir, tempfile::TempDir, String) {
    let (lib, photos) = support::detected_library(&[("groups/ul-9.jpg", "ul-9.jpg")]);
    let mut csv = csv_row(&["github", "name", "consent"]);
    csv += &csv_row(&["kevin-wangzefeng", "Kevin Wang", "ok"]);
    csv += &csv_row(&["octocat", HOSTILE, "ok"]);
    csv += &csv_row(&["private-person", "Private Person", "no-publish"]);
    support::import_roster(lib.path(), &csv);
    let photo = photos.path().join("ul-9.jpg").display().to_string();
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    for (i, login) in ["kevin-wangzefeng", "octocat", "private-person"]
        .iter()
        .enumerate()
    {
        ok(
            lib.path(),
            &["tag", &photo, &faces[i]["id"].to_string(), login, "--json"],
        );
    }
    (lib, photos, photo)
}

fn csv_row(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    format!("{}\n", quoted.join(","))
}

#[test]
fn hugo_renders_the_figure_with_caption_and_alt_and_hostile_text_stays_text() {
    let (lib, _photos, photo) = tagged_group();
    let site = tempfile::tempdir().unwrap();
    let bundle = site.path().join("content/post/recap");
    let image = bundle.join("group.jpg");
    let caption = format!("Summit recap with {HOSTILE}");
    let fig = ok(
        lib.path(),
        &[
            "export",
            "figure",
            &photo,
            "--out",
            image.to_str().unwrap(),
            "--caption",
            &caption,
            "--json",
        ],
    );
    assert_eq!(fig["blurred"], 1);
    let alt = fig["alt"].as_str().unwrap();
    assert!(
        alt.starts_with("Group photo of 8 people, including "),
        "{alt}"
    );
    assert!(
        alt.contains("Kevin Wang (@kevin-wangzefeng)") && !alt.contains("Private"),
        "{alt}"
    );
    std::fs::write(
        bundle.join("index.md"),
        format!(
            "---\ntitle: Recap\n---\n\n{}\n",
            fig["hugo"].as_str().unwrap()
        ),
    )
    .unwrap();
    std::fs::write(
        site.path().join("config.toml"),
        "baseURL = \"http://example.org/\"\ntitle = \"t\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("layouts/_default")).unwrap();
    std::fs::write(
        site.path().join("layouts/_default/single.html"),
        "<html><body>{{ .Content }}</body></html>\n",
    )
    .unwrap();
    let built = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(site.path())
        .output()
        .expect("hugo (Debian: hugo) must be installed");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page = std::fs::read_to_string(site.path().join("public/post/recap/index.html")).unwrap();
    assert!(page.contains("src=\"group.jpg\""), "{page}");
    assert!(page.contains("width=\"1024\" height=\"768\""), "{page}");
    assert!(
        !page.contains("<script>")
            && !page.contains("<em>bold")
            && !page.contains("href=\"http://evil"),
        "{page}"
    );
    // The caption reads as typed, every character visible as text.
    let figcaption = page
        .split("<figcaption>")
        .nth(1)
        .unwrap()
        .split("</figcaption>")
        .next()
        .unwrap();
    assert!(
        figcaption.contains(
            "Summit recap with Mona &quot;the cat&quot; &lt;script&gt;alert(1)&lt;/script&gt; \
             {{&lt; figure src=&quot;x&quot; &gt;}} *bold* &amp; [link](http://evil)"
        ),
        "{figcaption}"
    );
    assert!(
        page.contains("alt=\"Group photo of 8 people, including "),
        "{page}"
    );
    // The image Hugo links to is the exported one, upright and clean.
    assert!(site.path().join("public/post/recap/group.jpg").exists());
}

#[test]
fn exported_images_are_upright_carry_no_metadata_and_blur_no_publish_heads() {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared_data("exif/DSCN0010.jpg"),
        photos.path().join("gps.jpg"),
    )
    .unwrap();
    std::fs::copy(
        shared_data("orientation/hopper/hopper_orientation_6.jpg"),
        photos.path().join("rotated.jpg"),
    )
    .unwrap();
    // Phone photos: an iPhone HEIC with GPS, and a HEIC stored turned (irot, EXIF 6).
    std::fs::copy(
        shared_data("phones/IMG_5195.HEIC"),
        photos.path().join("iphone.heic"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src-tauri/core/tests/fixtures/phones/heic-orientation-6.heic"),
        photos.path().join("turned.heic"),
    )
    .unwrap();
    ok(
        lib.path(),
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    let out = tempfile::tempdir().unwrap();
    for name in ["gps.jpg", "rotated.jpg", "iphone.heic", "turned.heic"] {
        let photo = photos.path().join(name);
        let image = out.path().join(name).with_extension("jpg");
        let fig = ok(
            lib.path(),
            &[
                "export",
                "figure",
                photo.to_str().unwrap(),
                "--out",
                image.to_str().unwrap(),
                "--size",
                "800",
                "--json",
            ],
        );
        let meta = Command::new("exiftool")
            .args(["-j", "-a", "-G1"])
            .arg(&image)
            .output()
            .unwrap();
        let meta: Value = serde_json::from_slice(&meta.stdout).unwrap();
        let tags: Vec<&String> = meta[0].as_object().unwrap().keys().collect();
        assert!(
            !tags.iter().any(|t| t.contains("GPS")
                || t.contains("Orientation")
                || t.starts_with("IFD0")
                || t.starts_with("ExifIFD")),
            "{name}: metadata left: {tags:?}"
        );
        let decoded = image::open(&image).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (
                fig["width"].as_u64().unwrap() as u32,
                fig["height"].as_u64().unwrap() as u32
            )
        );
        assert!(decoded.width().max(decoded.height()) <= 800);
    }
    // The turned HEIC comes out as shown: 120x80, its red corner top-left.
    let turned = image::open(out.path().join("turned.jpg"))
        .unwrap()
        .to_rgb8();
    assert_eq!((turned.width(), turned.height()), (120, 80));
    let corner = turned.get_pixel(6, 6).0;
    assert!(
        corner[0] > 200 && corner[1] < 60 && corner[2] < 60,
        "{corner:?}"
    );
    // The rotated photo is exported upright: it matches the upright original.
    let upright = image::open(shared_data("orientation/hopper/hopper.jpg"))
        .unwrap()
        .to_rgb8();
    let exported = image::open(out.path().join("rotated.jpg"))
        .unwrap()
        .to_rgb8();
    let exported = image::imageops::resize(
        &exported,
        upright.width(),
        upright.height(),
        image::imageops::FilterType::Triangle,
    );
    let diff: f64 = upright
        .as_raw()
        .iter()
        .zip(exported.as_raw())
        .map(|(a, b)| (*a as f64 - *b as f64).abs())
        .sum::<f64>()
        / upright.as_raw().len() as f64;
    assert!(diff < 10.0, "rotated export is not upright: {diff:.1}");
}

#[test]
fn a_no_publish_head_is_blurred_and_unnamed() {
    let (lib, _photos, photo) = tagged_group();
    let out = tempfile::tempdir().unwrap();
    let fig = ok(
        lib.path(),
        &[
            "export",
            "figure",
            &photo,
            "--out",
            out.path().join("f.png").to_str().unwrap(),
            "--json",
        ],
    );
    for field in ["caption", "alt", "hugo", "markdown", "html"] {
        let text = fig[field].as_str().unwrap();
        assert!(
            !text.contains("Private Person") && !text.contains("private-person"),
            "{field}: {text}"
        );
    }
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    let private = faces
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["login"] == "private-person")
        .unwrap();
    let exported = image::open(out.path().join("f.png")).unwrap().to_rgb8();
    let original = image::open(&photo).unwrap().to_rgb8();
    let detail = |img: &image::RgbImage| {
        let (w, h) = (img.width() as f64, img.height() as f64);
        let x0 = (private["x"].as_f64().unwrap() * w) as u32;
        let y0 = (private["y"].as_f64().unwrap() * h) as u32;
        let x1 = x0 + (private["w"].as_f64().unwrap() * w) as u32;
        let y1 = y0 + (private["h"].as_f64().unwrap() * h) as u32;
        let mut sum = 0i64;
        for y in y0..y1 {
            for x in x0..x1.saturating_sub(1) {
                sum += (img.get_pixel(x, y)[1] as i64 - img.get_pixel(x + 1, y)[1] as i64).abs();
            }
        }
        sum
    };
    let (after, before) = (detail(&exported), detail(&original));
    assert!(
        after * 4 < before,
        "the face still has detail: {after} vs {before}"
    );
}

/// The "who is who" image of a group photo from the events: a legend entry for every tagged
/// face (the no-publish one excepted), names in every script drawn with real glyphs, each entry
/// inked where the layout says. Saved to target/e2e/legend.jpg to look at.
#[test]
fn the_who_is_who_image_has_a_legend_entry_for_every_tagged_face() {
    let (lib, photos) = support::detected_library(&[("events/kcs06.jpeg", "kcs06.jpeg")]);
    let names = [
        "Kevin Wang",
        "李想",
        "José Álvarez",
        "김민준",
        "山田太郎",
        "Zoë 🚀 Smith",
        "Private Person",
        "Søren Kierkegaard",
        "Nguyễn Văn An",
        "Дмитрий Иванов",
        "محمد",
        "陈晨",
        "Łukasz",
    ];
    let mut csv = csv_row(&["github", "name", "consent"]);
    for (i, n) in names.iter().enumerate() {
        let consent = if *n == "Private Person" {
            "no-publish"
        } else {
            "ok"
        };
        csv += &csv_row(&[&format!("person-{i}"), n, consent]);
    }
    support::import_roster(lib.path(), &csv);
    let photo = photos.path().join("kcs06.jpeg").display().to_string();
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    assert!(faces.as_array().unwrap().len() >= names.len());
    for i in 0..names.len() {
        ok(
            lib.path(),
            &[
                "tag",
                &photo,
                &faces[i]["id"].to_string(),
                &format!("person-{i}"),
                "--json",
            ],
        );
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("legend.jpg");
    let fig = ok(
        lib.path(),
        &[
            "export",
            "figure",
            &photo,
            "--out",
            out.to_str().unwrap(),
            "--legend",
            "--title",
            "Kubernetes Contributor Summit Shanghai",
            "--date",
            "2026-11-25",
            "--json",
        ],
    );
    let legend = &fig["legend"];
    assert_eq!(legend["missing_glyphs"], 0, "tofu in the legend");
    let lines = legend["lines"].as_array().unwrap();
    assert_eq!(
        lines.len(),
        names.len() - 1,
        "every tagged face but the no-publish one"
    );
    let mut listed: Vec<&str> = lines.iter().map(|l| l["name"].as_str().unwrap()).collect();
    listed.sort();
    let mut want: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| *n != "Private Person")
        .collect();
    want.sort();
    assert_eq!(listed, want);
    assert_eq!(
        lines
            .iter()
            .map(|l| l["number"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        (1..=names.len() as u64 - 1).collect::<Vec<_>>()
    );
    let img = image::open(&out).unwrap().to_rgb8();
    let photo_h = legend["photo"]["h"].as_f64().expect("one photo area");
    assert!(
        f64::from(img.height()) > photo_h + 100.0,
        "a legend was added beneath"
    );
    for l in lines {
        let (x, y, w, h) = ["x", "y", "w", "h"]
            .map(|k| l[k].as_u64().unwrap() as u32)
            .into();
        let inked = (y..y + h)
            .flat_map(|yy| (x..x + w).map(move |xx| (xx, yy)))
            .filter(|&(xx, yy)| {
                img.get_pixel(xx.min(img.width() - 1), yy.min(img.height() - 1))[0] < 100
            })
            .count();
        assert!(inked > 40, "entry {} is blank", l["number"]);
    }
}

/// Every URL Chromium requested while showing `page`, from its NetLog, minus Chromium's own
/// service traffic (updates, time, accounts), which no page asks for.
fn requests_made(page: &Path, log_dir: &Path) -> Vec<String> {
    let log = log_dir.join(format!(
        "netlog-{}.json",
        page.file_name().unwrap().to_string_lossy()
    ));
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--no-first-run",
            "--metrics-recording-only",
            "--no-default-browser-check",
        ])
        .arg(format!(
            "--user-data-dir={}",
            log_dir.join("profile").display()
        ))
        .arg(format!("--log-net-log={}", log.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian: chromium) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let netlog: Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    let mut urls = Vec::new();
    fn walk(v: &Value, urls: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("url", Value::String(s)) => urls.push(s.clone()),
                        _ => walk(v, urls),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, urls)),
            _ => {}
        }
    }
    walk(&netlog["events"], &mut urls);
    let browser_own = [
        "google.com/",
        "googleapis.com/",
        "gvt1.com/",
        "gstatic.com/",
    ];
    urls.retain(|u| !browser_own.iter().any(|h| u.contains(h)));
    urls.sort();
    urls.dedup();
    urls
}

fn dom(page: &Path) -> String {
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_gallery_works_from_disk_without_other_hosts_and_re_exports_only_changes() {
    let (lib, _photos, photo) = tagged_group();
    let site = tempfile::tempdir().unwrap();
    let gallery = site.path().join("gallery");
    let dry = ok(
        lib.path(),
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(
        (dry["named_people"].as_u64(), dry["blurred_faces"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(!gallery.exists(), "a dry run writes nothing");
    let report = ok(
        lib.path(),
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--title",
            HOSTILE,
            "--json",
        ],
    );
    assert_eq!(
        (report["photos"].as_u64(), report["blurred"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["people"], 2, "no-publish attendees have no page");

    // The control: a page with outside references is caught by the request log.
    let control = site.path().join("control.html");
    std::fs::write(&control, "<img src=\"https://example.com/x.png\">").unwrap();
    assert_eq!(
        requests_made(&control, site.path()),
        ["https://example.com/x.png"]
    );

    let id = ok(lib.path(), &["photos", "--json"])[0]["id"].to_string();
    let pages = [
        "index.html",
        "people.html",
        &format!("photo-{id}.html"),
        "person-kevin-wangzefeng.html",
    ];
    for page in pages {
        let path = gallery.join(page);
        assert!(
            requests_made(&path, site.path()).is_empty(),
            "{page} asked another host for something"
        );
        let html = dom(&path);
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{page}: only gallery.js runs"
        );
        assert!(
            !html.contains("<script>alert")
                && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}: the hostile title is text"
        );
    }
    let photo_page = dom(&gallery.join(format!("photo-{id}.html")));
    assert!(
        photo_page.contains("href=\"https://github.com/kevin-wangzefeng\""),
        "{photo_page}"
    );
    assert!(photo_page.contains("href=\"https://github.com/octocat\""));
    let img = photo_page.split("<div class=\"frame").nth(1).unwrap();
    assert!(
        img.contains("width=\"1024\" height=\"768\""),
        "real size in the markup: {img}"
    );

    // The no-publish attendee is named in no file of the gallery.
    for entry in walk_files(&gallery) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Private Person") && !text.contains("private-person"),
            "{}",
            entry.display()
        );
    }

    // Again, unchanged: nothing is written. Then one tag changes one photo's people.
    let again = ok(
        lib.path(),
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--title",
            HOSTILE,
            "--json",
        ],
    );
    assert_eq!(again["written"], 0, "{again}");
    let image = gallery.join(format!("img/{id}.jpg"));
    let made_at = std::fs::metadata(&image).unwrap().modified().unwrap();
    let faces = ok(lib.path(), &["faces", "list", &photo, "--json"]);
    ok(
        lib.path(),
        &[
            "tag",
            &photo,
            &faces[3]["id"].to_string(),
            "lixiang",
            "--json",
        ],
    );
    let changed = ok(
        lib.path(),
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--title",
            HOSTILE,
            "--json",
        ],
    );
    let written = changed["written"].as_u64().unwrap();
    // The photo's page, the index and people pages (names and alt text), the new person's
    // page and crop: not the photo's images.
    assert!((1..=8).contains(&written), "{changed}");
    assert_eq!(
        std::fs::metadata(&image).unwrap().modified().unwrap(),
        made_at,
        "the image was remade"
    );
    assert!(gallery.join("person-lixiang.html").exists());
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}
