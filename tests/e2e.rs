//! End to end: the REAL app binary in a real WebKitGTK window under a private Xvfb, driven
//! through WebKitWebDriver. The library is prepared with the CLI, then a person's path is
//! followed: see the grid, open a photo, read its info panel, step to the next, close.
//! Screenshots land in target/e2e/.

mod support;

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::{shared_data, Desktop};

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
}

/// Polls `script` until it returns something truthy (the app renders asynchronously).
async fn wait_for(client: &Client, what: &str, script: &str) -> Value {
    for _ in 0..200 {
        let v = js(client, script).await;
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn field(client: &Client, name: &str) -> String {
    client
        .find(Locator::Css(&format!("#viewer [data-field=\"{name}\"]")))
        .await
        .expect(name)
        .text()
        .await
        .expect(name)
}

async fn save_screenshot(client: &Client, name: &str) {
    // Two frames so the last change is painted.
    js(
        client,
        "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    )
    .await;
    let png = client.screenshot().await.expect("screenshot");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(name), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_the_grid_and_read_a_photo_in_the_viewer() {
    let library = tempfile::tempdir().expect("library dir");
    let photos = support::prepare_library(
        library.path(),
        &[shared_data("exif"), shared_data("orientation/hopper")],
    );
    assert_eq!(photos.len(), 24, "9 EXIF photos + 15 hopper orientations");

    let desktop = Desktop::start();
    let client = desktop.open_app(library.path()).await;

    wait_for(
        &client,
        "the ready marker",
        "return document.documentElement.dataset.ready === 'true'",
    )
    .await;
    let total = js(
        &client,
        "return document.getElementById('grid-canvas').dataset.totalTiles",
    )
    .await;
    assert_eq!(total, json!("24"));
    let count_text = js(
        &client,
        "return document.getElementById('photo-count').textContent",
    )
    .await;
    assert_eq!(count_text, json!("24 photos"));
    // Every tile in view shows its real thumbnail, served by the thumb: scheme.
    wait_for(
        &client,
        "grid thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')];
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    save_screenshot(&client, "grid.png").await;

    // Open the first Nikon photo of the day: its info panel must show what its EXIF says.
    let index = photos
        .iter()
        .position(|p| p["path"].as_str().unwrap_or("").ends_with("DSCN0010.jpg"))
        .expect("DSCN0010 indexed");
    let id = photos[index]["id"].as_i64().expect("id");
    client
        .find(Locator::Css(&format!(".tile[data-photo-id=\"{id}\"]")))
        .await
        .expect("tile of DSCN0010")
        .click()
        .await
        .expect("click tile");
    wait_for(
        &client,
        "the info panel",
        "return document.getElementById('viewer').dataset.loaded === 'true'",
    )
    .await;
    assert_eq!(field(&client, "file-name").await, "DSCN0010.jpg");
    assert_eq!(field(&client, "dimensions").await, "640 × 480 px");
    assert_eq!(field(&client, "camera").await, "NIKON COOLPIX P6000");
    assert_eq!(field(&client, "taken").await, "22 Oct 2008, 16:28:39");
    assert!(field(&client, "gps").await.starts_with("Present"));
    let preview = wait_for(
        &client,
        "the preview image",
        "const i = document.getElementById('viewer-image');
         return i.complete && i.naturalWidth > 0 && [i.naturalWidth, i.naturalHeight]",
    )
    .await;
    assert_eq!(preview, json!([640, 480]));
    save_screenshot(&client, "viewer.png").await;

    // Right arrow moves to the next photo in grid order; Esc closes the viewer.
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys("\u{E014}")
        .await
        .expect("arrow right");
    let next_id = photos[index + 1]["id"].as_i64().expect("next id");
    wait_for(
        &client,
        "the next photo",
        &format!("return document.getElementById('viewer').dataset.photoId === '{next_id}'"),
    )
    .await;
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys("\u{E00C}")
        .await
        .expect("escape");
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    client.close().await.expect("close session");
}
