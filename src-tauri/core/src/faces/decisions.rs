//! What a person decides about a face: who it is, that it is no face, to ignore it, to draw,
//! move, delete or restore a box. One operation, [`decide`], applies any of them in one
//! transaction and returns what changed together with the decision that takes it back, so
//! undo and redo are one call each and a deleted box comes back with the same id.
//!
//! The rules live here, not in the window: a `no-tag` attendee is never put on a face; a login
//! not in the roster is validated and added; deleting a detector's box marks it "not a face"
//! (so a later search keeps it out) instead of removing it.

use serde::{Deserialize, Serialize};

use super::rows_by_hand::{rows_after, HandRow, RowChange};
use super::who_is_who::reading_order;
use crate::catalog::{Catalog, CatalogError, Face, FaceSource, FaceState, NewFace, Writer};
use crate::journal;
use crate::login::{parse_login, LoginError};
use crate::region::Region;
use crate::suggestions;

#[derive(Debug, thiserror::Error)]
pub enum TagError {
    #[error("photo {photo} has no face {face}")]
    NoSuchFace { photo: i64, face: i64 },
    #[error("photo {photo} has no deleted face {face} to bring back")]
    NothingToRestore { photo: i64, face: i64 },
    #[error("face {0} has no login to confirm; tag it instead")]
    NothingToConfirm(i64),
    #[error("face {0} has no suggestion to accept or reject")]
    NoSuggestion(i64),
    #[error("there is no group {0} of faces waiting for a name (see `whoiswho faces groups`)")]
    NoSuchGroup(i64),
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error("@{0} asked not to be tagged (consent: no-tag)")]
    NoTag(String),
    #[error("the box {0:?} is not inside the photo (x, y, w, h are fractions 0..1 of the displayed photo)")]
    BadBox(Region),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// A decision about one face of a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaceDecision {
    /// Puts a login on the face, confirmed.
    Tag { face: i64, login: String },
    /// Takes the login off; the face waits for one again.
    Untag { face: i64 },
    /// Keeps the face's login and marks it reviewed.
    Confirm { face: i64 },
    /// Makes the face's suggestion its login, confirmed.
    Accept { face: i64 },
    /// Says the face is not the person suggested; that person is never suggested for it again.
    Reject { face: i64 },
    /// Takes back a rejection (what undoing a reject does).
    Reconsider { face: i64, login: String },
    /// The box is not a face: hidden, and a later search keeps it out.
    NotAFace { face: i64 },
    /// A real face nobody needs to name (a stranger in the background): hidden.
    Ignore { face: i64 },
    /// Removes the box. A detector's box is marked "not a face" instead.
    Delete { face: i64 },
    /// Brings a deleted box back, with its id, login and state.
    Restore { face: i64 },
    /// Sets the login and state exactly as given (what undoing a tag or a mark does).
    Set {
        face: i64,
        login: Option<String>,
        state: FaceState,
    },
    /// A box the detector missed: manual, confirmed when it has a login.
    Draw {
        region: Region,
        login: Option<String>,
    },
    /// Moves or resizes a box; from then on it is the person's box (a search keeps it).
    Move { face: i64, region: Region },
    /// Moves the face to the row above (`up`) or below in its photo's rows, which from then on
    /// are fixed by hand (`rows_by_hand`); a new row when there is none that way.
    MoveRow { face: i64, up: bool },
    /// Reads the face's photo left to right, without rows.
    LeftToRight { face: i64 },
    /// Gives the face's photo back to the rule's rows.
    RowsByRule { face: i64 },
    /// Sets the hand-set rows of faces of the photo exactly (what undoing a row change does).
    SetRows { face: i64, rows: Vec<HandRow> },
}

