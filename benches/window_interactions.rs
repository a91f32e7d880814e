//! Interaction benchmark in the REAL app window (release build, WebKitGTK under Xvfb): each
//! interaction timed in the page, from the action to the frame that shows its result, on the
//! generated library that `bench_interactions --keep` made. Run by
//! `scripts/bench-interactions.sh`; not a test (no assertion on time: machines are noisy).

#[path = "../tests/support/mod.rs"]
mod support;

use fantoccini::Client;
use support::driver::*;
use support::Desktop;

/// Runs `action` in the page and returns the milliseconds until `done` holds, measured in the
/// page at the frame after it holds (the frame that shows it).
async fn time_until(client: &Client, action: &str, done: &str) -> f64 {
    // Start from a quiet page: the images the last interaction asked for have arrived (a person
    // does not act within the frame after the previous result appears).
    wait_for(
        client,
        "images to settle",
        "return [...document.images].every(i => i.complete)",
    )
    .await;
    let script = format!(
        "const finish = arguments[arguments.length - 1];
         const t0 = performance.now();
         {action};
         const check = () => {{
           if ({done}) requestAnimationFrame(() => finish(performance.now() - t0));
           else if (performance.now() - t0 > 10000) finish(-1);
           else requestAnimationFrame(check);
         }};
         requestAnimationFrame(check);"
    );
    let ms = client
        .execute_async(&script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{action}: {e}"))
        .as_f64()
        .expect("milliseconds");
    assert!(ms >= 0.0, "timed out: {action} until {done}");
    ms
}

/// The `q` quantile of values sorted ascending (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Prints one row of the table: p50, p95 and max of `ms`, and p95 against the 100 ms budget.
fn percentiles(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| quantile(&ms, q);
    println!(
        "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.2} |",
        ms.len(),
        p(0.5),
        p(0.95),
        ms[ms.len() - 1],
        p(0.95) / 100.0
    );
}

/// In-window interaction times on the generated 5,000-photo / 50,000-face library that
/// `bench_interactions --keep DIR` leaves behind. Run by scripts/bench-interactions.sh.
async fn bench_window_interactions_on_a_generated_library() {
    let dir = std::env::var("WHOISWHO_BENCH_LIBRARY")
        .expect("WHOISWHO_BENCH_LIBRARY names the library bench_interactions --keep made");
    let desktop = Desktop::start();
    // WHOISWHO_BENCH_BINARY runs another build (an older one, for a before/after in one sitting).
    let binary =
        std::env::var("WHOISWHO_BENCH_BINARY").unwrap_or_else(|_| support::BIN.to_string());
    let client = open_binary_ready(
        &desktop,
        std::path::Path::new(&binary),
        std::path::Path::new(&dir),
    )
    .await;
    // Ready means the window answers; the grid fills its first screen right after.
    wait_for(
        &client,
        "the grid's first screen of tiles",
        "return document.querySelectorAll('.tile').length >= 12",
    )
    .await;
    println!("| in the window | runs | p50 ms | p95 ms | max ms | p95 / 100 ms budget |");
    println!("|---|---|---|---|---|---|");

    // The floor: nothing to do, so this is the time to the next painted frame.
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(time_until(&client, "", "true").await);
    }
    percentiles("floor: the next frame, in the photo grid", idle);

    let mut open = Vec::new();
    let mut next = Vec::new();
    for i in 0..20 {
        let tile = format!("document.querySelectorAll('.tile')[{}]", i % 12);
        let id = js(&client, &format!("return {tile}.dataset.photoId")).await;
        let id = id.as_str().expect("photo id").to_string();
        let layer = "document.querySelector('.face-layer')";
        open.push(
            time_until(
                &client,
                &format!("{tile}.click()"),
                &format!("{layer}.dataset.photoId === '{id}'"),
            )
            .await,
        );
        next.push(
            time_until(
                &client,
                "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}))",
                &format!("{layer}.dataset.photoId !== '{id}'"),
            )
            .await,
        );
        js(
            &client,
            "document.getElementById('viewer-close').click(); return true",
        )
        .await;
    }
    percentiles("open a photo in the viewer, boxes drawn", open);
    percentiles("next photo (→), boxes drawn", next);

    let mut filter = Vec::new();
    for _ in 0..10 {
        for on in [true, false] {
            let want = if on { "of" } else { "photos" };
            filter.push(
                time_until(
                    &client,
                    "document.getElementById('filter-untagged').click()",
                    &format!("document.getElementById('photo-count').textContent.includes('{want}') && document.getElementById('filter-untagged').checked === {on}"),
                )
                .await,
            );
        }
    }
    percentiles("filter: photos with untagged faces, on and off", filter);

    let mut people = Vec::new();
    let mut all_people = Vec::new();
    let mut person = Vec::new();
    for i in 0..10 {
        all_people.push(
            time_until(
                &client,
                "document.getElementById('tab-people').click()",
                "!document.getElementById('view-people').hidden && document.querySelectorAll('.person-card').length === 300",
            )
            .await,
        );
        js(
            &client,
            "document.getElementById('tab-photos').click(); return true",
        )
        .await;
        people.push(
            time_until(
                &client,
                "document.getElementById('tab-people').click()",
                "!document.getElementById('view-people').hidden && document.querySelectorAll('.person-card').length >= 32",
            )
            .await,
        );
        let login = format!("attendee-{:03}", i * 7);
        person.push(
            time_until(
                &client,
                &format!("document.querySelector(\".person-card[data-login='{login}'] .person-open\").click()"),
                &format!("document.getElementById('person-header').dataset.login === '{login}' && !document.getElementById('person-header').hidden && document.querySelectorAll('.tile').length > 0"),
            )
            .await,
        );
    }
    percentiles(
        "people list: the first screen (32 cards with crops)",
        people,
    );
    percentiles("people list: all 300 cards", all_people);
    percentiles("person page: every photo of @login", person);

    let mut triage = Vec::new();
    for _ in 0..5 {
        js(
            &client,
            "document.getElementById('tab-photos').click(); return true",
        )
        .await;
        triage.push(
            time_until(
                &client,
                "document.getElementById('tab-triage').click()",
                "document.getElementById('triage-grid').dataset.count === '96'",
            )
            .await,
        );
    }
    percentiles("triage: open the queue (96 crops)", triage);

    // Keys, as a person presses them: tag by typing, X, I, undo. The app records key-to-screen.
    wait_for(
        &client,
        "a selected tile",
        "return document.activeElement.classList.contains('face-tile')",
    )
    .await;
    let mut suggest = Vec::new();
    for i in 0..10 {
        keys(&client, "a").await;
        wait_for(
            &client,
            "the typeahead",
            "return !document.querySelector('#view-triage .tag-popover').hidden",
        )
        .await;
        // WHOISWHO_BENCH_SETTLE: a pause before typing, as a person takes between faces, so
        // the work the last decisions started (suggestions, the queue's refill, its crops) is
        // done; without it the keys come back to back.
        if std::env::var_os("WHOISWHO_BENCH_SETTLE").is_some() {
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        }
        suggest.push(
            time_until(
                &client,
                &format!("const inp = document.querySelector('#view-triage .tag-popover input'); inp.value = 'attendee-{:03}'; inp.dispatchEvent(new Event('input'))", i * 11),
                &format!("document.querySelector('#view-triage .tag-choices li')?.dataset.login === 'attendee-{:03}'", i * 11),
            )
            .await,
        );
        keys(&client, "\u{E007}").await;
        wait_for(
            &client,
            "focus back on a tile",
            "return document.activeElement.classList.contains('face-tile')",
        )
        .await;
        keys(&client, "x").await;
        keys(&client, "i").await;
        keys(&client, "\u{E009}z\u{E000}").await;
        wait_for(
            &client,
            "focus on a tile",
            "return document.activeElement.classList.contains('face-tile')",
        )
        .await;
    }
    percentiles("typeahead: suggestions while typing", suggest);
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(time_until(&client, "", "true").await);
    }
    percentiles("floor: the next frame, in triage", idle);
    let latencies = wait_for(
        &client,
        "key-to-screen times",
        "const l = window.whoiswho.latencies(); return l.length >= 30 && l",
    )
    .await;
    let latencies: Vec<f64> = latencies
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    percentiles("triage: key (Enter, X, I) to screen", latencies);
    ipc_alone(&client).await;
    breakdown(&client).await;
    client.close().await.expect("close session");
}

