//! Who an export may name and whose head it blurs: the one home of the consent rule for
//! everything that leaves the library (figures, "who is who" images, the gallery, XMP sidecars
//! and the dry-run summary). Exports read a [`Publication`]; none of them looks at consent.
//!
//! The rule, for every face of a photo:
//! - a hidden face (ignored, not a face) is not published at all: no box, no blur, no name;
//! - an untagged face is published as an unnamed box;
//! - a tagged face is named only when its attendee's consent is `ok`. Every other case
//!   (`no-publish`, a consent this build cannot read, a login the roster does not know) is
//!   blurred and unnamed: the safe default, [`Consent::UNKNOWN`];
//! - an attendee's own word applies before anyone reviews it: a face an answer asks privacy
//!   for (`Face::asked`: an attendee's `no-publish` about themselves, or an answer naming a
//!   `no-publish` attendee) is blurred and unnamed; one an answer asks `no-tag` for keeps no
//!   name (a name it disputes is withheld until the organizer decides);
//! - only a face shown unblurred that no answer asks privacy for offers a claim link.

use std::collections::{HashMap, HashSet};

use crate::catalog::{CatalogError, Face, Person};
use crate::consent::Consent;
use crate::faces::{looks_posed, reading_order, who_is_who_in};
use crate::library::Library;
use crate::login::login_key;
use crate::region::Region;

/// Someone named on a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub login: String,
    pub name: Option<String>,
}

impl Named {
    /// "Kevin Wang (@kevin-wangzefeng)", or "@login" without a name.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} (@{})", self.login),
            None => format!("@{}", self.login),
        }
    }

    /// The name, or "@login" without one.
    pub fn short(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("@{}", self.login))
    }
}

/// A face as an export shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFace {
    pub face_id: i64,
    pub region: Region,
    /// Who it is, when they may be named.
    pub person: Option<Named>,
    /// The face carries a login that may not be published: its head is blurred.
    pub blurred: bool,
    /// Its row, 1-based from the top (`None` on a photo read left to right), and its place in
    /// the reading order of the photo's visible faces.
    pub row: Option<u32>,
    pub place: usize,
    /// Whether visitors may be asked who it is (the gallery's claim link).
    pub claimable: bool,
}

/// What one photo publishes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhotoPublication {
    /// Every visible face (hidden ones left out), in the catalog's order.
    pub faces: Vec<PublishedFace>,
    /// The named faces in reading order: the legend's numbering.
    pub named: Vec<(Named, Region)>,
    /// Whether the people stand or sit together for the photo (a group photo), rather than
    /// being seen at a meeting, in an audience or at a talk.
    pub posed: bool,
}

impl PhotoPublication {
    /// Regions whose heads must be blurred.
    pub fn blurred(&self) -> Vec<Region> {
        self.faces
            .iter()
            .filter(|f| f.blurred)
            .map(|f| f.region)
            .collect()
    }

    /// How many visible faces the photo has, named or not.
    pub fn visible(&self) -> usize {
        self.faces.len()
    }

    /// Every visible face in reading order.
    pub fn in_reading_order(&self) -> Vec<&PublishedFace> {
        let mut faces: Vec<&PublishedFace> = self.faces.iter().collect();
        faces.sort_by_key(|f| f.place);
        faces
    }

    /// The named people, in reading order.
    pub fn people(&self) -> Vec<Named> {
        self.named.iter().map(|(n, _)| n.clone()).collect()
    }
}

/// Who a set of photos names and blurs, counted across photos: the dry-run summary's figures.
#[derive(Debug, Default)]
pub struct Reach {
    named: HashSet<String>,
    blurred: HashSet<String>,
    blurred_faces: u64,
}

impl Reach {
    /// Attendees named on at least one photo.
    pub fn named_people(&self) -> u64 {
        self.named.len() as u64
    }

    /// Attendees blurred on at least one photo.
    pub fn blurred_people(&self) -> u64 {
        self.blurred.len() as u64
    }

    /// Faces blurred, on all photos.
    pub fn blurred_faces(&self) -> u64 {
        self.blurred_faces
    }
}

/// The roster's consent, read once for a whole export.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    consent: HashMap<String, Consent>,
    people: Vec<Person>,
}

impl Publication {
    pub fn new(people: Vec<Person>) -> Self {
        Self {
            consent: people
                .iter()
                .map(|p| (login_key(&p.login), p.consent))
                .collect(),
            people,
        }
    }

    /// Reads the roster of `library`.
    pub fn load(library: &Library) -> Result<Self, CatalogError> {
        Ok(Self::new(library.read(|c| c.people())?))
    }

    /// The consent that applies to `login`; a login the roster does not know counts as
    /// [`Consent::UNKNOWN`].
    fn consent(&self, login: &str) -> Consent {
        self.consent
            .get(&login_key(login))
            .copied()
            .unwrap_or(Consent::UNKNOWN)
    }

    /// Whether `login` may be named in an exported file.
    pub fn may_name(&self, login: &str) -> bool {
        self.consent(login).may_publish()
    }

    /// Whether this face is named in an export: its login may be, and no answer about it asks
    /// for privacy.
    pub fn may_name_face(&self, face: &Face) -> bool {
        face.asked.is_none() && face.login.as_deref().is_some_and(|l| self.may_name(l))
    }

    /// Whether this face's head is blurred in an export: it carries a login that may not be
    /// published, or an answer about it asks `no-publish`.
    fn blurs(&self, face: &Face) -> bool {
        face.login.as_deref().is_some_and(|l| !self.may_name(l))
            || face.asked == Some(Consent::NoPublish)
    }

