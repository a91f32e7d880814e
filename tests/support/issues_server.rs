//! A stand-in for GitHub's REST API on 127.0.0.1: `/repos/OWNER/REPO/issues?…&page=N` answers
//! with page N of what the test gave (status, headers, body, and a `Link: rel="next"` to page
//! N+1 when there is one and the page gives no `Link` of its own); every request is recorded
//! with whether it carried a token.

use std::io::{BufRead, BufReader, Write};
use std::sync::{Arc, Mutex};

/// One page's answer.
#[derive(Clone)]
pub struct Page {
    pub status: u16,
    pub body: Vec<u8>,
    /// Header lines, `Name: value`.
    pub headers: Vec<String>,
}

impl Page {
    pub fn json(body: &serde_json::Value) -> Self {
        Self {
            status: 200,
            body: serde_json::to_vec(body).unwrap(),
            headers: Vec::new(),
        }
    }

    pub fn status(status: u16) -> Self {
        Self {
            status,
            body: br#"{"message":"no"}"#.to_vec(),
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, line: &str) -> Self {
        self.headers.push(line.to_string());
        self
    }
}

pub struct IssuesServer {
    /// `http://127.0.0.1:PORT`: the value for `WHOISWHO_GITHUB_API`.
    pub base: String,
    asked: Arc<Mutex<Vec<(String, bool)>>>,
}

impl IssuesServer {
    pub fn start(pages: Vec<Page>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&asked);
        let me = base.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let mut token = false;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                    token |= header
                        .to_ascii_lowercase()
                        .starts_with("authorization: bearer ");
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push((path.clone(), token));
                let n: usize = path
                    .split("&page=")
                    .nth(1)
                    .and_then(|p| p.split('&').next())
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(1);
                let page = pages.get(n - 1).cloned().unwrap_or(Page::status(404));
                let own_link = page
                    .headers
                    .iter()
                    .any(|h| h.to_ascii_lowercase().starts_with("link:"));
                let mut next = if n < pages.len() && !own_link {
                    let base_path = path.split("&page=").next().unwrap_or(&path);
                    format!("Link: <{me}{base_path}&page={}>; rel=\"next\"\r\n", n + 1)
                } else {
                    String::new()
                };
                for h in &page.headers {
                    next.push_str(&format!("{h}\r\n"));
                }
                let mut out = stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\n{next}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    page.status,
                    page.body.len()
                );
                let _ = out.write_all(&page.body);
            }
        });
        Self { base, asked }
    }

    /// Every request so far: path and query, and whether a token came with it.
    pub fn asked(&self) -> Vec<(String, bool)> {
        self.asked.lock().unwrap().clone()
    }
}
