//! Issues as GitHub gives them: the JSON `gh issue list --json number,author,title,body,
//! createdAt,url` prints (GitHub's own CLI; `state` too when asked for), or a page of the REST
//! API's issues. Each becomes an [`Issue`] or a per-issue error; one bad issue never spoils the
//! others.

use serde_json::Value;

use crate::login::parse_login;

/// An answer's body is a few lines; one this long is not a claim (and is not kept).
pub const MAX_BODY: usize = 64 * 1024;
/// A file of issues larger than this is refused before it is parsed.
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub number: u64,
    /// Who opened it, as GitHub proves it.
    pub author: String,
    pub title: String,
    pub body: String,
    pub created_at: Option<String>,
    pub url: String,
    /// `None` when the listing did not say.
    pub closed: Option<bool>,
}

/// Why one issue of a listing could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueError {
    /// 0 when the issue has no number.
    pub issue: u64,
    pub error: String,
}

/// Whether the listing is `gh`'s (`author`, `createdAt`, `url`) or the REST API's (`user`,
/// `created_at`, `html_url`).
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Gh,
    Rest,
}

/// Reads every issue of a JSON array; what is not an array at all is the error.
pub fn parse(bytes: &[u8], shape: Shape) -> Result<(Vec<Issue>, Vec<IssueError>), String> {
    let all: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Array(items) = all else {
        return Err("not a JSON array of issues".into());
    };
    let mut issues = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for item in &items {
        // Pull requests come through the REST issues endpoint too; they are no claims.
        if item.get("pull_request").is_some_and(|p| !p.is_null()) {
            continue;
        }
        match issue(item, shape) {
            Ok(i) => issues.push(i),
            Err(error) => errors.push(IssueError {
                issue: item.get("number").and_then(Value::as_u64).unwrap_or(0),
                error,
            }),
        }
    }
    Ok((issues, errors))
}

fn issue(v: &Value, shape: Shape) -> Result<Issue, String> {
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let number = v
        .get("number")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
        .ok_or("no issue number")?;
    let (author_key, created_key, url_key) = match shape {
        Shape::Gh => ("author", "createdAt", "url"),
        Shape::Rest => ("user", "created_at", "html_url"),
    };
    let author = v
        .get(author_key)
        .and_then(|a| a.get("login"))
        .and_then(Value::as_str)
        .ok_or("no author")?;
    let author = parse_login(author).map_err(|e| format!("the author's login: {e}"))?;
    let body = text("body").unwrap_or_default();
    if body.len() > MAX_BODY {
        return Err(format!(
            "the body is {} KB, over the {} KB a claim can be",
            body.len() / 1024,
            MAX_BODY / 1024
        ));
    }
    let closed = text("state").map(|s| s.eq_ignore_ascii_case("closed"));
    Ok(Issue {
        number,
        author,
        title: text("title")
            .unwrap_or_default()
            .chars()
            .take(256)
            .collect(),
        body,
        created_at: text(created_key).map(|c| c.chars().take(40).collect()),
        url: text(url_key)
            .filter(|u| u.starts_with("https://") && u.len() < 512)
            .unwrap_or_default(),
        closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gh_and_rest_listings_read_alike_and_bad_items_are_errors_of_their_own() {
        let gh = br#"[{"author":{"id":"MDQ","is_bot":false,"login":"alice","name":"Alice"},"body":"Who: me","createdAt":"2026-06-12T10:00:00Z","number":12,"title":"Who is this?","url":"https://github.com/o/r/issues/12"},
                     {"author":{"login":"x y"},"body":"","number":13},{"body":"x"}]"#;
        let (issues, errors) = parse(gh, Shape::Gh).unwrap();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].author, "alice");
        assert_eq!(issues[0].closed, None);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].issue, 13);
        let rest = br#"[{"number":5,"user":{"login":"bob"},"body":null,"html_url":"https://github.com/o/r/issues/5","state":"closed","created_at":"2026-06-12T10:00:00Z"},
                        {"number":6,"user":{"login":"bob"},"pull_request":{"url":"x"}}]"#;
        let (issues, errors) = parse(rest, Shape::Rest).unwrap();
        assert_eq!((issues.len(), errors.len()), (1, 0));
        assert_eq!(issues[0].closed, Some(true));
        assert!(parse(b"{}", Shape::Gh).is_err());
        let huge = format!(
            r#"[{{"number":1,"author":{{"login":"a"}},"body":"{}"}}]"#,
            "x".repeat(MAX_BODY + 1)
        );
        let (_, errors) = parse(huge.as_bytes(), Shape::Gh).unwrap();
        assert!(errors[0].error.contains("over the 64 KB"), "{errors:?}");
    }
}
