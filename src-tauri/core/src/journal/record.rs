//! A decision as it travels between laptops: one JSON object per line of a laptop's log.
//! Records say what a face, an attendee or an avatar IS after a decision (not the operation
//! that got there), so applying the latest one is enough, in any order. Each names the records
//! about the same thing its author had seen (`after`): two records neither of which had seen
//! the other are concurrent, which is how a conflict is told from a change of mind.
//!
//! Reading is strict and bounded: a line is at most [`MAX_LINE`] bytes, every login is a valid
//! GitHub login, every id names the laptop whose file holds it, boxes lie in the photo. A record
//! of a newer format, or of a kind this build does not know, is kept whole and reported.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Stamp;
use crate::catalog::{AvatarFace, AvatarSource, FaceState};
use crate::consent::Consent;
use crate::login::parse_login;
use crate::region::Region;

/// The record format this build writes and understands.
pub const FORMAT: u64 = 1;

/// The longest line a log may hold; a longer one is refused unread past this.
pub const MAX_LINE: usize = 16 * 1024;

/// One record, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `LAPTOP.SEQ`: unique in the team, and naming the laptop whose log holds it.
    pub id: String,
    /// When it was decided (the team clock).
    pub at: Stamp,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Body {
    /// A face as it is after a decision about it.
    Face(FaceRecord),
    /// A person said a face is not someone suggested for it (or took that back).
    Reject(RejectRecord),
    /// An attendee as they are after a change: name, affiliation, consent.
    Person(PersonRecord),
    /// An avatar one laptop fetched or imported, kept in its folder of the team folder.
    Avatar(AvatarRecord),
    /// A photo's rows as a person fixed them by hand (or gave back to the rule).
    Rows(RowsRecord),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceRecord {
    /// Content hash of the photo (its first 32 hex digits): paths differ between laptops.
    pub photo: String,
    /// The face's id in the team: the id of the first record about it.
    pub face: String,
    /// The box, normalized to the displayed photo: x, y, w, h.
    #[serde(rename = "box")]
    pub region: [f64; 4],
    /// A box a person drew: it is known by its id alone (a teammate's detector box in the
    /// same place is another face), and made where a laptop does not have it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub drawn: bool,
    /// The box is where a person put it (drawn or moved): every laptop puts it there too. A
    /// detector's box is left where each laptop's detector put it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub placed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// Left out when it is what the name implies (confirmed with a login, unreviewed without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<FaceState>,
    /// The box was removed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectRecord {
    pub photo: String,
    pub face: String,
    #[serde(rename = "box")]
    pub region: [f64; 4],
    pub login: String,
    /// False when the rejection was taken back.
    pub rejected: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub login: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    pub consent: Consent,
    /// What the attendee asked for themselves, which no teammate's roster lowers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<Consent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvatarRecord {
    pub login: String,
    /// The picture's file in the author's `avatars/` folder: its sha256 and `.jpg`.
    pub file: String,
    /// Where its author got it.
    pub source: AvatarSource,
    /// What the author's face search saw in it, so a teammate needs no models to use it.
    pub face: AvatarFace,
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub region: Option<[f64; 4]>,
    /// The face's embedding (hex of its little-endian f32s) under `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<String>,
}

/// The most faces a rows record names (a crowd of 300 with room to spare, within [`MAX_LINE`]).
pub const MAX_ROWS_FACES: usize = 600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowsRecord {
    pub photo: String,
    /// Each fixed face's centre (normalized to the displayed photo) and its row: 1-based from
    /// the back, 0 for a photo read left to right. Empty: the rule's rows again.
    pub rows: Vec<[f64; 3]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl FaceRecord {
    /// The state the name implies: confirmed with a login, unreviewed without.
    pub fn implied_state(login: &Option<String>) -> FaceState {
        if login.is_some() {
            FaceState::Confirmed
        } else {
            FaceState::Unreviewed
        }
    }

    /// What a face is in: written, or implied by its name.
    pub fn state(&self) -> FaceState {
        self.state
            .unwrap_or_else(|| Self::implied_state(&self.login))
    }

    /// The state as a record writes it: nothing when the name implies it.
    pub fn written_state(login: &Option<String>, state: FaceState) -> Option<FaceState> {
        (state != Self::implied_state(login)).then_some(state)
    }
}

/// What one line of a log holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Record(Record),
    /// A record this build cannot apply (a newer format or kind): kept whole, reported.
    Newer {
        id: String,
        raw: String,
    },
}

/// Why a line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("a line of {0} bytes, over the {MAX_LINE}-byte limit")]
    TooLong(usize),
    #[error("not a record: {0}")]
    Malformed(String),
    #[error("record {id} claims to be another laptop's (this file is laptop {laptop}'s)")]
    OtherLaptop { id: String, laptop: String },
    #[error("record {id}: {why}")]
    Invalid { id: String, why: String },
}

