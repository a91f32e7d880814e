//! A call that fails says so in the REAL app window, in the place the person is looking:
//! the typeahead's look-up, the viewer's faces read again after an undo, and the figure's save
//! dialog. Each used to read as something else (an empty list: "nobody matches"; nothing at
//! all; a cancel). Screenshots in target/e2e/.

mod support;

use serde_json::json;
use support::driver::*;
use support::Desktop;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_call_is_shown_where_it_happened_and_the_window_recovers() {
    let (library, _photos) = support::detected_library(&[("groups/ul-9.jpg", "ul-9.jpg")]);
    support::import_roster(
        library.path(),
        "github,name,consent\nkevin-wangzefeng,Kevin Wang,ok\n",
    );

    let desktop = Desktop::start();
    let client = open_ready(&desktop, library.path()).await;
    click(&client, ".tile", "tile").await;
    wait_for(
        &client,
        "face boxes",
        "const l = document.querySelector('.face-layer'); return l && Number(l.dataset.faceCount) === 8 && l.getBoundingClientRect().width > 100",
    )
    .await;
    let first_box = js(
        &client,
        "return `.face-box[data-face-id='${document.querySelector('.face-box').dataset.faceId}']`",
    )
    .await;
    let first_box = first_box.as_str().expect("selector").to_string();

    // The typeahead's look-up fails: the list says so, not "nobody matches".
    let lookup_failure = "database disk image is malformed";
    fail_command(
        &client,
        "offer_people",
        Failure::App {
            code: "library",
            message: lookup_failure,
        },
    )
    .await;
    let input = open_typeahead(&client, &first_box, "face box").await;
    input.send_keys("kev").await.expect("type");
    let said = wait_for(
        &client,
        "the look-up's error in the list",
        "const e = document.querySelector('#viewer .tag-choices .typeahead-error'); return e && e.textContent",
    )
    .await;
    assert_eq!(
        said,
        json!(format!("Could not look up attendees: {lookup_failure}"))
    );
    save_screenshot(&client, "failure-typeahead.png").await;
    // The next letter looks up again, and the list is the attendees once more.
    heal_command(&client, "offer_people").await;
    input.send_keys("i").await.expect("type");
    let offered = wait_for(
        &client,
        "the attendees after the failure",
        "const o = [...document.querySelectorAll('#viewer .tag-choices li[data-login]')].map(li => li.dataset.login); return o.length > 0 && o",
    )
    .await;
    assert_eq!(offered, json!(["kevin-wangzefeng"]));
    input.send_keys("\u{E007}").await.expect("enter");
    let tagged = "return document.querySelectorAll('.face-box.tagged').length";
    wait_for(&client, "the tag", &format!("{tagged} === 1")).await;

    // Undo succeeds, but reading the photo's faces again fails: a toast says so, and the boxes
    // drawn stay (nothing reads as "no faces").
    let read_failure = "disk I/O error";
    fail_command(
        &client,
        "photo_faces",
        Failure::App {
            code: "library",
            message: read_failure,
        },
    )
    .await;
    keys(&client, "\u{E009}z\u{E000}").await;
    let toast = wait_for(
        &client,
        "the error toast",
        "const t = document.getElementById('toast'); return !t.hidden && t.classList.contains('error') && t.textContent",
    )
    .await;
    assert_eq!(
        toast,
        json!(format!("Could not read faces: {read_failure}"))
    );
    assert_eq!(
        js(
            &client,
            "return Number(document.querySelector('.face-layer').dataset.faceCount)"
        )
        .await,
        json!(8)
    );
    // The undo itself was done: once the faces read again, the box is untagged.
    heal_command(&client, "photo_faces").await;
    keys(&client, "\u{E009}\u{E008}z\u{E000}").await;
    wait_for(&client, "the redo, read back", &format!("{tagged} === 1")).await;

    // The save dialog cannot open: the figure dialog stays, with the reason, not a cancel.
    fail_command(
        &client,
        "pick_export_file",
        Failure::Text("no file chooser: the desktop portal is not running"),
    )
    .await;
    keys(&client, "e").await;
    wait_for(
        &client,
        "the figure dialog",
        "return document.getElementById('figure-dialog').open",
    )
    .await;
    click(&client, "#fig-save", "Export…").await;
    let error = wait_for(
        &client,
        "the save dialog's error",
        "const e = document.getElementById('fig-error'); return !e.hidden && e.textContent",
    )
    .await;
    assert_eq!(
        error,
        json!("Could not open the save dialog: no file chooser: the desktop portal is not running")
    );
    assert_eq!(
        js(
            &client,
            "return document.getElementById('figure-dialog').open"
        )
        .await,
        json!(true),
        "the dialog stays open, as it would not after a cancel"
    );
    save_screenshot(&client, "failure-figure.png").await;
    client.close().await.expect("close session");
}
