//! The claims from GitHub's REST API, only when the organizer asks, in that moment: the
//! repository's issues with the `whoiswho-claim` label, page by page (`Link: rel="next"`, on
//! the same server only), each page bounded in time and size. `GITHUB_TOKEN` is sent when set
//! (rate limits); `WHOISWHO_GITHUB_API` points the requests at another server (tests).

use std::io::Read;
use std::time::Duration;

use super::issues::{parse, Issue, IssueError, Shape};
use super::link::{parse_repo, LABEL};
use crate::progress::CancelToken;

pub const API_VARIABLE: &str = "WHOISWHO_GITHUB_API";
pub const GITHUB_API: &str = "https://api.github.com";
/// A page of 100 issues of a few lines each is tens of kilobytes.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;
/// 100 pages of 100: far more claims than an event has people.
const MAX_PAGES: usize = 100;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{0:?} is not a repository: write OWNER/REPO")]
    BadRepo(String),
    #[error("{API_VARIABLE} is {0:?}: it must start with http:// or https://")]
    BadApiBase(String),
    #[error("GitHub has no repository {repo}{}", if *.token { " that your GITHUB_TOKEN can see" } else { " (if it is private, set GITHUB_TOKEN to a token that can read it)" })]
    NoSuchRepo { repo: String, token: bool },
    #[error("GitHub says the repository {repo} was renamed or moved{}: fetch from its new name", .to.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    Moved { repo: String, to: Option<String> },
    #[error("{}", if *.0 { "GitHub refused the token in GITHUB_TOKEN (401): it is wrong, expired or revoked" } else { "GitHub asks to sign in (401): set GITHUB_TOKEN" })]
    Unauthorized(bool),
    #[error("GitHub refused to list the issues of {repo} (403){}", if *.token { ": your GITHUB_TOKEN lacks the permission to read them" } else { ": set GITHUB_TOKEN to a token that may read them" })]
    Forbidden { repo: String, token: bool },
    #[error("GitHub's rate limit was reached{}{}", .reset.as_deref().map(|r| format!("; it resets at {r}")).unwrap_or_else(|| ": try again later".into()), if *.token { "" } else { "; GITHUB_TOKEN raises the limit" })]
    RateLimited { reset: Option<String>, token: bool },
    #[error("GitHub answered {0}")]
    Status(u16),
    #[error("GitHub did not answer in time")]
    TimedOut,
    #[error("a page of issues is over {} MB: not what GitHub sends", MAX_PAGE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("GitHub's answer is not a list of issues: {0}")]
    NotIssues(String),
    #[error("the next page is on another server ({0}): not followed")]
    ForeignNextPage(String),
    #[error("there are more than {0} pages of issues: the rest was not read")]
    TooManyPages(usize),
    #[error("network: {0}")]
    Network(String),
    #[error("cancelled")]
    Cancelled,
}

/// What a fetch brought: the issues and per-issue errors of every page read, and the error that
/// stopped it, if one did (the pages before it still count).
#[derive(Debug, Default)]
pub struct Fetched {
    pub issues: Vec<Issue>,
    pub errors: Vec<IssueError>,
    pub pages: usize,
    pub stopped: Option<FetchError>,
}

/// The API's base address: GitHub's, or `WHOISWHO_GITHUB_API` when set (a value that is no
/// http(s) address is an error, never a quiet fall back to github.com).
pub fn api_base() -> Result<String, FetchError> {
    match std::env::var(API_VARIABLE) {
        Ok(b) if b.starts_with("http://") || b.starts_with("https://") => {
            Ok(b.trim_end_matches('/').to_string())
        }
        Ok(b) => Err(FetchError::BadApiBase(b)),
        Err(_) => Ok(GITHUB_API.to_string()),
    }
}

fn token() -> Option<String> {
    std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
}

/// The first request, exactly: what the window shows before anything is sent.
pub fn first_url(base: &str, repo: &str) -> Result<String, FetchError> {
    let (owner, name) = parse_repo(repo).ok_or_else(|| FetchError::BadRepo(repo.to_string()))?;
    Ok(format!(
        "{base}/repos/{owner}/{name}/issues?labels={LABEL}&state=all&per_page=100"
    ))
}

/// Reads every page from GitHub (or `WHOISWHO_GITHUB_API`); `on_page(pages read, issues so
/// far)` after each.
pub fn fetch(
    repo: &str,
    cancel: &CancelToken,
    on_page: impl FnMut(usize, usize),
) -> Result<Fetched, FetchError> {
    fetch_from(&api_base()?, repo, ANSWER_TIMEOUT, cancel, on_page)
}

