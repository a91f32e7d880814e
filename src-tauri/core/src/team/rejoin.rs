//! What this library tells the team when it joins: everything, the first time; after a leave,
//! only what changed here while it was away. A face or attendee whose records (this laptop's
//! and its teammates', kept across the leave) already add up to what the library holds is not
//! written again (nor a photo's rows fixed by hand), so no face is doubled, no `by` rewritten and no conflict made by a rejoin.

use super::merge;
use crate::catalog::{CatalogError, Writer};
use crate::journal;

/// Records, in the join's transaction, every attendee and face the records do not already say.
pub fn publish_changes(w: &Writer<'_>) -> Result<u64, CatalogError> {
    let mut written = 0;
    for login in w.people_logins()? {
        if person_changed(w, &login)? {
            journal::person_changed(w, &login)?;
            written += 1;
        }
    }
    let mut faces = w.decided_faces()?;
    faces.extend(w.team_linked_faces()?);
    faces.sort_unstable();
    faces.dedup();
    for (photo, face) in faces {
        if face_changed(w, face)? {
            journal::face_decided(w, photo, face)?;
            written += 1;
        }
    }
    for photo in w.photos_with_row_fix()? {
        if rows_changed(w, photo)? {
            journal::rows_decided(w, photo)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Whether the rows fixed here are not what the latest record about them gives this photo.
fn rows_changed(w: &Writer<'_>, photo: i64) -> Result<bool, CatalogError> {
    let Some(hash) = w.photo_hash(photo)? else {
        return Ok(false);
    };
    let subject = format!("rows/{}", journal::photo_key(&hash));
    let latest = super::apply::known_about(w, &[subject])?
        .into_iter()
        .map(|k| k.record)
        .max_by(journal::later);
    let Some(journal::Body::Rows(r)) = latest.map(|l| l.body) else {
        return Ok(true);
    };
    let faces = w.faces(photo)?;
    let given = crate::faces::rows_from_team(&faces, &r.rows);
    Ok(given
        .iter()
        .any(|h| faces.iter().any(|f| f.id == h.face && f.row_fix != h.row)))
}

fn person_changed(w: &Writer<'_>, login: &str) -> Result<bool, CatalogError> {
    let subject = format!("person/{}", login.to_lowercase());
    let Some(o) = merge::person(&super::apply::known_about(w, &[subject])?) else {
        return Ok(true);
    };
    Ok(w.person(login)?.is_none_or(|p| {
        p.name != o.name
            || p.affiliation != o.affiliation
            || p.consent != o.consent
            || p.asked != o.asked
    }))
}

fn face_changed(w: &Writer<'_>, face: i64) -> Result<bool, CatalogError> {
    let uids = w.team_uids_of_face(face)?;
    if uids.is_empty() {
        return Ok(true);
    }
    let Some(o) = merge::face(&super::apply::known_about(w, &uids)?) else {
        return Ok(true);
    };
    let Some(now) = w.face_brief(face)? else {
        // Deleted here: a change unless the team has it deleted too.
        return Ok(!o.deleted);
    };
    if o.deleted {
        return Ok(true);
    }
    let same_login = match (&now.login, &o.login) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    };
    let moved = o.placed
        && [
            (now.region.x, o.region.x),
            (now.region.y, o.region.y),
            (now.region.w, o.region.w),
            (now.region.h, o.region.h),
        ]
        .iter()
        .any(|(a, b)| (a - b).abs() > 2e-5);
    Ok(!same_login || now.state != o.state || moved)
}
