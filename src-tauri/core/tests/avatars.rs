//! Avatars: the real HTTP client (ureq) against a local server on 127.0.0.1 that answers each
//! login differently (a picture, 404, a redirect, a stall, text, 60 MB declared or streamed),
//! no request ever for a `no-tag` attendee, running again asks only for what is missing; and
//! the folder import with bad files. Faces in avatars are searched with the real models.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use whoiswho_core::avatars::{self, AvatarModels, AvatarReport, Downloader};
use whoiswho_core::catalog::AvatarFace;
use whoiswho_core::faces::FaceDetector;
use whoiswho_core::people::import_roster;
use whoiswho_core::progress::NoProgress;
use whoiswho_core::recognition::FaceEmbedder;
use whoiswho_core::CancelToken;

/// A portrait (one face) and a picture with no face, as real files.
fn portrait() -> Vec<u8> {
    std::fs::read(common::shared("orientation/hopper/hopper.jpg")).expect("hopper")
}

fn no_face() -> Vec<u8> {
    std::fs::read(common::shared("faces-gt/dogs.jpg")).expect("dogs")
}

/// Serves `/LOGIN` on 127.0.0.1 by what the login's name asks for; records every path asked.
struct Server {
    address: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Self { address, asked }
    }

    fn template(&self) -> String {
        format!("{}/{{login}}", self.address)
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

fn answer(stream: TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    log.lock().unwrap().push(path.clone());
    let mut out = stream;
    let send = |out: &mut TcpStream, status: &str, kind: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = out.write_all(head.as_bytes());
        let _ = out.write_all(body);
    };
    match path.trim_start_matches('/') {
        "face-user" | "final-face" => send(&mut out, "200 OK", "image/jpeg", &portrait()),
        "dog-user" => send(&mut out, "200 OK", "image/jpeg", &no_face()),
        "missing-user" => send(&mut out, "404 Not Found", "text/plain", b"Not Found"),
        "limited-user" => send(
            &mut out,
            "429 Too Many Requests",
            "text/plain",
            b"slow down",
        ),
        "moved-user" => {
            let _ = out.write_all(
                b"HTTP/1.1 302 Found\r\nLocation: /final-face\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
        "slow-user" => {
            std::thread::sleep(Duration::from_secs(5));
            send(&mut out, "200 OK", "image/jpeg", &portrait());
        }
        "text-user" => send(&mut out, "200 OK", "text/html", b"<html>hello</html>"),
        "huge-user" => {
            let _ = out.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 62914560\r\nConnection: close\r\n\r\n",
            );
            stream_zeros(&mut out);
        }
        "endless-user" => {
            let _ = out.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
            );
            stream_zeros(&mut out);
        }
        _ => send(&mut out, "500 Internal Server Error", "text/plain", b"?"),
    }
}

/// 60 MB, or until the client hangs up.
fn stream_zeros(out: &mut TcpStream) {
    let chunk = vec![0u8; 64 * 1024];
    for _ in 0..960 {
        if out.write_all(&chunk).is_err() {
            return;
        }
    }
}

const ROSTER: &str = "login,name,consent
face-user,Face,ok
dog-user,Dog,ok
missing-user,Missing,ok
limited-user,Limited,ok
moved-user,Moved,ok
slow-user,Slow,ok
text-user,Text,ok
huge-user,Huge,ok
endless-user,Endless,ok
private-user,Private,no-tag
";

fn error_of<'a>(report: &'a AvatarReport, login: &str) -> &'a str {
    report
        .failed
        .iter()
        .find(|f| f.login == login)
        .map(|f| f.error.as_str())
        .unwrap_or_else(|| panic!("{login} did not fail: {report:?}"))
}