impl FaceDecision {
    /// A decision about the photo's rows, not about who the face is.
    fn is_about_rows(&self) -> bool {
        matches!(
            self,
            Self::MoveRow { .. }
                | Self::LeftToRight { .. }
                | Self::RowsByRule { .. }
                | Self::SetRows { .. }
        )
    }
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FaceChange {
    /// The face the decision was about (the new one, for a drawn box).
    pub face_id: i64,
    /// The face as it is now; `None` once deleted.
    pub face: Option<Face>,
    /// The decision that takes this one back. Applying it returns, in turn, the one that
    /// redoes this one.
    pub undo: FaceDecision,
}

/// Applies `decision` to a face of `photo_id`, in one transaction.
pub fn decide(
    catalog: &mut Catalog,
    photo_id: i64,
    decision: &FaceDecision,
) -> Result<FaceChange, TagError> {
    check(decision)?;
    catalog.write(|w| {
        let before = [named_before(w, photo_id, decision)?];
        let mut changes = [(photo_id, apply(w, photo_id, decision)?)];
        settle(w, &[decision], &mut changes, &before)?;
        keep_for_team(w, &[decision], &mut changes)?;
        remember_step(w, &changes)?;
        let [(_, change)] = changes;
        Ok(change)
    })
}

/// The decisions that take a step back, kept so `whoiswho undo` can take back the last step
/// made on this laptop, in the window or on the command line.
fn remember_step(w: &Writer<'_>, changes: &[(i64, FaceChange)]) -> Result<(), TagError> {
    let undo: Vec<(i64, &FaceDecision)> =
        changes.iter().rev().map(|(p, c)| (*p, &c.undo)).collect();
    let text = serde_json::to_string(&undo).map_err(|e| {
        TagError::Catalog(CatalogError::Sql(rusqlite::Error::ToSqlConversionFailure(
            Box::new(e),
        )))
    })?;
    w.push_undo_step(&text)?;
    Ok(())
}

/// Takes back the last step of decisions made on this laptop (its decisions undone, latest
/// first, as one step; not kept as a step itself). `None` when there is none.
pub fn undo_last(catalog: &mut Catalog) -> Result<Option<Vec<(i64, FaceChange)>>, TagError> {
    catalog.write(|w| {
        let Some(text) = w.pop_undo_step()? else {
            return Ok(None);
        };
        let decisions: Vec<(i64, FaceDecision)> = serde_json::from_str(&text).unwrap_or_default();
        let mut changes = Vec::with_capacity(decisions.len());
        let mut before = Vec::with_capacity(decisions.len());
        for (photo_id, decision) in &decisions {
            check(decision)?;
            before.push(named_before(w, *photo_id, decision)?);
            changes.push((*photo_id, apply(w, *photo_id, decision)?));
        }
        let applied: Vec<&FaceDecision> = decisions.iter().map(|(_, d)| d).collect();
        settle(w, &applied, &mut changes, &before)?;
        keep_for_team(w, &applied, &mut changes)?;
        Ok(Some(changes))
    })
}

/// Decisions a teammate made, applied in the team's transaction: as [`decide_all`], except
/// that they are not recorded again for the team (they come from its records).
pub fn decide_from_team(
    w: &Writer<'_>,
    decisions: &[(i64, FaceDecision)],
) -> Result<Vec<(i64, FaceChange)>, TagError> {
    for (_, d) in decisions {
        check(d)?;
    }
    let mut changes = Vec::with_capacity(decisions.len());
    let mut before = Vec::with_capacity(decisions.len());
    for (photo_id, decision) in decisions {
        before.push(named_before(w, *photo_id, decision)?);
        changes.push((*photo_id, apply(w, *photo_id, decision)?));
    }
    let applied: Vec<&FaceDecision> = decisions.iter().map(|(_, d)| d).collect();
    settle(w, &applied, &mut changes, &before)?;
    Ok(changes)
}

/// A box a teammate drew, made here so that their records about it have a face: manual and
/// unnamed (the records name it), where they drew it.
pub fn box_from_team(w: &Writer<'_>, photo_id: i64, region: Region) -> Result<i64, CatalogError> {
    w.insert_face(photo_id, &NewFace::given(region, FaceSource::Manual, None))
}

/// A teammate's "not this person" about a face (`rejected`), or its taking back: what `Reject`
/// and `Reconsider` do, for the person the record names rather than the face's suggestion;
/// the photo's suggestions catch up. Not recorded again (the record is the history).
pub fn rejection_from_team(
    w: &Writer<'_>,
    photo_id: i64,
    face_id: i64,
    person_id: i64,
    rejected: bool,
) -> Result<(), CatalogError> {
    if rejected {
        w.reject_suggestion(face_id, person_id)?;
    } else {
        w.unreject_suggestion(face_id, person_id)?;
    }
    suggestions::photos_changed(w, [photo_id])
}

/// A name and state a teammate's records give a face, with the login it had here before.
pub struct TeamNaming {
    pub photo: i64,
    pub face: i64,
    pub login: Option<String>,
    pub state: FaceState,
    pub before: Option<String>,
}

/// Names faces as teammates' records say, in the team's transaction: what `Set` does, for many
/// faces at once and with no undo to answer (the records are the history); suggestions and
/// groups catch up once. Not recorded again. Consent is the caller's to have checked.
pub fn name_from_team(w: &Writer<'_>, namings: &[TeamNaming]) -> Result<(), TagError> {
    let mut people: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut changed = Vec::with_capacity(namings.len());
    let mut released = std::collections::BTreeSet::new();
    for n in namings {
        let person = match &n.login {
            Some(login) => match people.get(&login.to_lowercase()) {
                Some(id) => Some(*id),
                None => {
                    let id = taggable_person(w, login)?;
                    people.insert(login.to_lowercase(), id);
                    Some(id)
                }
            },
            None => None,
        };
        w.set_face_person(n.face, person, n.state)?;
        changed.push((n.photo, n.face));
        if let Some(before) = &n.before {
            let kept = n
                .login
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(before));
            if !kept {
                if let Some(p) = w.person(before)? {
                    released.insert(p.id);
                }
            }
        }
    }
    suggestions::faces_changed(w, &changed)?;
    let released: Vec<i64> = released.into_iter().collect();
    suggestions::people_released(w, &released)?;
    Ok(())
}

