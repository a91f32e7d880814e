//! What a visitor answered in the body: the `Who:` line (`me`, or someone's `@login`)
//! and the `Consent:` line (`ok`, `no-publish` or `no-tag`), however they are emphasized,
//! indented or quoted.

use crate::consent::Consent;
use crate::login::{parse_login, LoginError};

/// Whom the answer names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The author: GitHub proves who they are.
    Me,
    Login(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub who: Who,
    pub consent: Consent,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the issue does not say who it is (a line `Who: me` or `Who: @login`)")]
    NoWho,
    #[error("`Who:` must be `me` or a GitHub login: {0}")]
    BadLogin(LoginError),
    #[error("`Consent:` must be ok, no-publish or no-tag, not {0:?}")]
    BadConsent(String),
}

/// The value of the first line `label: value` in `body` (case-insensitive, Markdown emphasis,
/// quotes and list marks around it ignored).
fn field<'a>(body: &'a str, label: &str) -> Option<&'a str> {
    body.lines().find_map(|line| {
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || "*_>-#".contains(c));
        let (name, value) = line.split_once(':')?;
        let name = name.trim_matches(|c: char| c.is_whitespace() || "*_".contains(c));
        name.eq_ignore_ascii_case(label)
            .then(|| value.trim_matches(|c: char| c.is_whitespace() || "*_`".contains(c)))
    })
}

pub fn parse(body: &str) -> Result<Answer, AnswerError> {
    let who = field(body, "who")
        .filter(|v| !v.is_empty())
        .ok_or(AnswerError::NoWho)?;
    // The first word is the answer; the rest ("me, third from left") is the visitor's.
    let first = who
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '!')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    let who = if ["me", "myself", "i"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
    {
        Who::Me
    } else {
        Who::Login(parse_login(first).map_err(AnswerError::BadLogin)?)
    };
    let consent = match field(body, "consent") {
        None => Consent::Ok,
        Some(v) => {
            let word = v.split_whitespace().next().unwrap_or_default();
            Consent::parse(word)
                .ok_or_else(|| AnswerError::BadConsent(word.chars().take(40).collect()))?
        }
    };
    Ok(Answer { who, consent })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_however_they_are_written() {
        let a = parse("Who: me\nConsent: no-publish\n").unwrap();
        assert_eq!(
            a,
            Answer {
                who: Who::Me,
                consent: Consent::NoPublish
            }
        );
        let a = parse("> **Who:** @RainbowMango, in the back\n- consent:   `ok`").unwrap();
        assert_eq!(a.who, Who::Login("RainbowMango".into()));
        assert_eq!(a.consent, Consent::Ok);
        assert_eq!(parse("Who: Me!\n").unwrap().who, Who::Me);
        assert_eq!(parse("no answer"), Err(AnswerError::NoWho));
        assert_eq!(parse("Who: \n"), Err(AnswerError::NoWho));
        assert!(matches!(
            parse("Who: <script>"),
            Err(AnswerError::BadLogin(_))
        ));
        assert!(matches!(
            parse("Who: me\nConsent: maybe"),
            Err(AnswerError::BadConsent(_))
        ));
    }
}