/// Reads one line of the log of `laptop`.
pub fn parse_line(line: &[u8], laptop: &str) -> Result<Line, RecordError> {
    if line.len() > MAX_LINE {
        return Err(RecordError::TooLong(line.len()));
    }
    let value: Value =
        serde_json::from_slice(line).map_err(|e| RecordError::Malformed(e.to_string()))?;
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| RecordError::Malformed("no id".into()))?
        .to_string();
    match split_id(&id) {
        Some((owner, _)) if owner == laptop => {}
        Some(_) => {
            return Err(RecordError::OtherLaptop {
                id,
                laptop: laptop.to_string(),
            })
        }
        None => {
            return Err(RecordError::Malformed(format!(
                "the id {id:?} is not LAPTOP.SEQ"
            )))
        }
    }
    let version = value.get("v").and_then(Value::as_u64).unwrap_or(1);
    let known_kind = matches!(
        value.get("k").and_then(Value::as_str),
        Some("face" | "reject" | "person" | "avatar" | "rows")
    );
    if version > FORMAT || !known_kind {
        return Ok(Line::Newer {
            id,
            raw: String::from_utf8_lossy(line).into_owned(),
        });
    }
    let record: Record = serde_json::from_value(value).map_err(|e| RecordError::Invalid {
        id: id.clone(),
        why: e.to_string(),
    })?;
    record
        .check()
        .map_err(|why| RecordError::Invalid { id, why })?;
    Ok(Line::Record(record))
}

/// `LAPTOP.SEQ` → (laptop, seq), when it has that form.
pub fn split_id(id: &str) -> Option<(&str, u64)> {
    let (laptop, seq) = id.split_once('.')?;
    (is_laptop_id(laptop) && !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()))
        .then(|| seq.parse().ok().map(|s| (laptop, s)))
        .flatten()
}

