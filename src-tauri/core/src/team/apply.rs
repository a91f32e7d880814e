//! Teammates' records brought into this library: each face record finds its face here (by the
//! photo's content and the face's team id, else the box that overlaps it, else a new box), and
//! every face, attendee and rejection they touch is set to what all the records about it add
//! up to (`merge`). Changes go through the same operations as a person's decisions
//! (`faces::decide_from_team`, `faces::name_from_team`, `faces::box_from_team`,
//! `faces::rejection_from_team`, `faces::taggable_person`, `people::person_from_team`), so
//! suggestions, groups and consent follow as they do for a local decision, and nothing is
//! recorded again. This file writes nothing itself but the team's own bookkeeping (links
//! between team ids and faces, record states).

use std::collections::BTreeSet;

use super::merge::{self, Known};
use super::TeamError;
use crate::catalog::{CatalogError, FaceSource, RecordStatus, StoredRecord, Writer};
use crate::faces::{
    box_from_team, decide_from_team, name_from_team, rejection_from_team, taggable_person,
    FaceDecision, TagError, TeamNaming,
};
use crate::journal::{parse_line, region_of, split_id, Body, Line, Record};
use crate::region::Region;

/// A box of a teammate's this much like one here is the same face.
const SAME_FACE_IOU: f64 = 0.5;

/// Where records are applied: the team folder (for teammates' avatar pictures) and the
/// library's folder.
pub struct Here<'a> {
    pub folder: &'a super::TeamFolder,
    pub library: &'a std::path::Path,
}

/// What applying a batch of records touched.
#[derive(Default)]
pub struct Touched {
    /// Records that could not be used, with why: (file, reason).
    pub problems: Vec<(String, String)>,
    faces: BTreeSet<(i64, i64)>,
    people: BTreeSet<String>,
    rejections: BTreeSet<(i64, i64, String)>,
    /// Photos whose rows a record fixed or gave back to the rule.
    rows: BTreeSet<(i64, String)>,
    /// Records about photos this library does not have.
    pub waiting: u64,
    /// Records applied.
    pub applied: u64,
}

impl Touched {
    /// Faces to settle again whatever arrived (an attendee may be tagged again here).
    pub fn settle_again(&mut self, faces: Vec<(i64, i64)>) {
        self.faces.extend(faces);
    }
}

/// Places each record: face records on their face here (or waiting for the photo), and
/// notes what must be settled.
pub fn place(
    w: &Writer<'_>,
    here: &Here<'_>,
    records: &[(StoredRecord, Record)],
    touched: &mut Touched,
) -> Result<(), TeamError> {
    let mut photos = Photos::default();
    for (stored, record) in records {
        if waits_for_faces(w, &mut photos, record)? {
            touched.waiting += 1;
            if stored.status != RecordStatus::Waiting {
                w.set_team_record_status(&stored.id, RecordStatus::Waiting)?;
            }
            continue;
        }
        let placed = match &record.body {
            Body::Face(f) => {
                let seen = Seen {
                    uid: &f.face,
                    region: region_of(f.region),
                    drawn: f.drawn,
                };
                face_here(w, &mut photos, &f.photo, &seen, !f.deleted)?.map(|(photo, face)| {
                    touched.faces.insert((photo, face));
                })
            }
            Body::Reject(r) => {
                let seen = Seen {
                    uid: &r.face,
                    region: region_of(r.region),
                    drawn: false,
                };
                face_here(w, &mut photos, &r.photo, &seen, false)?.map(|(photo, face)| {
                    touched.rejections.insert((photo, face, r.login.clone()));
                })
            }
            Body::Person(_) => {
                touched.people.insert(record.subject());
                Some(())
            }
            Body::Rows(r) => photos.id(w, &r.photo)?.map(|photo| {
                touched.rows.insert((photo, record.subject()));
            }),
            Body::Avatar(a) => match avatar_here(w, here, stored, record, a, touched)? {
                // The picture has not arrived yet: this record waits for it.
                AvatarHere::Waiting => {
                    touched.waiting += 1;
                    if stored.status != RecordStatus::Waiting {
                        w.set_team_record_status(&stored.id, RecordStatus::Waiting)?;
                    }
                    continue;
                }
                AvatarHere::Done => Some(()),
            },
        };
        let status = match placed {
            Some(()) => {
                touched.applied += 1;
                RecordStatus::Applied
            }
            None if photos.id(w, photo_of(record))?.is_none() => {
                touched.waiting += 1;
                RecordStatus::Waiting
            }
            // About a box deleted before this library ever had it: nothing to do.
            None => {
                touched.applied += 1;
                RecordStatus::Applied
            }
        };
        if status != stored.status {
            w.set_team_record_status(&stored.id, status)?;
        }
    }
    Ok(())
}