/// What each decision left, recorded for the team (nothing outside a team): the face's new
/// state, or the rejection made or taken back; each change's face read again after, so what it
/// answers says who decided it.
fn keep_for_team(
    w: &Writer<'_>,
    decisions: &[&FaceDecision],
    changes: &mut [(i64, FaceChange)],
) -> Result<(), TagError> {
    if w.team()?.is_none() {
        return Ok(());
    }
    for (decision, (photo_id, change)) in decisions.iter().zip(changes.iter_mut()) {
        if decision.is_about_rows() {
            journal::rows_decided(w, *photo_id)?;
            continue;
        }
        match (decision, &change.undo) {
            (FaceDecision::Reject { face }, FaceDecision::Reconsider { login, .. }) => {
                journal::rejection(w, *photo_id, *face, login, true)?
            }
            (FaceDecision::Reconsider { face, login }, _) => {
                journal::rejection(w, *photo_id, *face, login, false)?
            }
            _ => {
                if let Some(login) = change.face.as_ref().and_then(|f| f.login.as_deref()) {
                    journal::person_known(w, login)?;
                }
                journal::face_decided(w, *photo_id, change.face_id)?
            }
        }
        // The face as it is now: who made its decision (here), and no conflict left.
        if change.face.is_some() {
            change.face = w.face(*photo_id, change.face_id)?;
        }
    }
    Ok(())
}

/// A box a decision places must lie inside the photo.
fn check(decision: &FaceDecision) -> Result<(), TagError> {
    match decision {
        FaceDecision::Draw { region, .. } | FaceDecision::Move { region, .. } => {
            check_inside(*region)
        }
        _ => Ok(()),
    }
}

/// The login on the face a decision is about, before it is applied.
fn named_before(
    w: &Writer<'_>,
    photo_id: i64,
    decision: &FaceDecision,
) -> Result<Option<String>, TagError> {
    use FaceDecision as D;
    if decision.is_about_rows() {
        return Ok(None);
    }
    let face = match decision {
        D::Draw { .. } => return Ok(None),
        D::Tag { face, .. }
        | D::Untag { face }
        | D::Confirm { face }
        | D::Accept { face }
        | D::Reject { face }
        | D::Reconsider { face, .. }
        | D::NotAFace { face }
        | D::Ignore { face }
        | D::Delete { face }
        | D::Restore { face }
        | D::Set { face, .. }
        | D::Move { face, .. }
        | D::MoveRow { face, .. }
        | D::LeftToRight { face }
        | D::RowsByRule { face }
        | D::SetRows { face, .. } => *face,
    };
    Ok(w.face(photo_id, face)?.and_then(|f| f.login))
}

