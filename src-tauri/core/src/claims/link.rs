//! The gallery's "Who is this?" and "Not @login?" links: GitHub's new-issue page of the event's
//! repository, prefilled through its URL (`template`, `title`, `body`). Nothing is sent until the
//! visitor, signed in to GitHub, submits the issue. GitHub applies a `labels` parameter only for
//! people allowed to label issues, so the label comes from the issue template the export writes
//! for the organizer to commit.

use super::reference::FaceRef;

/// The label every claim carries, through the template.
pub const LABEL: &str = "whoiswho-claim";
/// Where the organizer commits the template in the event's repository.
pub const TEMPLATE_PATH: &str = ".github/ISSUE_TEMPLATE/whoiswho-claim.md";
const TEMPLATE_NAME: &str = "whoiswho-claim.md";

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

/// The issue template the organizer commits: it gives every claim its label.
pub fn template() -> String {
    format!(
        "---\nname: Who is this? (whoiswho)\nabout: Name a face in the event's photo gallery, or yourself\ntitle: \"Who is this?\"\nlabels: {LABEL}\n---\n\n{}",
        body(None, "a photo", None)
    )
}

/// The prefilled body: the answer lines, the face reference, and what happens next.
fn body(face: Option<&FaceRef>, photo: &str, named: Option<&str>) -> String {
    let question = match named {
        Some(login) => format!("The gallery names @{login} on {photo}. Who is it really?"),
        None => format!("Who is this, on {photo}?"),
    };
    let reference = face.map_or_else(String::new, |f| format!("Face: `{}`\n\n", f.text()));
    format!(
        "{question}\n\nWho: \n\nConsent: ok\n\n<!-- Who: write `me` if this is you, or the @login of the person. Consent: `ok`, `no-publish` (name me, never publish my face) or `no-tag` (never name me). Leave the Face line as it is. -->\n\n{reference}The organizers review every answer before anything is published.\n"
    )
}

/// The new-issue address for a face of a photo; `named` is the login the gallery shows on it.
pub fn new_issue_url(
    owner: &str,
    repo: &str,
    face: &FaceRef,
    photo: &str,
    named: Option<&str>,
) -> String {
    let title = match named {
        Some(login) => format!("Not @{login}? ({photo})"),
        None => format!("Who is this? ({photo})"),
    };
    format!(
        "https://github.com/{owner}/{repo}/issues/new?template={}&title={}&body={}",
        encode(TEMPLATE_NAME),
        encode(&title),
        encode(&body(Some(face), photo, named))
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
        let url = new_issue_url(
            "kubernetes",
            "community",
            &face,
            "ul-10.jpg",
            Some("octocat"),
        );
        assert!(url.starts_with("https://github.com/kubernetes/community/issues/new?template=whoiswho-claim.md&title=Not%20%40octocat%3F%20%28ul-10.jpg%29&body="));
        let body = &url[url.find("&body=").unwrap() + 6..];
        assert!(!body.contains(['&', ' ', '\n', '#']), "{body}");
        let decoded = decode(body);
        assert_eq!(FaceRef::find(&decoded), Ok(face));
        assert!(decoded.contains("\nWho: \n") && decoded.contains("\nConsent: ok\n"));
        assert_eq!(
            parse_repo("kubernetes/community"),
            Some(("kubernetes".into(), "community".into()))
        );
        assert_eq!(parse_repo("../x"), None);
        assert_eq!(parse_repo("a/b/c"), None);
        assert!(template().contains("labels: whoiswho-claim\n"));
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
