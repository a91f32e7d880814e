//! Issues into claims: an attendee's privacy request applies here, at once; every other answer
//! waits for the organizer's review ([`super::review`]).

use std::collections::HashMap;
use std::path::Path;

use super::answer::{self, Who};
use super::issues::{parse as parse_issues, Issue, IssueError, Shape, MAX_FILE};
use super::link::{issue_url, parse_repo, repo_of_issue};
use super::reference::FaceRef;
use super::{ClaimFailure, ClaimReport, ClaimsError};
use crate::catalog::{CatalogError, ClaimState, StoredClaim, Writer};
use crate::consent::Consent;
use crate::library::Library;
use crate::login::login_key;
use crate::people::{request_consent, Asker};
use crate::region::Region;

/// A reference matches a face of this library when their boxes overlap this much.
const MATCH_IOU: f64 = 0.5;

/// Issues as a listing gave them, with the errors of those it could not read.
pub struct Listing<'a> {
    pub issues: &'a [Issue],
    pub errors: Vec<IssueError>,
    /// The event's repository as the organizer named it now (`--repo`); otherwise the one the
    /// library knows, or the one every issue's address names.
    pub repo: Option<&'a str>,
}

/// Reads a file `gh issue list --json …` wrote (UTF-8, or UTF-16 as PowerShell writes it) and
/// imports its claims.
pub fn import_file(
    library: &Library,
    path: &Path,
    repo: Option<&str>,
) -> Result<ClaimReport, ClaimsError> {
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
    import(
        library,
        Listing {
            issues: &issues,
            errors,
            repo,
        },
    )
}

/// What one issue amounts to before it is written.
enum Outcome {
    /// A claim to keep, and the consent its author asks for themselves, applied at once.
    Keep(Box<StoredClaim>, Option<(String, Consent)>),
    /// An open claim the issue's closing drops.
    Drop(u64),
    Skip,
}

/// Why an issue is no claim.
enum Refused {
    /// The error listed, and the privacy its author asked for themselves in it, which applies
    /// even so.
    Answer {
        error: String,
        privacy: Option<(String, Consent)>,
    },
    /// The library could not be read: the import stops.
    Catalog(CatalogError),
}

impl From<String> for Refused {
    fn from(error: String) -> Self {
        Self::Answer {
            error,
            privacy: None,
        }
    }
}

impl From<CatalogError> for Refused {
    fn from(e: CatalogError) -> Self {
        Self::Catalog(e)
    }
}

/// Imports issues as claims.
pub fn import(library: &Library, listing: Listing<'_>) -> Result<ClaimReport, ClaimsError> {
    let issues = listing.issues;
    let mut report = ClaimReport {
        read: (issues.len() + listing.errors.len()) as u32,
        errors: listing
            .errors
            .into_iter()
            .map(|e| ClaimFailure {
                issue: e.issue as u32,
                error: e.error,
            })
            .collect(),
        ..ClaimReport::default()
    };
    let mut catalog = library.catalog()?;
    let repo = catalog.write(|w| event_repo(w, listing.repo, issues))?;
    let mut faces = FacesByContent::default();
    catalog.write(|w| {
        for issue in issues {
            let kept = w.claim(issue.number)?;
            let read = read_issue(w, issue, kept.as_ref(), repo.as_ref(), &mut faces);
            let privacy = match read {
                Ok(Outcome::Keep(claim, privacy)) => {
                    report.claims += 1;
                    report.self_claims += u32::from(claim.is_self());
                    if kept.as_ref() != Some(&*claim) {
                        w.put_claim(&claim)?;
                    }
                    privacy
                }
                Ok(Outcome::Drop(n)) => {
                    w.delete_claim(n)?;
                    report.withdrawn += 1;
                    None
                }
                Ok(Outcome::Skip) => None,
                Err(Refused::Catalog(e)) => return Err(e),
                Err(Refused::Answer { error, privacy }) => {
                    let error = match kept.as_ref() {
                        Some(k) => withdraw(w, k, &error, &mut report)?,
                        None => error,
                    };
                    report.errors.push(ClaimFailure {
                        issue: issue.number as u32,
                        error,
                    });
                    privacy
                }
            };
            if let Some((login, consent)) = privacy {
                if request_consent(w, &login, consent, Asker::Attendee)?.changed() {
                    report.consent += 1;
                }
            }
        }
        Ok::<_, CatalogError>(())
    })?;
    Ok(report)
}