    /// The attendees who may be named anywhere, in roster order.
    pub fn publishable_people(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.consent.may_publish())
    }

    /// The attendees whose names no export may carry (`no-publish`, `no-tag`, or a consent this
    /// build cannot read), in roster order.
    pub fn withheld_people(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| !p.consent.may_publish())
    }

    /// What a photo with these faces publishes.
    pub fn photo(&self, faces: &[Face]) -> PhotoPublication {
        let order = reading_order(faces);
        let placed: HashMap<i64, (usize, Option<u32>)> = order
            .iter()
            .enumerate()
            .map(|(i, p)| (p.face_id, (i, p.row)))
            .collect();
        let published = faces
            .iter()
            .filter(|f| !f.state.is_hidden())
            .map(|f| {
                let blurred = self.blurs(f);
                let named = f.login.as_deref().filter(|_| self.may_name_face(f));
                PublishedFace {
                    face_id: f.id,
                    region: f.region(),
                    person: named.map(|login| Named {
                        login: login.to_string(),
                        name: f.name.clone(),
                    }),
                    blurred,
                    row: placed.get(&f.id).and_then(|p| p.1),
                    place: placed.get(&f.id).map_or(usize::MAX, |p| p.0),
                    claimable: !blurred && f.asked.is_none(),
                }
            })
            .collect::<Vec<_>>();
        let named = who_is_who_in(&order, faces, |f| self.may_name_face(f))
            .into_iter()
            .filter_map(|e| {
                let face = faces.iter().find(|f| f.id == e.face_id)?;
                Some((
                    Named {
                        login: e.login,
                        name: e.name,
                    },
                    face.region(),
                ))
            })
            .collect();
        let shown: Vec<&Face> = faces.iter().filter(|f| !f.state.is_hidden()).collect();
        PhotoPublication {
            posed: order.iter().any(|p| p.row.is_some()) || looks_posed(&shown),
            faces: published,
            named,
        }
    }

    /// Counts what a photo with these faces adds to `reach`. The logins of blurred faces are
    /// only counted here, never handed to an export.
    pub fn add_to_reach(&self, faces: &[Face], reach: &mut Reach) {
        for face in faces.iter().filter(|f| !f.state.is_hidden()) {
            if self.blurs(face) {
                reach.blurred_faces += 1;
            }
            let Some(login) = face.login.as_deref() else {
                continue;
            };
            if self.may_name_face(face) {
                reach.named.insert(login_key(login));
            } else if self.blurs(face) {
                reach.blurred.insert(login_key(login));
            }
        }
    }

    /// Reads a photo's faces from the library and decides what it publishes.
    pub fn photo_in(
        &self,
        library: &Library,
        photo_id: i64,
    ) -> Result<PhotoPublication, CatalogError> {
        Ok(self.photo(&library.read(|c| c.faces(photo_id))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{FaceSource, FaceState};

    fn person(login: &str, consent: Consent) -> Person {
        Person {
            id: 0,
            login: login.into(),
            name: Some(format!("Name of {login}")),
            affiliation: None,
            consent,
            asked: None,
            faces: 1,
            photos: 1,
            best_face: None,
            best_face_crop: None,
            avatar_hash: None,
            avatar: None,
            profile_url: String::new(),
        }
    }

    fn face(id: i64, login: Option<&str>, state: FaceState) -> Face {
        Face {
            id,
            x: 0.1 * id as f64,
            y: 0.1,
            w: 0.05,
            h: 0.05,
            crop: String::new(),
            score: None,
            source: FaceSource::Manual,
            login: login.map(str::to_string),
            name: login.map(|l| format!("Name of {l}")),
            state,
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

    /// Every case of the rule, decided in one place: (face, named?, blurred?, visible?).
    #[test]
    fn every_consent_case_is_decided_here() {
        let publication = Publication::new(vec![
            person("Ok-Person", Consent::Ok),
            person("private", Consent::NoPublish),
            person("notag", Consent::NoTag),
        ]);
        let cases = [
            (
                face(1, Some("ok-person"), FaceState::Confirmed),
                true,
                false,
                true,
            ),
            (
                face(2, Some("private"), FaceState::Confirmed),
                false,
                true,
                true,
            ),
            (
                face(3, Some("notag"), FaceState::Confirmed),
                false,
                true,
                true,
            ),
            (
                face(4, Some("stranger"), FaceState::Confirmed),
                false,
                true,
                true,
            ),
            (
                face(5, Some("ok-person"), FaceState::Ignored),
                false,
                false,
                false,
            ),
            (face(6, None, FaceState::NotAFace), false, false, false),
            (face(7, None, FaceState::Unreviewed), false, false, true),
        ];
        for (f, named, blurred, visible) in cases {
            let p = publication.photo(std::slice::from_ref(&f));
            let shown = p.faces.first();
            assert_eq!(shown.is_some(), visible, "visible: {f:?}");
            assert_eq!(
                shown.is_some_and(|s| s.person.is_some()),
                named,
                "named: {f:?}"
            );
            assert_eq!(p.named.len() == 1, named, "legend: {f:?}");
            assert_eq!(p.blurred().len() == 1, blurred, "blurred: {f:?}");
        }
        assert_eq!(
            publication
                .publishable_people()
                .map(|p| p.login.as_str())
                .collect::<Vec<_>>(),
            ["Ok-Person"]
        );
    }
}
