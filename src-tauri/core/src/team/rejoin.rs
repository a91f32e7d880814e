//! What this library tells the team when it joins: everything, the first time; after a leave,
//! only what changed here while it was away. A face or attendee whose records (this laptop's
//! and its teammates', kept across the leave) already add up to what the library holds is not
//! written again, so no face is doubled, no `by` rewritten and no conflict made by a rejoin.

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
    Ok(written)
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
