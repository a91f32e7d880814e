//! The recap post in the REAL app window: photos added from the grid (P) and the viewer (the
//! button), reordered by keys and by dragging, a caption written, the alt counter, the live
//! Markdown preview with the names by rows, the attendees named in no photo, the event and the
//! organizer's texts (introduction, a section after a figure, a closing) surviving a restart and
//! reaching index.md, and the export, whose refusal to overwrite a hand-edited index.md shows
//! in a dialog (keep, or replace). Screenshot in target/e2e/.

mod support;

use fantoccini::Locator;
use serde_json::json;
use support::driver::*;
use support::{shared_data, Desktop};

/// `index.md` as the preview shows it: the images' sizes are known once they are made.
fn without_sizes(md: &str) -> String {
    let mut out = String::new();
    let mut rest = md;
    while let Some(at) = rest.find(" width=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find("\" loading=").expect("height before loading");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Types `text` into a field as a person would (the field's input event fires).
async fn type_into(client: &fantoccini::Client, css: &str, text: &str) {
    let field = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

/// The photo ids of the post's list, in order.
const ORDER: &str = "return [...document.querySelectorAll('#post-photos li')].map(li => Number(li.dataset.photoId))";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_the_recap_post_and_export_it() {
    let photos = tempfile::tempdir().expect("photo dir");
    for name in ["ul-10.jpg", "ul-9.jpg"] {
        std::fs::copy(
            shared_data(&format!("groups/{name}")),
            photos.path().join(name),
        )
        .expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let lib = library.path();
    support::import_roster(lib, "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nRainbowMango,Hongcai Ren,ok\nmissing-one,Missing One,ok\n");
    support::ok(lib, &["faces", "detect", "--json"]);
    let group = photos.path().join("ul-10.jpg").display().to_string();
    let faces = support::ok(lib, &["faces", "list", &group, "--json"]);
    let first_of_row = |row: u64| {
        faces
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["row"] == row)
            .min_by(|a, b| {
                a["x"]
                    .as_f64()
                    .unwrap()
                    .total_cmp(&b["x"].as_f64().unwrap())
            })
            .unwrap()["id"]
            .to_string()
    };
    support::ok(
        lib,
        &[
            "tag",
            &group,
            &first_of_row(1),
            "kevin-wangzefeng",
            "--json",
        ],
    );
    support::ok(
        lib,
        &["tag", &group, &first_of_row(3), "RainbowMango", "--json"],
    );
    let small_path = photos.path().join("ul-9.jpg").display().to_string();
    let small_faces = support::ok(lib, &["faces", "list", &small_path, "--json"]);
    support::ok(
        lib,
        &[
            "tag",
            &small_path,
            &small_faces[0]["id"].to_string(),
            "kevin-wangzefeng",
            "--json",
        ],
    );
    let ids = support::ok(lib, &["photos", "--json"]);
    let id_of = |name: &str| {
        ids.as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"].as_str().unwrap().ends_with(name))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (big, small) = (id_of("ul-10.jpg"), id_of("ul-9.jpg"));

    let desktop = Desktop::start();
    let watch = support::network_watch::NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, lib).await;

    // From the grid: focus ul-10's tile and press P.
    js(
        &client,
        &format!("document.querySelector('.tile[data-photo-id=\"{big}\"]').focus(); return true"),
    )
    .await;
    keys(&client, "p").await;
    wait_for(
        &client,
        "the post badge",
        "return document.getElementById('post-count').textContent === '1'",
    )
    .await;
    // From the viewer: open ul-9 and click Add to post.
    click(
        &client,
        &format!(".tile[data-photo-id=\"{small}\"]"),
        "ul-9",
    )
    .await;
    click(&client, "#viewer-add-post", "Add to post").await;
    wait_for(
        &client,
        "two photos",
        "return document.getElementById('post-count').textContent === '2'",
    )
    .await;
    keys(&client, "\u{E00C}").await;
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    keys(&client, "5").await;
    wait_for(&client, "the post view", "return !document.getElementById('view-post').hidden && document.querySelectorAll('#post-photos li').length === 2").await;
    assert_eq!(js(&client, ORDER).await, json!([big, small]));
    let md = wait_for(&client, "the preview", "const t = document.getElementById('post-markdown').textContent; return t.includes('{{< figure') && t").await;
    let md = md.as_str().unwrap().to_string();
    assert!(md.contains("Back row, from left: [Kevin Wang (@kevin-wangzefeng)](https://github.com/kevin-wangzefeng)"), "{md}");
    assert!(md.contains("front row, from left: [Hongcai Ren"), "{md}");
    assert!(md.contains("src=\"ul-10-who-is-who.jpg\""), "{md}");
    // Missing One is on the roster and on no photo.
    let missing = js(
        &client,
        "return document.getElementById('post-missing').textContent",
    )
    .await;
    assert_eq!(missing, json!("Missing One (@missing-one)"));

    // Reorder by keys: Alt+↑ on the second photo.
    js(
        &client,
        "document.querySelectorAll('#post-photos li')[1].focus(); return true",
    )
    .await;
    keys(&client, "\u{E00A}\u{E013}\u{E00A}").await;
    wait_for(
        &client,
        "ul-9 first",
        &format!(
            "return JSON.stringify({}) === '[{small},{big}]'",
            ORDER.trim_start_matches("return ")
        ),
    )
    .await;
    // Reorder by dragging ul-10's card above ul-9's (the HTML drag events a drop sends).
    js(
        &client,
        "const [a, b] = document.querySelectorAll('#post-photos li'); const dt = new DataTransfer();
         b.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
         a.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
         a.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
         b.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt})); return true",
    )
    .await;
    wait_for(
        &client,
        "ul-10 first again",
        &format!(
            "return JSON.stringify({}) === '[{big},{small}]'",
            ORDER.trim_start_matches("return ")
        ),
    )
    .await;

    // A title (the library names no event yet, so none is prefilled).
    js(&client, "document.getElementById('post-title').value = 'Contributor Summit recap'; document.getElementById('post-title').dispatchEvent(new Event('input')); return true").await;
    wait_for(&client, "the title kept", "return document.getElementById('post-markdown').textContent.startsWith('---\\nlayout: blog\\ntitle: \"Contributor Summit recap\"')").await;
    // A caption of one's own; the preview follows.
    let caption = client
        .find(Locator::Css(
            "#post-photos li:first-child textarea[data-field=caption]",
        ))
        .await
        .expect("caption field");
    caption.clear().await.expect("clear");
    caption
        .send_keys("The contributors on the steps")
        .await
        .expect("type");
    wait_for(&client, "the caption in the preview", "return document.getElementById('post-markdown').textContent.includes('caption=\"Figure 1. The contributors on the steps. Back row')").await;
    // An alt text over 150 characters: the counter and the problem say so.
    let alt = client
        .find(Locator::Css(
            "#post-photos li:first-child textarea[data-field=alt]",
        ))
        .await
        .expect("alt field");
    alt.send_keys(&" and more".repeat(16)).await.expect("type");
    wait_for(&client, "the counter", "return document.querySelector('#post-photos li:first-child .alt-counter').classList.contains('over')").await;
    let problem = wait_for(
        &client,
        "the problem",
        "const p = document.getElementById('post-problem'); return !p.hidden && p.textContent",
    )
    .await;
    assert!(
        problem
            .as_str()
            .unwrap()
            .contains("the alt text of figure 1 has"),
        "{problem}"
    );
    alt.clear().await.expect("clear");
    alt.send_keys("The contributors, 19 people, on the steps")
        .await
        .expect("type");
    wait_for(
        &client,
        "no problem",
        "return document.getElementById('post-problem').hidden",
    )
    .await;
    // The event, once: its name reaches the alt texts, its organizers the byline.
    type_into(&client, "#event-name", "Kubernetes Contributor Summit 2026").await;
    type_into(&client, "#event-organizers", "Ann Organizer (Example)").await;
    wait_for(&client, "the event in the preview", "const t = document.getElementById('post-markdown').textContent; return t.includes('author: \"Ann Organizer (Example)\"') && t.includes('people at the Kubernetes Contributor Summit 2026')").await;
    // The organizer's texts, where they belong.
    type_into(&client, "#post-intro", "We met in Shanghai & talked.").await;
    // Several lines, as pasted.
    js(&client, "const t = document.querySelector('#post-photos li:first-child textarea[data-field=text]'); t.value = '## The steps\\n\\nEveryone stood on the steps.'; t.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
    type_into(&client, "#post-closing", "See you next year!").await;
    wait_for(&client, "the texts in the preview", "const t = document.getElementById('post-markdown').textContent; const a = t.indexOf('We met in Shanghai'), b = t.indexOf('ul-10.jpg'), c = t.indexOf('## The steps'), d = t.indexOf('ul-9.jpg'), e = t.indexOf('See you next year!'); return a > 0 && a < b && b < c && c < d && d < e").await;
    save_screenshot(&client, "post-view.png").await;
    client.close().await.expect("close session");

    // The post is kept in the library: a new window shows it as left.
    let client = open_ready(&desktop, lib).await;
    keys(&client, "5").await;
    wait_for(
        &client,
        "the kept post",
        &format!(
            "return JSON.stringify({}) === '[{big},{small}]'",
            ORDER.trim_start_matches("return ")
        ),
    )
    .await;
    let kept = js(&client, "return document.querySelector('#post-photos li:first-child textarea[data-field=caption]').value").await;
    assert_eq!(kept, json!("The contributors on the steps"));
    let title = js(
        &client,
        "return document.getElementById('post-title').value",
    )
    .await;
    assert_eq!(title, json!("Contributor Summit recap"));
    let texts = js(&client, "return [document.getElementById('post-intro').value, document.querySelector('#post-photos li:first-child textarea[data-field=text]').value, document.getElementById('post-closing').value, document.getElementById('event-name').value]").await;
    assert_eq!(
        texts,
        json!([
            "We met in Shanghai & talked.",
            "## The steps\n\nEveryone stood on the steps.",
            "See you next year!",
            "Kubernetes Contributor Summit 2026"
        ])
    );

    let out = lib.join("post-bundle");
    js(
        &client,
        &format!(
            "window.whoiswho.exportPostTo({}); return true",
            serde_json::to_string(out.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let result = wait_for(&client, "the export", "const t = document.getElementById('post-result').textContent; return t.startsWith('Post in') && t").await;
    assert!(
        result
            .as_str()
            .unwrap()
            .contains("4 figures, 2 people named"),
        "{result}"
    );
    let index = std::fs::read_to_string(out.join("index.md")).expect("index.md");
    assert_eq!(
        without_sizes(&index),
        js(
            &client,
            "return document.getElementById('post-markdown').textContent"
        )
        .await
        .as_str()
        .unwrap(),
        "the preview is what was written, but for the images' sizes"
    );
    assert!(index.contains("We met in Shanghai & talked.") && index.contains("## The steps"));
    assert!(out.join("ul-10.jpg").is_file() && out.join("ul-9-who-is-who.jpg").is_file());

    // index.md edited by hand: the export asks, and keeping it exports nothing.
    let edited = format!("{index}\nA line written by hand.\n");
    std::fs::write(out.join("index.md"), &edited).expect("edit");
    let export = format!(
        "window.whoiswho.exportPostTo({}); return true",
        serde_json::to_string(out.to_str().unwrap()).unwrap()
    );
    js(&client, &export).await;
    let asked = wait_for(&client, "the dialog", "const d = document.getElementById('confirm-dialog'); return d.open && document.getElementById('confirm-message').textContent").await;
    assert!(
        asked.as_str().unwrap().contains("index.md"),
        "the dialog names the file: {asked}"
    );
    save_screenshot(&client, "post-edited-dialog.png").await;
    click(
        &client,
        "#confirm-choices button[data-choice=cancel]",
        "Cancel",
    )
    .await;
    wait_for(&client, "nothing exported", "return document.getElementById('post-result').textContent.startsWith('Nothing was exported')").await;
    assert_eq!(
        std::fs::read_to_string(out.join("index.md")).unwrap(),
        edited
    );
    // Replacing it, as the organizer says.
    js(&client, &export).await;
    wait_for(
        &client,
        "the dialog again",
        "return document.getElementById('confirm-dialog').open",
    )
    .await;
    click(
        &client,
        "#confirm-choices button[data-choice=replace]",
        "Replace",
    )
    .await;
    wait_for(&client, "replaced", "return document.getElementById('post-result').textContent.includes('Replaced your edits of index.md')").await;
    assert_eq!(
        std::fs::read_to_string(out.join("index.md")).unwrap(),
        index
    );
    client.close().await.expect("close session");
    watch.assert_stayed_local(10);
}
