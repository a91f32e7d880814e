//! Recognition in the REAL app window: name a person once, see their face suggested on another
//! photo (`@login?`, not a name), accept it with one key, then review and accept the rest on
//! their person page, and undo that in one step. The photos are press photos from
//! ../shared/data/identity: this test saves no screenshot of them.

mod support;

use fantoccini::Client;
use serde_json::json;
use support::driver::*;
use support::{shared_data, Desktop};

const KIT: &[&str] = &["photo_001.jpg", "photo_051.jpg", "photo_078.jpg"];
/// Barack Obama, whom nobody names: his two faces form a group.
const OBAMA: &[&str] = &["photo_028.jpg", "photo_058.jpg"];

fn faces_of(library: &std::path::Path, login: &str) -> u64 {
    let people = support::ok(library, &["roster", "list", "--json"]);
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == login)
        .and_then(|p| p["faces"].as_u64())
        .unwrap_or(0)
}

/// Opens the photo with this file name in the viewer and returns its one face box's selector.
async fn open_photo(client: &Client, name: &str) -> String {
    if js(client, "return !document.getElementById('viewer').hidden").await == json!(true) {
        js(
            client,
            "document.getElementById('viewer-close').click(); return true",
        )
        .await;
    }
    click(client, "#tab-photos", "Photos tab").await;
    let id = wait_for(
        client,
        name,
        &format!("const t = [...document.querySelectorAll('.tile')].find(t => t.title === '{name}'); return t && t.dataset.photoId"),
    )
    .await;
    let id = id.as_str().expect("photo id").to_string();
    click(client, &format!(".tile[data-photo-id='{id}']"), name).await;
    let face = wait_for(
        client,
        "its face box",
        &format!("const l = document.querySelector('.face-layer'); const b = document.querySelector('.face-box'); return l && l.dataset.photoId === '{id}' && b && b.dataset.faceId"),
    )
    .await;
    wait_for(
        client,
        "the layer over the image",
        "return document.querySelector('.face-layer').getBoundingClientRect().width > 50",
    )
    .await;
    format!(".face-box[data-face-id='{}']", face.as_str().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_once_then_accept_suggestions_by_key_and_on_the_person_page() {
    let photos = tempfile::tempdir().expect("photo dir");
    for name in KIT.iter().chain(OBAMA) {
        std::fs::copy(shared_data("identity").join(name), photos.path().join(name)).expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    support::ok(library.path(), &["faces", "detect", "--json"]);
    let embedded = support::ok(library.path(), &["faces", "suggest", "--json"]);
    assert_eq!(embedded["embedded"], 5, "{embedded}");

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;

    // Name Kit on his first photo through the typeahead.
    let first = open_photo(&client, KIT[0]).await;
    let input = open_typeahead(&client, &first, "Kit's face").await;
    input
        .send_keys("kit-harington\u{E007}")
        .await
        .expect("type");
    wait_for(
        &client,
        "the tag",
        &format!("return !!document.querySelector(\"{first}.tagged\")"),
    )
    .await;

    // On his second photo the face is suggested, visibly not a name; A accepts it.
    let second = open_photo(&client, KIT[1]).await;
    let label = wait_for(
        &client,
        "the suggestion",
        &format!("const b = document.querySelector(\"{second}.suggested\"); return b && b.querySelector('.face-label').textContent"),
    )
    .await;
    assert_eq!(label, json!("@kit-harington?"));
    assert_eq!(
        js(
            &client,
            &format!("return document.querySelector(\"{second}\").classList.contains('tagged')")
        )
        .await,
        json!(false),
        "a suggestion is not a tag"
    );
    js(
        &client,
        &format!("document.querySelector(\"{second}\").focus(); return true"),
    )
    .await;
    keys(&client, "a").await;
    wait_for(
        &client,
        "the accepted tag",
        &format!("return !!document.querySelector(\"{second}.tagged\")"),
    )
    .await;
    assert_eq!(faces_of(library.path(), "kit-harington"), 2);

    // His person page lists the third photo's face as suggested; accepting names it; one undo
    // takes it back.
    js(
        &client,
        "document.getElementById('viewer-close').click(); return true",
    )
    .await;
    let filter = client
        .find(fantoccini::Locator::Css("#filter-people"))
        .await
        .expect("people filter");
    filter
        .send_keys("@kit-harington\u{E007}")
        .await
        .expect("filter");
    let count = wait_for(
        &client,
        "the suggestions on the person page",
        "const s = document.getElementById('person-suggestions'); return s && !s.hidden && Number(s.dataset.count)",
    )
    .await;
    assert_eq!(count, json!(1));
    click(&client, "#person-suggestions-accept", "Accept").await;
    wait_for(
        &client,
        "the suggestions to go",
        "return document.getElementById('person-suggestions').hidden",
    )
    .await;
    assert_eq!(faces_of(library.path(), "kit-harington"), 3);
    js(
        &client,
        "document.getElementById('grid').focus(); return true",
    )
    .await;
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the undo to bring the suggestion back",
        "const s = document.getElementById('person-suggestions'); return !s.hidden && s.dataset.count === '1'",
    )
    .await;
    assert_eq!(faces_of(library.path(), "kit-harington"), 2);

    // Groups: Obama's two unnamed faces are one group; naming it names both, in one step.
    click(&client, "#tab-groups", "Groups tab").await;
    let sizes = wait_for(
        &client,
        "the groups",
        "const r = [...document.querySelectorAll('.group-row')]; return r.length > 0 && r.map(g => g.querySelectorAll('.group-face').length)",
    )
    .await;
    assert_eq!(
        sizes,
        json!([2]),
        "only Obama's faces are unnamed and alike"
    );
    click(&client, ".group-row .group-name", "Name this group").await;
    let input = client
        .find(fantoccini::Locator::Css("#view-groups .tag-popover input"))
        .await
        .expect("typeahead");
    input.send_keys("barack-obama\u{E007}").await.expect("type");
    wait_for(
        &client,
        "the group to be named",
        "return document.querySelectorAll('.group-row').length === 0",
    )
    .await;
    assert_eq!(faces_of(library.path(), "barack-obama"), 2);
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the undo to bring the group back",
        "return document.querySelectorAll('.group-row').length === 1",
    )
    .await;
    assert_eq!(faces_of(library.path(), "barack-obama"), 0);

    // A crop dragged out of its strip leaves the group (a group of one is no group); undo puts
    // it back. WebDriver cannot drive WebKit's native drag, so the page's own drag events are
    // sent.
    js(
        &client,
        "const crop = document.querySelector('.group-row .group-face');
         const view = document.getElementById('view-groups');
         const dt = new DataTransfer();
         crop.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: dt }));
         view.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
         view.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
         return true",
    )
    .await;
    wait_for(
        &client,
        "the dragged face to leave its group",
        "return document.querySelectorAll('.group-row').length === 0",
    )
    .await;
    keys(&client, "\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the undo to put the face back",
        "const r = document.querySelectorAll('.group-row'); return r.length === 1 && r[0].querySelectorAll('.group-face').length === 2",
    )
    .await;

    // Kit's third face is suggested again (the person-page accept was undone): Tab reaches it
    // from anywhere in the viewer, R rejects it, and it stays rejected.
    click(&client, "#tab-photos", "Photos tab").await;
    js(
        &client,
        "document.getElementById('filter-clear').click(); return true",
    )
    .await;
    let third = open_photo(&client, KIT[2]).await;
    wait_for(
        &client,
        "the third face's suggestion",
        &format!("return !!document.querySelector(\"{third}.suggested\")"),
    )
    .await;
    js(
        &client,
        "document.getElementById('viewer-close').focus(); return true",
    )
    .await;
    keys(&client, "\u{E004}").await;
    let focused = js(
        &client,
        "return document.activeElement && document.activeElement.dataset.faceId || null",
    )
    .await;
    assert_eq!(
        Some(format!(
            ".face-box[data-face-id='{}']",
            focused.as_str().unwrap_or("none")
        )),
        Some(third.clone()),
        "Tab goes to the suggested face"
    );
    keys(&client, "r").await;
    wait_for(
        &client,
        "the rejected suggestion to go",
        &format!("const b = document.querySelector(\"{third}\"); return !!b && !b.classList.contains('suggested') && !b.classList.contains('tagged')"),
    )
    .await;
    let again = support::ok(library.path(), &["faces", "suggest", "--json"]);
    assert_eq!(
        again["suggested"], 0,
        "a rejected suggestion stays rejected: {again}"
    );
    assert_eq!(faces_of(library.path(), "kit-harington"), 2);
    client.close().await.expect("close session");
}
