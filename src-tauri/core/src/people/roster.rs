//! The attendee roster CSV from a registration system: columns found by header, any order, any
//! case; UTF-8 with or without BOM. Bad rows are listed with reasons; they never stop the rest.

use std::collections::HashMap;

use serde::Serialize;

use super::Consent;
use crate::login::{is_legacy, login_key, parse_login};

/// One accepted row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub login: String,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub consent: Consent,
}

/// A row that was refused, or accepted with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowIssue {
    pub line: u64,
    pub login: Option<String>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ParsedRoster {
    pub entries: Vec<RosterEntry>,
    pub rejected: Vec<RowIssue>,
    pub warnings: Vec<RowIssue>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RosterError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a CSV file: {0}")]
    NotCsv(String),
    #[error("no login column: expected a header named github, login or username (found: {0})")]
    NoLoginColumn(String),
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is {size} bytes; a roster CSV over {} MB is refused", MAX_FILE_BYTES / 1_000_000)]
    TooLarge { path: String, size: u64 },
}

/// Far above any event's roster (100,000 attendees at 200 bytes a row).
pub const MAX_FILE_BYTES: u64 = 20_000_000;

/// Reads a roster file, refusing one too large to be a roster before reading it.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, RosterError> {
    use std::io::Read;
    let err = |e: std::io::Error| RosterError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(err)?;
    let size = file.metadata().map_err(err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(RosterError::TooLarge {
            path: path.display().to_string(),
            size,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` also bounds a file that grows while it is read (or a FIFO that never ends).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(RosterError::TooLarge {
            path: path.display().to_string(),
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

enum Column {
    Login,
    Name,
    Affiliation,
    Consent,
}

fn column_for(header: &str) -> Option<Column> {
    let key: String = header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "github" | "login" | "username" | "githublogin" | "githubusername" | "githubid"
        | "githubhandle" | "githubaccount" => Some(Column::Login),
        "name" | "fullname" | "displayname" | "attendee" | "attendeename" => Some(Column::Name),
        "affiliation" | "company" | "organization" | "organisation" | "org" | "employer" => {
            Some(Column::Affiliation)
        }
        "consent" | "photoconsent" | "photos" | "photopermission" => Some(Column::Consent),
        _ => None,
    }
}

/// Parses roster bytes. A file that is not a CSV at all is an error; bad rows are not.
pub fn parse(bytes: &[u8]) -> Result<ParsedRoster, RosterError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(RosterError::Empty);
    }
    // Binary garbage would otherwise parse as one odd "header".
    if bytes.contains(&0) || std::str::from_utf8(bytes).is_err() && looks_binary(bytes) {
        return Err(RosterError::NotCsv("it contains binary data".into()));
    }
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| RosterError::NotCsv(e.to_string()))?
        .clone();
    let mut columns: HashMap<usize, Column> = HashMap::new();
    let mut login_col = None;
    for (i, h) in headers.iter().enumerate() {
        let h = String::from_utf8_lossy(h);
        if let Some(c) = column_for(&h) {
            if matches!(c, Column::Login) {
                if login_col.is_some() {
                    continue; // the first login-like column wins
                }
                login_col = Some(i);
            }
            columns.entry(i).or_insert(c);
        }
    }
    let Some(login_col) = login_col else {
        let found: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        return Err(RosterError::NoLoginColumn(found.join(", ")));
    };

    let mut out = ParsedRoster::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                out.rejected.push(RowIssue {
                    line,
                    login: None,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| -> Result<Option<String>, String> {
            match record.get(i) {
                None => Ok(None),
                Some(b) => std::str::from_utf8(b)
                    .map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
                    .map_err(|_| "not valid UTF-8 (save the file as UTF-8)".to_string()),
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        let raw_login = match field(login_col) {
            Ok(v) => v.unwrap_or_default(),
            Err(message) => {
                out.rejected.push(RowIssue {
                    line,
                    login: None,
                    message,
                });
                continue;
            }
        };
        let login = match parse_login(&raw_login) {
            Ok(l) => l,
            Err(e) => {
                let login = Some(raw_login).filter(|s| !s.is_empty());
                out.rejected.push(RowIssue {
                    line,
                    login,
                    message: e.to_string(),
                });
                continue;
            }
        };
        if let Some(first) = seen.get(&login_key(&login)) {
            out.rejected.push(RowIssue {
                line,
                login: Some(login),
                message: format!("duplicate of line {first}"),
            });
            continue;
        }
        let (mut name, mut affiliation, mut consent) = (None, None, Consent::Ok);
        let mut problem = None;
        for (i, c) in &columns {
            let value = match field(*i) {
                Ok(v) => v,
                Err(message) => {
                    problem = Some(message);
                    break;
                }
            };
            match c {
                Column::Name => name = value,
                Column::Affiliation => affiliation = value,
                Column::Consent => match Consent::parse(value.as_deref().unwrap_or("")) {
                    Some(c) => consent = c,
                    None => {
                        problem = Some(format!(
                            "consent \"{}\" is not one of ok, no-tag, no-publish",
                            value.unwrap_or_default()
                        ));
                        break;
                    }
                },
                Column::Login => {}
            }
        }
        if let Some(message) = problem {
            out.rejected.push(RowIssue {
                line,
                login: Some(login),
                message,
            });
            continue;
        }
        if is_legacy(&login) {
            out.warnings.push(RowIssue {
                line,
                login: Some(login.clone()),
                message: "legacy-style login (GitHub no longer allows new ones like it); check the spelling".into(),
            });
        }
        seen.insert(login_key(&login), line);
        out.entries.push(RosterEntry {
            line,
            login,
            name,
            affiliation,
            consent,
        });
    }
    Ok(out)
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    let control = sample
        .iter()
        .filter(|b| **b < 0x09 || (**b > 0x0D && **b < 0x20))
        .count();
    control * 20 > sample.len() || std::str::from_utf8(sample).is_err() && control > 0
}

/// Comma, semicolon (European spreadsheets) or tab: whichever the header line uses most.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(bytes);
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logins(p: &ParsedRoster) -> Vec<&str> {
        p.entries.iter().map(|e| e.login.as_str()).collect()
    }

    #[test]
    fn headers_are_found_in_any_order_case_and_spelling() {
        let csv = "Affiliation,Full Name,GitHub Username,Photo Consent\nHuawei,Kevin Wang,kevin-wangzefeng,OK\n";
        let p = parse(csv.as_bytes()).unwrap();
        assert_eq!(logins(&p), ["kevin-wangzefeng"]);
        let e = &p.entries[0];
        assert_eq!(
            (e.name.as_deref(), e.affiliation.as_deref()),
            (Some("Kevin Wang"), Some("Huawei"))
        );
        assert_eq!(e.consent, Consent::Ok);
    }

    #[test]
    fn bom_quotes_and_cjk_names_are_kept_exactly() {
        let csv = "\u{feff}login,name,affiliation\n\
                   octocat,\"Mona \"\"the cat\"\", Lisa\",GitHub\n\
                   wangxm,王小明,华为\n\
                   yamada,山田 太郎,\n\
                   kim,김민준,\"Seoul, KR\"\n";
        let p = parse(csv.as_bytes()).unwrap();
        assert!(p.rejected.is_empty(), "{:?}", p.rejected);
        let names: Vec<_> = p.entries.iter().map(|e| e.name.clone().unwrap()).collect();
        assert_eq!(
            names,
            ["Mona \"the cat\", Lisa", "王小明", "山田 太郎", "김민준"]
        );
        assert_eq!(p.entries[1].affiliation.as_deref(), Some("华为"));
        assert_eq!(p.entries[3].affiliation.as_deref(), Some("Seoul, KR"));
    }

    #[test]
    fn bad_rows_are_listed_with_reasons_and_the_rest_is_kept() {
        let csv = "github,name,consent\n\
                   good-one,A,ok\n\
                   ,Nobody,\n\
                   has space,B,\n\
                   Good-One,C,\n\
                   fine,D,maybe\n\
                   -legacy,E,no-tag\n\
                   private-person,F,no publish\n";
        let p = parse(csv.as_bytes()).unwrap();
        assert_eq!(logins(&p), ["good-one", "-legacy", "private-person"]);
        let reasons: Vec<(u64, &str)> = p
            .rejected
            .iter()
            .map(|r| (r.line, r.message.as_str()))
            .collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].1.contains("empty login"));
        assert!(reasons[1].1.contains("not a GitHub login"));
        assert_eq!(reasons[2], (5, "duplicate of line 2"));
        assert!(reasons[3].1.contains("consent \"maybe\""));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].login.as_deref(), Some("-legacy"));
        assert_eq!(p.entries[1].consent, Consent::NoTag);
        assert_eq!(p.entries[2].consent, Consent::NoPublish);
    }

    #[test]
    fn semicolons_and_tabs_from_spreadsheets_work() {
        for sep in [";", "\t"] {
            let csv = format!("username{sep}name\nalice{sep}Alice A.\n");
            let p = parse(csv.as_bytes()).unwrap();
            assert_eq!(logins(&p), ["alice"], "separator {sep:?}");
        }
    }

    #[test]
    fn files_that_are_not_rosters_are_refused_as_a_whole() {
        assert_eq!(parse(b"").unwrap_err(), RosterError::Empty);
        assert_eq!(parse(b"\xEF\xBB\xBF  \n").unwrap_err(), RosterError::Empty);
        assert!(matches!(
            parse(b"name,company\nA,B\n"),
            Err(RosterError::NoLoginColumn(_))
        ));
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(parse(&garbage), Err(RosterError::NotCsv(_))));
        let png = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/orientation/hopper/hopper.jpg"
        ))
        .unwrap();
        assert!(matches!(parse(&png), Err(RosterError::NotCsv(_))));
    }

    #[test]
    fn latin1_cells_are_rejected_row_by_row() {
        let mut csv = b"login,name\nok-user,Plain\nlatin,".to_vec();
        csv.extend_from_slice(b"Jos\xe9\n");
        let p = parse(&csv).unwrap();
        assert_eq!(logins(&p), ["ok-user"]);
        assert!(p.rejected[0].message.contains("UTF-8"), "{:?}", p.rejected);
    }
}
