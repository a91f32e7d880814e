//! One avatar from the network: a GET with timeouts, redirects followed, and a bounded body.
//! Only ever called for a login the organizer asked for, in that moment.

use std::io::Read;
use std::time::Duration;

use super::AvatarError;

/// GitHub serves the avatar of LOGIN here (a redirect to avatars.githubusercontent.com).
pub const GITHUB_AVATAR_URL: &str = "https://github.com/{login}.png?size=460";

/// Tests point the download at a local server: a template with `{login}`.
pub const URL_VARIABLE: &str = "WHOISWHO_AVATAR_URL";

/// A 460-pixel avatar is tens of kilobytes; anything this large is not one.
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Connection and whole-answer limits: a stalled server costs one login, not the run.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// GitHub's address, or the one in `WHOISWHO_AVATAR_URL`: a value that is no http(s) address
/// holding `{login}` is an error, never a quiet fall back to github.com.
fn template() -> Result<String, super::AvatarsError> {
    match std::env::var(URL_VARIABLE) {
        Ok(t)
            if (t.starts_with("http://") || t.starts_with("https://")) && t.contains("{login}") =>
        {
            Ok(t)
        }
        Ok(t) => Err(super::AvatarsError::BadUrlTemplate(t)),
        Err(_) => Ok(GITHUB_AVATAR_URL.to_string()),
    }
}

/// The server the avatars would come from, without building a client to ask it.
pub fn host() -> Result<String, super::AvatarsError> {
    Ok(host_of(&template()?))
}

fn host_of(template: &str) -> String {
    let rest = template.split_once("://").map_or(template, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

pub struct Downloader {
    agent: ureq::Agent,
    template: String,
}

impl Downloader {
    /// GitHub, or the address in `WHOISWHO_AVATAR_URL`.
    pub fn from_environment() -> Result<Self, super::AvatarsError> {
        Ok(Self::new(template()?, ANSWER_TIMEOUT))
    }

    pub fn new(template: String, answer_timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(answer_timeout))
            .max_redirects(5)
            .user_agent("whoiswho (attendee avatars, on the organizer's request)")
            .build();
        Self {
            agent: config.into(),
            template,
        }
    }

    /// The server's name, as the organizer is told before anything is sent.
    pub fn host(&self) -> String {
        host_of(&self.template)
    }

    pub fn url(&self, login: &str) -> String {
        // Logins are validated ([A-Za-z0-9-_]) before they get here: nothing to escape.
        self.template.replace("{login}", login)
    }

    /// The avatar's bytes, or why there are none.
    pub fn get(&self, login: &str) -> Result<Vec<u8>, AvatarError> {
        let mut answer = self.agent.get(&self.url(login)).call().map_err(from_ureq)?;
        if let Some(length) = answer.body().content_length() {
            if length > MAX_BYTES {
                return Err(AvatarError::TooLarge { limit: MAX_BYTES });
            }
        }
        let mut bytes = Vec::new();
        answer
            .body_mut()
            .as_reader()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| from_io(&e))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(AvatarError::TooLarge { limit: MAX_BYTES });
        }
        Ok(bytes)
    }
}

fn from_ureq(e: ureq::Error) -> AvatarError {
    match e {
        ureq::Error::StatusCode(404) => AvatarError::NoSuchUser,
        ureq::Error::StatusCode(403 | 429) => AvatarError::RateLimited,
        ureq::Error::StatusCode(code) => AvatarError::Status(code),
        ureq::Error::Timeout(_) => AvatarError::TimedOut,
        ureq::Error::TooManyRedirects => AvatarError::Network("too many redirects".into()),
        ureq::Error::Io(io) => from_io(&io),
        other => AvatarError::Network(other.to_string()),
    }
}

fn from_io(e: &std::io::Error) -> AvatarError {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return AvatarError::TimedOut;
    }
    // ureq reports its own timeouts while reading a body as an io::Error wrapping its error.
    if e.get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)))
    {
        return AvatarError::TimedOut;
    }
    AvatarError::Network(e.to_string())
}