/// Where the time of the traced interactions went, from the page's own trace: the core and the
/// IPC, the script that builds the DOM, and the wait for the frame that shows it.
async fn breakdown(client: &Client) {
    let traces = js(
        client,
        "return window.whoiswho.traces ? window.whoiswho.traces() : []",
    )
    .await;
    let traces = traces.as_array().cloned().unwrap_or_default();
    println!();
    println!("| where the time goes | runs | IPC p50 | script p50 | to the frame p50 | IPC p95 | script p95 | to the frame p95 |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut names: Vec<String> = traces
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let part = |key: &str| {
            let mut v: Vec<f64> = traces
                .iter()
                .filter(|t| t["name"] == name.as_str())
                .filter_map(|t| t[key].as_f64())
                .collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let (ipc, script, frame) = (part("ipc"), part("script"), part("frame"));
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            ipc.len(),
            quantile(&ipc, 0.5),
            quantile(&script, 0.5),
            quantile(&frame, 0.5),
            quantile(&ipc, 0.95),
            quantile(&script, 0.95),
            quantile(&frame, 0.95)
        );
    }
}

/// The share of the interactions above that is the core and the IPC alone: each command the UI
/// sends for them, timed in the page from the call to its answer, with no drawing.
async fn ipc_alone(client: &Client) {
    let photo = js(
        client,
        "return Number(document.querySelector('.tile')?.dataset.photoId ?? 1)",
    )
    .await;
    let photo = photo.as_i64().unwrap_or(1);
    for (name, command, args) in [
        (
            "IPC alone: a photo's faces (viewer, →)",
            "photo_faces",
            format!("{{id: {photo}}}"),
        ),
        (
            "IPC alone: the typeahead's offer",
            "offer_people",
            format!("{{photoId: {photo}, faceId: null, query: 'attendee-01'}}"),
        ),
        (
            "IPC alone: the people list",
            "list_people",
            "{}".to_string(),
        ),
        (
            "IPC alone: the triage queue (96)",
            "untagged_faces",
            "{limit: 96}".to_string(),
        ),
        (
            "IPC alone: the grid's photos",
            "list_photos",
            "{filter: {untagged: false, people: []}}".to_string(),
        ),
    ] {
        let script = format!(
            "const finish = arguments[arguments.length - 1];
             const call = () => window.__TAURI_INTERNALS__.invoke('{command}', {args});
             (async () => {{
               const ms = [];
               for (let i = 0; i < 20; i++) {{
                 const t0 = performance.now();
                 await call();
                 ms.push(performance.now() - t0);
               }}
               finish(ms);
             }})().catch(e => finish(String(e)));"
        );
        let answer = client.execute_async(&script, vec![]).await.expect(command);
        let ms: Vec<f64> = answer
            .as_array()
            .unwrap_or_else(|| panic!("{command}: {answer}"))
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .collect();
        percentiles(name, ms);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    bench_window_interactions_on_a_generated_library().await;
}
