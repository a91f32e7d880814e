//! The gallery's "Who is this?" and "Not @login?" links: GitHub's new-issue page of the event's
//! repository, prefilled through its URL (`template`, `title`, `body`). Nothing is sent until the
//! visitor, signed in to GitHub, submits the issue. GitHub applies a `labels` parameter only for
//! people allowed to label issues, so the label comes from the issue template the export writes
//! for the organizer to commit.

use super::reference::FaceRef;
use crate::consent::Consent;
use crate::faces::row_words;
use crate::plain_text::plain_text;

/// The label every claim carries, through the template.
pub const LABEL: &str = "whoiswho-claim";
/// Where the organizer commits the template in the event's repository.
pub const TEMPLATE_PATH: &str = ".github/ISSUE_TEMPLATE/whoiswho-claim.md";
pub const TEMPLATE_NAME: &str = "whoiswho-claim.md";

/// `OWNER/REPO`, as GitHub allows them.
pub fn parse_repo(s: &str) -> Option<(String, String)> {
    let (owner, repo) = s.trim().split_once('/')?;
    let ok_owner = !owner.is_empty()
        && owner.len() <= 39
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let ok_repo = !repo.is_empty()
        && repo.len() <= 100
        && repo != "."
        && repo != ".."
        && repo
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    (ok_owner && ok_repo).then(|| (owner.to_string(), repo.to_string()))
}

/// The address of issue `number` of `owner/repo`.
pub fn issue_url(owner: &str, repo: &str, number: u64) -> String {
    format!("https://github.com/{owner}/{repo}/issues/{number}")
}

/// The repository of an issue's address, when it is `https://github.com/OWNER/REPO/issues/N`
/// with N the issue's own number.
pub fn repo_of_issue(url: &str, number: u64) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://github.com/")?;
    let (repo, n) = rest.rsplit_once("/issues/")?;
    (n == number.to_string())
        .then(|| parse_repo(repo))
        .flatten()
}

/// Where a face is, in the words a visitor and the organizer read: the photo by its place in
/// the gallery, the face by its row and place from the left. Never a file name (file names
/// often hold people's names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacePlace {
    /// The gallery's title.
    pub gallery: String,
    /// 1-based, in the gallery's order.
    pub photo: usize,
    /// `(row, rows)`, 1-based from the back (the top); `None` on a photo read left to right.
    pub row: Option<(u32, u32)>,
    /// 1-based from the left, within its row (or the photo).
    pub from_left: usize,
}

impl FacePlace {
    /// "photo 12 of “Summit 2026”".
    pub fn photo_words(&self) -> String {
        let gallery: String = plain_text(&self.gallery).chars().take(80).collect();
        format!("photo {} of “{}”", self.photo, gallery.trim())
    }

