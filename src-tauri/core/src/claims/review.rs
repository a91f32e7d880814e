//! The organizer's review of claims: the list with what each claim is now (open, a conflict, a
//! dispute, withdrawn…), accept, reject (after an accept too, taking its tag back) and reopen
//! (what undo does).

use std::collections::HashMap;

use serde::Serialize;

use super::link::repo_of_issue;
use super::{decision_of, decision_text, ClaimView, ClaimsError};
use crate::catalog::{Catalog, ClaimState, Person, StoredClaim};
use crate::consent::Consent;
use crate::faces::{decide, FaceDecision};
use crate::library::Library;
use crate::login::login_key;
use crate::people::{request_consent, Asker, ConsentChange, Privacy};

/// Every claim, with what it is now.
pub fn list(library: &Library) -> Result<Vec<ClaimView>, ClaimsError> {
    let (claims, people, faces, repo) = library.read(|c| {
        let claims = c.claims()?;
        let people = c.people()?;
        let mut faces: HashMap<i64, (i64, Option<String>)> = HashMap::new();
        for claim in &claims {
            if let Some(face) = claim.face_id.filter(|f| !faces.contains_key(f)) {
                if let Some(on) = c.face_on_photo(face)? {
                    faces.insert(face, (on.photo_id, on.face.login.clone()));
                }
            }
        }
        Ok((claims, people, faces, c.event_repository()?))
    })?;
    let people: HashMap<String, Person> = people
        .into_iter()
        .map(|p| (login_key(&p.login), p))
        .collect();
    let repo = repo.as_deref().and_then(super::link::parse_repo);
    Ok(claims
        .iter()
        .map(|c| {
            let on = c.face_id.and_then(|f| faces.get(&f));
            view_of(c, &claims, &people, on, repo.as_ref())
        })
        .collect())
}

/// What a claim is now, as the organizer reviews it.
fn view_of(
    c: &StoredClaim,
    all: &[StoredClaim],
    people: &HashMap<String, Person>,
    on: Option<&(i64, Option<String>)>,
    repo: Option<&(String, String)>,
) -> ClaimView {
    let person = people.get(&login_key(&c.login));
    let named_on_face = on.and_then(|o| o.1.as_deref());
    let never_named = person.is_some_and(|p| !p.consent.may_tag())
        || (c.is_self() && c.consent == Some(Consent::NoTag));
    let mut reason = c.reason.clone();
    let (state, against) = match c.state {
        ClaimState::Accepted => ("accepted", None),
        ClaimState::Rejected => ("rejected", None),
        ClaimState::Withdrawn => ("withdrawn", None),
        ClaimState::Open if never_named => match named_on_face {
            Some(n) if c.is_self() && login_key(n) != login_key(&c.login) => {
                ("dispute", Some(n.to_string()))
            }
            _ => {
                reason = Some(format!(
                    "@{} asked not to be named (no-tag): the face stays unnamed and offers no link",
                    c.login
                ));
                ("withdrawn", None)
            }
        },
        ClaimState::Open => match conflict_with(c, all, named_on_face) {
            Some(other) => ("conflict", Some(other)),
            None => ("open", None),
        },
    };
    let lowers = match (state, c.consent, person) {
        ("open" | "conflict", Some(wanted), Some(p)) if c.is_self() => {
            let now = Privacy {
                consent: p.consent,
                asked: p.asked,
            };
            now.needs_confirmation(Asker::Attendee, wanted)
                .then(|| ConsentChange {
                    login: p.login.clone(),
                    from: p.consent,
                    to: wanted,
                })
        }
        _ => None,
    };
    let in_repo = repo.is_some_and(|(owner, name)| {
        repo_of_issue(&c.url, c.issue)
            .is_some_and(|(o, r)| o.eq_ignore_ascii_case(owner) && r.eq_ignore_ascii_case(name))
    });
    ClaimView {
        issue: c.issue as u32,
        url: if in_repo {
            c.url.clone()
        } else {
            String::new()
        },
        by: c.author.clone(),
        login: c.login.clone(),
        name: person.and_then(|p| p.name.clone()),
        roster: person.is_some(),
        self_claim: c.is_self(),
        consent: c.consent,
        photo: on.map(|o| o.0),
        face: c.face_id.filter(|_| on.is_some()),
        state: state.to_string(),
        against,
        lowers,
        reason,
    }
}

/// The other name an open claim disagrees with: the face's login, or another open claim's.
fn conflict_with(c: &StoredClaim, all: &[StoredClaim], named: Option<&str>) -> Option<String> {
    if let Some(n) = named.filter(|n| login_key(n) != login_key(&c.login)) {
        return Some(n.to_string());
    }
    all.iter()
        .find(|o| {
            o.issue != c.issue
                && o.face_id == c.face_id
                && o.stands()
                && login_key(&o.login) != login_key(&c.login)
        })
        .map(|o| o.login.clone())
}

/// What accepting a claim did, and the face decision that takes its tag back (undo runs it,
/// then [`reopen`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Accepted {
    pub claim: ClaimView,
    pub photo_id: i64,
    pub undo: FaceDecision,
    /// The consent the answer asked for and did not get: less private than the attendee's,
    /// which stays (accept with `lower_consent` to apply it).
    pub kept: Option<ConsentChange>,
}

