//! The Linux packages, tested as an organizer gets them: `scripts/package.sh --debug` makes the
//! .deb and the .rpm from the build the tests already compiled; the .deb is installed with
//! `dpkg -i`, and the installed `whoiswho` indexes photos, searches their faces and exports a
//! figure from a folder with no checkout around (so the models come from the package), and its
//! window opens under Xvfb and reaches its ready state; then the package is removed. The .rpm is
//! checked for the same contents with `rpm -qlp`. It needs dpkg, rpm and root (or sudo without
//! a password): where they are missing it says so and checks nothing. It also removes a
//! whoiswho installed from a package before, so run it on a test machine.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{driver, shared_data, Desktop};

const INSTALLED: &str = "/usr/bin/whoiswho";

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn succeeded(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        text(&out)
    );
    text(&out)
}

/// `sudo -n` when not root; `None` when neither works.
fn as_root() -> Option<Vec<&'static str>> {
    let root = text(&run("id", &["-u"])).trim() == "0";
    if root {
        Some(vec![])
    } else if run("sudo", &["-n", "true"]).status.success() {
        Some(vec!["sudo", "-n"])
    } else {
        None
    }
}

fn privileged(prefix: &[&str], args: &[&str]) -> String {
    let all: Vec<&str> = prefix.iter().chain(args).copied().collect();
    succeeded(all[0], &all[1..])
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The last `lines` lines: a failed build's reason is at its end, after thousands of lines of
/// progress that a CI log would cut.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Builds both packages; their paths.
fn build() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The test checks what is packaged and that it installs and runs: the packages are made
    // from the build the tests already compiled (the same profile, features and target folder,
    // so nothing is compiled again); the release packages are the same recipe in the release
    // profile (`bash scripts/package.sh`).
    let out = Command::new("bash")
        .arg(root.join("scripts/package.sh"))
        .arg("--debug")
        .output()
        .expect("scripts/package.sh");
    assert!(
        out.status.success(),
        "scripts/package.sh failed ({}); the end of what it printed:\n{}\n\ndisk:\n{}",
        out.status,
        tail(&String::from_utf8_lossy(&out.stderr), 60),
        text(&run(
            "df",
            &["-h", &root.join("target").display().to_string()]
        ))
    );
    let built: Vec<PathBuf> = text(&out).lines().map(PathBuf::from).collect();
    let pick = |ext: &str| {
        built
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("no .{ext} among {built:?}"))
            .clone()
    };
    (pick("deb"), pick("rpm"))
}

/// What both packages must hold.
const CONTENTS: [&str; 8] = [
    "/usr/bin/whoiswho",
    "/usr/lib/whoiswho/models/centerface.onnx",
    "/usr/lib/whoiswho/models/sface.onnx",
    "/usr/lib/whoiswho/models/centerface.LICENSE",
    "/usr/lib/whoiswho/models/libonnxruntime.so",
    "/usr/lib/whoiswho/models/onnxruntime.LICENSE",
    "/usr/share/applications/whoiswho.desktop",
    "/usr/share/icons/hicolor/128x128/apps/whoiswho.png",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_packages_install_and_the_installed_app_works_without_a_checkout() {
    let missing: Vec<&str> = ["dpkg", "dpkg-deb", "rpm", "npx", "Xvfb"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    let Some(sudo) = as_root() else {
        eprintln!("package test skipped: needs root or passwordless sudo to install the .deb");
        return;
    };
    if !missing.is_empty() {
        eprintln!(
            "package test skipped: {missing:?} not installed (scripts/setup.sh installs them)"
        );
        return;
    }
    let (deb, rpm) = build();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "built {} ({:.1} MB) and {} ({:.1} MB)",
        deb.display(),
        size(&deb) as f64 / 1e6,
        rpm.display(),
        size(&rpm) as f64 / 1e6
    );
    assert!(size(&deb) < 60_000_000, "the .deb is over 60 MB");

    // What the packages say and hold, before anything is installed.
    let deb_files = succeeded("dpkg-deb", &["-c", &deb.display().to_string()]);
    let rpm_files = succeeded("rpm", &["-qlp", &rpm.display().to_string()]);
    for path in CONTENTS {
        let relative = path.trim_start_matches('/');
        assert!(
            deb_files.lines().any(|l| l.trim_end().ends_with(relative)),
            ".deb lacks {path}:\n{deb_files}"
        );
        assert!(
            rpm_files.lines().any(|l| l == path),
            ".rpm lacks {path}:\n{rpm_files}"
        );
    }
    let depends = succeeded("dpkg-deb", &["-f", &deb.display().to_string(), "Depends"]);
    for needed in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libheif1"] {
        assert!(
            depends.contains(needed),
            ".deb does not depend on {needed}: {depends}"
        );
    }
    let requires = succeeded("rpm", &["-qp", "--requires", &rpm.display().to_string()]);
    assert!(
        requires.contains("libheif"),
        ".rpm does not require libheif: {requires}"
    );

    // Installed.
    privileged(&sudo, &["dpkg", "-i", &deb.display().to_string()]);
    // On a task of its own, so the package is removed however the checks end.
    let result = tokio::spawn(use_installed()).await;
    privileged(&sudo, &["dpkg", "-r", "whoiswho"]);
    assert!(!Path::new(INSTALLED).exists(), "removed with the package");
    if let Err(failed) = result {
        std::panic::resume_unwind(failed.into_panic());
    }
}

