//! People: the attendee roster, GitHub logins and consent.

mod login;
pub mod roster;

pub use login::{is_legacy, login_key, parse_login, LoginError};

use serde::Serialize;

/// What an attendee agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Consent {
    /// Tag and publish.
    #[default]
    #[serde(rename = "ok")]
    Ok,
    /// Never suggested or tagged.
    #[serde(rename = "no-tag")]
    NoTag,
    /// Tagged privately, but blurred and unnamed in every export.
    #[serde(rename = "no-publish")]
    NoPublish,
}

impl Consent {
    /// Reads the spellings registration systems use; an empty cell means the default, `ok`.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "" | "ok" | "yes" | "y" | "true" | "1" | "granted" | "tagandpublish" => Some(Self::Ok),
            "notag" | "donottag" | "notagging" => Some(Self::NoTag),
            "nopublish" | "private" | "donotpublish" | "nopublication" => Some(Self::NoPublish),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::NoTag => "no-tag",
            Self::NoPublish => "no-publish",
        }
    }
}

use crate::catalog::{Catalog, CatalogError, Upserted};

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
            let (_, what) = w.upsert_person(
                &e.login,
                e.name.as_deref(),
                e.affiliation.as_deref(),
                Some(e.consent),
            )?;
            match what {
                Upserted::Added => report.added += 1,
                Upserted::Updated => report.updated += 1,
                Upserted::Unchanged => report.unchanged += 1,
            }
        }
        Ok::<_, CatalogError>(())
    })?;
    report.people = catalog.people()?.len() as u64;
    Ok(report)
}
