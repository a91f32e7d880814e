//! Who an untagged face may be, from the faces already named: THE ranking of suggestions and
//! the grouping of alike faces. Reads embeddings from the catalog (made by `jobs`), writes the
//! candidates, suggestions and groups back, and never touches a tag: a suggestion becomes a
//! name only through `faces::decide`.
//!
//! A face is compared with every confirmed face of each person and takes the closest (so a
//! person seen from the side in one photo and from the front in another is matched by either).
//! Candidates above [`SUGGEST_AT`] are kept per face and person with the face that gave them,
//! so a tag or an untag updates only what it touches; then each touched photo chooses its
//! suggestions together ([`assign`]).
//!
//! An attendee's avatar (one clear face) speaks for them until they have a confirmed face, at
//! the stricter [`AVATAR_SUGGEST_AT`]; its matches are kept apart (`avatar_candidates`) and a
//! suggestion says which it came from.

mod assign;
mod groups;

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

pub use assign::assign;
pub use groups::{list as groups, regroup, Group, GroupFace, GROUP_AT, MEMBER_FLOOR};

use crate::catalog::{
    Candidate, CatalogError, EmbeddingsOf, StoredEmbedding, SuggestedFrom, Writer,
};
use crate::recognition::{Embedding, EMBEDDING_LEN, MODEL_VERSION};

/// The cosine similarity from which a face is suggested as someone. Calibrated on the
/// identity photos (`examples/bench_recognition.rs`, README): same-person pairs there lie
/// at 0.45–0.80, strangers at or below 0.35.
pub const SUGGEST_AT: f32 = 0.42;

/// The cosine similarity from which a face is suggested as someone by their avatar alone:
/// stricter than [`SUGGEST_AT`], since an avatar is one picture, often years old, cropped and
/// lit unlike event photos. Calibrated on the identity photos with one photo of each person as
/// their avatar (`examples/bench_recognition.rs`, README).
pub const AVATAR_SUGGEST_AT: f32 = 0.5;

/// Embeddings as one row-major matrix, for fast comparisons.
struct Matrix {
    ids: Vec<i64>,
    photos: Vec<i64>,
    people: Vec<Option<i64>>,
    values: Vec<f32>,
}

impl Matrix {
    fn with_capacity(n: usize) -> Self {
        Matrix {
            ids: Vec::with_capacity(n),
            photos: Vec::with_capacity(n),
            people: Vec::with_capacity(n),
            values: Vec::with_capacity(n * EMBEDDING_LEN),
        }
    }

    fn from(stored: Vec<StoredEmbedding>) -> Self {
        let mut m = Matrix::with_capacity(stored.len());
        for s in stored {
            m.push(s.face_id, s.photo_id, s.person_id, &s.vector);
        }
        m
    }

    /// The avatars with one face: `ids` and `people` are both the person.
    fn avatars(w: &Writer<'_>) -> Result<Self, CatalogError> {
        let stored = w.avatar_embeddings(MODEL_VERSION)?;
        let mut m = Matrix::with_capacity(stored.len());
        for (person, bytes) in stored {
            m.push(person, 0, Some(person), &bytes);
        }
        Ok(m)
    }

