//! Putting a login on a face, or a new box with a login on a photo. Each call is one
//! transaction; a `no-tag` attendee is refused; a login not in the roster is added to it.

use super::Region;
use crate::catalog::{Catalog, CatalogError, Face, FaceSource, FaceState, NewFace, Writer};
use crate::people::{parse_login, Consent, LoginError};

#[derive(Debug, thiserror::Error)]
pub enum TagError {
    #[error("photo {photo} has no face {face}")]
    NoSuchFace { photo: i64, face: i64 },
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error("@{0} asked not to be tagged (consent: no-tag)")]
    NoTag(String),
    #[error("the box {0:?} is not inside the photo (x, y, w, h are fractions 0..1 of the displayed photo)")]
    BadBox(Region),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// Finds or adds the attendee, refusing those who opted out of tagging.
fn person_for(w: &Writer<'_>, raw_login: &str) -> Result<i64, TagError> {
    let login = parse_login(raw_login)?;
    match w.person(&login)? {
        Some(p) if p.consent == Consent::NoTag => Err(TagError::NoTag(p.login)),
        Some(p) => Ok(p.id),
        None => Ok(w.upsert_person(&login, None, None, None)?.0),
    }
}

/// Tags an existing face with `login` (confirming it).
pub fn tag_face(
    catalog: &mut Catalog,
    photo_id: i64,
    face_id: i64,
    login: &str,
) -> Result<Face, TagError> {
    set_face(
        catalog,
        photo_id,
        face_id,
        Some(login),
        FaceState::Confirmed,
    )
}

/// Sets who a face is (or nobody) and its state in one step: tagging, untagging, "not a face",
/// "ignore", and undoing any of them.
pub fn set_face(
    catalog: &mut Catalog,
    photo_id: i64,
    face_id: i64,
    login: Option<&str>,
    state: FaceState,
) -> Result<Face, TagError> {
    let missing = || TagError::NoSuchFace {
        photo: photo_id,
        face: face_id,
    };
    catalog.write(|w| {
        if w.face(photo_id, face_id)?.is_none() {
            return Err(missing());
        }
        let person = login.map(|l| person_for(w, l)).transpose()?;
        w.set_face_person(face_id, person, state)?;
        w.face(photo_id, face_id)?.ok_or_else(missing)
    })
}

/// Draws a new (manual, confirmed) box on a photo and tags it with `login`.
pub fn tag_box(
    catalog: &mut Catalog,
    photo_id: i64,
    region: Region,
    login: &str,
) -> Result<Face, TagError> {
    add_box(catalog, photo_id, region, Some(login))
}

/// Draws a box a person saw and the detector missed: manual, confirmed when it has a login,
/// unreviewed (waiting for one) when not.
pub fn add_box(
    catalog: &mut Catalog,
    photo_id: i64,
    region: Region,
    login: Option<&str>,
) -> Result<Face, TagError> {
    check_inside(region)?;
    catalog.photo_details(photo_id)?;
    catalog.write(|w| {
        let person = login.map(|l| person_for(w, l)).transpose()?;
        let id = w.insert_face(
            photo_id,
            &NewFace::given(region, FaceSource::Manual, person),
        )?;
        w.face(photo_id, id)?.ok_or(TagError::NoSuchFace {
            photo: photo_id,
            face: id,
        })
    })
}

/// Moves or resizes a box. From then on it is the person's box: re-detection keeps it.
pub fn move_box(
    catalog: &mut Catalog,
    photo_id: i64,
    face_id: i64,
    region: Region,
) -> Result<Face, TagError> {
    check_inside(region)?;
    let missing = || TagError::NoSuchFace {
        photo: photo_id,
        face: face_id,
    };
    catalog.write(|w| {
        w.face(photo_id, face_id)?.ok_or_else(missing)?;
        w.set_face_region(face_id, &region)?;
        w.face(photo_id, face_id)?.ok_or_else(missing)
    })
}

/// Deletes a box and returns what it was, so the caller can offer undo. (For detector boxes
/// the UI marks "not a face" instead, which a re-detection respects.)
pub fn delete_box(catalog: &mut Catalog, photo_id: i64, face_id: i64) -> Result<Face, TagError> {
    catalog.write(|w| {
        let face = w.face(photo_id, face_id)?.ok_or(TagError::NoSuchFace {
            photo: photo_id,
            face: face_id,
        })?;
        w.delete_face(face_id)?;
        Ok(face)
    })
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
