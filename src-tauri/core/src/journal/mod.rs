//! What people decide, kept for the team: in the transaction of every decision (a face tagged,
//! untagged, marked, drawn, moved or deleted; a suggestion rejected; an attendee edited), a
//! record of what the face or attendee is now is added to the library's outbox, stamped by the
//! team clock and naming the records about the same thing its author had seen. The `team`
//! module writes the outbox to this laptop's file in the team folder and reads the others'.
//! Nothing is recorded while the library is in no team.
//!
//! Imports only the catalog and the plain values below it, so `faces` and `people` can record
//! without knowing the team.

mod clock;
mod record;

pub use clock::{now_ms, Stamp};
pub use record::{
    box_of, is_laptop_id, parse_line, region_of, split_id, AvatarRecord, Body, FaceRecord, Line,
    PersonRecord, Record, RecordError, RejectRecord, RowsRecord, FORMAT, MAX_LINE, MAX_ROWS_FACES,
};

use std::collections::HashSet;

use crate::catalog::{
    AvatarFace, AvatarSource, CatalogError, FaceSource, RecordStatus, StoredRecord, TeamRow, Writer,
};

/// The first 32 hex digits of a photo's content hash: how teammates name a photo.
pub fn photo_key(hash: &str) -> String {
    hash.chars().take(32).collect()
}

/// Of `records` about one thing, those no other of them names as seen: the latest decisions
/// of each line of changes. Two heads are decisions made without seeing each other.
pub fn heads(records: &[Record]) -> Vec<&Record> {
    let seen: HashSet<&str> = records
        .iter()
        .flat_map(|r| r.after().iter().map(String::as_str))
        .collect();
    let mut heads: Vec<&Record> = records
        .iter()
        .filter(|r| !seen.contains(r.id.as_str()))
        .collect();
    heads.sort_by(|a, b| later(b, a));
    heads.dedup_by(|a, b| a.id == b.id);
    heads
}

/// The order in which decisions win: the team clock, then the laptop's id, the same on every
/// laptop.
pub fn later(a: &Record, b: &Record) -> std::cmp::Ordering {
    a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
}

/// The records kept about these subjects, read back.
pub fn records_about(w: &Writer<'_>, subjects: &[String]) -> Result<Vec<Record>, CatalogError> {
    Ok(w.team_records_about(subjects)?
        .iter()
        .filter_map(
            |stored| match parse_line(stored.body.as_bytes(), &stored.laptop) {
                Ok(Line::Record(r)) => Some(r),
                _ => None,
            },
        )
        .collect())
}

/// Records, for the team, the state `face_id` of `photo_id` is left in by a decision made here
/// (gone, when it was deleted).
pub fn face_decided(w: &Writer<'_>, photo_id: i64, face_id: i64) -> Result<(), CatalogError> {
    let Some(team) = w.team()? else {
        return Ok(());
    };
    let Some(hash) = w.photo_hash(photo_id)? else {
        return Ok(());
    };
    let (region, source, scored, login, state, deleted) = match w.face(photo_id, face_id)? {
        Some(f) => (
            f.region(),
            f.source,
            f.score.is_some(),
            f.login,
            f.state,
            false,
        ),
        None => match w.deleted_face(face_id)? {
            Some((region, source, state)) => (region, source, false, None, state, true),
            None => return Ok(()),
        },
    };
    let links = w.team_links_of_face(face_id)?;
    let uids: Vec<String> = links.iter().map(|(uid, _)| uid.clone()).collect();
    let after = head_ids(w, &uids)?;
    let (id, at) = tick(w, &team)?;
    // A box a person drew is known by its id; once the team knows a face, it stays what the
    // team first knew it as.
    let drawn = match links.first() {
        Some((_, drawn)) => *drawn,
        None => source == FaceSource::Manual && !scored,
    };
    let face = match links.first() {
        Some((uid, _)) => uid.clone(),
        None => {
            w.link_team_uid(&id, face_id, drawn)?;
            id.clone()
        }
    };
    let record = Record {
        id,
        at,
        body: Body::Face(FaceRecord {
            photo: photo_key(&hash),
            face,
            region: box_of(&region),
            drawn,
            placed: source == FaceSource::Manual,
            state: FaceRecord::written_state(&login, state),
            login,
            deleted,
            after,
        }),
    };
    keep(w, &team, &record)?;
    // A decision made here, having seen every name it was given, settles any conflict.
    w.set_team_face_state(face_id, Some(&team.me), Some(at.ms), None)
}