#[test]
fn fetching_handles_every_answer_and_never_asks_for_a_no_tag_attendee() {
    let lib = common::TestLibrary::new();
    let report = import_roster(
        &mut lib.library.catalog().unwrap(),
        ROSTER.as_bytes(),
        false,
    )
    .unwrap();
    assert_eq!(report.rejected.len(), 0);
    let detector = FaceDetector::load(&common::models()).unwrap();
    let embedder = FaceEmbedder::load(&common::models()).unwrap();
    let models = AvatarModels {
        detector: &detector,
        embedder: &embedder,
    };
    let server = Server::start();
    let downloader = Downloader::new(server.template(), Duration::from_secs(2));

    // Nothing is asked before the fetch is.
    assert!(server.asked().is_empty());
    let people = avatars::to_fetch(&lib.library, false).unwrap();
    assert!(people.iter().all(|p| p.login != "private-user"));
    let report = avatars::fetch(
        &lib.library,
        &people,
        &downloader,
        &models,
        &CancelToken::new(),
        &NoProgress,
    )
    .unwrap();

    // A portrait directly and one behind a redirect: fetched, each one face.
    assert_eq!(report.fetched, 3, "{report:?}");
    assert_eq!(report.with_face, 2, "{report:?}");
    let stored = lib.library.catalog().unwrap().avatars().unwrap();
    let face_of = |login: &str| stored.iter().find(|a| a.login == login).map(|a| a.face);
    assert_eq!(face_of("face-user"), Some(AvatarFace::One));
    assert_eq!(face_of("moved-user"), Some(AvatarFace::One));
    assert_eq!(
        face_of("dog-user"),
        Some(AvatarFace::None),
        "no face in avatar"
    );
    for a in &stored {
        let kept = avatars::path(&lib.library, &a.file);
        let bytes = std::fs::read(&kept).expect("kept picture");
        assert!(
            bytes.starts_with(&[0xFF, 0xD8]),
            "kept as JPEG: {}",
            kept.display()
        );
    }

    // Each other login has its own reason; nothing else was affected.
    assert!(error_of(&report, "missing-user").contains("no such GitHub user"));
    assert!(error_of(&report, "limited-user").contains("rate limited"));
    assert!(error_of(&report, "slow-user").contains("no answer in time"));
    assert!(error_of(&report, "text-user").contains("not an image"));
    assert!(error_of(&report, "huge-user").contains("not an avatar"));
    assert!(error_of(&report, "endless-user").contains("not an avatar"));
    assert_eq!(report.failed.len(), 6, "{report:?}");
    assert!(
        !server.asked().iter().any(|p| p.contains("private-user")),
        "a no-tag attendee is never asked about: {:?}",
        server.asked()
    );

    // Again: only those still missing are asked for.
    let before = server.asked().len();
    let again = avatars::to_fetch(&lib.library, false).unwrap();
    let mut logins: Vec<&str> = again.iter().map(|p| p.login.as_str()).collect();
    logins.sort();
    assert_eq!(
        logins,
        [
            "endless-user",
            "huge-user",
            "limited-user",
            "missing-user",
            "slow-user",
            "text-user"
        ]
    );
    let refresh = avatars::to_fetch(&lib.library, true).unwrap();
    assert_eq!(
        refresh.len(),
        9,
        "refresh asks for everyone who may be tagged"
    );
    assert_eq!(server.asked().len(), before, "listing asks nothing");
}

#[test]
fn a_folder_import_takes_pictures_named_for_attendees_and_lists_the_rest() {
    let lib = common::TestLibrary::new();
    import_roster(
        &mut lib.library.catalog().unwrap(),
        ROSTER.as_bytes(),
        false,
    )
    .unwrap();
    let detector = FaceDetector::load(&common::models()).unwrap();
    let embedder = FaceEmbedder::load(&common::models()).unwrap();
    let models = AvatarModels {
        detector: &detector,
        embedder: &embedder,
    };
    let dir = tempfile::tempdir().unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    put("FACE-USER.JPG", &portrait());
    put("dog-user.jpeg", &no_face());
    put("text-user.png", b"\x89PNG\r\n\x1a\n and then nothing");
    let hostile = |name: &str| std::fs::read(common::shared("broken").join(name)).unwrap();
    put("slow-user.webp", &hostile("truncated_image.png"));
    put("limited-user.png", &hostile("decompression_bomb.gif"));
    put("private-user.jpg", &portrait());
    put("stranger.png", &portrait());
    put("notes.txt", b"not a picture");
    std::fs::create_dir(dir.path().join("face-user.jpg.d")).unwrap();

    let report = avatars::import(
        &lib.library,
        dir.path(),
        &models,
        &CancelToken::new(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(report.imported, 2, "{report:?}");
    assert_eq!(report.with_face, 1, "{report:?}");
    assert!(
        error_of(&report, "text-user").contains("corrupt or truncated"),
        "{report:?}"
    );
    assert!(!error_of(&report, "slow-user").is_empty());
    assert!(!error_of(&report, "limited-user").is_empty());
    assert!(error_of(&report, "private-user").contains("not to be tagged"));
    assert!(error_of(&report, "stranger").contains("no attendee"));
    assert_eq!(report.failed.len(), 5, "{report:?}");
    let stored = lib.library.catalog().unwrap().avatars().unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        lib.library
            .catalog()
            .unwrap()
            .avatar_embeddings(whoiswho_core::recognition::MODEL_VERSION)
            .unwrap()
            .len(),
        1,
        "only the avatar with one face is a reference"
    );

    // A folder that is not there is the run's error, not a panic.
    assert!(avatars::import(
        &lib.library,
        Path::new("/no/such/folder"),
        &models,
        &CancelToken::new(),
        &NoProgress
    )
    .is_err());
}