/// After decisions were applied: suggestions and groups catch up (a rejection only makes its
/// photo choose again; anything else changed the face itself; a person who lost a face may
/// have none left, so their avatar may speak again), then each change shows the face as it is
/// now, suggestion included. `before` is each face's login before its decision.
fn settle(
    w: &Writer<'_>,
    decisions: &[&FaceDecision],
    changes: &mut [(i64, FaceChange)],
    before: &[Option<String>],
) -> Result<(), TagError> {
    let (judged, changed): (Vec<_>, Vec<_>) = decisions
        .iter()
        .zip(changes.iter())
        .filter(|(d, _)| !d.is_about_rows())
        .map(|(d, (photo, c))| (d, (*photo, c.face_id)))
        .partition(|(d, _)| {
            matches!(
                d,
                FaceDecision::Reject { .. } | FaceDecision::Reconsider { .. }
            )
        });
    let changed: Vec<(i64, i64)> = changed.into_iter().map(|(_, pf)| pf).collect();
    suggestions::faces_changed(w, &changed)?;
    suggestions::photos_changed(w, judged.into_iter().map(|(_, (photo, _))| photo))?;
    let mut released = Vec::new();
    for ((_, change), login) in changes.iter().zip(before) {
        let Some(login) = login else { continue };
        let after = change.face.as_ref().and_then(|f| f.login.as_ref());
        if after != Some(login) {
            if let Some(person) = w.person(login)? {
                released.push(person.id);
            }
        }
    }
    suggestions::people_released(w, &released)?;
    for (photo_id, change) in changes.iter_mut() {
        if change.face.is_some() {
            change.face = Some(existing(w, *photo_id, change.face_id)?);
        }
    }
    Ok(())
}

fn apply(w: &Writer<'_>, photo_id: i64, decision: &FaceDecision) -> Result<FaceChange, TagError> {
    use FaceDecision as D;
    match decision {
        D::Tag { face, login } => set(w, photo_id, *face, Some(login), FaceState::Confirmed),
        D::Accept { face } => {
            let (_, login, _) = w.suggestion(*face)?.ok_or(TagError::NoSuggestion(*face))?;
            set(w, photo_id, *face, Some(&login), FaceState::Confirmed)
        }
        D::Reject { face } => {
            existing(w, photo_id, *face)?;
            let (person, login, _) = w.suggestion(*face)?.ok_or(TagError::NoSuggestion(*face))?;
            w.reject_suggestion(*face, person)?;
            changed(w, photo_id, *face, D::Reconsider { face: *face, login })
        }
        D::Reconsider { face, login } => {
            existing(w, photo_id, *face)?;
            if let Some(person) = w.person(login)? {
                w.unreject_suggestion(*face, person.id)?;
            }
            changed(w, photo_id, *face, D::Reject { face: *face })
        }
        D::Untag { face } => set(w, photo_id, *face, None, FaceState::Unreviewed),
        D::Confirm { face } => {
            let before = existing(w, photo_id, *face)?;
            let login = before.login.ok_or(TagError::NothingToConfirm(*face))?;
            set(w, photo_id, *face, Some(&login), FaceState::Confirmed)
        }
        D::NotAFace { face } => set(w, photo_id, *face, None, FaceState::NotAFace),
        D::Ignore { face } => set(w, photo_id, *face, None, FaceState::Ignored),
        D::Set { face, login, state } => set(w, photo_id, *face, login.as_deref(), *state),
        D::Delete { face } => delete(w, photo_id, *face),
        D::Restore { face } => restore(w, photo_id, *face),
        D::Draw { region, login } => draw(w, photo_id, *region, login.as_deref()),
        D::MoveRow { face, up } => {
            let change = if *up {
                RowChange::Up(*face)
            } else {
                RowChange::Down(*face)
            };
            change_rows(w, photo_id, *face, change)
        }
        D::LeftToRight { face } => change_rows(w, photo_id, *face, RowChange::LeftToRight),
        D::RowsByRule { face } => change_rows(w, photo_id, *face, RowChange::ByRule),
        D::SetRows { face, rows } => set_rows(w, photo_id, *face, rows),
        D::Move { face, region } => {
            let before = existing(w, photo_id, *face)?;
            w.set_face_region(*face, region)?;
            changed(
                w,
                photo_id,
                *face,
                D::Move {
                    face: *face,
                    region: before.region(),
                },
            )
        }
    }
}