    /// "back row, 3rd from left"; "5th from left" without rows.
    pub fn face_words(&self) -> String {
        let from_left = format!("{} from left", ordinal(self.from_left));
        match self.row {
            Some((row, rows)) if rows > 1 => format!("{}, {from_left}", row_words(row, rows)),
            _ => from_left,
        }
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The issue template the organizer commits: it gives every claim its label. An issue opened
/// from it (the repository's template chooser) has no Face line, and the import says so.
pub fn template() -> String {
    format!(
        "---\nname: Who is this? (whoiswho)\nabout: Answer a face's link in the event's photo gallery (open it from the gallery, so the face is filled in)\ntitle: \"Who is this?\"\nlabels: {LABEL}\n---\n\n{}",
        body(None, None, None)
    )
}

/// What each consent does, as the exports apply it.
fn consent_help() -> String {
    [Consent::Ok, Consent::NoPublish, Consent::NoTag]
        .iter()
        .map(|c| format!("  {:<11} {}", c.as_str(), c.meaning()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The prefilled body: the question, the answer lines (empty), what they mean, the face
/// reference, and what happens next. The instructions are an HTML comment, never read as an
/// answer.
fn body(face: Option<&FaceRef>, place: Option<&FacePlace>, named: Option<&str>) -> String {
    let question = match (place, named) {
        (Some(p), Some(login)) => format!(
            "The gallery names @{login} in {} ({}). Who is it really?",
            p.photo_words(),
            p.face_words()
        ),
        (Some(p), None) => format!("Who is this, in {} ({})?", p.photo_words(), p.face_words()),
        (None, _) => "Who is this? (Open this from a face's link in the gallery.)".into(),
    };
    let reference = face.map_or_else(String::new, |f| format!("Face: `{}`\n\n", f.text()));
    format!(
        "{question}\n\nWho: \n\nConsent: \n\n<!--\nIn the Who line write me if this is you, or the person's GitHub login (@login): nothing else.\nIn the Consent line write nothing to change nothing, or one of:\n{}\nLeave the Face line as it is.\n-->\n\n{reference}The organizers review every answer before anyone is named. A request about yourself for more privacy (no-publish, no-tag) applies as soon as they read the answers.\n",
        consent_help()
    )
}

/// The new-issue address for a face; `named` is the login the gallery shows on it.
pub fn new_issue_url(
    owner: &str,
    repo: &str,
    face: &FaceRef,
    place: &FacePlace,
    named: Option<&str>,
) -> String {
    let title = match named {
        Some(login) => format!(
            "Not @{login}? Photo {}, {}",
            place.photo,
            place.face_words()
        ),
        None => format!("Who is this? Photo {}, {}", place.photo, place.face_words()),
    };
    format!(
        "https://github.com/{owner}/{repo}/issues/new?template={}&title={}&body={}",
        encode(TEMPLATE_NAME),
        encode(&title),
        encode(&body(Some(face), Some(place), named))
    )
}

/// Percent-encoding for a query value: everything but unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;

    fn place() -> FacePlace {
        FacePlace {
            gallery: "KCS \u{202e}gpj.exe Shanghai".into(),
            photo: 12,
            row: Some((1, 2)),
            from_left: 3,
        }
    }

    #[test]
    fn the_link_prefills_a_body_the_import_reads_back() {
        let face = FaceRef {
            hash: "0f".repeat(32),
            region: Region {
                x: 0.1,
                y: 0.2,
                w: 0.05,
                h: 0.07,
            },
        };
        let url = new_issue_url("kubernetes", "community", &face, &place(), Some("octocat"));
        assert!(url.starts_with("https://github.com/kubernetes/community/issues/new?template=whoiswho-claim.md&title=Not%20%40octocat%3F%20Photo%2012%2C%20back%20row%2C%203rd%20from%20left&body="), "{url}");
        let body = &url[url.find("&body=").unwrap() + 6..];
        assert!(!body.contains(['&', ' ', '\n', '#']), "{body}");
        let decoded = decode(body);
        assert_eq!(FaceRef::find(&decoded), Ok(face));
        assert!(decoded.contains("\nWho: \n") && decoded.contains("\nConsent: \n"));
        assert!(
            decoded.contains("photo 12 of “KCS gpj.exe Shanghai” (back row, 3rd from left)"),
            "{decoded}"
        );
        assert!(crate::plain_text::is_plain(&decoded.replace('\n', " ")));
        let answer = super::super::answer::parse(&decoded);
        assert_eq!(
            answer,
            Err(super::super::AnswerError::NoWho),
            "nothing prefilled is an answer"
        );
        assert_eq!(
            parse_repo("kubernetes/community"),
            Some(("kubernetes".into(), "community".into()))
        );
        assert_eq!(parse_repo("../x"), None);
        assert_eq!(parse_repo("a/b/c"), None);
        assert!(template().contains("labels: whoiswho-claim\n"));
        assert!(!template().contains("Face: `"));
    }

    #[test]
    fn places_read_as_a_person_counts() {
        let words = |row: Option<(u32, u32)>, n: usize| {
            FacePlace {
                row,
                from_left: n,
                ..place()
            }
            .face_words()
        };
        assert_eq!(words(Some((2, 2)), 1), "front row, 1st from left");
        assert_eq!(words(Some((2, 3)), 22), "middle row, 22nd from left");
        assert_eq!(
            words(Some((2, 4)), 13),
            "second row from the back, 13th from left"
        );
        assert_eq!(words(None, 111), "111th from left");
        assert_eq!(words(Some((1, 1)), 2), "2nd from left");
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
