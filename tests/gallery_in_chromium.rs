//! The exported gallery's claim links as visitors meet them, in real Chromium (through
//! ChromeDriver): on a 97-face crowd, with a mouse on a desktop and with touch on a 390×844
//! phone. One face's label at a time (hover, focus or tap); the faces nobody has named are
//! outlined while the pointer is on the photo; on a touch screen every face one may tap is
//! visible; a label stays inside the screen.

mod support;

use fantoccini::actions::{
    InputSource, MouseActions, PointerAction, TouchActions, MOUSE_BUTTON_LEFT,
};
use fantoccini::Client;
use serde_json::{json, Value};
use support::chromium::{Chromium, Screen};
use support::driver::{js, save_screenshot, wait_for};
use support::{gallery_photo_page, ok, shared_data};

const REPO: &str = "kubernetes/community";

/// ul-26 (a crowd of 77 small faces found) with 20 more boxes drawn and named: 97 faces, one of
/// them no-publish. Returns the library and the gallery's photo page.
fn crowd() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let lib = tempfile::tempdir().unwrap();
    let photos = tempfile::tempdir().unwrap();
    let photo = photos.path().join("crowd.jpg");
    std::fs::copy(shared_data("groups/ul-26.jpg"), &photo).unwrap();
    let lib_path = lib.path();
    ok(
        lib_path,
        &["index", photos.path().to_str().unwrap(), "--json"],
    );
    ok(lib_path, &["faces", "detect", "--json"]);
    let photo = photo.display().to_string();
    let mut roster = String::from("github,name,consent\n");
    for i in 0..20 {
        roster.push_str(&format!(
            "person-{i},Person {i},{}\n",
            if i == 7 { "no-publish" } else { "ok" }
        ));
    }
    support::import_roster(lib_path, &roster);
    for i in 0..20 {
        let x = 0.02 + 0.048 * f64::from(i);
        let region = format!("{x:.4},0.93,0.03,0.05");
        ok(
            lib_path,
            &[
                "tag",
                &photo,
                "--box",
                &region,
                &format!("person-{i}"),
                "--json",
            ],
        );
    }
    let faces = ok(lib_path, &["faces", "list", &photo, "--json"]);
    assert_eq!(faces.as_array().unwrap().len(), 97, "a 97-face crowd");
    let gallery = lib_path.join("gallery");
    ok(
        lib_path,
        &[
            "export",
            "gallery",
            gallery.to_str().unwrap(),
            "--claims-repo",
            REPO,
            "--json",
        ],
    );
    let page = gallery_photo_page(&gallery);
    (lib, photos, page)
}

/// The labels shown now: the index of each spot whose label is displayed, and its text.
async fn shown(client: &Client) -> Value {
    js(
        client,
        "return [...document.querySelectorAll('.spot')].map((s, i) => [i, s.querySelector('.tag')])
            .filter(([i, t]) => getComputedStyle(t).display !== 'none').map(([i, t]) => [i, t.textContent])",
    )
    .await
}

/// Whether the boxes of unnamed faces are outlined (a visible border) now.
async fn unnamed_outlined(client: &Client) -> bool {
    js(
        client,
        "const b = document.querySelector('.spot.unnamed .box'); const c = getComputedStyle(b).borderTopColor;
         return c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent'",
    )
    .await
        == json!(true)
}

/// A spot's centre, in the viewport's CSS pixels, scrolled into view first.
async fn centre(client: &Client, index: usize) -> (f64, f64) {
    let r = js(
        client,
        &format!(
            "const s = document.querySelectorAll('.spot')[{index}]; s.scrollIntoView({{block: 'center'}});
             const r = s.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]"
        ),
    )
    .await;
    (r[0].as_f64().unwrap(), r[1].as_f64().unwrap())
}

/// The index of an unnamed spot and of a named one, far apart on the photo.
async fn two_spots(client: &Client) -> (usize, usize) {
    let v = js(
        client,
        "const all = [...document.querySelectorAll('.spot')];
         return [all.findIndex(s => s.classList.contains('unnamed')), all.findLastIndex(s => s.classList.contains('named'))]",
    )
    .await;
    (
        v[0].as_u64().unwrap() as usize,
        v[1].as_u64().unwrap() as usize,
    )
}