/// Records that a person said face `face_id` is not `login` (or, `rejected` false, took it
/// back).
pub fn rejection(
    w: &Writer<'_>,
    photo_id: i64,
    face_id: i64,
    login: &str,
    rejected: bool,
) -> Result<(), CatalogError> {
    let Some(team) = w.team()? else {
        return Ok(());
    };
    let (Some(hash), Some(face)) = (w.photo_hash(photo_id)?, w.face(photo_id, face_id)?) else {
        return Ok(());
    };
    let links = w.team_links_of_face(face_id)?;
    let (id, at) = tick(w, &team)?;
    let uid = match links.first() {
        Some((uid, _)) => uid.clone(),
        None => {
            let drawn = face.source == FaceSource::Manual && face.score.is_none();
            w.link_team_uid(&id, face_id, drawn)?;
            id.clone()
        }
    };
    let record = Record {
        id,
        at,
        body: Body::Reject(RejectRecord {
            photo: photo_key(&hash),
            face: uid,
            region: box_of(&face.region()),
            login: login.to_string(),
            rejected,
        }),
    };
    keep(w, &team, &record)
}

/// An attendee may be tagged again here: the faces the team's records name them on are settled
/// again at the next sync, as every laptop does when this consent reaches it (their names come
/// back where the records give them).
pub fn tags_allowed_again(w: &Writer<'_>, person_id: i64) -> Result<(), CatalogError> {
    if w.team()?.is_none() {
        return Ok(());
    }
    w.team_settle_again_named(person_id)
}

/// Records, for the team, the rows of `photo_id` as a person here left them: each fixed face's
/// centre and row (none: the rule's rows).
pub fn rows_decided(w: &Writer<'_>, photo_id: i64) -> Result<(), CatalogError> {
    let Some(team) = w.team()? else {
        return Ok(());
    };
    let Some(hash) = w.photo_hash(photo_id)? else {
        return Ok(());
    };
    let photo = photo_key(&hash);
    let mut rows: Vec<[f64; 3]> = w
        .faces(photo_id)?
        .iter()
        .filter(|f| !f.state.is_hidden())
        .filter_map(|f| {
            let row = f.row_fix?;
            let round = |v: f64| (v * 1e5).round() / 1e5;
            Some([
                round(f.x + f.w / 2.0),
                round(f.y + f.h / 2.0),
                f64::from(row),
            ])
        })
        .collect();
    rows.truncate(MAX_ROWS_FACES);
    let subject = format!("rows/{photo}");
    let after = head_ids(w, &[subject])?;
    let (id, at) = tick(w, &team)?;
    let record = Record {
        id,
        at,
        body: Body::Rows(RowsRecord { photo, rows, after }),
    };
    keep(w, &team, &record)
}

/// Records an attendee as they are after a change made here (added, edited, imported).
pub fn person_changed(w: &Writer<'_>, login: &str) -> Result<(), CatalogError> {
    let Some(team) = w.team()? else {
        return Ok(());
    };
    let Some(person) = w.person(login)? else {
        return Ok(());
    };
    let subject = format!("person/{}", person.login.to_lowercase());
    let after = head_ids(w, &[subject])?;
    let (id, at) = tick(w, &team)?;
    let record = Record {
        id,
        at,
        body: Body::Person(PersonRecord {
            login: person.login,
            name: person.name,
            affiliation: person.affiliation,
            consent: person.consent,
            asked: person.asked,
            after,
        }),
    };
    keep(w, &team, &record)
}

