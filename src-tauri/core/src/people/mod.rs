//! People: the attendee roster and who may be tagged. Logins and consent themselves are plain
//! values at the bottom of the crate (`login`, `consent`).

mod offer;
mod privacy;
pub mod roster;

pub use offer::{offer, Offer};
pub use privacy::{Asker, ConsentChange, Privacy};

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
    /// Attendees whose consent this import made less private.
    pub lowered: Vec<ConsentChange>,
    /// Attendees whose consent the roster would have lowered below what they asked for
    /// themselves, kept (`from`) rather than lowered to the roster's (`to`); `--lower-consent`
    /// lowers them.
    pub kept: Vec<ConsentChange>,
}

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error(transparent)]
    Roster(#[from] roster::RosterError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// The order the People view lists attendees in: those on photos first, most faces first, then
/// the rest of the roster, by login (case-insensitive).
pub fn in_listing_order(people: &mut [crate::catalog::Person]) {
    people.sort_by(|a, b| {
        b.faces
            .cmp(&a.faces)
            .then_with(|| login_key(&a.login).cmp(&login_key(&b.login)))
    });
}

/// Imports a roster CSV into the library in one transaction: all accepted rows or none. A
/// consent is never lowered below what the attendee asked for themselves unless
/// `lower_consent` (the organizer said so plainly); every lowering is reported.
pub fn import_roster(
    catalog: &mut Catalog,
    bytes: &[u8],
    lower_consent: bool,
) -> Result<RosterReport, PeopleError> {
    let parsed = roster::parse(bytes)?;
    let mut report = RosterReport {
        rejected: parsed.rejected,
        warnings: parsed.warnings,
        ..RosterReport::default()
    };
    let asker = if lower_consent {
        Asker::OrganizerConfirmed
    } else {
        Asker::Organizer
    };
    catalog.write(|w| {
        for e in &parsed.entries {
            let before = w.person(&e.login)?;
            let consent = match &before {
                Some(p) => {
                    let now = privacy_of(p);
                    let after = now.asked_by(asker, e.consent);
                    if after.consent != e.consent {
                        report.kept.push(ConsentChange {
                            login: p.login.clone(),
                            from: after.consent,
                            to: e.consent,
                        });
                    }
                    if after.consent.is_less_private_than(p.consent) {
                        report.lowered.push(ConsentChange {
                            login: p.login.clone(),
                            from: p.consent,
                            to: after.consent,
                        });
                    }
                    if after.asked != p.asked {
                        w.set_person_asked(p.id, after.asked)?;
                    }
                    after.consent
                }
                None => e.consent,
            };
            let (id, what) = w.upsert_person(
                &e.login,
                e.name.as_deref(),
                e.affiliation.as_deref(),
                Some(consent),
            )?;
            match what {
                Upserted::Added => report.added += 1,
                Upserted::Updated => {
                    let was = before.as_ref().map(|p| p.consent);
                    report.untagged += apply_consent(w, id, was, consent)?.len() as u64;
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

fn privacy_of(p: &crate::catalog::Person) -> Privacy {
    Privacy {
        consent: p.consent,
        asked: p.asked,
    }
}

/// What a consent request did to an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentSet {
    pub before: Option<Consent>,
    pub after: Consent,
    /// Faces whose login was taken off (the attendee is `no-tag` now).
    pub untagged: usize,
}

impl ConsentSet {
    /// Whether the attendee's consent changed (or they were added with it).
    pub fn changed(&self) -> bool {
        self.before != Some(self.after)
    }
}

/// `asker` asks for `wanted` for `login`, in the caller's transaction: the rule of [`privacy`]
/// decides what applies; an attendee not in the roster is added with it; `no-tag` takes their
/// login off every face; the change is recorded for the team.
pub fn request_consent(
    w: &Writer<'_>,
    login: &str,
    wanted: Consent,
    asker: Asker,
) -> Result<ConsentSet, CatalogError> {
    let before = w.person(login)?;
    let now = before.as_ref().map_or(
        Privacy {
            consent: Consent::Ok,
            asked: None,
        },
        privacy_of,
    );
    let after = now.asked_by(asker, wanted);
    let (id, _) = w.upsert_person(login, None, None, Some(after.consent))?;
    if before.as_ref().map(|p| p.asked) != Some(after.asked) {
        w.set_person_asked(id, after.asked)?;
    }
    let same = before
        .as_ref()
        .is_some_and(|p| p.consent == after.consent && p.asked == after.asked);
    let untagged = if same {
        0
    } else {
        let untagged =
            apply_consent(w, id, before.as_ref().map(|p| p.consent), after.consent)?.len();
        journal::person_changed(w, login)?;
        untagged
    };
    Ok(ConsentSet {
        before: before.map(|p| p.consent),
        after: after.consent,
        untagged,
    })
}

/// The consent rule on an attendee's tags, whether the form or a roster import set it: `no-tag`
/// takes their login off every face (consent wins over earlier work), and their suggestions
/// follow at once. The faces untagged are recorded for the team as decisions of this laptop,
/// so every laptop ends with them untagged whatever the consent becomes later. The (photo,
/// face) pairs untagged.
fn apply_consent(
    w: &Writer<'_>,
    person_id: i64,
    before: Option<Consent>,
    consent: Consent,
) -> Result<Vec<(i64, i64)>, CatalogError> {
    let faces = untag_for_consent(w, person_id, consent)?;
    for (photo, face) in &faces {
        journal::face_decided(w, *photo, *face)?;
    }
    if before.is_some_and(|b| !b.may_tag()) && consent.may_tag() {
        journal::tags_allowed_again(w, person_id)?;
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
/// and the consent rule applied. Nothing is recorded: the teammate's record carries the
/// attendee, and the faces it untags here follow from it on every laptop (each laptop takes a
/// `no-tag` attendee's login off the faces it has), so they are no decision of this laptop's.
/// The faces untagged.
pub fn person_from_team(
    w: &Writer<'_>,
    login: &str,
    name: Option<&str>,
    affiliation: Option<&str>,
    privacy: Privacy,
) -> Result<Vec<(i64, i64)>, CatalogError> {
    let (id, _) = w.upsert_person(login, None, None, None)?;
    w.set_person_details(id, name, affiliation, privacy.consent)?;
    w.set_person_asked(id, privacy.asked)?;
    untag_for_consent(w, id, privacy.consent)
}

/// An attendee as the organizer typed them in the app.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonInput {
    pub login: String,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub consent: Consent,
    /// The organizer confirmed, in that moment, a consent less private than the one the
    /// attendee asked for themselves.
    #[serde(default)]
    pub lower_consent: bool,
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
    #[error("@{login} asked to be {asked} themselves; making them {wanted} needs your plain confirmation (--lower-consent)")]
    LowersAsked {
        login: String,
        asked: &'static str,
        wanted: &'static str,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// Adds an attendee or sets an existing one's details exactly as given (blank clears a field),
/// in one transaction. Switching to `no-tag` takes their login off every face: consent wins. A
/// consent below what the attendee asked for themselves is refused unless the organizer
/// confirmed it (`lower_consent`).
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
        let asker = if input.lower_consent {
            Asker::OrganizerConfirmed
        } else {
            Asker::Organizer
        };
        let before = w.person(&login)?;
        let privacy = before.as_ref().map_or(
            Privacy {
                consent: input.consent,
                asked: None,
            },
            |p| privacy_of(p).asked_by(asker, input.consent),
        );
        if privacy.consent != input.consent {
            return Err(SavePersonError::LowersAsked {
                login: login.clone(),
                asked: privacy.consent.as_str(),
                wanted: input.consent.as_str(),
            });
        }
        let (id, _) = w.upsert_person(&login, None, None, None)?;
        w.set_person_details(id, name.as_deref(), affiliation.as_deref(), input.consent)?;
        if before.as_ref().and_then(|p| p.asked) != privacy.asked {
            w.set_person_asked(id, privacy.asked)?;
        }
        let was = before.as_ref().map(|p| p.consent);
        let untagged = apply_consent(w, id, was, input.consent)?.len() as u32;
        journal::person_changed(w, &login)?;
        let person = w
            .person(&login)?
            .ok_or(CatalogError::Sql(rusqlite::Error::QueryReturnedNoRows))?;
        Ok(SavedPerson { person, untagged })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Person;

    fn person(login: &str, faces: u32) -> Person {
        Person {
            id: 0,
            login: login.into(),
            name: None,
            affiliation: None,
            consent: Consent::Ok,
            asked: None,
            faces,
            photos: faces,
            best_face: None,
            best_face_crop: None,
            avatar: None,
            avatar_hash: None,
            profile_url: profile_url(login),
        }
    }

    #[test]
    fn the_people_view_lists_people_on_photos_first_then_by_login() {
        let mut people = vec![
            person("zoe", 0),
            person("Bob", 2),
            person("alice", 0),
            person("carol", 5),
            person("dave", 2),
        ];
        in_listing_order(&mut people);
        let logins: Vec<&str> = people.iter().map(|p| p.login.as_str()).collect();
        assert_eq!(logins, ["carol", "Bob", "dave", "alice", "zoe"]);
    }
}