/// The displayed label lies inside the screen's width.
async fn label_inside(client: &Client) -> bool {
    js(
        client,
        "const t = [...document.querySelectorAll('.spot .tag')].find(t => getComputedStyle(t).display !== 'none');
         const r = t.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth",
    )
    .await
        == json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_label_at_a_time_with_a_mouse_and_with_touch_on_a_crowd() {
    let (_lib, _photos, page) = crowd();
    let url = format!("file://{}", page.display());
    let chromium = Chromium::start();

    // A desktop and a mouse.
    let client = chromium.open(Screen::Desktop).await;
    client.goto(&url).await.expect("open the page");
    let spots = js(&client, "return document.querySelectorAll('.spot').length").await;
    assert_eq!(spots, json!(96), "every face but the blurred one");
    let links = js(
        &client,
        "return document.querySelectorAll('.spot a.claim').length",
    )
    .await;
    assert_eq!(links, json!(96));
    assert_eq!(
        shown(&client).await,
        json!([]),
        "no label before the pointer comes"
    );
    assert!(
        !unnamed_outlined(&client).await,
        "the photo is clean until pointed at"
    );
    let (a, b) = two_spots(&client).await;
    for (index, expect) in [(a, "Who is this?"), (b, "Not @person-")] {
        let (x, y) = centre(&client, index).await;
        client
            .perform_actions(
                MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
                    duration: None,
                    x,
                    y,
                }),
            )
            .await
            .expect("move the mouse");
        let now = wait_for(&client, "one label", &format!(
            "const s = [...document.querySelectorAll('.spot')].map((s, i) => [i, s.querySelector('.tag')])
               .filter(([i, t]) => getComputedStyle(t).display !== 'none'); return s.length === 1 && s[0][0] === {index} && s[0][1].textContent"
        ))
        .await;
        assert!(now.as_str().unwrap().contains(expect), "{now}");
        assert!(
            unnamed_outlined(&client).await,
            "unnamed faces outlined while pointed at"
        );
        assert!(label_inside(&client).await);
    }
    save_screenshot(&client, "gallery-crowd-desktop.png").await;
    // The keyboard: focusing a face shows its label alone.
    js(
        &client,
        &format!("document.querySelectorAll('.spot .box')[{a}].focus(); return true"),
    )
    .await;
    let now = shown(&client).await;
    assert_eq!(now.as_array().unwrap().len(), 1, "{now}");
    assert_eq!(now[0][0], json!(a));
    client.close().await.expect("close");

    // A phone: touch, no hover, 390 px wide.
    let client = chromium.open(Screen::Phone).await;
    client.goto(&url).await.expect("open the page");
    let media = js(&client, "return [matchMedia('(pointer: coarse)').matches, matchMedia('(hover: none)').matches, window.innerWidth]").await;
    assert_eq!(
        media,
        json!([true, true, 390]),
        "a touch screen without hover"
    );
    assert!(
        unnamed_outlined(&client).await,
        "visible tap targets before any tap"
    );
    assert_eq!(shown(&client).await, json!([]));
    let (a, b) = two_spots(&client).await;
    for (index, expect) in [(a, "Who is this?"), (b, "Not @person-")] {
        let (x, y) = centre(&client, index).await;
        client
            .perform_actions(
                TouchActions::new("finger".into())
                    .then(PointerAction::MoveTo {
                        duration: None,
                        x,
                        y,
                    })
                    .then(PointerAction::Down {
                        button: MOUSE_BUTTON_LEFT,
                    })
                    .then(PointerAction::Up {
                        button: MOUSE_BUTTON_LEFT,
                    }),
            )
            .await
            .expect("tap");
        let now = wait_for(&client, "the tapped face's label", &format!(
            "const s = [...document.querySelectorAll('.spot')].map((s, i) => [i, s.querySelector('.tag')])
               .filter(([i, t]) => getComputedStyle(t).display !== 'none'); return s.length === 1 && s[0][0] === {index} && s[0][1].textContent"
        ))
        .await;
        assert!(now.as_str().unwrap().contains(expect), "{now}");
        assert!(
            label_inside(&client).await,
            "the label fits the phone's screen"
        );
    }
    save_screenshot(&client, "gallery-crowd-phone.png").await;
    let href = js(&client, "const t = [...document.querySelectorAll('.spot .tag')].find(t => getComputedStyle(t).display !== 'none'); return t.querySelector('a.claim').href").await;
    assert!(
        href.as_str()
            .unwrap()
            .starts_with(&format!("https://github.com/{REPO}/issues/new?")),
        "{href}"
    );
    client.close().await.expect("close");
}
