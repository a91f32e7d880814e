//! Fixtures shared by the app-level tests: the real binary, shared photos, and a private
//! desktop (Xvfb + WebKitWebDriver) for driving the real window.
#![allow(dead_code)]

pub mod avatar_server;
pub mod chromium;
pub mod claims_event;
pub mod driver;
pub mod issues_server;
pub mod network_watch;
pub mod syncthing;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_whoiswho");

/// A folder of `../shared/data/` (the photos are never copied into the project).
pub fn shared_data(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(sub)
}

pub fn whoiswho(library: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--library")
        .arg(library)
        .args(args)
        .output()
        .expect("run whoiswho")
}

pub fn json_stdout(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The keys of a JSON object, sorted: what a command's JSON contract promises.
pub fn json_keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// Runs a subcommand that must succeed and returns its `--json` output.
pub fn ok(library: &Path, args: &[&str]) -> Value {
    let out = whoiswho(library, args);
    // The status says whether it exited or was killed by a signal (then stderr may be empty).
    assert!(
        out.status.success(),
        "{args:?}: {} ({})\nstdout: {}",
        String::from_utf8_lossy(&out.stderr),
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    json_stdout(&out)
}

/// Indexes `folders` with the CLI and returns `photos --json`.
pub fn prepare_library(library: &Path, folders: &[PathBuf]) -> Vec<Value> {
    let mut args = vec!["index".to_string()];
    args.extend(folders.iter().map(|f| f.display().to_string()));
    args.push("--json".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = whoiswho(library, &args);
    // With --json the files that failed are on stdout; the status tells a signal from exit 1.
    assert!(
        out.status.success(),
        "index failed ({}): {}\nstdout: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let out = whoiswho(library, &["photos", "--json"]);
    json_stdout(&out).as_array().cloned().expect("photo array")
}

/// Copies of shared photos (`(path under ../shared/data/, file name)`) in a new folder, indexed
/// into a new library, their faces found: `(library, photos)`, both removed on drop.
pub fn detected_library(photos: &[(&str, &str)]) -> (tempfile::TempDir, tempfile::TempDir) {
    let library = tempfile::tempdir().expect("library dir");
    let folder = tempfile::tempdir().expect("photo dir");
    for (from, name) in photos {
        std::fs::copy(shared_data(from), folder.path().join(name))
            .unwrap_or_else(|e| panic!("copy {from}: {e}"));
    }
    prepare_library(library.path(), &[folder.path().to_path_buf()]);
    ok(library.path(), &["faces", "detect", "--json"]);
    (library, folder)
}

/// Writes `csv` as the library's roster file and imports it; returns the import's report.
pub fn import_roster(library: &Path, csv: &str) -> Value {
    let roster = library.join("roster.csv");
    std::fs::write(&roster, csv).expect("write roster");
    ok(
        library,
        &[
            "roster",
            "import",
            roster.to_str().expect("utf-8 path"),
            "--json",
        ],
    )
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private X display and a WebDriver for WebKitGTK, both stopped on drop.
pub struct Desktop {
    driver: Killed,
    _xvfb: Killed,
    port: u16,
}

impl Desktop {
    pub fn start() -> Self {
        Self::start_with_env(&[])
    }

    /// With these variables in the app's environment (the app inherits the driver's).
    pub fn start_with_env(vars: &[(&str, &str)]) -> Self {
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is missing: run the README's set-up command");
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().expect("xvfb stdout"))
            .read_line(&mut line)
            .expect("Xvfb display number");
        let display = format!(":{}", line.trim());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("DISPLAY", &display)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("WebKitWebDriver is missing: run the README's set-up command");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "WebKitWebDriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            driver: Killed(driver),
            _xvfb: Killed(xvfb),
            port,
        }
    }

    /// The WebDriver's process: the app and WebKit's processes run under it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.0.id()
    }

    /// Starts the real app on `library` in a new WebDriver session.
    pub async fn open_app(&self, library: &Path) -> fantoccini::Client {
        self.open_binary(Path::new(BIN), library).await
    }

    /// Starts `binary` (the build under test, or an installed one) on `library`.
    pub async fn open_binary(&self, binary: &Path, library: &Path) -> fantoccini::Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "webkitgtk:browserOptions".into(),
            serde_json::json!({
                "binary": binary.display().to_string(),
                "args": ["--library", library.display().to_string()],
            }),
        );
        let _ = &self.driver;
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("WebDriver session with the app")
    }
}

/// A query value of a URL, decoded (`%XX`, and `+` as a space).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("a %XX escape"));
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The first photo page (`photo-ID.html`) of an exported gallery.
pub fn gallery_photo_page(gallery: &Path) -> PathBuf {
    std::fs::read_dir(gallery)
        .expect("the gallery")
        .map(|e| e.expect("an entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("photo-"))
        })
        .expect("a photo page")
}