    /// A vector the catalog cannot read is left out, as if the face had none yet.
    fn push(&mut self, id: i64, photo: i64, person: Option<i64>, vector: &[u8]) {
        if Embedding::append_from_bytes(vector, &mut self.values) {
            self.ids.push(id);
            self.photos.push(photo);
            self.people.push(person);
        }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn row(&self, i: usize) -> &[f32] {
        &self.values[i * EMBEDDING_LEN..(i + 1) * EMBEDDING_LEN]
    }

    /// The rows that look like `face` from `at` on, with their scores.
    fn alike<'a>(&'a self, face: &'a [f32], at: f32) -> impl Iterator<Item = (usize, f32)> + 'a {
        (0..self.len()).filter_map(move |i| {
            let score = dot(face, self.row(i));
            (score >= at).then_some((i, score))
        })
    }
}

/// The unnamed faces that look like `avatar` enough to be suggested by it alone.
fn avatar_matches(avatar: &[f32], untagged: &Matrix) -> Vec<(i64, f32)> {
    untagged
        .alike(avatar, AVATAR_SUGGEST_AT)
        .map(|(u, score)| (untagged.ids[u], score))
        .collect()
}

/// After these people's avatars were stored (or replaced): what each avatar matches among the
/// unnamed faces is found again, and the photos concerned choose again.
pub fn avatars_changed(w: &Writer<'_>, people: &[i64]) -> Result<(), CatalogError> {
    let avatars = Matrix::avatars(w)?;
    let rows: Vec<Option<usize>> = people
        .iter()
        .map(|&person| avatars.ids.iter().position(|&p| p == person))
        .collect();
    // Avatars with no face only clear what their earlier versions matched.
    let untagged = if rows.iter().any(Option::is_some) {
        Matrix::from(w.embeddings(EmbeddingsOf::Untagged)?)
    } else {
        Matrix::with_capacity(0)
    };
    let mut photos = BTreeSet::new();
    for (&person, row) in people.iter().zip(rows) {
        let matches = match row {
            Some(i) => avatar_matches(avatars.row(i), &untagged),
            None => Vec::new(),
        };
        photos.extend(w.set_avatar_candidates(person, &matches)?);
    }
    choose(w, photos)
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// For `face`, the closest confirmed face of each person in `gallery`, when above the threshold.
fn best_per_person(face_id: i64, face: &[f32], gallery: &Matrix) -> Vec<Candidate> {
    let mut best: HashMap<i64, Candidate> = HashMap::new();
    for (j, score) in gallery.alike(face, SUGGEST_AT) {
        let Some(person_id) = gallery.people[j] else {
            continue;
        };
        let c = Candidate {
            face_id,
            person_id,
            score,
            via_face: gallery.ids[j],
            from: SuggestedFrom::Photos,
        };
        best.entry(person_id)
            .and_modify(|b| {
                if score > b.score {
                    *b = c
                }
            })
            .or_insert(c);
    }
    best.into_values().collect()
}

/// Chooses the suggestions of each photo again from its candidates.
fn choose(w: &Writer<'_>, photos: impl IntoIterator<Item = i64>) -> Result<(), CatalogError> {
    for photo in photos {
        let candidates = w.photo_candidates(photo)?;
        w.set_photo_suggestions(photo, &assign(&candidates))?;
    }
    Ok(())
}

/// After a rejection (or its undo) on these photos: candidates are as they were, but which of
/// them each photo may suggest changed, so the photos choose again.
pub fn photos_changed(
    w: &Writer<'_>,
    photos: impl IntoIterator<Item = i64>,
) -> Result<(), CatalogError> {
    choose(w, photos.into_iter().collect::<BTreeSet<_>>())
}

/// Brings candidates, suggestions and groups up to date after these faces changed (tagged,
/// untagged, hidden, moved, embedded, deleted or restored): `(photo, face)` pairs.
pub fn faces_changed(w: &Writer<'_>, changed: &[(i64, i64)]) -> Result<(), CatalogError> {
    let mut photos: BTreeSet<i64> = changed.iter().map(|(p, _)| *p).collect();
    let mut rescore: Vec<(i64, i64)> = Vec::new();
    for &(_, face) in changed {
        w.delete_candidates_of(face)?;
        for (other, person, photo) in w.take_candidates_via(face)? {
            rescore.push((other, person));
            photos.insert(photo);
        }
        groups::leave(w, face)?;
    }
    let ids: Vec<i64> = changed.iter().map(|(_, f)| *f).collect();
    let now = Matrix::from(w.embeddings(EmbeddingsOf::Faces(&ids))?);
    let tagged_now: Vec<usize> = (0..now.len())
        .filter(|&i| now.people[i].is_some())
        .collect();
    let untagged_now: Vec<usize> = (0..now.len())
        .filter(|&i| now.people[i].is_none())
        .collect();

    // Read once: a new reference is scored against every unnamed face, and a new unnamed face
    // is placed among them in a group.
    let untagged = if tagged_now.is_empty() && untagged_now.is_empty() {
        None
    } else {
        Some(Matrix::from(w.embeddings(EmbeddingsOf::Untagged)?))
    };
    if let Some(untagged) = untagged.as_ref().filter(|_| !tagged_now.is_empty()) {
        for &t in &tagged_now {
            for (u, score) in untagged.alike(now.row(t), SUGGEST_AT) {
                let raised = w.raise_candidate(&Candidate {
                    face_id: untagged.ids[u],
                    person_id: now.people[t].unwrap_or_default(),
                    score,
                    via_face: now.ids[t],
                    from: SuggestedFrom::Photos,
                })?;
                if raised {
                    photos.insert(untagged.photos[u]);
                }
            }
        }
    }
    // A person named for the first time stops being suggested by their avatar.
    for &t in &tagged_now {
        if let Some(person) = now.people[t] {
            photos.extend(w.avatar_candidate_photos(person)?);
        }
    }
    if !untagged_now.is_empty() {
        let avatars = Matrix::avatars(w)?;
        for &u in &untagged_now {
            for (a, score) in avatars.alike(now.row(u), AVATAR_SUGGEST_AT) {
                w.add_avatar_candidate(now.ids[u], avatars.ids[a], score)?;
            }
        }
    }
    if !untagged_now.is_empty() || !rescore.is_empty() {
        let gallery = Matrix::from(w.embeddings(EmbeddingsOf::Tagged)?);
        for &u in &untagged_now {
            for c in best_per_person(now.ids[u], now.row(u), &gallery) {
                w.raise_candidate(&c)?;
            }
        }
        let rescored: Vec<i64> = rescore.iter().map(|(face, _)| *face).collect();
        let faces = Matrix::from(w.embeddings(EmbeddingsOf::Faces(&rescored))?);
        for i in (0..faces.len()).filter(|&i| faces.people[i].is_none()) {
            for c in best_per_person(faces.ids[i], faces.row(i), &gallery) {
                if rescore.contains(&(c.face_id, c.person_id)) {
                    w.raise_candidate(&c)?;
                }
            }
        }
    }
    choose(w, photos)?;
    if let Some(untagged) = &untagged {
        let new: Vec<i64> = untagged_now.iter().map(|&i| now.ids[i]).collect();
        groups::join(w, untagged, &new)?;
    }
    Ok(())
}

/// After these people lost a confirmed face (untagged, renamed, deleted): one may have none
/// left, and then their avatar speaks for them again on the photos it matches.
pub fn people_released(w: &Writer<'_>, people: &[i64]) -> Result<(), CatalogError> {
    let mut photos = BTreeSet::new();
    for &person in people {
        photos.extend(w.avatar_candidate_photos(person)?);
    }
    choose(w, photos)
}

/// After a person's consent changed: the faces that were theirs (`untagged`, when they asked
/// not to be tagged) are suggested afresh, and every photo where they are a candidate chooses
/// again, so a `no-tag` attendee's suggestions vanish at once (and come back if they change
/// their mind).
pub fn consent_changed(
    w: &Writer<'_>,
    person_id: i64,
    untagged: &[(i64, i64)],
) -> Result<(), CatalogError> {
    faces_changed(w, untagged)?;
    choose(w, w.photos_with_candidate(person_id)?)
}

/// Scores every face waiting for a name against every confirmed face again, and chooses every
/// photo's suggestions. Groups are kept, with new faces joined to them.
pub fn refresh_all(w: &Writer<'_>) -> Result<(), CatalogError> {
    w.clear_candidates()?;
    let gallery = Matrix::from(w.embeddings(EmbeddingsOf::Tagged)?);
    let untagged = Matrix::from(w.embeddings(EmbeddingsOf::Untagged)?);
    let found: Vec<Candidate> = (0..untagged.len())
        .into_par_iter()
        .flat_map_iter(|u| best_per_person(untagged.ids[u], untagged.row(u), &gallery))
        .collect();
    for c in &found {
        w.raise_candidate(c)?;
    }
    let avatars = Matrix::avatars(w)?;
    for a in 0..avatars.len() {
        w.set_avatar_candidates(avatars.ids[a], &avatar_matches(avatars.row(a), &untagged))?;
    }
    choose(w, w.photos_with_candidates()?)?;
    groups::join(w, &untagged, &untagged.ids)?;
    Ok(())
}
