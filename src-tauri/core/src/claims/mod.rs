//! Attendees name themselves. The gallery's links open a prefilled issue in the event's GitHub
//! repository ([`link`]); the answers come back as issues (a `gh issue list` file, or the REST
//! API when the organizer asks, [`github`]) and become claims: who answered (the issue's author,
//! whom GitHub proved), whom they named, the consent they chose, and the face, found by photo
//! content and box whatever the photo's path here. The organizer accepts or rejects each; a
//! claim is never exported until accepted.
//!
//! THE rules of claims live here:
//! - a self-claim's consent applies at once when it is more private than the roster's (`no-tag`
//!   untags, `no-publish` blurs): an attendee's own request about themselves needs no review; a
//!   less private one waits for the organizer's accept;
//! - a claim never names a `no-tag` attendee;
//! - two open claims for one face that disagree, or a claim against a face named otherwise, are a
//!   conflict;
//! - re-importing the same issues changes nothing, an edited issue updates its claim, a closed
//!   issue with no accepted claim is dropped.

mod answer;
pub mod github;
mod issues;
pub mod link;
mod reference;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

pub use answer::{Answer, AnswerError, Who};
pub use issues::{parse as parse_issues, Issue, IssueError, Shape, MAX_BODY, MAX_FILE};
pub use reference::{FaceRef, RefError};

use crate::catalog::{Catalog, CatalogError, ClaimState, StoredClaim};
use crate::consent::Consent;
use crate::faces::{decide, FaceDecision, TagError};
use crate::library::Library;
use crate::login::login_key;
use crate::people::{save_person, PersonInput, SavePersonError};

/// A reference matches a face of this library when their boxes overlap this much.
const MATCH_IOU: f64 = 0.5;

#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot read {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is {size} bytes; a list of issues is at most {limit}")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path} is not what `gh issue list --json number,author,title,body,createdAt,url` prints: {why}")]
    Listing { path: String, why: String },
    #[error("there is no claim from issue #{0} (see `whoiswho claims list`)")]
    NoSuchClaim(u64),
    #[error("the face of issue #{0} is not in this library any more")]
    FaceGone(u64),
    #[error("the claim of issue #{issue} was already {state}")]
    Decided { issue: u64, state: &'static str },
    #[error(transparent)]
    Tag(#[from] TagError),
    #[error(transparent)]
    Person(#[from] SavePersonError),
    #[error(transparent)]
    Fetch(#[from] github::FetchError),
}

/// One issue that did not become a claim, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimFailure {
    pub issue: u32,
    pub error: String,
}

/// What an import did (the JSON of `claims import` and `claims fetch`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimReport {
    /// Issues read.
    pub read: u32,
    /// Issues that are claims now (new, updated or unchanged).
    pub claims: u32,
    /// Of those, attendees naming themselves.
    #[serde(rename = "self")]
    pub self_claims: u32,
    /// Consent changes applied at once (self-claims more private than the roster).
    pub consent: u32,
    pub errors: Vec<ClaimFailure>,
}

/// A claim as the organizer reviews it (element of `claims list --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimView {
    pub issue: u32,
    pub url: String,
    /// Who answered.
    pub by: String,
    /// Whom they named.
    pub login: String,
    /// The attendee's name from the roster, when known.
    pub name: Option<String>,
    #[serde(rename = "self")]
    pub self_claim: bool,
    pub consent: Consent,
    pub photo: Option<i64>,
    pub face: Option<i64>,
    /// `open`, `accepted`, `rejected` or `conflict`.
    pub state: String,
    /// For a conflict: the other name (another claim's, or the face's).
    pub against: Option<String>,
}