/// A laptop's id: 16 lower-case hex digits (a file and folder name no sync engine renames).
pub fn is_laptop_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Record {
    pub fn to_line(&self) -> String {
        // Serializing plain data cannot fail; an empty line would only be skipped.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What this record is about: a face's team id, or an attendee's login key.
    pub fn subject(&self) -> String {
        match &self.body {
            Body::Face(f) => f.face.clone(),
            Body::Reject(r) => format!("{}/reject/{}", r.face, r.login.to_lowercase()),
            Body::Person(p) => format!("person/{}", p.login.to_lowercase()),
            Body::Avatar(a) => format!("avatar/{}", a.login.to_lowercase()),
            Body::Rows(r) => format!("rows/{}", r.photo),
        }
    }

    /// The records about the same subject its author had seen.
    pub fn after(&self) -> &[String] {
        match &self.body {
            Body::Face(f) => &f.after,
            Body::Person(p) => &p.after,
            Body::Rows(r) => &r.after,
            Body::Reject(_) | Body::Avatar(_) => &[],
        }
    }

    fn check(&self) -> Result<(), String> {
        let login = |l: &str| parse_login(l).map(drop).map_err(|e| e.to_string());
        let ids = |after: &[String]| {
            if after.len() > 64 {
                return Err(format!(
                    "names {} earlier records (at most 64)",
                    after.len()
                ));
            }
            match after.iter().find(|a| split_id(a).is_none()) {
                Some(bad) => Err(format!("{bad:?} is not a record id")),
                None => Ok(()),
            }
        };
        match &self.body {
            Body::Face(f) => {
                check_photo_and_face(&f.photo, &f.face, f.region)?;
                f.login.as_deref().map(login).transpose()?;
                ids(&f.after)
            }
            Body::Reject(r) => {
                check_photo_and_face(&r.photo, &r.face, r.region)?;
                login(&r.login)
            }
            Body::Person(p) => {
                login(&p.login)?;
                for text in [&p.name, &p.affiliation].into_iter().flatten() {
                    if text.len() > 400 || text.chars().any(char::is_control) {
                        return Err(
                            "a name or affiliation over 400 bytes or with control characters"
                                .into(),
                        );
                    }
                }
                ids(&p.after)
            }
            Body::Avatar(a) => {
                login(&a.login)?;
                let named = a
                    .file
                    .strip_suffix(".jpg")
                    .is_some_and(|hash| is_hex(hash, 64));
                if !named {
                    return Err(format!("the avatar file {:?} is not SHA256.jpg", a.file));
                }
                if a.embedding.as_ref().is_some_and(|e| !is_hex(e, 1024)) {
                    return Err("the avatar's embedding is not 128 numbers".into());
                }
                if a.model.as_ref().is_some_and(|m| m.len() > 200) {
                    return Err("the avatar's model name is over 200 bytes".into());
                }
                match a.region {
                    Some(r) => check_region(r),
                    None => Ok(()),
                }
            }
            Body::Rows(r) => {
                if !is_hex(&r.photo, 32) {
                    return Err(format!("{:?} is not a photo's content hash", r.photo));
                }
                if r.rows.len() > MAX_ROWS_FACES {
                    return Err(format!(
                        "rows of {} faces (at most {MAX_ROWS_FACES})",
                        r.rows.len()
                    ));
                }
                let bad = r.rows.iter().any(|[x, y, row]| {
                    !(0.0..=1.0).contains(x)
                        || !(0.0..=1.0).contains(y)
                        || !(0.0..=1000.0).contains(row)
                        || row.fract() != 0.0
                });
                if bad {
                    return Err("a face's place or row is outside the photo".into());
                }
                ids(&r.after)
            }
        }
    }
}

fn check_photo_and_face(photo: &str, face: &str, region: [f64; 4]) -> Result<(), String> {
    if !is_hex(photo, 32) {
        return Err(format!("{photo:?} is not a photo's content hash"));
    }
    if split_id(face).is_none() {
        return Err(format!("{face:?} is not a face id"));
    }
    check_region(region)
}

fn check_region(region: [f64; 4]) -> Result<(), String> {
    let [x, y, w, h] = region;
    let inside = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
    if inside(x) && inside(y) && w > 0.0 && h > 0.0 && x + w <= 1.0 + 1e-6 && y + h <= 1.0 + 1e-6 {
        Ok(())
    } else {
        Err(format!("the box {region:?} is not inside the photo"))
    }
}

/// The box of a record as a region.
pub fn region_of(b: [f64; 4]) -> Region {
    Region {
        x: b[0],
        y: b[1],
        w: b[2],
        h: b[3],
    }
}

/// A region as a record writes it (5 decimals: a tenth of a pixel on a 10,000 px photo).
pub fn box_of(r: &Region) -> [f64; 4] {
    let round = |v: f64| (v * 1e5).round() / 1e5;
    [round(r.x), round(r.y), round(r.w), round(r.h)]
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: &str = "0123456789abcdef";

    fn face_line() -> String {
        format!(
            r#"{{"id":"{LAPTOP}.7","at":{{"ms":1,"n":0}},"k":"face","photo":"00112233445566778899aabbccddeeff","face":"{LAPTOP}.3","box":[0.1,0.2,0.05,0.07],"login":"octocat","state":"confirmed","after":["{LAPTOP}.5"]}}"#
        )
    }

    #[test]
    fn a_face_record_reads_back_as_written() {
        let Ok(Line::Record(record)) = parse_line(face_line().as_bytes(), LAPTOP) else {
            panic!("reads")
        };
        assert_eq!(record.subject(), format!("{LAPTOP}.3"));
        assert_eq!(
            parse_line(record.to_line().as_bytes(), LAPTOP),
            Ok(Line::Record(record))
        );
    }

    #[test]
    fn hostile_or_foreign_lines_are_refused_or_kept_apart() {
        let other = "fedcba9876543210";
        assert!(matches!(
            parse_line(face_line().as_bytes(), other),
            Err(RecordError::OtherLaptop { .. })
        ));
        let escape = face_line().replace("octocat", "../../etc");
        assert!(matches!(
            parse_line(escape.as_bytes(), LAPTOP),
            Err(RecordError::Invalid { .. })
        ));
        let outside = face_line().replace("[0.1,0.2,0.05,0.07]", "[0.9,0.2,0.5,0.07]");
        assert!(parse_line(outside.as_bytes(), LAPTOP).is_err());
        let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        assert!(matches!(
            parse_line(deep.as_bytes(), LAPTOP),
            Err(RecordError::Malformed(_))
        ));
        let long = vec![b' '; MAX_LINE + 1];
        assert!(matches!(
            parse_line(&long, LAPTOP),
            Err(RecordError::TooLong(_))
        ));
        let avatar = format!(
            r#"{{"id":"{LAPTOP}.8","at":{{"ms":1,"n":0}},"k":"avatar","login":"octocat","file":"../x.jpg"}}"#
        );
        assert!(parse_line(avatar.as_bytes(), LAPTOP).is_err());
        let newer = face_line().replace(r#""k":"face""#, r#""v":2,"k":"face""#);
        assert!(matches!(
            parse_line(newer.as_bytes(), LAPTOP),
            Ok(Line::Newer { .. })
        ));
        let unknown = face_line().replace(r#""k":"face""#, r#""k":"album""#);
        assert!(matches!(
            parse_line(unknown.as_bytes(), LAPTOP),
            Ok(Line::Newer { .. })
        ));
    }

    #[test]
    fn a_rows_record_reads_back_and_hostile_rows_are_refused() {
        let rows = |rows: &str| {
            format!(
                r#"{{"id":"{LAPTOP}.9","at":{{"ms":1,"n":0}},"k":"rows","photo":"00112233445566778899aabbccddeeff","rows":{rows}}}"#
            )
        };
        let Ok(Line::Record(record)) =
            parse_line(rows("[[0.5,0.25,1],[0.4,0.6,2]]").as_bytes(), LAPTOP)
        else {
            panic!("reads")
        };
        assert_eq!(record.subject(), "rows/00112233445566778899aabbccddeeff");
        assert_eq!(
            parse_line(record.to_line().as_bytes(), LAPTOP),
            Ok(Line::Record(record))
        );
        for bad in [
            "[[1.5,0.2,1]]",
            "[[0.5,0.2,1.5]]",
            "[[0.5,0.2,-1]]",
            "[[0.5,0.2]]",
            "7",
        ] {
            assert!(
                parse_line(rows(bad).as_bytes(), LAPTOP).is_err(),
                "{bad} is refused"
            );
        }
        let many = format!("[{}]", vec!["[0.5,0.5,1]"; MAX_ROWS_FACES + 1].join(","));
        assert!(parse_line(rows(&many).as_bytes(), LAPTOP).is_err());
    }
}
