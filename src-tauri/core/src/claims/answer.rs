//! What a visitor answered in the body: the `Who:` line (`me`, or one GitHub login) and
//! the `Consent:` line (empty for "no change", or `ok`, `no-publish`, `no-tag`), however they are
//! emphasized, indented or quoted. Read strictly: a `Who:` that is anything but `me` or one
//! login ("this is me, 3rd from the right", "Bob Builder") is an answer that cannot be read,
//! never a claim for a word in it. HTML comments (the instructions) are never read as answers.

use crate::consent::Consent;
use crate::login::parse_login;

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
    /// `None`: the line is missing or empty, which changes nothing.
    pub consent: Option<Consent>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer does not say who it is: the line `Who:` is missing or empty")]
    NoWho,
    #[error("`Who:` must be `me` or one GitHub login (`@login`), not {0:?}")]
    NotOneLogin(String),
    #[error("`Consent:` must be empty, ok, no-publish or no-tag, not {0:?}")]
    BadConsent(String),
}

/// The body without its HTML comments (an unclosed one runs to the end).
fn without_comments(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
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

/// A visitor's words as an error may quote them: no control or bidirectional characters, short.
fn quoted(s: &str) -> String {
    crate::plain_text::plain_text(s).chars().take(60).collect()
}

pub fn parse(body: &str) -> Result<Answer, AnswerError> {
    let body = without_comments(body);
    let who = field(&body, "who")
        .filter(|v| !v.is_empty())
        .ok_or(AnswerError::NoWho)?;
    let word = who.trim_end_matches(['.', '!']);
    let who = if word.eq_ignore_ascii_case("me") {
        Who::Me
    } else {
        let login = word.strip_prefix('@').unwrap_or(word);
        if login.is_empty() || login.contains(|c: char| c.is_whitespace() || c == ',') {
            return Err(AnswerError::NotOneLogin(quoted(who)));
        }
        Who::Login(parse_login(login).map_err(|_| AnswerError::NotOneLogin(quoted(who)))?)
    };
    let consent = match field(&body, "consent").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(
            Consent::parse(v)
                .filter(|_| v.len() <= 40)
                .ok_or_else(|| AnswerError::BadConsent(quoted(v)))?,
        ),
    };
    Ok(Answer { who, consent })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_however_they_are_emphasized() {
        let a = parse("Who: me\nConsent: no-publish\n").unwrap();
        assert_eq!(
            a,
            Answer {
                who: Who::Me,
                consent: Some(Consent::NoPublish)
            }
        );
        let a = parse("> **Who:** @RainbowMango\n- consent:   `ok`").unwrap();
        assert_eq!(a.who, Who::Login("RainbowMango".into()));
        assert_eq!(a.consent, Some(Consent::Ok));
        assert_eq!(parse("Who: Me!\n").unwrap().who, Who::Me);
        assert_eq!(parse("Who: octocat\nConsent: \n").unwrap().consent, None);
        assert_eq!(parse("no answer"), Err(AnswerError::NoWho));
        assert_eq!(parse("Who: \n"), Err(AnswerError::NoWho));
    }

    #[test]
    fn anything_but_me_or_one_login_is_unreadable() {
        for who in [
            "this is me, 3rd from the right",
            "Bob Builder",
            "@RainbowMango, in the back",
            "<script>",
            "@",
            "me and @bob",
        ] {
            assert!(
                matches!(
                    parse(&format!("Who: {who}\n")),
                    Err(AnswerError::NotOneLogin(_))
                ),
                "{who}"
            );
        }
        assert!(matches!(
            parse("Who: me\nConsent: maybe"),
            Err(AnswerError::BadConsent(_))
        ));
        assert!(matches!(
            parse("Who: me\nConsent: no-publish please"),
            Err(AnswerError::BadConsent(_))
        ));
    }

    #[test]
    fn the_instructions_in_comments_are_never_an_answer() {
        let body = "Who: \n<!--\nWho: me\nConsent: no-tag\n-->\nConsent: \n";
        assert_eq!(parse(body), Err(AnswerError::NoWho));
        let body = "<!-- Who: me -->\nWho: @bob\n<!-- Consent: no-tag";
        assert_eq!(
            parse(body),
            Ok(Answer {
                who: Who::Login("bob".into()),
                consent: None
            })
        );
    }
}