/// Whether a record about a detector's box waits for the face search: the photo is here but has
/// not been searched yet, so the box it is about does not exist here yet (made by hand now, it
/// would double the detector's box later).
fn waits_for_faces(
    w: &Writer<'_>,
    photos: &mut Photos,
    record: &Record,
) -> Result<bool, CatalogError> {
    let uid = match &record.body {
        Body::Face(f) if !f.drawn => Some(&f.face),
        Body::Reject(r) => Some(&r.face),
        // Rows are read on the faces the search finds.
        Body::Rows(_) => None,
        _ => return Ok(false),
    };
    let Some(photo) = photos.id(w, photo_of(record))? else {
        return Ok(false);
    };
    if let Some(uid) = uid {
        if w.face_of_team_uid(uid)?.is_some() {
            return Ok(false);
        }
    }
    Ok(!w.photo_searched(photo)?)
}

enum AvatarHere {
    Done,
    Waiting,
}

/// The largest avatar picture read from a teammate's folder (a kept one is ~50 KB).
const MAX_AVATAR_BYTES: u64 = 4 * 1024 * 1024;

/// Keeps a teammate's avatar here when it is the latest for its attendee, they may be tagged,
/// and this library does not already hold that picture. A picture that is missing waits; one
/// that is too large, not what its name says, or not an image is one problem, reported once.
fn avatar_here(
    w: &Writer<'_>,
    here: &Here<'_>,
    stored: &StoredRecord,
    record: &Record,
    a: &crate::journal::AvatarRecord,
    touched: &mut Touched,
) -> Result<AvatarHere, TeamError> {
    use sha2::{Digest, Sha256};
    let latest = known_about(w, &[record.subject()])?
        .into_iter()
        .map(|k| k.record)
        .max_by(crate::journal::later);
    if latest.is_some_and(|l| l.id != record.id) {
        return Ok(AvatarHere::Done);
    }
    let person = match taggable_person(w, &a.login) {
        Ok(id) => id,
        // No avatar suggests an attendee who may not be tagged.
        Err(TagError::NoTag(_)) => return Ok(AvatarHere::Done),
        Err(e) => return Err(e.into()),
    };
    let sha = a.file.trim_end_matches(".jpg").to_string();
    if w.avatar_hash(person)?.as_deref() == Some(sha.as_str()) {
        return Ok(AvatarHere::Done);
    }
    let path = here.folder.avatar(&stored.laptop, &a.file);
    let name = format!("{}/avatars/{}", stored.laptop, a.file);
    let size = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(_) => return Ok(AvatarHere::Waiting),
    };
    let mut problem = |why: String| {
        touched.problems.push((name.clone(), why));
        Ok(AvatarHere::Done)
    };
    if size > MAX_AVATAR_BYTES {
        return problem(format!("{size} bytes: not an avatar (at most 4 MB)"));
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return problem(format!("cannot read it: {e}")),
    };
    if format!("{:x}", Sha256::digest(&bytes)) != sha {
        return problem("its content is not what its name (its sha256) says".into());
    }
    let hex = |s: &str| -> Option<Vec<u8>> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect()
    };
    let shared = crate::avatars::SharedAvatar {
        sha256: sha,
        source: a.source,
        face: a.face,
        region: a.region.map(region_of),
        embedding: a.model.clone().zip(a.embedding.as_deref().and_then(hex)),
    };
    match crate::avatars::keep_from_team(w, here.library, person, &bytes, shared)? {
        Ok(()) => Ok(AvatarHere::Done),
        Err(e) => problem(e.to_string()),
    }
}

/// Photos looked up by their key, once per batch.
#[derive(Default)]
struct Photos(std::collections::HashMap<String, Option<i64>>);