/// The repository the issues' addresses must be in: the one named now (kept as the event's),
/// else the event's, else the one every address names (kept as the event's).
fn event_repo(
    w: &Writer<'_>,
    named: Option<&str>,
    issues: &[Issue],
) -> Result<Option<(String, String)>, ClaimsError> {
    if let Some(r) = named {
        let repo = parse_repo(r).ok_or_else(|| ClaimsError::BadRepo(r.to_string()))?;
        w.set_event_repository(Some(&format!("{}/{}", repo.0, repo.1)))?;
        return Ok(Some(repo));
    }
    if let Some(known) = w.event_repository()?.as_deref().and_then(parse_repo) {
        return Ok(Some(known));
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for issue in issues {
        if let Some(r) = repo_of_issue(&issue.url, issue.number) {
            if !found
                .iter()
                .any(|f| f.0.eq_ignore_ascii_case(&r.0) && f.1.eq_ignore_ascii_case(&r.1))
            {
                found.push(r);
            }
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => {
            let repo = found.remove(0);
            w.set_event_repository(Some(&format!("{}/{}", repo.0, repo.1)))?;
            Ok(Some(repo))
        }
        _ => Err(ClaimsError::WhichRepo(
            found
                .iter()
                .map(|(o, r)| format!("{o}/{r}"))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Reads one issue against what is kept: a claim to keep (and a consent its author asks for
/// themselves), a claim to drop, nothing, or why it is no claim.
fn read_issue(
    w: &Writer<'_>,
    issue: &Issue,
    kept: Option<&StoredClaim>,
    repo: Option<&(String, String)>,
    faces: &mut FacesByContent,
) -> Result<Outcome, Refused> {
    let url = match repo {
        Some((owner, name)) => {
            let in_repo = repo_of_issue(&issue.url, issue.number).is_some_and(|(o, r)| {
                o.eq_ignore_ascii_case(owner) && r.eq_ignore_ascii_case(name)
            });
            if !in_repo {
                return Err(format!(
                    "its address is not issue #{} of the event's repository {owner}/{name}",
                    issue.number
                )
                .into());
            }
            issue_url(owner, name, issue.number)
        }
        None => String::new(),
    };
    if issue.closed == Some(true) {
        return Ok(match kept {
            Some(k) if k.state != ClaimState::Accepted && !asks_privacy(w, k)? => {
                Outcome::Drop(k.issue)
            }
            _ => Outcome::Skip,
        });
    }
    let answer = answer::parse(&issue.body).map_err(|e| e.to_string())?;
    let login = match answer.who {
        Who::Me => issue.author.clone(),
        Who::Login(l) => l,
    };
    let is_self = login_key(&login) == login_key(&issue.author);
    // The author's own word about their privacy applies whatever else the issue holds.
    let privacy = answer
        .consent
        .filter(|c| is_self && *c != Consent::Ok)
        .map(|c| (login.clone(), c));
    let refuse = |error: String| Refused::Answer {
        error,
        privacy: privacy.clone(),
    };
    let named = w.person(&login)?;
    if !is_self && kept.is_none() && named.as_ref().is_some_and(|p| !p.consent.may_tag()) {
        return Err(refuse(format!(
            "the answer names @{login}, who asked not to be named (no-tag): no claim is kept"
        )));
    }
    let face = FaceRef::find(&issue.body).map_err(|e| refuse(e.to_string()))?;
    let face_id = faces.find(w, &face)?.ok_or_else(|| {
        refuse("the photo or the face it points to is not in this library".to_string())
    })?;
    let body_hash = blake3::hash(issue.body.as_bytes()).to_hex().to_string();
    let state = match kept {
        // An answer changed after it was accepted is reviewed again, unless it still names the
        // same person on the same face.
        Some(k) if k.body_hash != body_hash && k.state == ClaimState::Accepted => {
            if login_key(&k.login) == login_key(&login) && k.face_id == Some(face_id) {
                ClaimState::Accepted
            } else {
                ClaimState::Open
            }
        }
        // Edited back into an answer that reads.
        Some(k) if k.state == ClaimState::Withdrawn => ClaimState::Open,
        Some(k) => k.state,
        None => ClaimState::Open,
    };
    let claim = StoredClaim {
        issue: issue.number,
        url,
        author: issue.author.clone(),
        login,
        consent: answer.consent.filter(|_| is_self),
        photo_hash: face.hash,
        region: face.region,
        face_id: Some(face_id),
        state,
        body_hash,
        created_at: issue.created_at.clone(),
        undo: kept
            .filter(|k| k.state == state)
            .and_then(|k| k.undo.clone()),
        reason: None,
    };
    Ok(Outcome::Keep(Box::new(claim), privacy))
}

/// Whether a kept claim asks for privacy: its author's own, or that of the attendee it names.
fn asks_privacy(w: &Writer<'_>, k: &StoredClaim) -> Result<bool, CatalogError> {
    if k.is_self() && k.consent.is_some_and(|c| c != Consent::Ok) {
        return Ok(true);
    }
    Ok(w.person(&k.login)?
        .is_some_and(|p| !p.consent.may_publish()))
}

/// An issue that was a claim no longer reads, or is refused: an open claim is withdrawn, unless
/// it asks for privacy, which stays; an accepted one stays (the organizer decided). The error
/// to list.
fn withdraw(
    w: &Writer<'_>,
    k: &StoredClaim,
    error: &str,
    report: &mut ClaimReport,
) -> Result<String, CatalogError> {
    if k.state == ClaimState::Accepted {
        return Ok(format!(
            "{error}; the claim accepted before stays accepted (reject it to take its name back)"
        ));
    }
    if k.state != ClaimState::Open {
        return Ok(error.to_string());
    }
    if asks_privacy(w, k)? {
        return Ok(format!(
            "{error}; the privacy its answer asked for before still applies"
        ));
    }
    w.put_claim(&StoredClaim {
        state: ClaimState::Withdrawn,
        reason: Some(error.to_string()),
        undo: None,
        ..k.clone()
    })?;
    report.withdrawn += 1;
    Ok(format!("{error}; the claim it made before is withdrawn"))
}

/// The visible faces of each photo content an import has looked at, read once per content.
#[derive(Default)]
struct FacesByContent(HashMap<String, Vec<(i64, Region)>>);

impl FacesByContent {
    /// The visible face of a photo with this content whose box matches the reference best.
    fn find(&mut self, w: &Writer<'_>, r: &FaceRef) -> Result<Option<i64>, CatalogError> {
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
