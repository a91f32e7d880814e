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

/// GitHub's issue numbers are 32-bit.
const MAX_NUMBER: u64 = i32::MAX as u64;

/// The text of a listing file: UTF-8 (with or without a byte-order mark) or UTF-16 with its
/// mark, which is what Windows PowerShell writes for `gh issue list … > file`.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return Err("UTF-16 text cut in the middle of a character".to_string());
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16(&units).map_err(|_| "damaged UTF-16 text".to_string())
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| "not UTF-8 text".to_string())
        }
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8(bytes.to_vec())
            .map_err(|_| "not UTF-8 or UTF-16 text (with its byte-order mark)".to_string()),
    }
}

/// Reads every issue of a JSON array; what is not an array at all is the error. An issue number
/// given twice is one error, and neither issue is read.
pub fn parse(bytes: &[u8], shape: Shape) -> Result<(Vec<Issue>, Vec<IssueError>), String> {
    let text = decode(bytes)?;
    let all: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Array(items) = all else {
        return Err("not a JSON array of issues".into());
    };
    let mut issues = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for item in &items {
        if let Some(n) = item.get("number").and_then(Value::as_u64) {
            *seen.entry(n).or_default() += 1;
        }
    }
    for (n, times) in &seen {
        if *times > 1 {
            errors.push(IssueError {
                issue: *n,
                error: format!("issue #{n} is listed {times} times: none of them is read"),
            });
        }
    }
    errors.sort_by_key(|e| e.issue);
    for item in &items {
        if item
            .get("number")
            .and_then(Value::as_u64)
            .is_some_and(|n| seen.get(&n).is_some_and(|t| *t > 1))
        {
            continue;
        }
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
        .ok_or("no issue number")?;
    if !(1..=MAX_NUMBER).contains(&number) {
        return Err(format!(
            "{number} is not an issue number (GitHub numbers issues from 1 to {MAX_NUMBER})"
        ));
    }
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

    #[test]
    fn numbers_out_of_range_or_twice_are_an_error_each() {
        let gh = br#"[{"number":0,"author":{"login":"a"}},{"number":4294967296,"author":{"login":"a"}},
                     {"number":7,"author":{"login":"a"}},{"number":7,"author":{"login":"b"}},{"number":8,"author":{"login":"c"}}]"#;
        let (issues, errors) = parse(gh, Shape::Gh).unwrap();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].number, 8);
        let numbers: Vec<u64> = errors.iter().map(|e| e.issue).collect();
        assert_eq!(numbers, [7, 0, 4294967296], "{errors:?}");
        assert!(errors[0].error.contains("listed 2 times"));
    }

    #[test]
    fn what_powershell_writes_is_read() {
        let json = r#"[{"number":3,"author":{"login":"zoë-not-a-login"}},{"number":4,"author":{"login":"a"},"body":"Zoë 👋"}]"#;
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in json.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(json.as_bytes());
        for bytes in [le, be, bom, json.as_bytes().to_vec()] {
            let (issues, errors) = parse(&bytes, Shape::Gh).unwrap();
            assert_eq!((issues.len(), errors.len()), (1, 1));
            assert_eq!(issues[0].body, "Zoë 👋");
        }
        assert!(parse(&[0xFF, 0xFE, 0x5B], Shape::Gh)
            .unwrap_err()
            .contains("cut"));
        assert!(parse(&[0xC3, 0x28], Shape::Gh)
            .unwrap_err()
            .contains("not UTF-8"));
    }
}
