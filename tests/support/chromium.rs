//! Real Chromium, driven through ChromeDriver (Debian: chromium, chromium-driver), for pages the
//! app exports: a desktop window with a mouse, or a phone's 390×844 screen with touch, as
//! Chromium's own device emulation gives it. Headless, a fresh profile, no background requests.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Killed;

pub struct Chromium {
    driver: Killed,
    port: u16,
    profile: tempfile::TempDir,
}

/// The screen a page is opened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// 1280×800, a mouse.
    Desktop,
    /// 390×844 at 3× with touch, and no hover.
    Phone,
}

impl Chromium {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is missing: run the README's set-up command");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            driver: Killed(driver),
            port,
            profile: tempfile::tempdir().expect("profile dir"),
        }
    }

    /// A new session on `screen`.
    pub async fn open(&self, screen: Screen) -> fantoccini::Client {
        let mut options = serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                format!("--user-data-dir={}", self.profile.path().join(format!("{screen:?}")).display()),
            ],
        });
        if screen == Screen::Phone {
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true},
            });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert("goog:chromeOptions".into(), options);
        let _ = &self.driver;
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a ChromeDriver session")
    }
}