impl Photos {
    fn id(&mut self, w: &Writer<'_>, key: &str) -> Result<Option<i64>, CatalogError> {
        if let Some(id) = self.0.get(key) {
            return Ok(*id);
        }
        let id = w.photo_by_hash_prefix(key)?;
        self.0.insert(key.to_string(), id);
        Ok(id)
    }
}

fn photo_of(record: &Record) -> &str {
    match &record.body {
        Body::Face(f) => &f.photo,
        Body::Reject(r) => &r.photo,
        Body::Rows(r) => &r.photo,
        _ => "",
    }
}

/// A face as a teammate's record knows it.
struct Seen<'a> {
    uid: &'a str,
    region: Region,
    /// A box a person drew: known by its id alone.
    drawn: bool,
}

/// The face a record is about here: the one its team id names; else, for a detector's box,
/// the box here overlapping it (a teammate's detector may draw it a few pixels apart); else
/// (`make`) a new box. `None` when this library lacks the photo, or has no such face and none
/// is to be made.
fn face_here(
    w: &Writer<'_>,
    photos: &mut Photos,
    photo: &str,
    seen: &Seen<'_>,
    make: bool,
) -> Result<Option<(i64, i64)>, TeamError> {
    let Some(photo_id) = photos.id(w, photo)? else {
        return Ok(None);
    };
    if let Some(face) = w.face_of_team_uid(seen.uid)? {
        if w.face_known(face)? {
            return Ok(Some((photo_id, face)));
        }
    }
    let matched = if seen.drawn {
        None
    } else {
        same_face(w, photo_id, seen)?
    };
    let face = match matched {
        Some(face) => face,
        None if make => box_from_team(w, photo_id, seen.region)?,
        None => return Ok(None),
    };
    w.link_team_uid(seen.uid, face, seen.drawn)?;
    Ok(Some((photo_id, face)))
}

/// The box here that a teammate's detector box is: a box here overlapping it that is no drawn
/// box and not already a face of the same laptop (that laptop had them as two faces). Of
/// several, the one with the oldest team id (the order every laptop reads records in), then the
/// one overlapping most, so every laptop picks the same.
fn same_face(w: &Writer<'_>, photo_id: i64, seen: &Seen<'_>) -> Result<Option<i64>, TeamError> {
    let laptop = split_id(seen.uid).map(|(l, _)| l).unwrap_or_default();
    let links = w.team_links_of_photo(photo_id)?;
    let mut candidates = Vec::new();
    for face in w.face_briefs(photo_id)? {
        let iou = face.region.iou(&seen.region);
        if iou < SAME_FACE_IOU {
            continue;
        }
        let mine: Vec<&(i64, String, bool)> = links.iter().filter(|l| l.0 == face.id).collect();
        let drawn = match mine.first() {
            Some((_, _, drawn)) => *drawn,
            None => face.source == FaceSource::Manual && !face.scored,
        };
        let ids: Vec<(String, u64)> = mine
            .iter()
            .filter_map(|(_, u, _)| split_id(u).map(|(l, s)| (l.to_string(), s)))
            .collect();
        if drawn || ids.iter().any(|(l, _)| l == laptop) {
            continue;
        }
        candidates.push((ids.into_iter().min(), iou, face.id));
    }
    candidates.sort_by(|a, b| {
        let order = |o: &Option<(String, u64)>| (o.is_none(), o.clone());
        order(&a.0)
            .cmp(&order(&b.0))
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
    });
    Ok(candidates.first().map(|c| c.2))
}

/// Sets every touched face, attendee and rejection to what its records add up to.
pub fn settle(w: &Writer<'_>, touched: &Touched) -> Result<(), TeamError> {
    let mut faces = touched.faces.clone();
    for subject in &touched.people {
        faces.extend(settle_person(w, subject)?);
    }
    // Names and states change in one batch, so suggestions and groups catch up once.
    let mut consent = Consent::default();
    let mut namings = Vec::new();
    let mut settled = Vec::new();
    for (photo, face) in &faces {
        if let Some(mut s) = settle_face(w, &mut consent, *photo, *face)? {
            if let Some(naming) = s.naming.take() {
                namings.push(naming);
            }
            settled.push((*photo, *face, s));
        }
    }
    name_from_team(w, &namings)?;
    for (_, face, s) in settled {
        // A name refused by consent here is no decision of this laptop's: the face is as the
        // consent's author made it, on every laptop alike.
        let (by, at) = match &s.refused {
            Some(consent) => (consent.by.as_str(), consent.at_ms),
            None => (s.by.as_str(), s.at_ms),
        };
        w.set_team_face_state(face, Some(by), Some(at), s.conflict.as_deref())?;
    }
    for (photo, face, login) in &touched.rejections {
        settle_rejection(w, *photo, *face, login)?;
    }
    for (photo, subject) in &touched.rows {
        settle_rows(w, *photo, subject)?;
    }
    Ok(())
}

