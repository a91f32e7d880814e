//! GitHub logins: what is accepted, what deserves a warning, how they compare, where they link.
//! A plain value type at the bottom of the core: it imports nothing of the crate.

/// Where a login's profile lives; every link to a person goes here.
pub fn profile_url(login: &str) -> String {
    format!("https://github.com/{login}")
}

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("empty login")]
    Empty,
    #[error("\"{0}\" is not a GitHub login (letters, digits and hyphens, at most 39, optionally _suffix)")]
    Invalid(String),
}

/// Cleans what people paste (`@login`, a profile URL, spaces) and validates it. Accepted:
/// `^[A-Za-z0-9-]{1,39}(_[A-Za-z0-9]+)?$` (legacy and managed-user logins exist).
pub fn parse_login(raw: &str) -> Result<String, LoginError> {
    let mut s = raw.trim();
    for prefix in [
        "https://github.com/",
        "http://github.com/",
        "github.com/",
        "@",
    ] {
        // `get` rather than slicing: the text may be any language, cut mid-character.
        if s.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            s = &s[prefix.len()..];
        }
    }
    let s = s.trim_end_matches('/');
    if s.is_empty() {
        return Err(LoginError::Empty);
    }
    let (base, suffix) = match s.split_once('_') {
        Some((b, suf)) => (b, Some(suf)),
        None => (s, None),
    };
    let base_ok = (1..=39).contains(&base.len())
        && base.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let suffix_ok =
        suffix.is_none_or(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric()));
    if base_ok && suffix_ok {
        Ok(s.to_string())
    } else {
        Err(LoginError::Invalid(raw.trim().to_string()))
    }
}

/// True for logins GitHub would not let anyone register today (leading, trailing or double
/// hyphens, a managed-user suffix): accepted, with a warning, since old accounts have them.
pub fn is_legacy(login: &str) -> bool {
    let b = login.as_bytes();
    let strict = !b.is_empty()
        && b.len() <= 39
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && !login.contains("--");
    !strict
}

/// The form logins are compared in: GitHub logins are case-insensitive.
pub fn login_key(login: &str) -> String {
    login.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_pasted_forms_and_keeps_the_case() {
        assert_eq!(
            parse_login("  @Kevin-WangZefeng ").unwrap(),
            "Kevin-WangZefeng"
        );
        assert_eq!(
            parse_login("https://github.com/octocat/").unwrap(),
            "octocat"
        );
        assert_eq!(parse_login("jdoe_acme").unwrap(), "jdoe_acme");
    }

    #[test]
    fn refuses_what_github_never_allowed() {
        assert_eq!(parse_login("  "), Err(LoginError::Empty));
        for bad in [
            "has space",
            "dot.name",
            "a_",
            "x".repeat(40).as_str(),
            "名前",
            "a_b_c",
        ] {
            assert!(parse_login(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn legacy_logins_are_flagged() {
        for legacy in ["-dash", "dash-", "double--dash", "jdoe_acme"] {
            assert!(is_legacy(legacy), "{legacy}");
        }
        for modern in ["octocat", "kevin-wangzefeng", "a1"] {
            assert!(!is_legacy(modern), "{modern}");
        }
    }
}