/// Applies several decisions in one transaction (naming a group, accepting a person's
/// suggestions): all land or none. Returns each change with its photo; undoing is applying
/// their `undo`s, in reverse order, the same way.
pub fn decide_all(
    catalog: &mut Catalog,
    decisions: &[(i64, FaceDecision)],
) -> Result<Vec<(i64, FaceChange)>, TagError> {
    for (_, d) in decisions {
        check(d)?;
    }
    catalog.write(|w| {
        let mut changes = Vec::with_capacity(decisions.len());
        let mut before = Vec::with_capacity(decisions.len());
        for (photo_id, decision) in decisions {
            before.push(named_before(w, *photo_id, decision)?);
            changes.push((*photo_id, apply(w, *photo_id, decision)?));
        }
        let applied: Vec<&FaceDecision> = decisions.iter().map(|(_, d)| d).collect();
        settle(w, &applied, &mut changes, &before)?;
        keep_for_team(w, &applied, &mut changes)?;
        remember_step(w, &changes)?;
        Ok(changes)
    })
}

/// Names every face of a group (of faces waiting for a name) with `login`, as one decision.
pub fn name_group(
    catalog: &mut Catalog,
    group: i64,
    login: &str,
) -> Result<Vec<(i64, FaceChange)>, TagError> {
    let faces = catalog
        .face_groups()?
        .into_iter()
        .find(|g| g.id == group && !g.faces.is_empty())
        .ok_or(TagError::NoSuchGroup(group))?
        .faces;
    let decisions: Vec<(i64, FaceDecision)> = faces
        .iter()
        .map(|f| {
            (
                f.photo,
                FaceDecision::Tag {
                    face: f.face,
                    login: login.to_string(),
                },
            )
        })
        .collect();
    decide_all(catalog, &decisions)
}

/// Tags an existing face with `login` (confirming it).
pub fn tag_face(
    catalog: &mut Catalog,
    photo_id: i64,
    face_id: i64,
    login: &str,
) -> Result<Face, TagError> {
    let decision = FaceDecision::Tag {
        face: face_id,
        login: login.to_string(),
    };
    now(photo_id, face_id, decide(catalog, photo_id, &decision)?)
}

/// Draws a new (manual, confirmed) box on a photo and tags it with `login`.
pub fn tag_box(
    catalog: &mut Catalog,
    photo_id: i64,
    region: Region,
    login: &str,
) -> Result<Face, TagError> {
    let decision = FaceDecision::Draw {
        region,
        login: Some(login.to_string()),
    };
    let change = decide(catalog, photo_id, &decision)?;
    now(photo_id, change.face_id, change)
}

/// The face a change left, for callers that only want it.
fn now(photo: i64, face: i64, change: FaceChange) -> Result<Face, TagError> {
    change.face.ok_or(TagError::NoSuchFace { photo, face })
}

fn existing(w: &Writer<'_>, photo_id: i64, face_id: i64) -> Result<Face, TagError> {
    w.face(photo_id, face_id)?.ok_or(TagError::NoSuchFace {
        photo: photo_id,
        face: face_id,
    })
}

fn changed(
    w: &Writer<'_>,
    photo_id: i64,
    face_id: i64,
    undo: FaceDecision,
) -> Result<FaceChange, TagError> {
    Ok(FaceChange {
        face_id,
        face: Some(existing(w, photo_id, face_id)?),
        undo,
    })
}