/// Fixes a photo's rows as the latest record about them says (the latest wins: rows are a
/// reading of the photo, not who someone is, so concurrent fixes are no conflict to pick).
fn settle_rows(w: &Writer<'_>, photo_id: i64, subject: &str) -> Result<(), TeamError> {
    let latest = known_about(w, &[subject.to_string()])?
        .into_iter()
        .map(|k| k.record)
        .max_by(crate::journal::later);
    let Some(Body::Rows(r)) = latest.map(|l| l.body) else {
        return Ok(());
    };
    let faces = w.faces(photo_id)?;
    let rows = crate::faces::rows_from_team(&faces, &r.rows);
    let changed = rows
        .iter()
        .any(|h| faces.iter().any(|f| f.id == h.face && f.row_fix != h.row));
    if let (true, Some(first)) = (changed, rows.first()) {
        let decision = FaceDecision::SetRows {
            face: first.face,
            rows,
        };
        decide_from_team(w, &[(photo_id, decision)])?;
    }
    Ok(())
}

/// The records kept about these subjects, with who made each (never one a teammate's files
/// give two contents for).
pub(super) fn known_about(w: &Writer<'_>, subjects: &[String]) -> Result<Vec<Known>, CatalogError> {
    Ok(w.team_records_about(subjects)?
        .into_iter()
        .filter(|s| s.status != RecordStatus::Newer)
        .filter_map(|s| match parse_line(s.body.as_bytes(), &s.laptop) {
            Ok(Line::Record(record)) => Some(Known { record, by: s.by }),
            _ => None,
        })
        .collect())
}

/// A consent that refuses a tag, and who gave it.
#[derive(Clone)]
struct Refusal {
    by: String,
    at_ms: u64,
}

/// Who may be tagged, looked up once per login in a batch.
#[derive(Default)]
struct Consent(std::collections::HashMap<String, Option<Refusal>>);

impl Consent {
    fn refuses(&mut self, w: &Writer<'_>, login: &str) -> Result<bool, CatalogError> {
        Ok(self.refusal(w, login)?.is_some())
    }

    /// The consent refusing `login` a tag, with its author (from its records; this laptop's
    /// user for a consent no record carries).
    fn refusal(&mut self, w: &Writer<'_>, login: &str) -> Result<Option<Refusal>, CatalogError> {
        let key = login.to_lowercase();
        if let Some(refused) = self.0.get(&key) {
            return Ok(refused.clone());
        }
        let refused = match w.person(login)? {
            Some(p) if !p.consent.may_tag() => {
                let subject = format!("person/{key}");
                Some(match merge::person(&known_about(w, &[subject])?) {
                    Some(o) => Refusal {
                        by: o.by,
                        at_ms: o.at_ms,
                    },
                    None => Refusal {
                        by: w.team()?.map(|t| t.me).unwrap_or_default(),
                        at_ms: crate::journal::now_ms(),
                    },
                })
            }
            _ => None,
        };
        self.0.insert(key, refused.clone());
        Ok(refused)
    }
}

/// What is left to do for a face once its box is where and as its records say.
struct Settled {
    /// Its name and state, when they change.
    naming: Option<TeamNaming>,
    /// Its name was refused by consent here, which that consent's author decided.
    refused: Option<Refusal>,
    by: String,
    at_ms: u64,
    conflict: Option<Vec<crate::catalog::Claim>>,
}