/// The organizer accepts a claim: the face is tagged with the login named (added to the roster
/// when missing, as when tagging); a dispute's accept takes the disputed name off instead. A
/// self-claim's consent applies when more private; a less private one only with
/// `lower_consent`, the organizer's plain confirmation. A `no-tag` attendee is never named.
pub fn accept(library: &Library, issue: u64, lower_consent: bool) -> Result<Accepted, ClaimsError> {
    let claim = open_claim(library, issue)?;
    let view = view(library, issue)?;
    let face = claim.face_id.ok_or(ClaimsError::FaceGone(issue))?;
    let photo = view.photo.ok_or(ClaimsError::FaceGone(issue))?;
    let mut catalog = library.catalog()?;
    // The face decision, and the consent the answer asks for (an attendee's own).
    let (decision, kept) = match view.state.as_str() {
        "dispute" => (FaceDecision::Untag { face }, None),
        "withdrawn" if claim.is_self() && claim.consent == Some(Consent::NoTag) => {
            return Err(ClaimsError::NothingToAccept {
                issue,
                login: claim.login,
            })
        }
        "withdrawn" => {
            return Err(ClaimsError::NeverNamed {
                issue,
                login: claim.login,
            })
        }
        _ => {
            let tag = FaceDecision::Tag {
                face,
                login: claim.login.clone(),
            };
            (tag, claim.consent.filter(|_| claim.is_self()))
        }
    };
    // The tag first: a consent is changed only by an accept that happened.
    let change = decide(&mut catalog, photo, &decision)?;
    let kept = match kept {
        Some(wanted) => apply_consent(&mut catalog, &claim.login, wanted, lower_consent)?,
        None => None,
    };
    let undo = decision_text(&change.undo);
    catalog.write(|w| w.set_claim_state(issue, ClaimState::Accepted, undo.as_deref()))?;
    Ok(Accepted {
        claim: self::view(library, issue)?,
        photo_id: photo,
        undo: change.undo,
        kept,
    })
}

/// A self-claim's consent on accept: applied when more private; a less private one only when the
/// organizer confirmed it. The change it asked for and did not get.
fn apply_consent(
    catalog: &mut Catalog,
    login: &str,
    wanted: Consent,
    lower_consent: bool,
) -> Result<Option<ConsentChange>, ClaimsError> {
    let asker = if lower_consent {
        Asker::OrganizerConfirmed
    } else {
        Asker::Attendee
    };
    let set = catalog.write(|w| request_consent(w, login, wanted, asker))?;
    Ok((set.after != wanted).then(|| ConsentChange {
        login: login.to_string(),
        from: set.after,
        to: wanted,
    }))
}

fn open_claim(library: &Library, issue: u64) -> Result<StoredClaim, ClaimsError> {
    let claim = library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    if claim.state != ClaimState::Open {
        return Err(ClaimsError::Decided {
            issue,
            state: claim.state.as_str(),
        });
    }
    Ok(claim)
}

/// An accepted or rejected claim is open again (what undoing the decision does). The face's tag
/// is the face's own decision, undone by its own.
pub fn reopen(library: &Library, issue: u64) -> Result<ClaimView, ClaimsError> {
    library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    library
        .catalog()?
        .write(|w| w.set_claim_state(issue, ClaimState::Open, None))?;
    view(library, issue)
}

/// What rejecting a claim did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rejected {
    pub claim: ClaimView,
    /// What it was before: undo brings an accepted claim back by accepting it again.
    pub was: ClaimState,
    /// When it had been accepted and the face is still as the accept left it: the face and
    /// the decision that puts the accept's tag back.
    pub photo_id: Option<i64>,
    pub undo: Option<FaceDecision>,
}

/// The organizer rejects a claim: it stays listed, never named. Rejecting an accepted claim takes
/// its tag back, as undoing the accept does, when the face is still as the accept left it.
pub fn reject(library: &Library, issue: u64) -> Result<Rejected, ClaimsError> {
    let claim = library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    let mut taken_back = None;
    if claim.state == ClaimState::Accepted {
        if let Some((photo, decision)) = accept_still_there(library, &claim)? {
            let change = decide(&mut library.catalog()?, photo, &decision)?;
            taken_back = Some((photo, change.undo));
        }
    }
    library
        .catalog()?
        .write(|w| w.set_claim_state(issue, ClaimState::Rejected, None))?;
    Ok(Rejected {
        claim: view(library, issue)?,
        was: claim.state,
        photo_id: taken_back.as_ref().map(|t| t.0),
        undo: taken_back.map(|t| t.1),
    })
}

/// The decision that takes an accept back, when its face still shows what the accept did: the
/// claim's login (a tag), or no name where the accept took a disputed one off.
fn accept_still_there(
    library: &Library,
    claim: &StoredClaim,
) -> Result<Option<(i64, FaceDecision)>, ClaimsError> {
    let (Some(face), Some(decision)) = (claim.face_id, claim.undo.as_deref().and_then(decision_of))
    else {
        return Ok(None);
    };
    let Some(on) = library.read(|c| c.face_on_photo(face))? else {
        return Ok(None);
    };
    let now = on.face.login.as_deref().map(login_key);
    let tagged = now.as_deref() == Some(login_key(&claim.login).as_str());
    let untagged_dispute = now.is_none()
        && matches!(&decision, FaceDecision::Set { login: Some(l), .. } if login_key(l) != login_key(&claim.login));
    Ok((tagged || untagged_dispute).then_some((on.photo_id, decision)))
}

fn view(library: &Library, issue: u64) -> Result<ClaimView, ClaimsError> {
    list(library)?
        .into_iter()
        .find(|c| u64::from(c.issue) == issue)
        .ok_or(ClaimsError::NoSuchClaim(issue))
}
