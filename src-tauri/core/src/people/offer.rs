//! Who to offer for a face while tagging, best first: the typeahead's order is decided here
//! and the window only shows it.

use std::collections::HashSet;

use serde::Serialize;

use crate::catalog::{Face, Person};
use crate::login::login_key;

/// How many people the typeahead shows.
pub const OFFERED: usize = 8;

/// The people to offer for a query, and whether the text typed is itself a roster login (then
/// Enter takes the text, not the first suggestion).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Offer {
    pub people: Vec<Person>,
    pub exact: bool,
}

/// Ranks the roster for `query`: the face's suggestion first (when it matches what was typed),
/// then login prefix, then a word of the name, then anywhere in the login, then anywhere in the
/// name; more faces first, then by login. People who asked not to be tagged are never offered;
/// people already on the photo (`elsewhere_on_photo`: the other faces of the photo) go to the
/// end, since one login appears at most once per photo.
pub fn offer(
    roster: &[Person],
    query: &str,
    elsewhere_on_photo: &[Face],
    suggested: Option<&str>,
) -> Offer {
    let suggested = suggested.map(login_key);
    let q = query.trim().trim_start_matches('@').to_lowercase();
    let here: HashSet<String> = elsewhere_on_photo
        .iter()
        .filter_map(|f| f.login.as_deref().map(login_key))
        .collect();
    let mut scored: Vec<(u32, &Person)> = roster
        .iter()
        .filter(|p| p.consent.may_tag())
        .filter_map(|p| {
            let login = p.login.to_lowercase();
            let name = p.name.as_deref().unwrap_or("").to_lowercase();
            let score = if q.is_empty() {
                4
            } else if login.starts_with(&q) {
                0
            } else if name.split_whitespace().any(|w| w.starts_with(&q)) {
                1
            } else if login.contains(&q) {
                2
            } else if name.contains(&q) {
                3
            } else {
                return None;
            };
            let key = login_key(&p.login);
            let here = if here.contains(&key) { 10 } else { 0 };
            let first = suggested.as_deref() == Some(key.as_str());
            Some((if first { 0 } else { score + 1 + here }, p))
        })
        .collect();
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.faces.cmp(&a.1.faces))
            .then_with(|| a.1.login.cmp(&b.1.login))
    });
    Offer {
        exact: !q.is_empty() && roster.iter().any(|p| login_key(&p.login) == q),
        people: scored
            .into_iter()
            .take(OFFERED)
            .map(|(_, p)| p.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{FaceSource, FaceState};
    use crate::consent::Consent;

    fn person(login: &str, name: &str, faces: u32, consent: Consent) -> Person {
        Person {
            id: 0,
            login: login.into(),
            name: Some(name.into()),
            affiliation: None,
            consent,
            asked: None,
            faces,
            photos: 0,
            best_face: None,
            best_face_crop: None,
            avatar_hash: None,
            avatar: None,
            profile_url: String::new(),
        }
    }

    fn tagged(login: &str) -> Face {
        Face {
            id: 1,
            x: 0.0,
            y: 0.0,
            w: 0.1,
            h: 0.1,
            crop: String::new(),
            score: None,
            source: FaceSource::Manual,
            login: Some(login.into()),
            name: None,
            state: FaceState::Confirmed,
            suggestion: None,
            group: None,
            by: None,
            decided_at: None,
            conflict: None,
            claim: None,
            asked: None,
            row_fix: None,
        }
    }

    fn logins(o: &Offer) -> Vec<&str> {
        o.people.iter().map(|p| p.login.as_str()).collect()
    }

    #[test]
    fn best_matches_first_no_tag_never_people_on_the_photo_last() {
        let roster = [
            person("kevin-wang", "Kevin Wang", 3, Consent::Ok),
            person("wangkev", "Kev Wang", 9, Consent::Ok),
            person("hidden-kev", "Kevin Hidden", 50, Consent::NoTag),
            person("akevin", "Someone", 1, Consent::Ok),
            person("lixiang", "李想", 2, Consent::NoPublish),
        ];
        let o = offer(&roster, "@Kev", &[], None);
        assert_eq!(logins(&o), ["kevin-wang", "wangkev", "akevin"]);
        assert!(!o.exact);
        let o = offer(&roster, "kev", &[tagged("Kevin-Wang")], None);
        assert_eq!(logins(&o), ["wangkev", "akevin", "kevin-wang"]);
        let o = offer(&roster, "李", &[], None);
        assert_eq!(logins(&o), ["lixiang"]);
        assert!(offer(&roster, "WANGKEV", &[], None).exact);
        assert!(!offer(&roster, "hidden", &[], None)
            .people
            .iter()
            .any(|p| p.login == "hidden-kev"));
        assert_eq!(offer(&roster, "", &[], None).people.len(), 4);
        // The face's suggestion comes first, when it matches what was typed.
        let o = offer(&roster, "", &[], Some("akevin"));
        assert_eq!(logins(&o)[0], "akevin");
        let o = offer(&roster, "kev", &[], Some("AKevin"));
        assert_eq!(logins(&o), ["akevin", "kevin-wang", "wangkev"]);
        let o = offer(&roster, "wang", &[], Some("akevin"));
        assert!(!logins(&o).contains(&"akevin"));
    }
}
