//! Attendees name themselves. The gallery's links open a prefilled issue in the event's GitHub
//! repository ([`link`]); the answers come back as issues (a `gh issue list` file, or the REST
//! API when the organizer asks, [`github`]) and become claims: who answered (the issue's author,
//! whom GitHub proved), whom they named, the consent they asked for, and the face, found by
//! photo content and box whatever the photo's path here. The organizer accepts or rejects each;
//! a claim never names anyone in an export until accepted.
//!
//! THE rules of claims live here ([`import`] and [`review`]):
//! - an attendee's own word about their privacy applies at import, before any review: a
//!   self-claim asking `no-publish` or `no-tag` changes that attendee at once (added to the
//!   roster when missing), and the face it points to is blurred or left unnamed, with no claim
//!   link, until the organizer rejects the claim (`Face::asked`, read by `publication`);
//! - a consent is never made less private by an answer: accepting one that asks for less keeps
//!   the attendee's consent unless the organizer confirms (`lower_consent`);
//! - a `no-tag` attendee is never named: a claim naming them is refused, or withdrawn when they
//!   became `no-tag` after it, and accepting it fails; their own answer against a name on a
//!   face is a dispute that withholds the name until the organizer decides;
//! - answers are read strictly (`me` or one login); an issue edited into an answer that cannot
//!   be read withdraws its claim (never a privacy it asked for);
//! - rejecting an accepted claim takes its tag back;
//! - re-importing the same issues changes nothing, an edited issue updates its claim, a closed
//!   issue drops an open claim that asks no privacy.

mod answer;
pub mod github;
mod import;
mod issues;
pub mod link;
mod reference;
mod review;

use serde::Serialize;

pub use answer::{Answer, AnswerError, Who};
pub use import::{import, import_file, Listing};
pub use issues::{parse as parse_issues, Issue, IssueError, Shape, MAX_BODY, MAX_FILE};
pub use reference::{FaceRef, RefError};
pub use review::{accept, list, reject, reopen, Accepted, Rejected};

use crate::catalog::CatalogError;
use crate::consent::Consent;
use crate::faces::{FaceDecision, TagError};
use crate::people::ConsentChange;

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
    #[error("{0:?} is not a repository: write OWNER/REPO")]
    BadRepo(String),
    #[error("the issues are from {found}, not from the event's repository {event}: import them with --repo {found} to make it the event's")]
    OtherRepo { found: String, event: String },
    #[error("the issues name several repositories ({0}): say which is the event's with --repo OWNER/REPO")]
    WhichRepo(String),
    #[error("there is no claim from issue #{0} (see `whoiswho claims list`)")]
    NoSuchClaim(u64),
    #[error("the face of issue #{0} is not in this library any more")]
    FaceGone(u64),
    #[error("the claim of issue #{issue} was already {state}")]
    Decided { issue: u64, state: &'static str },
    #[error("issue #{issue} names @{login}, who asked not to be named (no-tag): no answer can name them; reject it, or leave it")]
    NeverNamed { issue: u64, login: String },
    #[error("issue #{issue}: @{login} asks not to be named on a face that carries no other name: there is nothing to accept; the face stays unnamed")]
    NothingToAccept { issue: u64, login: String },
    #[error(transparent)]
    Tag(#[from] TagError),
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
    /// Consent changes applied at once: attendees asking for more privacy about themselves.
    pub consent: u32,
    /// Claims withdrawn: their issues were edited into answers that cannot be read or are
    /// refused, or closed.
    pub withdrawn: u32,
    /// Issues that are no claim (an error each); the answers that cannot be read among them.
    pub errors: Vec<ClaimFailure>,
}

/// A claim as the organizer reviews it (element of `claims list --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaimView {
    pub issue: u32,
    /// The issue's address in the event's repository; empty when it is not one.
    pub url: String,
    /// Who answered.
    pub by: String,
    /// Whom they named.
    pub login: String,
    /// The attendee's name from the roster, when known.
    pub name: Option<String>,
    /// Whether the login named is in the roster.
    pub roster: bool,
    #[serde(rename = "self")]
    pub self_claim: bool,
    /// The consent the answer asked for (only an attendee's answer about themselves has one);
    /// `None`: no change.
    pub consent: Option<Consent>,
    pub photo: Option<i64>,
    pub face: Option<i64>,
    /// `open`, `accepted`, `rejected`, `conflict` (another name is on the face, or in another
    /// open claim), `dispute` (an attendee asking `no-tag` about a face named someone else: the
    /// name is withheld until the organizer decides; accept takes it off, reject keeps it) or
    /// `withdrawn` (it names a `no-tag` attendee, or its issue no longer reads).
    pub state: String,
    /// For a conflict or a dispute: the other name (another claim's, or the face's).
    pub against: Option<String>,
    /// Accepting it as it asks would make the attendee less private than they are now: only
    /// with the organizer's plain confirmation (`--lower-consent`).
    pub lowers: Option<ConsentChange>,
    /// Why it was withdrawn.
    pub reason: Option<String>,
}

/// The face decision a claim's accept made, and how it is kept (JSON).
fn decision_text(d: &FaceDecision) -> Option<String> {
    serde_json::to_string(d).ok()
}

fn decision_of(text: &str) -> Option<FaceDecision> {
    serde_json::from_str(text).ok()
}