/// Reads a file `gh issue list --json …` wrote and imports its claims.
pub fn import_file(library: &Library, path: &Path) -> Result<ClaimReport, ClaimsError> {
    let shown = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|source| ClaimsError::File {
            path: shown.clone(),
            source,
        })?
        .len();
    if size > MAX_FILE {
        return Err(ClaimsError::TooLarge {
            path: shown,
            size,
            limit: MAX_FILE,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| ClaimsError::File {
        path: shown.clone(),
        source,
    })?;
    let (issues, errors) =
        parse_issues(&bytes, Shape::Gh).map_err(|why| ClaimsError::Listing { path: shown, why })?;
    import(library, &issues, errors)
}

/// What one issue amounts to before it is written.
enum Outcome {
    Claim(StoredClaim, Option<Consent>),
    /// A self-claim asking not to be named at all: only the consent.
    ConsentOnly(String, Consent),
    Drop(u64),
    Skip,
}

/// Imports issues as claims; `errors` are those the listing already had.
pub fn import(
    library: &Library,
    issues: &[Issue],
    errors: Vec<IssueError>,
) -> Result<ClaimReport, ClaimsError> {
    let mut report = ClaimReport {
        read: (issues.len() + errors.len()) as u32,
        errors: errors
            .into_iter()
            .map(|e| ClaimFailure {
                issue: e.issue as u32,
                error: e.error,
            })
            .collect(),
        ..ClaimReport::default()
    };
    let mut catalog = library.catalog()?;
    let roster: HashMap<String, Consent> = catalog
        .people()?
        .into_iter()
        .map(|p| (login_key(&p.login), p.consent))
        .collect();
    let mut consents: Vec<(String, Consent)> = Vec::new();
    let mut faces = FacesByContent::default();
    catalog.write(|w| {
        for issue in issues {
            let kept = w.claim(issue.number)?;
            match outcome(w, issue, kept.as_ref(), &roster, &mut faces) {
                Ok(Outcome::Claim(claim, consent)) => {
                    report.claims += 1;
                    report.self_claims +=
                        u32::from(login_key(&claim.login) == login_key(&claim.author));
                    if kept.as_ref() != Some(&claim) {
                        w.put_claim(&claim)?;
                    }
                    consents.extend(consent.map(|c| (claim.login.clone(), c)));
                }
                Ok(Outcome::ConsentOnly(login, consent)) => {
                    report.self_claims += 1;
                    consents.push((login, consent));
                }
                Ok(Outcome::Drop(n)) => w.delete_claim(n)?,
                Ok(Outcome::Skip) => {}
                Err(error) => report.errors.push(ClaimFailure {
                    issue: issue.number as u32,
                    error,
                }),
            }
        }
        Ok::<_, CatalogError>(())
    })?;
    for (login, consent) in consents {
        if apply_consent(&mut catalog, &login, consent)? {
            report.consent += 1;
        }
    }
    Ok(report)
}

/// Reads one issue against what is kept: a claim to keep (and a consent to apply at once), a
/// claim to drop, nothing, or why it is no claim.
fn outcome(
    w: &crate::catalog::Writer<'_>,
    issue: &Issue,
    kept: Option<&StoredClaim>,
    roster: &HashMap<String, Consent>,
    faces: &mut FacesByContent,
) -> Result<Outcome, String> {
    if issue.closed == Some(true) {
        return Ok(match kept {
            Some(k) if k.state != ClaimState::Accepted => Outcome::Drop(k.issue),
            _ => Outcome::Skip,
        });
    }
    let face = FaceRef::find(&issue.body).map_err(|e| e.to_string())?;
    let answer = answer::parse(&issue.body).map_err(|e| e.to_string())?;
    let login = match answer.who {
        Who::Me => issue.author.clone(),
        Who::Login(l) => l,
    };
    let is_self = login_key(&login) == login_key(&issue.author);
    let roster_consent = roster.get(&login_key(&login)).copied();
    if is_self && answer.consent == Consent::NoTag {
        return Ok(Outcome::ConsentOnly(login, Consent::NoTag));
    }
    if roster_consent == Some(Consent::NoTag) {
        return Err(format!(
            "the answer names @{login}, who asked not to be named (no-tag): no claim is kept"
        ));
    }
    let face_id = faces
        .find(w, &face)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the photo or the face it points to is not in this library".to_string())?;
    let body_hash = blake3::hash(issue.body.as_bytes()).to_hex().to_string();
    let state = match kept {
        // An answer changed after it was accepted is reviewed again.
        Some(k) if k.body_hash != body_hash && k.state == ClaimState::Accepted => {
            if login_key(&k.login) == login_key(&login) && k.face_id == Some(face_id) {
                ClaimState::Accepted
            } else {
                ClaimState::Open
            }
        }
        Some(k) => k.state,
        None => ClaimState::Open,
    };
    let claim = StoredClaim {
        issue: issue.number,
        url: issue.url.clone(),
        author: issue.author.clone(),
        login: login.clone(),
        consent: if is_self { answer.consent } else { Consent::Ok },
        photo_hash: face.hash,
        region: face.region,
        face_id: Some(face_id),
        state,
        body_hash,
        created_at: issue.created_at.clone(),
    };
    // More private than the roster applies now; an attendee not in the roster yet is added
    // with it when the organizer accepts.
    let stricter = is_self && roster_consent.is_some_and(|r| privacy(answer.consent) > privacy(r));
    Ok(Outcome::Claim(claim, stricter.then_some(answer.consent)))
}

/// How private a consent is: ok < no-publish < no-tag.
fn privacy(c: Consent) -> u8 {
    match c {
        Consent::Ok => 0,
        Consent::NoPublish => 1,
        Consent::NoTag => 2,
    }
}

/// The visible faces of each photo content an import has looked at, read once per content.
#[derive(Default)]
struct FacesByContent(HashMap<String, Vec<(i64, crate::region::Region)>>);

impl FacesByContent {
    /// The visible face of a photo with this content whose box matches the reference best.
    fn find(
        &mut self,
        w: &crate::catalog::Writer<'_>,
        r: &FaceRef,
    ) -> Result<Option<i64>, CatalogError> {
        if !self.0.contains_key(&r.hash) {
            self.0.insert(r.hash.clone(), w.faces_with_hash(&r.hash)?);
        }
        let mut best: Option<(f64, i64)> = None;
        for (id, region) in self.0.get(&r.hash).map(Vec::as_slice).unwrap_or_default() {
            let iou = region.iou(&r.region);
            if iou >= MATCH_IOU && best.is_none_or(|(b, _)| iou > b) {
                best = Some((iou, *id));
            }
        }
        Ok(best.map(|(_, id)| id))
    }
}

/// Sets an attendee's consent (adding them when the roster lacks them); whether it changed.
fn apply_consent(
    catalog: &mut Catalog,
    login: &str,
    consent: Consent,
) -> Result<bool, ClaimsError> {
    let person = catalog
        .people()?
        .into_iter()
        .find(|p| login_key(&p.login) == login_key(login));
    if person.as_ref().is_some_and(|p| p.consent == consent) {
        return Ok(false);
    }
    let input = PersonInput {
        login: person
            .as_ref()
            .map_or_else(|| login.to_string(), |p| p.login.clone()),
        name: person.as_ref().and_then(|p| p.name.clone()),
        affiliation: person.as_ref().and_then(|p| p.affiliation.clone()),
        consent,
    };
    save_person(catalog, &input)?;
    Ok(true)
}

/// Every claim, with conflicts marked.
pub fn list(library: &Library) -> Result<Vec<ClaimView>, ClaimsError> {
    let (claims, people, faces) = library.read(|c| {
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
        Ok((claims, people, faces))
    })?;
    let names: HashMap<String, Option<String>> = people
        .into_iter()
        .map(|p| (login_key(&p.login), p.name))
        .collect();
    Ok(claims
        .iter()
        .map(|c| {
            let on = c.face_id.and_then(|f| faces.get(&f));
            let against = (c.state == ClaimState::Open)
                .then(|| conflict_with(c, &claims, on.and_then(|o| o.1.as_deref())))
                .flatten();
            ClaimView {
                issue: c.issue as u32,
                url: c.url.clone(),
                by: c.author.clone(),
                login: c.login.clone(),
                name: names.get(&login_key(&c.login)).cloned().flatten(),
                self_claim: login_key(&c.login) == login_key(&c.author),
                consent: c.consent,
                photo: on.map(|o| o.0),
                face: c.face_id.filter(|_| on.is_some()),
                state: match (c.state, &against) {
                    (ClaimState::Open, Some(_)) => "conflict",
                    (ClaimState::Open, None) => "open",
                    (ClaimState::Accepted, _) => "accepted",
                    (ClaimState::Rejected, _) => "rejected",
                }
                .to_string(),
                against,
            }
        })
        .collect())
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
                && o.state != ClaimState::Rejected
                && login_key(&o.login) != login_key(&c.login)
        })
        .map(|o| o.login.clone())
}

