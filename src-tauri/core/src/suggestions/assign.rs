//! One login per photo: the suggestions of a photo are chosen together, best score first, so two
//! faces of one photo never get the same login and a login already tagged there is not offered.

use std::collections::HashSet;

use crate::catalog::{Candidate, PhotoCandidates};

/// Chooses at most one person per face and one face per person on a photo: people already
/// tagged there and people who asked not to be tagged are left out; the rest are taken by score,
/// so a face whose best match is taken by a closer face gets its next best.
pub fn assign(photo: &PhotoCandidates) -> Vec<Candidate> {
    let mut open: Vec<&Candidate> = photo
        .candidates
        .iter()
        .filter(|(_, consent)| consent.may_tag())
        .map(|(c, _)| c)
        .filter(|c| !photo.tagged.contains(&c.person_id))
        .collect();
    open.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.face_id.cmp(&b.face_id))
            .then(a.person_id.cmp(&b.person_id))
    });
    let mut faces = HashSet::new();
    let mut people = HashSet::new();
    let mut chosen = Vec::new();
    for c in open {
        if !faces.contains(&c.face_id) && !people.contains(&c.person_id) {
            faces.insert(c.face_id);
            people.insert(c.person_id);
            chosen.push(*c);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Consent;

    fn c(face_id: i64, person_id: i64, score: f32) -> (Candidate, Consent) {
        (
            Candidate {
                face_id,
                person_id,
                score,
                via_face: 0,
                from: crate::catalog::SuggestedFrom::Photos,
            },
            Consent::Ok,
        )
    }

    fn pairs(chosen: &[Candidate]) -> Vec<(i64, i64)> {
        let mut p: Vec<_> = chosen.iter().map(|c| (c.face_id, c.person_id)).collect();
        p.sort();
        p
    }

    #[test]
    fn two_faces_alike_get_one_login_and_the_closer_face_wins() {
        let photo = PhotoCandidates {
            candidates: vec![c(1, 10, 0.6), c(2, 10, 0.7), c(1, 11, 0.5)],
            tagged: vec![],
        };
        assert_eq!(pairs(&assign(&photo)), vec![(1, 11), (2, 10)]);
    }

    #[test]
    fn a_login_tagged_on_the_photo_is_not_suggested_there() {
        let photo = PhotoCandidates {
            candidates: vec![c(1, 10, 0.9), c(1, 11, 0.5)],
            tagged: vec![10],
        };
        assert_eq!(pairs(&assign(&photo)), vec![(1, 11)]);
    }

    #[test]
    fn no_tag_attendees_are_never_suggested() {
        let mut no_tag = c(1, 10, 0.9);
        no_tag.1 = Consent::NoTag;
        let photo = PhotoCandidates {
            candidates: vec![no_tag],
            tagged: vec![],
        };
        assert!(assign(&photo).is_empty());
    }
}
