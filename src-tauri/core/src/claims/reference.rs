//! The face an issue is about, written into the body by the gallery's link and read
//! back from it: `whoiswho-face:HASH:X,Y,W,H` (the photo's content hash and the box, normalized
//! to the displayed photo). Plain letters, digits and punctuation that Markdown leaves alone, in
//! a code span; found wherever it is in the body, however the text around it was rewritten.

use crate::region::Region;

const TAG: &str = "whoiswho-face:";
/// A blake3 hex digest.
const HASH_LEN: usize = 64;

/// A face, by the photo's content and the box on it: the same whatever the photo's path here.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceRef {
    pub hash: String,
    pub region: Region,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("the issue has no Face line (`whoiswho-face:…`): it was opened from the repository's template chooser or written by hand, not from a face's link in the gallery")]
    Missing,
    #[error("the face reference is damaged: {0}")]
    Broken(&'static str),
    #[error("the issue holds references to {0} different faces; a claim names one")]
    Several(usize),
}

impl FaceRef {
    pub fn text(&self) -> String {
        let r = &self.region;
        format!(
            "{TAG}{}:{:.4},{:.4},{:.4},{:.4}",
            self.hash, r.x, r.y, r.w, r.h
        )
    }

    /// The one reference in `body`. The same reference twice (quoted, say) is one; two
    /// different ones are an error, as is a damaged one and none.
    pub fn find(body: &str) -> Result<Self, RefError> {
        let mut found: Vec<FaceRef> = Vec::new();
        let mut broken = None;
        for (at, _) in body.match_indices(TAG) {
            match parse(&body[at + TAG.len()..]) {
                Ok(r) if !found.contains(&r) => found.push(r),
                Ok(_) => {}
                Err(e) => broken = Some(e),
            }
        }
        match (found.len(), broken) {
            (1, _) => Ok(found.remove(0)),
            (0, Some(e)) => Err(e),
            (0, None) => Err(RefError::Missing),
            (n, _) => Err(RefError::Several(n)),
        }
    }
}

fn parse(rest: &str) -> Result<FaceRef, RefError> {
    let hash: String = rest.chars().take(HASH_LEN).collect();
    if hash.len() != HASH_LEN || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RefError::Broken(
            "the photo's hash is not 64 hexadecimal digits",
        ));
    }
    let rest = rest[HASH_LEN..]
        .strip_prefix(':')
        .ok_or(RefError::Broken("no box after the photo's hash"))?;
    let numbers: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .take(64)
        .collect();
    let v: Vec<f64> = numbers
        .split(',')
        .map(|n| n.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| RefError::Broken("the box is not four numbers"))?;
    let [x, y, w, h] = v[..] else {
        return Err(RefError::Broken("the box is not four numbers"));
    };
    let region = Region { x, y, w, h };
    let inside = [x, y, w, h].iter().all(|v| (0.0..=1.0).contains(v))
        && w > 0.0
        && h > 0.0
        && x + w <= 1.0001
        && y + h <= 1.0001;
    if !inside {
        return Err(RefError::Broken("the box is not inside the photo"));
    }
    Ok(FaceRef {
        hash: hash.to_ascii_lowercase(),
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> FaceRef {
        FaceRef {
            hash: "ab".repeat(32),
            region: Region {
                x: 0.41,
                y: 0.2215,
                w: 0.05,
                h: 0.07,
            },
        }
    }

    #[test]
    fn a_reference_survives_markdown_and_text_rewritten_around_it() {
        let body = format!(
            "Hi!! **that's me** lol\n> quoted `{}` yes\n\n`{}`",
            r().text(),
            r().text()
        );
        assert_eq!(FaceRef::find(&body), Ok(r()));
        assert_eq!(FaceRef::find("nothing here"), Err(RefError::Missing));
        let broken = format!("{TAG}{}:0.4,0.2", "ab".repeat(32));
        assert!(matches!(FaceRef::find(&broken), Err(RefError::Broken(_))));
        assert!(matches!(
            FaceRef::find(&format!("{TAG}xyz")),
            Err(RefError::Broken(_))
        ));
        let outside = format!("{TAG}{}:0.9,0.2,0.5,0.1", "ab".repeat(32));
        assert!(matches!(FaceRef::find(&outside), Err(RefError::Broken(_))));
        let mut other = r();
        other.region.x = 0.1;
        let two = format!("{} {}", r().text(), other.text());
        assert_eq!(FaceRef::find(&two), Err(RefError::Several(2)));
    }
}
