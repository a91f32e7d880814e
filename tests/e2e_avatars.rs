//! Avatars in the REAL app window, with its network watched: the app (whose avatar address
//! points at a local server on 127.0.0.1) asks nothing at start-up nor while the organizer
//! browses, and neither it nor WebKit's processes connect anywhere off this machine at any
//! time (`support::network_watch`); "Get avatars from GitHub" says what it will send and sends it only on
//! confirmation, never for a no-tag attendee; the avatar then shows in the People card and the
//! typeahead, and suggests its attendee on a photo (`@login? (avatar)`), accepted with one key.
//! The photos are press photos from ../shared/data/identity: this test saves no screenshot.

mod support;

use serde_json::json;
use support::avatar_server::AvatarServer;
use support::driver::*;
use support::network_watch::NetworkWatch;
use support::{shared_data, Desktop};

/// Kit Harington: his avatar is photo_078; photos 001 and 051 are in the library.
const KIT_PHOTOS: &[&str] = &["photo_001.jpg", "photo_051.jpg"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatars_are_fetched_only_on_request_and_suggest_their_attendee() {
    let photos = tempfile::tempdir().expect("photo dir");
    for name in KIT_PHOTOS {
        std::fs::copy(shared_data("identity").join(name), photos.path().join(name)).expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    support::ok(library.path(), &["faces", "detect", "--json"]);
    support::ok(library.path(), &["faces", "suggest", "--json"]);
    support::import_roster(library.path(), "login,name,consent\nkit-harington,Kit Harington,ok\nbarack-obama,Barack Obama,ok\njoe-biden,Joe Biden,no-tag\n");

    let kit = std::fs::read(shared_data("identity").join("photo_078.jpg")).expect("photo");
    let server = AvatarServer::start([("kit-harington".to_string(), kit)].into_iter().collect());
    let (address, template) = (server.address.clone(), server.template());
    let desktop = Desktop::start_with_env(&[("WHOISWHO_AVATAR_URL", &template)]);
    // Everything the app and its web processes connect to, from start to close.
    let watch = NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, library.path()).await;

    // Browsing asks nothing.
    click(&client, "#tab-people", "People tab").await;
    wait_for(
        &client,
        "the attendee cards",
        "return document.querySelectorAll('.person-card').length === 3",
    )
    .await;
    click(&client, "#tab-photos", "Photos tab").await;
    click(&client, "#tab-people", "People tab").await;
    assert!(
        server.asked().is_empty(),
        "nothing is requested before the organizer asks"
    );

    // The confirmation says what will be sent; cancelling it sends nothing.
    click(&client, "#avatars-fetch", "Get avatars from GitHub").await;
    let text = wait_for(
        &client,
        "the confirmation",
        "const d = document.getElementById('avatars-confirm'); return d.open && document.getElementById('avatars-confirm-text').textContent",
    )
    .await;
    let text = text.as_str().unwrap_or_default().to_string();
    assert!(text.contains("2 attendees"), "{text}");
    assert!(text.contains(&address), "names the server: {text}");
    assert!(
        text.contains("1 attendee who asked not to be tagged"),
        "{text}"
    );
    click(&client, "#avatars-confirm button[value='cancel']", "Cancel").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(server.asked().is_empty(), "cancelled: nothing sent");

    click(&client, "#avatars-fetch", "Get avatars from GitHub").await;
    wait_for(
        &client,
        "the confirmation again",
        "return document.getElementById('avatars-confirm').open",
    )
    .await;
    click(&client, "#avatars-confirm-go", "Download").await;
    let summary = wait_for(
        &client,
        "the avatars to arrive",
        "const t = document.getElementById('avatars-progress-text').textContent; return t.includes('fetched') && t",
    )
    .await;
    assert!(
        summary
            .as_str()
            .unwrap_or_default()
            .starts_with("1 avatar fetched, 1 with one face"),
        "{summary}"
    );
    let failed = js(
        &client,
        "return [...document.querySelectorAll('#avatars-failed-list li')].map(l => l.textContent)",
    )
    .await;
    assert_eq!(failed, json!(["@barack-obama: no such GitHub user (404)"]));
    assert_eq!(
        server.asked(),
        ["/barack-obama.png", "/kit-harington.png"],
        "never the no-tag attendee"
    );

    // The avatar shows on Kit's card, served by the app (the webview loads nothing remote).
    let shown = wait_for(
        &client,
        "Kit's avatar on his card",
        "const i = document.querySelector(\".person-card[data-login='kit-harington'] img.avatar\"); return !!i && i.complete && i.naturalWidth > 0 && i.getAttribute('src')",
    )
    .await;
    assert!(
        !shown.as_str().unwrap_or_default().contains(&address),
        "{shown}"
    );

    // On his photo, nobody named yet: suggested by the avatar; the typeahead shows it; A accepts.
    click(&client, "#tab-photos", "Photos tab").await;
    let id = wait_for(
        &client,
        "his photo",
        "const t = [...document.querySelectorAll('.tile')].find(t => t.title === 'photo_051.jpg'); return t && t.dataset.photoId",
    )
    .await;
    let id = id.as_str().expect("photo id").to_string();
    click(
        &client,
        &format!(".tile[data-photo-id='{id}']"),
        "photo_051",
    )
    .await;
    let label = wait_for(
        &client,
        "the avatar's suggestion",
        "const b = document.querySelector('.face-box.suggested'); return b && b.querySelector('.face-label').textContent",
    )
    .await;
    assert_eq!(label, json!("@kit-harington? (avatar)"));
    click(&client, ".face-box.suggested", "his face").await;
    let first = wait_for(
        &client,
        "the typeahead with his avatar",
        "const li = document.querySelector('#viewer .tag-popover li'); return li && !!li.querySelector('img.avatar') && li.dataset.login",
    )
    .await;
    assert_eq!(
        first,
        json!("kit-harington"),
        "the suggestion comes first, with its avatar"
    );
    keys(&client, "\u{E00C}").await;
    js(
        &client,
        "document.querySelector('.face-box.suggested').focus(); return true",
    )
    .await;
    keys(&client, "a").await;
    wait_for(
        &client,
        "the accepted tag",
        "return !!document.querySelector('.face-box.tagged')",
    )
    .await;
    let people = support::ok(library.path(), &["roster", "list", "--json"]);
    let kit = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "kit-harington")
        .cloned()
        .unwrap();
    assert_eq!(kit["faces"], 1);
    assert_eq!(kit["avatar"], "one");
    client.close().await.expect("close session");
    watch.assert_stayed_local(20);
}
