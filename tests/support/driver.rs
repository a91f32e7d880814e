//! The shared driver of the real-window tests: scripts, waits, clicks, keys, drags and
//! screenshots, written once so each journey file reads as the steps a person takes.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use super::Desktop;

pub async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
}

/// Polls `script` until it returns something truthy (the app renders asynchronously).
pub async fn wait_for(client: &Client, what: &str, script: &str) -> Value {
    wait_for_within(client, what, script, Duration::from_secs(10)).await
}

/// `wait_for` for work that may take long on a loaded machine (decoding a phone photo the first
/// time): the limit only guards against a hang.
pub async fn wait_for_within(client: &Client, what: &str, script: &str, limit: Duration) -> Value {
    if let Some(v) = poll(client, script, limit).await {
        return v;
    }
    // What the window last said (an error it showed) is most of a diagnosis.
    let said = js(
        client,
        "const t = document.getElementById('toast'); return t && !t.hidden ? t.textContent : null",
    )
    .await;
    panic!("timed out waiting for {what}; the window last said: {said}");
}

/// Clicks `css` until `opened` (a script) holds: a click on an element the view replaced that
/// moment (a rescan's redraw) reaches nothing, and is made again.
pub async fn click_until(client: &Client, css: &str, what: &str, opened: &str) {
    for _ in 0..3 {
        click(client, css, what).await;
        if poll(client, opened, Duration::from_secs(10))
            .await
            .is_some()
        {
            return;
        }
        eprintln!("clicking {what} again: it did not open");
    }
    panic!("clicking {what} never opened it");
}

/// Runs `script` until it returns something truthy, for at most `limit`; `None` when it never
/// did.
async fn poll(client: &Client, script: &str, limit: Duration) -> Option<Value> {
    let start = std::time::Instant::now();
    loop {
        let v = js(client, script).await;
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts the real app on `library` and waits until its UI says it is ready.
pub async fn open_ready(desktop: &Desktop, library: &std::path::Path) -> Client {
    open_binary_ready(desktop, std::path::Path::new(super::BIN), library).await
}

/// Starts `binary` (an installed one, say) on `library` and waits until its UI is ready.
pub async fn open_binary_ready(
    desktop: &Desktop,
    binary: &std::path::Path,
    library: &std::path::Path,
) -> Client {
    let client = desktop.open_binary(binary, library).await;
    wait_for(
        &client,
        "the ready marker",
        "return document.documentElement.dataset.ready === 'true'",
    )
    .await;
    client
}

/// Clicks the element `css` selects; `what` names it in the failure message. A view may redraw
/// between finding and clicking (fresh data replacing cached), so a vanished element is looked
/// up again.
pub async fn click(client: &Client, css: &str, what: &str) {
    for attempt in 0..3 {
        let found = client.find(Locator::Css(css)).await;
        let result = match found {
            Ok(el) => el.click().await.map(|_| ()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => return,
            Err(e) if attempt < 2 => {
                eprintln!("retrying click on {what} after: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("click {what}: {e}"),
        }
    }
}

/// Clicks a face's box in the viewer (`face_box`, a selector) and returns the typeahead's
/// input that opens on it.
pub async fn open_typeahead(client: &Client, face_box: &str, what: &str) -> Element {
    click(client, face_box, what).await;
    client
        .find(Locator::Css("#viewer .tag-popover input"))
        .await
        .unwrap_or_else(|e| panic!("no typeahead on {what}: {e}"))
}

pub async fn field(client: &Client, name: &str) -> String {
    client
        .find(Locator::Css(&format!("#viewer [data-field=\"{name}\"]")))
        .await
        .expect(name)
        .text()
        .await
        .expect(name)
}

pub async fn save_screenshot(client: &Client, name: &str) {
    // Two frames so the last change is painted.
    js(
        client,
        "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    )
    .await;
    // WebKit takes the screenshot at the window's next painted update, and a page that is not
    // changing makes none when it is drawn on the CPU (no GPU): keep an invisible repaint coming
    // until it is taken.
    js(
        client,
        "window.__repaint = setInterval(() => { const s = document.documentElement.style; \
         s.outline = s.outline ? '' : '1px solid transparent'; }, 50); return true",
    )
    .await;
    let png = client.screenshot().await.expect("screenshot");
    js(
        client,
        "clearInterval(window.__repaint); document.documentElement.style.outline = ''; return true",
    )
    .await;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(name), png).expect("write screenshot");
}

/// Sends keys to whatever has focus, as a person typing would.
pub async fn keys(client: &Client, k: &str) {
    // The focused element may be replaced between finding it and typing (a list refilled);
    // a person's keys would go to its successor, so try once more.
    for attempt in 0..2 {
        let sent = client
            .active_element()
            .await
            .expect("focus")
            .send_keys(k)
            .await;
        match sent {
            Ok(()) => return,
            Err(e) if attempt == 0 => eprintln!("retrying keys after: {e}"),
            Err(e) => panic!("keys {k:?}: {e}"),
        }
    }
}

/// Drags with the real pointer from one point to another (viewport pixels).
pub async fn drag(client: &Client, from: (f64, f64), to: (f64, f64)) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let step = Some(Duration::from_millis(60));
    let moves = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: from.0,
            y: from.1,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveTo {
            duration: step,
            x: (from.0 + to.0) / 2.0,
            y: (from.1 + to.1) / 2.0,
        })
        .then(PointerAction::MoveTo {
            duration: step,
            x: to.0,
            y: to.1,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(moves).await.expect("drag");
    client.release_actions().await.expect("release");
}

/// How the backend answers a command that failed, as Tauri's IPC carries it: a command that
/// returns `Result<_, AppError>` answers JSON `{code, message}`; a plain command's failure (a
/// plugin's, the ACL's) is text.
pub enum Failure<'a> {
    App { code: &'a str, message: &'a str },
    Text(&'a str),
}

/// Makes every later call of `command` fail as the backend would answer it, until
/// `heal_command`. The window's own code (Tauri's IPC script, the generated bindings, the
/// view) handles the answer as it would a real one: only the answer is made up, at the
/// transport (the page's `fetch` of the IPC protocol), because some failures cannot be
/// caused on purpose (the save dialog's command returns no error of its own).
pub async fn fail_command(client: &Client, command: &str, failure: Failure<'_>) {
    let (content_type, body) = match failure {
        Failure::App { code, message } => (
            "application/json",
            json!({ "code": code, "message": message }).to_string(),
        ),
        Failure::Text(message) => ("text/plain", message.to_string()),
    };
    let script = format!(
        r#"
        if (!window.__failing) {{
          window.__failing = {{}};
          const real = window.fetch.bind(window);
          window.fetch = (input, init) => {{
            const url = typeof input === "string" ? input : input.url;
            const m = /^(?:ipc:\/\/localhost|http:\/\/ipc\.localhost)\/([^?]+)/.exec(url);
            const failure = m && window.__failing[decodeURIComponent(m[1])];
            if (!failure) return real(input, init);
            return Promise.resolve(new Response(failure.body, {{
              headers: {{ "Content-Type": failure.type, "Tauri-Response": "error" }},
            }}));
          }};
        }}
        window.__failing[{command}] = {{ type: {content_type}, body: {body} }};
        return true"#,
        command = json!(command),
        content_type = json!(content_type),
        body = json!(body),
    );
    js(client, &script).await;
}

/// `command` answers as the backend does again.
pub async fn heal_command(client: &Client, command: &str) {
    js(
        client,
        &format!("delete window.__failing[{}]; return true", json!(command)),
    )
    .await;
}
