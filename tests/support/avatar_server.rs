//! A stand-in for github.com on 127.0.0.1: `/LOGIN.png` answers with the picture given for
//! that login, anything else 404; every path asked is recorded, so a test can say exactly
//! what the app sent.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::sync::{Arc, Mutex};

pub struct AvatarServer {
    /// `127.0.0.1:PORT`.
    pub address: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl AvatarServer {
    /// Serves `pictures` (login → bytes).
    pub fn start(pictures: HashMap<String, Vec<u8>>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push(path.clone());
                let login = path.trim_start_matches('/').trim_end_matches(".png");
                let (status, body): (&str, &[u8]) = match pictures.get(login) {
                    Some(bytes) => ("200 OK", bytes),
                    None => ("404 Not Found", b"Not Found"),
                };
                let mut out = stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = out.write_all(body);
            }
        });
        Self { address, asked }
    }

    /// The value for `WHOISWHO_AVATAR_URL`.
    pub fn template(&self) -> String {
        format!("http://{}/{{login}}.png", self.address)
    }

    /// Every path asked so far, sorted.
    pub fn asked(&self) -> Vec<String> {
        let mut paths = self.asked.lock().unwrap().clone();
        paths.sort();
        paths
    }
}