/// What accepting a claim did, and the face decision that takes its tag back (undo runs it, then
/// [`reopen`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Accepted {
    pub claim: ClaimView,
    pub photo_id: i64,
    pub undo: FaceDecision,
}

/// The organizer accepts a claim: the face is tagged with the login named (added to the roster
/// when missing, as when tagging), and a self-claim's consent becomes the attendee's.
pub fn accept(library: &Library, issue: u64) -> Result<Accepted, ClaimsError> {
    let claim = library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    if claim.state != ClaimState::Open {
        return Err(ClaimsError::Decided {
            issue,
            state: if claim.state == ClaimState::Accepted {
                "accepted"
            } else {
                "rejected"
            },
        });
    }
    let face = claim.face_id.ok_or(ClaimsError::FaceGone(issue))?;
    let photo = library
        .read(|c| c.face_on_photo(face))?
        .ok_or(ClaimsError::FaceGone(issue))?
        .photo_id;
    let mut catalog = library.catalog()?;
    let is_self = login_key(&claim.login) == login_key(&claim.author);
    if is_self {
        apply_consent(&mut catalog, &claim.login, claim.consent)?;
    }
    let change = decide(
        &mut catalog,
        photo,
        &FaceDecision::Tag {
            face,
            login: claim.login.clone(),
        },
    )?;
    catalog.write(|w| w.set_claim_state(issue, ClaimState::Accepted))?;
    Ok(Accepted {
        claim: view(library, issue)?,
        photo_id: photo,
        undo: change.undo,
    })
}

/// An accepted or rejected claim is open again (what undoing the decision does). The face's tag
/// is the face's own decision, undone by its own.
pub fn reopen(library: &Library, issue: u64) -> Result<ClaimView, ClaimsError> {
    library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    library
        .catalog()?
        .write(|w| w.set_claim_state(issue, ClaimState::Open))?;
    view(library, issue)
}

/// The organizer rejects a claim: it stays listed, never named.
pub fn reject(library: &Library, issue: u64) -> Result<ClaimView, ClaimsError> {
    library
        .read(|c| c.claim(issue))?
        .ok_or(ClaimsError::NoSuchClaim(issue))?;
    library
        .catalog()?
        .write(|w| w.set_claim_state(issue, ClaimState::Rejected))?;
    view(library, issue)
}

fn view(library: &Library, issue: u64) -> Result<ClaimView, ClaimsError> {
    list(library)?
        .into_iter()
        .find(|c| u64::from(c.issue) == issue)
        .ok_or(ClaimsError::NoSuchClaim(issue))
}