/// [`fetch`] from the API at `base`, each page answered within `timeout`.
pub fn fetch_from(
    base: &str,
    repo: &str,
    timeout: Duration,
    cancel: &CancelToken,
    mut on_page: impl FnMut(usize, usize),
) -> Result<Fetched, FetchError> {
    let base = base.trim_end_matches('/');
    let mut url = first_url(base, repo)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent("whoiswho (claims, on the organizer's request)")
        .build()
        .into();
    let token = token();
    let mut fetched = Fetched::default();
    loop {
        if cancel.is_cancelled() {
            fetched.stopped = Some(FetchError::Cancelled);
            break;
        }
        match page(&agent, &url, token.as_deref(), repo) {
            Ok((bytes, next)) => match parse(&bytes, Shape::Rest) {
                Ok((issues, errors)) => {
                    fetched.pages += 1;
                    fetched.issues.extend(issues);
                    fetched.errors.extend(errors);
                    on_page(fetched.pages, fetched.issues.len());
                    match next {
                        None => break,
                        Some(n) if !n.starts_with(&format!("{base}/")) => {
                            fetched.stopped = Some(FetchError::ForeignNextPage(n));
                            break;
                        }
                        Some(_) if fetched.pages >= MAX_PAGES => {
                            fetched.stopped = Some(FetchError::TooManyPages(MAX_PAGES));
                            break;
                        }
                        Some(n) => url = n,
                    }
                }
                Err(why) => {
                    fetched.stopped = Some(FetchError::NotIssues(why));
                    break;
                }
            },
            // Nothing read yet: the fetch itself failed.
            Err(e) if fetched.pages == 0 => return Err(e),
            Err(e) => {
                fetched.stopped = Some(e);
                break;
            }
        }
    }
    Ok(fetched)
}

/// One page's body and the next page's address.
fn page(
    agent: &ureq::Agent,
    url: &str,
    token: Option<&str>,
    repo: &str,
) -> Result<(Vec<u8>, Option<String>), FetchError> {
    let mut request = agent
        .get(url)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28");
    if let Some(t) = token {
        request = request.header("Authorization", &format!("Bearer {t}"));
    }
    let mut answer = request.call().map_err(from_ureq)?;
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let token = token.is_some();
    let repo = repo.to_string();
    match answer.status().as_u16() {
        200 => {}
        301 | 302 | 307 | 308 => {
            let to = header("location").map(|l| crate::plain_text::plain_text(&l));
            return Err(FetchError::Moved { repo, to });
        }
        401 => return Err(FetchError::Unauthorized(token)),
        404 | 410 => return Err(FetchError::NoSuchRepo { repo, token }),
        code @ (403 | 429) => {
            let limited = code == 429
                || header("x-ratelimit-remaining").as_deref() == Some("0")
                || header("retry-after").is_some();
            return Err(if limited {
                FetchError::RateLimited {
                    reset: header("x-ratelimit-reset")
                        .and_then(|r| r.trim().parse::<i64>().ok())
                        .and_then(reset_time)
                        .or_else(|| {
                            header("retry-after")
                                .and_then(|r| r.trim().parse::<u64>().ok())
                                .map(|s| format!("in {} s", s.min(86_400)))
                        }),
                    token,
                }
            } else {
                FetchError::Forbidden { repo, token }
            });
        }
        code => return Err(FetchError::Status(code)),
    }
    let next = answer
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .and_then(next_link);
    if answer
        .body()
        .content_length()
        .is_some_and(|n| n > MAX_PAGE_BYTES)
    {
        return Err(FetchError::TooLarge);
    }
    let mut bytes = Vec::new();
    answer
        .body_mut()
        .as_reader()
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| from_io(&e))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(FetchError::TooLarge);
    }
    Ok((bytes, next))
}

/// "14:03 UTC (in 12 minutes)" for the epoch second a rate limit resets at.
fn reset_time(epoch: i64) -> Option<String> {
    let at = chrono::DateTime::from_timestamp(epoch, 0)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs() as i64;
    let minutes = ((epoch - now).max(0) as u64).div_ceil(60);
    Some(format!(
        "{} UTC (in {minutes} minute{})",
        at.format("%Y-%m-%d %H:%M"),
        if minutes == 1 { "" } else { "s" }
    ))
}

/// The `rel="next"` address of a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

fn from_ureq(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::TimedOut,
        ureq::Error::StatusCode(code) => FetchError::Status(code),
        ureq::Error::Io(io) => from_io(&io),
        other => FetchError::Network(other.to_string()),
    }
}

fn from_io(e: &std::io::Error) -> FetchError {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)));
    if timed_out {
        FetchError::TimedOut
    } else {
        FetchError::Network(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_comes_from_the_link_header() {
        let h = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="prev""#), None);
        assert!(first_url("https://api.github.com", "a/b")
            .unwrap()
            .ends_with("/repos/a/b/issues?labels=whoiswho-claim&state=all&per_page=100"));
        assert!(first_url("https://api.github.com", "a/../b").is_err());
    }

    #[test]
    fn a_server_that_never_answers_is_a_timeout_not_a_hang() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        // Accepts, reads nothing, answers nothing, until the test ends.
        let held = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
        let started = std::time::Instant::now();
        let result = fetch_from(
            &base,
            "a/b",
            Duration::from_millis(600),
            &CancelToken::new(),
            |_, _| {},
        );
        assert_eq!(result.err(), Some(FetchError::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(10));
        drop(held);
    }
}