/// Puts a face's box where its records say (deleted, restored, moved: rare, done at once) and
/// says what its name and state become.
fn settle_face(
    w: &Writer<'_>,
    consent: &mut Consent,
    photo_id: i64,
    face_id: i64,
) -> Result<Option<Settled>, TeamError> {
    let uids = w.team_uids_of_face(face_id)?;
    let Some(outcome) = merge::face(&known_about(w, &uids)?) else {
        return Ok(None);
    };
    let decide = |d: FaceDecision| decide_from_team(w, &[(photo_id, d)]).map(drop);
    let current = w.face_brief(face_id)?;
    let mut naming = None;
    let mut refused = None;
    if outcome.deleted {
        if current.is_some() {
            decide(FaceDecision::Delete { face: face_id })?;
        }
    } else {
        if current.is_none() {
            decide(FaceDecision::Restore { face: face_id })?;
        }
        let Some(now) = w.face_brief(face_id)? else {
            return Ok(None);
        };
        if outcome.placed && moved(&now.region, &outcome.region) {
            decide(FaceDecision::Move {
                face: face_id,
                region: outcome.region,
            })?;
        }
        // Consent wins over a name a record gives: a no-tag attendee is named nowhere.
        refused = match outcome.login.as_deref() {
            Some(login) => consent.refusal(w, login)?,
            None => None,
        };
        let login = if refused.is_some() {
            None
        } else {
            outcome.login.clone()
        };
        let state = match (&login, outcome.state) {
            (None, crate::catalog::FaceState::Confirmed) => crate::catalog::FaceState::Unreviewed,
            (_, state) => state,
        };
        let same_login = match (&now.login, &login) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (None, None) => true,
            _ => false,
        };
        if !same_login || now.state != state {
            naming = Some(TeamNaming {
                photo: photo_id,
                face: face_id,
                login,
                state,
                before: now.login,
            });
        }
    }
    // A conflict names nobody who asked not to be tagged.
    let mut claims = Vec::new();
    for claim in outcome.conflict.iter().flatten() {
        if !consent.refuses(w, &claim.login)? {
            claims.push(claim.clone());
        }
    }
    Ok(Some(Settled {
        naming,
        refused,
        by: outcome.by,
        at_ms: outcome.at_ms,
        conflict: (claims.len() > 1).then_some(claims),
    }))
}

/// Whether a box moved by more than a rounding of the records' five decimals.
fn moved(a: &Region, b: &Region) -> bool {
    [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)]
        .iter()
        .any(|(p, q)| (p - q).abs() > 2e-5)
}

/// Sets an attendee as their records say. A consent that now refuses a tag takes their login
/// off the faces here, each credited to whoever gave that consent (nothing recorded: every
/// laptop does the same); one that allows it again gives back the names their faces' records
/// give them. The faces to settle again for that.
fn settle_person(w: &Writer<'_>, subject: &str) -> Result<Vec<(i64, i64)>, TeamError> {
    let Some(o) = merge::person(&known_about(w, &[subject.to_string()])?) else {
        return Ok(Vec::new());
    };
    let before = w.person(&o.login)?;
    let same = before.as_ref().is_some_and(|p| {
        p.name == o.name
            && p.affiliation == o.affiliation
            && p.consent == o.consent
            && p.asked == o.asked
    });
    if same {
        return Ok(Vec::new());
    }
    let untagged = crate::people::person_from_team(
        w,
        &o.login,
        o.name.as_deref(),
        o.affiliation.as_deref(),
        crate::people::Privacy {
            consent: o.consent,
            asked: o.asked,
        },
    )?;
    for (_, face) in &untagged {
        w.set_team_face_state(*face, Some(&o.by), Some(o.at_ms), None)?;
    }
    let allowed_again = before.is_some_and(|p| !p.consent.may_tag()) && o.consent.may_tag();
    Ok(if allowed_again {
        w.team_faces_named(&o.login)?
    } else {
        Vec::new()
    })
}

fn settle_rejection(
    w: &Writer<'_>,
    photo_id: i64,
    face_id: i64,
    login: &str,
) -> Result<(), TeamError> {
    let subjects: Vec<String> = w
        .team_uids_of_face(face_id)?
        .iter()
        .map(|uid| format!("{uid}/reject/{}", login.to_lowercase()))
        .collect();
    let Some(rejected) = merge::rejected(&known_about(w, &subjects)?) else {
        return Ok(());
    };
    let Some(person) = w.person(login)? else {
        return Ok(());
    };
    rejection_from_team(w, photo_id, face_id, person.id, rejected)?;
    Ok(())
}
