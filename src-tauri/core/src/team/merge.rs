//! What the records about one thing add up to, the same on every laptop whatever order they
//! arrived in: the latest decision wins (the team clock, then the laptop's id); decisions that
//! did not see each other and give a face different names are a conflict, shown until someone
//! picks; of an attendee's consents given without seeing each other, the more private wins.

use crate::catalog::{Claim, FaceState};
use crate::consent::Consent;
use crate::journal::{heads, later, Body, Record};
use crate::region::Region;

/// A record with the login of whoever made it (from their log's header).
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub record: Record,
    pub by: String,
}

/// What a face is, by the records about it.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceOutcome {
    pub region: Region,
    /// The region is where a person put the box: every laptop puts it there.
    pub placed: bool,
    pub login: Option<String>,
    pub state: FaceState,
    pub deleted: bool,
    /// Who made the winning decision, and when (wall milliseconds).
    pub by: String,
    pub at_ms: u64,
    /// The names given without seeing each other, when more than one (winner first).
    pub conflict: Option<Vec<Claim>>,
}

/// The outcome of the face records in `known` (all about one face); `None` when none is.
pub fn face(known: &[Known]) -> Option<FaceOutcome> {
    let records: Vec<Record> = known
        .iter()
        .filter(|k| matches!(k.record.body, Body::Face(_)))
        .map(|k| k.record.clone())
        .collect();
    let heads = heads(&records);
    let winner = *heads.first()?;
    let Body::Face(f) = &winner.body else {
        return None;
    };
    let by_of = |id: &str| {
        known
            .iter()
            .find(|k| k.record.id == id)
            .map(|k| k.by.clone())
            .unwrap_or_default()
    };
    let mut claims: Vec<Claim> = Vec::new();
    for head in &heads {
        let Body::Face(h) = &head.body else { continue };
        let Some(login) = h.login.as_ref().filter(|_| !h.deleted) else {
            continue;
        };
        let claim = Claim {
            login: login.clone(),
            by: by_of(&head.id),
        };
        if !claims
            .iter()
            .any(|c| c.login.eq_ignore_ascii_case(&claim.login))
        {
            claims.push(claim);
        }
    }
    Some(FaceOutcome {
        region: crate::journal::region_of(f.region),
        placed: f.placed || f.drawn,
        login: f.login.clone(),
        state: f.state(),
        deleted: f.deleted,
        by: by_of(&winner.id),
        at_ms: winner.at.ms,
        conflict: (claims.len() > 1).then_some(claims),
    })
}

/// What an attendee is, by the records about them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonOutcome {
    pub login: String,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub consent: Consent,
    pub asked: Option<Consent>,
    /// Who made the decision that gave the consent, and when: what a face untagged by it says.
    pub by: String,
    pub at_ms: u64,
}

pub fn person(known: &[Known]) -> Option<PersonOutcome> {
    let records: Vec<Record> = known
        .iter()
        .filter(|k| matches!(k.record.body, Body::Person(_)))
        .map(|k| k.record.clone())
        .collect();
    let heads = heads(&records);
    let Body::Person(p) = &heads.first()?.body else {
        return None;
    };
    // Consents given without seeing each other, and what the attendee asked: the more
    // private one wins.
    let persons = || {
        heads.iter().filter_map(|h| match &h.body {
            Body::Person(p) => Some(p),
            _ => None,
        })
    };
    let consent = persons()
        .map(|p| p.consent)
        .fold(p.consent, Consent::most_private);
    let asked = persons()
        .filter_map(|p| p.asked)
        .reduce(Consent::most_private);
    // Never below what the attendee asked, whatever a teammate's (older) build wrote.
    let consent = asked.map_or(consent, |a| consent.most_private(a));
    let decider = heads
        .iter()
        .find(|h| matches!(&h.body, Body::Person(p) if p.consent == consent))
        .unwrap_or(&heads[0]);
    let by = known
        .iter()
        .find(|k| k.record.id == decider.id)
        .map(|k| k.by.clone())
        .unwrap_or_default();
    Some(PersonOutcome {
        login: p.login.clone(),
        name: p.name.clone(),
        affiliation: p.affiliation.clone(),
        consent,
        asked,
        by,
        at_ms: decider.at.ms,
    })
}

/// Whether the latest rejection record of a face and login says it is rejected.
pub fn rejected(known: &[Known]) -> Option<bool> {
    known
        .iter()
        .filter_map(|k| match &k.record.body {
            Body::Reject(r) => Some((&k.record, r.rejected)),
            _ => None,
        })
        .max_by(|a, b| later(a.0, b.0))
        .map(|(_, rejected)| rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{FaceRecord, Stamp};

    fn face_record(id: &str, ms: u64, login: Option<&str>, after: &[&str]) -> Known {
        Known {
            record: Record {
                id: id.into(),
                at: Stamp { ms, n: 0 },
                body: Body::Face(FaceRecord {
                    photo: "00112233445566778899aabbccddeeff".into(),
                    face: "aaaaaaaaaaaaaaaa.1".into(),
                    region: [0.1, 0.1, 0.1, 0.1],
                    drawn: false,
                    placed: false,
                    login: login.map(str::to_string),
                    state: None,
                    deleted: false,
                    after: after.iter().map(|a| a.to_string()).collect(),
                }),
            },
            by: if id.starts_with('a') {
                "paco"
            } else {
                "mengjiao"
            }
            .into(),
        }
    }

    #[test]
    fn names_given_without_seeing_each_other_conflict_until_one_is_picked() {
        let a = face_record("aaaaaaaaaaaaaaaa.1", 10, Some("alice"), &[]);
        let b = face_record("bbbbbbbbbbbbbbbb.1", 20, Some("bob"), &[]);
        let both = face(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(both.login.as_deref(), Some("bob"), "the later one shows");
        let names: Vec<_> = both
            .conflict
            .unwrap()
            .into_iter()
            .map(|c| c.login)
            .collect();
        assert_eq!(names, ["bob", "alice"]);
        // The same outcome in the other order.
        assert_eq!(face(&[b.clone(), a.clone()]), face(&[a.clone(), b.clone()]));
        // A pick that saw both settles it, even with an earlier wall clock.
        let pick = face_record(
            "aaaaaaaaaaaaaaaa.2",
            21,
            Some("alice"),
            &["aaaaaaaaaaaaaaaa.1", "bbbbbbbbbbbbbbbb.1"],
        );
        let settled = face(&[a, b, pick]).unwrap();
        assert_eq!(settled.login.as_deref(), Some("alice"));
        assert_eq!(settled.conflict, None);
        assert_eq!(settled.by, "paco");
    }

    #[test]
    fn a_change_of_mind_is_no_conflict() {
        let a = face_record("aaaaaaaaaaaaaaaa.1", 10, Some("alice"), &[]);
        let b = face_record(
            "bbbbbbbbbbbbbbbb.1",
            20,
            Some("bob"),
            &["aaaaaaaaaaaaaaaa.1"],
        );
        let outcome = face(&[a, b]).unwrap();
        assert_eq!(outcome.login.as_deref(), Some("bob"));
        assert_eq!(outcome.conflict, None);
    }
}