async fn use_installed() {
    let desktop_entry = std::fs::read_to_string("/usr/share/applications/whoiswho.desktop")
        .expect("the desktop entry");
    assert!(desktop_entry.contains("Exec=whoiswho"), "{desktop_entry}");
    assert!(desktop_entry.contains("Photography"), "{desktop_entry}");

    // On the PATH, from a folder far from any checkout, with no model variables set.
    let work = tempfile::tempdir().expect("temp dir");
    let photos = work.path().join("photos");
    std::fs::create_dir(&photos).expect("photos dir");
    for name in ["kcd-ny-2026-team.jpg", "kcs03.jpeg"] {
        std::fs::copy(shared_data(&format!("events/{name}")), photos.join(name)).expect("copy");
    }
    let library = work.path().join("library");
    let whoiswho = |args: &[&str]| {
        let out = Command::new("whoiswho")
            .current_dir(work.path())
            .env_remove("WHOISWHO_MODEL")
            .env_remove("WHOISWHO_RECOGNITION_MODEL")
            .env_remove("WHOISWHO_ONNX_RUNTIME")
            .env_remove("WHOISWHO_LIBRARY")
            .arg("--library")
            .arg(&library)
            .args(args)
            .output()
            .expect("the installed whoiswho is on the PATH");
        assert!(
            out.status.success(),
            "whoiswho {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()
    };
    let version = run("whoiswho", &["--version"]);
    assert!(
        text(&version).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        text(&version)
    );
    let indexed = whoiswho(&["index", "photos", "--json"]);
    assert_eq!(indexed["indexed"], 2, "{indexed}");
    let searched = whoiswho(&["faces", "detect", "--json"]);
    assert!(searched["faces"].as_u64().unwrap_or(0) >= 12, "{searched}");
    assert_eq!(searched["failed"], serde_json::json!([]), "{searched}");
    // Recognition runs on the same engine, from the package too.
    let recognized = whoiswho(&["faces", "suggest", "--json"]);
    assert_eq!(recognized["embedded"], searched["faces"], "{recognized}");
    assert_eq!(recognized["failed"], serde_json::json!([]), "{recognized}");
    // The release workflow's check of what each platform built, on this package.
    let smoke = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smoke_package.py"))
        .arg(INSTALLED)
        .arg("--data")
        .arg(shared_data(""))
        .current_dir(work.path())
        .output()
        .expect("python3");
    assert!(
        smoke.status.success(),
        "smoke check: {}{}",
        String::from_utf8_lossy(&smoke.stdout),
        String::from_utf8_lossy(&smoke.stderr)
    );
    let figure = work.path().join("team.jpg");
    whoiswho(&[
        "export",
        "figure",
        "photos/kcd-ny-2026-team.jpg",
        "--out",
        &figure.display().to_string(),
        "--legend",
    ]);
    assert!(std::fs::metadata(&figure).map(|m| m.len()).unwrap_or(0) > 10_000);

    // The installed window: it starts, reaches its ready state, and its About box names the
    // models it found in the package.
    let desktop = Desktop::start();
    let client = driver::open_binary_ready(&desktop, Path::new(INSTALLED), &library).await;
    driver::click(&client, "#open-about", "the About button").await;
    let about = driver::wait_for(
        &client,
        "the About box",
        "const rows = [...document.querySelectorAll('#about-models tr')]; \
         return rows.length === 3 && rows.every(r => r.dataset.present === 'true') \
           && document.getElementById('about-models').textContent",
    )
    .await;
    let about = about.as_str().unwrap_or_default().to_string();
    assert!(
        about.contains("CenterFace") && about.contains("MIT"),
        "{about}"
    );
    assert!(
        about.contains("SFace") && about.contains("Apache-2.0"),
        "{about}"
    );
    assert!(about.contains("ONNX Runtime 1.23.2"), "{about}");
    driver::save_screenshot(&client, "installed-about.png").await;
    client.close().await.expect("close the session");
}
