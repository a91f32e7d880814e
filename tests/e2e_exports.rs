//! The export journey in the REAL app window: the figure dialog from the viewer, the Export
//! dialog's dry run, the gallery. Screenshots in target/e2e/.

mod support;

use fantoccini::Locator;
use serde_json::json;
use support::driver::*;
use support::{shared_data, Desktop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_figure_from_the_viewer() {
    let photos = tempfile::tempdir().expect("photo dir");
    std::fs::copy(
        shared_data("groups/ul-9.jpg"),
        photos.path().join("ul-9.jpg"),
    )
    .expect("copy");
    let library = tempfile::tempdir().expect("library dir");
    support::prepare_library(library.path(), &[photos.path().to_path_buf()]);
    let roster = library.path().join("roster.csv");
    std::fs::write(&roster, "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\nprivate-person,Private Person,no-publish\n").expect("roster");
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = support::whoiswho(library.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    run(vec![
        "roster".into(),
        "import".into(),
        roster.display().to_string(),
    ]);
    run(vec!["faces".into(), "detect".into()]);
    let photo = photos.path().join("ul-9.jpg").display().to_string();
    let faces = support::json_stdout(&run(vec![
        "faces".into(),
        "list".into(),
        photo.clone(),
        "--json".into(),
    ]));
    for (i, login) in ["kevin-wangzefeng", "private-person"].iter().enumerate() {
        run(vec![
            "tag".into(),
            photo.clone(),
            faces[i]["id"].to_string(),
            login.to_string(),
        ]);
    }

    let desktop = Desktop::start();
    // Exporting (figures, legends, the gallery, sidecars) connects nowhere off this machine.
    let watch = support::network_watch::NetworkWatch::start(desktop.driver_pid());
    let client = open_ready(&desktop, library.path()).await;
    click(&client, ".tile", "the photo").await;
    wait_for(
        &client,
        "boxes",
        "return Number(document.querySelector('.face-layer').dataset.faceCount) === 8",
    )
    .await;
    click(&client, "#export-figure", "Export figure").await;
    wait_for(
        &client,
        "the dialog",
        "return document.getElementById('figure-dialog').open",
    )
    .await;
    let event = client
        .find(Locator::Css("#fig-event"))
        .await
        .expect("event field");
    event.clear().await.expect("clear");
    event
        .send_keys("2026 Kubernetes Contributor Summit Shanghai\u{E004}")
        .await
        .expect("type the event");
    let caption = wait_for(
        &client,
        "the caption from the event",
        "const c = document.getElementById('fig-caption').value; return c.includes('Shanghai') && c",
    )
    .await;
    assert_eq!(
        caption,
        json!("Group photo at the 2026 Kubernetes Contributor Summit Shanghai")
    );
    let alt = js(&client, "return document.getElementById('fig-alt').value").await;
    assert_eq!(
        alt,
        json!("Group photo of 8 people, including Kevin Wang (@kevin-wangzefeng)")
    );
    let consent = js(
        &client,
        "return document.getElementById('fig-consent').textContent",
    )
    .await;
    assert!(
        consent
            .as_str()
            .unwrap()
            .starts_with("1 person who chose no-publish will be blurred"),
        "{consent}"
    );
    // The legend, previewed before saving: the photo plus the names beneath.
    click(&client, "#fig-legend", "legend checkbox").await;
    let ratio = wait_for(
        &client,
        "the preview with its legend",
        "const i = document.getElementById('fig-preview'); return !i.hidden && i.src.startsWith('data:image/jpeg') && i.naturalWidth > 0 && i.naturalHeight / i.naturalWidth > 0.8 && i.naturalHeight / i.naturalWidth",
    )
    .await;
    assert!(ratio.as_f64().unwrap() > 0.8, "{ratio}");
    let title = js(&client, "return document.getElementById('fig-title').value").await;
    assert_eq!(title, json!("2026 Kubernetes Contributor Summit Shanghai"));
    let out = library.path().join("exports/recap.jpg");
    js(
        &client,
        &format!(
            "window.whoiswho.exportFigureTo({}); return true",
            serde_json::to_string(out.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    let snippet = wait_for(
        &client,
        "the snippet",
        "return !document.getElementById('fig-result').hidden && document.getElementById('fig-snippet').value",
    )
    .await;
    assert!(
        snippet
            .as_str()
            .unwrap()
            .starts_with("{{< figure src=\"recap.jpg\" alt=\"Group photo of 8 people"),
        "{snippet}"
    );
    let written = image::open(&out).expect("the exported image");
    assert!(
        written.height() * 4 > written.width() * 3 + 40,
        "the legend is burned in"
    );
    save_screenshot(&client, "export-figure.png").await;
    click(&client, "[data-snippet='html']", "HTML tab").await;
    let html = js(
        &client,
        "return document.getElementById('fig-snippet').value",
    )
    .await;
    assert!(html.as_str().unwrap().starts_with("<figure>"), "{html}");
    click(&client, "#fig-close", "close the figure dialog").await;
    keys(&client, "\u{E00C}").await;
    wait_for(
        &client,
        "the viewer to close",
        "return document.getElementById('viewer').hidden",
    )
    .await;

    // The Export dialog: the dry run says who is blurred, then the gallery is written.
    click(&client, "#open-export", "Export").await;
    let summary = wait_for(
        &client,
        "the dry-run summary",
        "const t = document.getElementById('export-summary').textContent; return t.includes('no-publish') && t",
    )
    .await;
    assert!(
        summary
            .as_str()
            .unwrap()
            .contains("1 person chose no-publish: 1 face will be blurred"),
        "{summary}"
    );
    let gallery = library.path().join("gallery");
    js(
        &client,
        &format!(
            "window.whoiswho.exportGalleryTo({}); return true",
            serde_json::to_string(gallery.to_str().unwrap()).unwrap()
        ),
    )
    .await;
    wait_for(
        &client,
        "the gallery",
        "return document.getElementById('export-result').textContent.startsWith('Gallery in')",
    )
    .await;
    assert!(gallery.join("index.html").is_file() && gallery.join("people.html").is_file());
    save_screenshot(&client, "export-dialog.png").await;
    client.close().await.expect("close session");
    watch.assert_stayed_local(10);
}