/// Records an attendee the team has no record of yet (one added by tagging a face with a login
/// not in the roster), so every laptop's roster holds them.
pub fn person_known(w: &Writer<'_>, login: &str) -> Result<(), CatalogError> {
    if w.team()?.is_none() {
        return Ok(());
    }
    let subject = format!("person/{}", login.to_lowercase());
    if w.team_records_about(&[subject])?.is_empty() {
        person_changed(w, login)?;
    }
    Ok(())
}

/// An avatar as this laptop kept it: what a teammate needs to use it without models.
pub struct KeptAvatar<'a> {
    pub login: &'a str,
    /// sha256 of the kept JPEG: the name of its copy in the team folder.
    pub sha256: String,
    pub source: AvatarSource,
    pub face: AvatarFace,
    pub region: Option<crate::region::Region>,
    /// (model version, embedding bytes) of its one face.
    pub embedding: Option<(String, Vec<u8>)>,
}

/// Records an avatar kept here; `team::flush` copies its picture to this laptop's folder of
/// the team folder before it writes the record.
pub fn avatar_kept(w: &Writer<'_>, kept: &KeptAvatar<'_>) -> Result<(), CatalogError> {
    let Some(team) = w.team()? else {
        return Ok(());
    };
    let (id, at) = tick(w, &team)?;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let record = Record {
        id,
        at,
        body: Body::Avatar(AvatarRecord {
            login: kept.login.to_string(),
            file: format!("{}.jpg", kept.sha256),
            source: kept.source,
            face: kept.face,
            region: kept.region.as_ref().map(box_of),
            model: kept.embedding.as_ref().map(|(m, _)| m.clone()),
            embedding: kept.embedding.as_ref().map(|(_, v)| hex(v)),
        }),
    };
    keep(w, &team, &record)
}

fn head_ids(w: &Writer<'_>, subjects: &[String]) -> Result<Vec<String>, CatalogError> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    let records = records_about(w, subjects)?;
    Ok(heads(&records).into_iter().map(|r| r.id.clone()).collect())
}

/// The next record id and stamp of this laptop.
fn tick(w: &Writer<'_>, team: &TeamRow) -> Result<(String, Stamp), CatalogError> {
    // The row read at the start of the transaction may be stale after an earlier tick in it.
    let current = w.team()?.unwrap_or_else(|| team.clone());
    let last = Stamp {
        ms: current.clock_ms,
        n: current.clock_n,
    };
    let at = Stamp::next(last, now_ms());
    let seq = current.next_seq.max(1);
    w.set_team_clock(seq + 1, at.ms, at.n)?;
    Ok((format!("{}.{}", current.laptop, seq), at))
}

/// Puts a record made here in the outbox.
fn keep(w: &Writer<'_>, team: &TeamRow, record: &Record) -> Result<(), CatalogError> {
    let (laptop, seq) = split_id(&record.id).unwrap_or((&team.laptop, 0));
    let photo = match &record.body {
        Body::Face(f) => Some(f.photo.clone()),
        Body::Reject(r) => Some(r.photo.clone()),
        Body::Rows(r) => Some(r.photo.clone()),
        _ => None,
    };
    w.insert_team_record(&StoredRecord {
        id: record.id.clone(),
        laptop: laptop.to_string(),
        seq,
        at_ms: record.at.ms,
        at_n: record.at.n,
        by: team.me.clone(),
        kind: kind(&record.body).to_string(),
        subject: record.subject(),
        photo,
        body: record.to_line(),
        status: RecordStatus::Outbox,
    })?;
    Ok(())
}

pub fn kind(body: &Body) -> &'static str {
    match body {
        Body::Face(_) => "face",
        Body::Reject(_) => "reject",
        Body::Person(_) => "person",
        Body::Avatar(_) => "avatar",
        Body::Rows(_) => "rows",
    }
}
