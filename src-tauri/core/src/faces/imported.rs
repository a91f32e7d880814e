//! Faces other tools wrote into XMP (digiKam, Lightroom, Picasa, exiftool): the indexer reads
//! the regions and hands them here, where they become `imported` boxes and their names are
//! resolved to attendees under the same consent rule as tagging.

use crate::catalog::{CatalogError, FaceSource, NewFace, Writer};
use crate::login::parse_login;
use crate::region::Region;

/// A face region another tool wrote, already in displayed space.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFace {
    pub region: Region,
    pub name: Option<String>,
}

/// Keeps the faces another tool named, once: a photo that already has imported faces, or a box
/// where one is already known (IoU > 0.5), is left as it is. Names become logins when they are
/// a roster login or exactly one attendee's name (never a `no-tag` attendee).
pub fn keep_imported(
    w: &Writer<'_>,
    photo_id: i64,
    imported: &[ImportedFace],
) -> Result<(), CatalogError> {
    if imported.is_empty() {
        return Ok(());
    }
    let known = w.faces(photo_id)?;
    if known.iter().any(|f| f.source == FaceSource::Imported) {
        return Ok(());
    }
    for face in imported {
        if known.iter().any(|k| k.region().iou(&face.region) > 0.5) {
            continue;
        }
        let person = match face.name.as_deref() {
            Some(name) => attendee_named(w, name)?,
            None => None,
        };
        w.insert_face(
            photo_id,
            &NewFace::given(face.region, FaceSource::Imported, person),
        )?;
    }
    Ok(())
}

/// The attendee a name from another tool stands for, if they may be tagged.
fn attendee_named(w: &Writer<'_>, name: &str) -> Result<Option<i64>, CatalogError> {
    let by_login = match parse_login(name) {
        Ok(login) => w.person(&login)?.map(|p| (p.id, p.consent)),
        Err(_) => None,
    };
    let found = match by_login {
        Some(found) => Some(found),
        None => w.person_id_by_name(name)?,
    };
    Ok(found.filter(|(_, c)| c.may_tag()).map(|(id, _)| id))
}