/// Changes the rows of the photo of `face` as a person asks (see `rows_by_hand`).
fn change_rows(
    w: &Writer<'_>,
    photo_id: i64,
    face: i64,
    change: RowChange,
) -> Result<FaceChange, TagError> {
    existing(w, photo_id, face)?;
    let faces = w.faces(photo_id)?;
    let rows = rows_after(&faces, &reading_order(&faces), change);
    set_rows(w, photo_id, face, &rows)
}

/// Sets hand-set rows of faces of the photo; the undo sets back what they were. A face no
/// longer on the photo is passed over.
fn set_rows(
    w: &Writer<'_>,
    photo_id: i64,
    face: i64,
    rows: &[HandRow],
) -> Result<FaceChange, TagError> {
    let faces = w.faces(photo_id)?;
    let mut before = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(now) = faces.iter().find(|f| f.id == row.face) else {
            continue;
        };
        before.push(HandRow {
            face: row.face,
            row: now.row_fix,
        });
        w.set_face_row_fix(row.face, row.row)?;
    }
    changed(
        w,
        photo_id,
        face,
        FaceDecision::SetRows { face, rows: before },
    )
}

/// The attendee a login names, when they may be tagged (added as a login alone when unknown;
/// refused when they opted out of tagging): whom a tag, or an avatar suggesting tags, may
/// point to.
pub fn taggable_person(w: &Writer<'_>, raw_login: &str) -> Result<i64, TagError> {
    let login = parse_login(raw_login)?;
    match w.person(&login)? {
        Some(p) if !p.consent.may_tag() => Err(TagError::NoTag(p.login)),
        Some(p) => Ok(p.id),
        None => Ok(w.upsert_person(&login, None, None, None)?.0),
    }
}

fn set(
    w: &Writer<'_>,
    photo_id: i64,
    face_id: i64,
    login: Option<&str>,
    state: FaceState,
) -> Result<FaceChange, TagError> {
    let before = existing(w, photo_id, face_id)?;
    let person = login.map(|l| taggable_person(w, l)).transpose()?;
    w.set_face_person(face_id, person, state)?;
    changed(
        w,
        photo_id,
        face_id,
        FaceDecision::Set {
            face: face_id,
            login: before.login,
            state: before.state,
        },
    )
}

fn delete(w: &Writer<'_>, photo_id: i64, face_id: i64) -> Result<FaceChange, TagError> {
    let before = existing(w, photo_id, face_id)?;
    if before.source == FaceSource::Auto {
        return set(w, photo_id, face_id, None, FaceState::NotAFace);
    }
    w.delete_face(face_id)?;
    Ok(FaceChange {
        face_id,
        face: None,
        undo: FaceDecision::Restore { face: face_id },
    })
}

fn restore(w: &Writer<'_>, photo_id: i64, face_id: i64) -> Result<FaceChange, TagError> {
    if !w.restore_face(photo_id, face_id)? {
        return Err(TagError::NothingToRestore {
            photo: photo_id,
            face: face_id,
        });
    }
    // Consent may have changed since the box was deleted: it wins over the old tag.
    let back = existing(w, photo_id, face_id)?;
    if let Some(login) = &back.login {
        if w.person(login)?.is_some_and(|p| !p.consent.may_tag()) {
            w.set_face_person(face_id, None, FaceState::Unreviewed)?;
        }
    }
    changed(w, photo_id, face_id, FaceDecision::Delete { face: face_id })
}

fn draw(
    w: &Writer<'_>,
    photo_id: i64,
    region: Region,
    login: Option<&str>,
) -> Result<FaceChange, TagError> {
    w.photo_exists(photo_id)?;
    let person = login.map(|l| taggable_person(w, l)).transpose()?;
    let id = w.insert_face(
        photo_id,
        &NewFace::given(region, FaceSource::Manual, person),
    )?;
    changed(w, photo_id, id, FaceDecision::Delete { face: id })
}

fn check_inside(region: Region) -> Result<(), TagError> {
    let inside = |v: f64| (0.0..=1.0).contains(&v);
    let ok = inside(region.x)
        && inside(region.y)
        && region.w > 0.0
        && region.h > 0.0
        && region.x + region.w <= 1.0 + 1e-9
        && region.y + region.h <= 1.0 + 1e-9;
    if ok {
        Ok(())
    } else {
        Err(TagError::BadBox(region))
    }
}
