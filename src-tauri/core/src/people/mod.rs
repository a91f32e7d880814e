//! People: the attendee roster and who may be tagged. Logins and consent themselves are plain
//! values at the bottom of the crate (`login`, `consent`).

mod offer;
pub mod roster;

pub use offer::{offer, Offer};

pub use crate::consent::Consent;
pub use crate::login::{is_legacy, login_key, parse_login, profile_url, LoginError};

use serde::Serialize;

use crate::catalog::{Catalog, CatalogError, Upserted, Writer};
use crate::journal;

/// The outcome of `whoiswho roster import`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RosterReport {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows refused, with the reason (empty or invalid login, duplicate, bad consent...).
    pub rejected: Vec<roster::RowIssue>,
    /// Rows accepted with a caution (legacy-style logins).
    pub warnings: Vec<roster::RowIssue>,
    /// Attendees in the roster after the import.
    pub people: u64,
    /// Faces whose login was taken off because the roster now says `no-tag`.
    pub untagged: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error(transparent)]
    Roster(#[from] roster::RosterError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// Imports a roster CSV into the library in one transaction: all accepted rows or none.
pub fn import_roster(catalog: &mut Catalog, bytes: &[u8]) -> Result<RosterReport, PeopleError> {
    let parsed = roster::parse(bytes)?;
    let mut report = RosterReport {
        rejected: parsed.rejected,
        warnings: parsed.warnings,
        ..RosterReport::default()
    };
    catalog.write(|w| {
        for e in &parsed.entries {
            let (id, what) = w.upsert_person(
                &e.login,
                e.name.as_deref(),
                e.affiliation.as_deref(),
                Some(e.consent),
            )?;
            match what {
                Upserted::Added => report.added += 1,
                Upserted::Updated => {
                    report.untagged += apply_consent(w, id, e.consent)?.len() as u64;
                    report.updated += 1
                }
                Upserted::Unchanged => report.unchanged += 1,
            }
            if what != Upserted::Unchanged {
                journal::person_changed(w, &e.login)?;
            }
        }
        Ok::<_, CatalogError>(())
    })?;
    report.people = catalog.people()?.len() as u64;
    Ok(report)
}

/// The consent rule on an attendee's tags, whether the form or a roster import set it: `no-tag`
/// takes their login off every face (consent wins over earlier work), and their suggestions
/// follow at once. The faces untagged are recorded for the team as decisions of this laptop,
/// so every laptop ends with them untagged whatever the consent becomes later. The (photo,
/// face) pairs untagged.
fn apply_consent(
    w: &Writer<'_>,
    person_id: i64,
    consent: Consent,
) -> Result<Vec<(i64, i64)>, CatalogError> {
    let faces = untag_for_consent(w, person_id, consent)?;
    for (photo, face) in &faces {
        journal::face_decided(w, *photo, *face)?;
    }
    Ok(faces)
}

fn untag_for_consent(
    w: &Writer<'_>,
    person_id: i64,
    consent: Consent,
) -> Result<Vec<(i64, i64)>, CatalogError> {
    let faces = if consent.may_tag() {
        Vec::new()
    } else {
        w.faces_of_person(person_id)?
    };
    if !faces.is_empty() {
        w.untag_person(person_id)?;
    }
    crate::suggestions::consent_changed(w, person_id, &faces)?;
    Ok(faces)
}

/// An attendee as a teammate's record says, in the team's transaction: details set exactly,
/// and the consent rule applied. The attendee is not recorded again (the teammate's record
/// carries them), but the faces it untags here are: a teammate may hold tags this laptop had
/// that the record's author never saw, and every laptop must end with them untagged. The faces
/// untagged.
pub fn person_from_team(
    w: &Writer<'_>,
    login: &str,
    name: Option<&str>,
    affiliation: Option<&str>,
    consent: Consent,
) -> Result<Vec<(i64, i64)>, CatalogError> {
    let (id, _) = w.upsert_person(login, None, None, None)?;
    w.set_person_details(id, name, affiliation, consent)?;
    apply_consent(w, id, consent)
}

/// An attendee as the organizer typed them in the app.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonInput {
    pub login: String,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub consent: Consent,
}

/// What saving an attendee did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedPerson {
    pub person: crate::catalog::Person,
    /// Faces whose tag was taken off because the attendee now asks not to be tagged.
    pub untagged: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum SavePersonError {
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// Adds an attendee or sets an existing one's details exactly as given (blank clears a field),
/// in one transaction. Switching to `no-tag` takes their login off every face: consent wins.
pub fn save_person(
    catalog: &mut Catalog,
    input: &PersonInput,
) -> Result<SavedPerson, SavePersonError> {
    let login = parse_login(&input.login)?;
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (name, affiliation) = (clean(&input.name), clean(&input.affiliation));
    catalog.write(|w| {
        let (id, _) = w.upsert_person(&login, None, None, None)?;
        w.set_person_details(id, name.as_deref(), affiliation.as_deref(), input.consent)?;
        let untagged = apply_consent(w, id, input.consent)?.len() as u32;
        journal::person_changed(w, &login)?;
        let person = w
            .person(&login)?
            .ok_or(CatalogError::Sql(rusqlite::Error::QueryReturnedNoRows))?;
        Ok(SavedPerson { person, untagged })
    })
}
