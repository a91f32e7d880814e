//! The tagging journey in the REAL app window: tag faces of a group photo through the
//! typeahead, undo and redo. Screenshots in target/e2e/.

mod support;

use serde_json::json;
use support::driver::*;
use support::Desktop;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_faces_of_a_group_photo_through_the_typeahead() {
    let (library, _photos) = support::detected_library(&[("groups/ul-9.jpg", "ul-9.jpg")]);
    support::import_roster(library.path(), "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nkevinsmith,Kevin Smith,no-tag\noctocat,Mona Lisa,\n");

    let desktop = Desktop::start();
    // Tagging, suggestions and the roster: none of it connects anywhere off this machine.
    let watch = support::network_watch::NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, library.path()).await;
    click(&client, ".tile", "tile").await;
    let count = wait_for(
        &client,
        "face boxes",
        "const l = document.querySelector('.face-layer'); return l && Number(l.dataset.faceCount) > 0 && Number(l.dataset.faceCount)",
    )
    .await;
    assert_eq!(count, json!(8), "ul-9 has 8 faces");
    wait_for(
        &client,
        "the layer over the image",
        "return document.querySelector('.face-layer').getBoundingClientRect().width > 100",
    )
    .await;

    // First face: type three letters; the no-tag attendee is never offered.
    let ids = js(
        &client,
        "return [...document.querySelectorAll('.face-box')].map(b => b.dataset.faceId)",
    )
    .await;
    let box_of = |i: usize| {
        format!(
            ".face-box[data-face-id='{}']",
            ids[i].as_str().expect("face id")
        )
    };
    let open_box = |i: usize| {
        let selector = box_of(i);
        let client = client.clone();
        async move { open_typeahead(&client, &selector, "face box").await }
    };
    let input = open_box(0).await;
    input.send_keys("kev").await.expect("type");
    // Until the answer for what was typed draws: the answer for the empty text may draw first
    // while recognition runs in the background.
    let offered = wait_for(
        &client,
        "suggestions",
        "const o = [...document.querySelectorAll('#viewer .tag-choices li')].map(li => li.dataset.login); return o.length === 1 && o",
    )
    .await;
    assert_eq!(
        offered,
        json!(["kevin-wangzefeng"]),
        "kevinsmith asked not to be tagged"
    );
    input.send_keys("\u{E007}").await.expect("enter");
    let title = wait_for(
        &client,
        "the tagged box",
        &format!(
            "const b = document.querySelector(\"{}.tagged\"); return b && b.title",
            box_of(0)
        ),
    )
    .await;
    assert_eq!(title, json!("@kevin-wangzefeng · Kevin Wang"));

    // Second face: a login typed in full; arrow keys inside the box move the caret, not the photo.
    let input = open_box(1).await;
    input
        .send_keys("octo\u{E012}\u{E014}cat")
        .await
        .expect("type");
    let photo_before = js(
        &client,
        "return document.getElementById('viewer').dataset.photoId",
    )
    .await;
    input.send_keys("\u{E007}").await.expect("enter");
    wait_for(
        &client,
        "two tagged boxes",
        "return document.querySelectorAll('.face-box.tagged').length === 2",
    )
    .await;
    assert_eq!(
        js(
            &client,
            "return document.getElementById('viewer').dataset.photoId"
        )
        .await,
        photo_before
    );
    save_screenshot(&client, "tagged.png").await;

    // Ctrl+Z undoes the second tag, Ctrl+Shift+Z redoes it.
    let keys = |k: &'static str| {
        let client = client.clone();
        async move {
            client
                .active_element()
                .await
                .expect("focus")
                .send_keys(k)
                .await
                .expect("keys")
        }
    };
    let tagged_count = "return document.querySelectorAll('.face-box.tagged').length";
    keys("\u{E009}z\u{E000}").await;
    wait_for(&client, "the undo", &format!("{tagged_count} === 1")).await;
    keys("\u{E009}\u{E008}z\u{E000}").await;
    wait_for(&client, "the redo", &format!("{tagged_count} === 2")).await;

    // X with the pointer on a face marks it "not a face": it leaves the photo; Ctrl+Z brings it back.
    js(
        &client,
        &format!(
            "document.querySelector(\"{}\").focus(); return true",
            box_of(2)
        ),
    )
    .await;
    keys("x").await;
    let face_count = "return Number(document.querySelector('.face-layer').dataset.faceCount)";
    wait_for(&client, "the face to leave", &format!("{face_count} === 7")).await;
    keys("\u{E009}z\u{E000}").await;
    wait_for(
        &client,
        "the face to come back",
        &format!("{face_count} === 8"),
    )
    .await;
    client.close().await.expect("close session");
    watch.assert_stayed_local(10);

    // The tags are in the library, as the CLI sees them.
    let people = support::json_stdout(&support::whoiswho(
        library.path(),
        &["roster", "list", "--json"],
    ));
    let faces_of = |login: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["login"] == login)
            .map(|p| p["faces"].clone())
    };
    assert_eq!(faces_of("kevin-wangzefeng"), Some(json!(1)));
    assert_eq!(faces_of("octocat"), Some(json!(1)));
}
