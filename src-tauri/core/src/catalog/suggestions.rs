//! Queries on `face_candidates`, `face_suggestions`, `rejected_suggestions` and `face_groups`.
//! What they mean (who may be suggested, one login per photo) is decided in `suggestions`.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Reader, Result, Writer};
use crate::consent::Consent;

/// A login suggested for a face, not yet confirmed (`faces list` entries carry it).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestion {
    pub login: String,
    /// Cosine similarity with the closest confirmed face of that person, or with their avatar.
    pub score: f32,
    pub from: SuggestedFrom,
}

/// What a suggestion compared the face with.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SuggestedFrom {
    /// The person's confirmed faces in the photos.
    #[default]
    Photos,
    /// Their avatar: only while they have no confirmed face.
    Avatar,
}

impl SuggestedFrom {
    fn as_str(self) -> &'static str {
        match self {
            Self::Photos => "photos",
            Self::Avatar => "avatar",
        }
    }

    pub(super) fn parse(s: &str) -> Self {
        if s == "avatar" {
            Self::Avatar
        } else {
            Self::Photos
        }
    }
}

/// A person a face may be, with how close it is to them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub face_id: i64,
    pub person_id: i64,
    pub score: f32,
    /// The person's confirmed face that gave the score (0 for an avatar).
    pub via_face: i64,
    pub from: SuggestedFrom,
}

/// One photo as suggestions see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoCandidates {
    /// Faces waiting for a name, each with the people it may be (rejections left out).
    pub candidates: Vec<(Candidate, Consent)>,
    /// People already tagged on the photo.
    pub tagged: Vec<i64>,
}

impl Reader {
    /// Photos where this person's avatar matches a face.
    pub fn avatar_candidate_photos(&self, person_id: i64) -> Result<Vec<i64>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT f.photo_id FROM avatar_candidates a JOIN faces f ON f.id = a.face_id
             WHERE a.person_id = ?1",
        )?;
        let rows = stmt.query_map([person_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn photo_candidates(&self, photo_id: i64) -> Result<PhotoCandidates> {
        let conn = &self.conn;
        let candidates = {
            // An avatar speaks for a person only until they have a confirmed face.
            let mut stmt = conn.prepare_cached(
                "SELECT c.face_id, c.person_id, c.score, c.via_face, pe.consent, 'photos'
                 FROM faces f JOIN face_candidates c ON c.face_id = f.id
                 JOIN people pe ON pe.id = c.person_id
                 LEFT JOIN rejected_suggestions r ON r.face_id = c.face_id
                   AND r.person_id = c.person_id
                 WHERE f.photo_id = ?1 AND f.person_id IS NULL AND f.state = 'unreviewed'
                   AND r.face_id IS NULL
                 UNION ALL
                 SELECT a.face_id, a.person_id, a.score, 0, pe.consent, 'avatar'
                 FROM faces f JOIN avatar_candidates a ON a.face_id = f.id
                 JOIN people pe ON pe.id = a.person_id
                 LEFT JOIN rejected_suggestions r ON r.face_id = a.face_id
                   AND r.person_id = a.person_id
                 WHERE f.photo_id = ?1 AND f.person_id IS NULL AND f.state = 'unreviewed'
                   AND r.face_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM faces t
                                   WHERE t.person_id = a.person_id AND t.state = 'confirmed')",
            )?;
            let rows = stmt.query_map([photo_id], |r| {
                let consent: String = r.get(4)?;
                let from: String = r.get(5)?;
                Ok((
                    Candidate {
                        face_id: r.get(0)?,
                        person_id: r.get(1)?,
                        score: r.get(2)?,
                        via_face: r.get(3)?,
                        from: SuggestedFrom::parse(&from),
                    },
                    Consent::from_stored(&consent),
                ))
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let tagged = {
            let mut stmt = conn.prepare_cached(
                "SELECT DISTINCT person_id FROM faces WHERE photo_id = ?1 AND person_id IS NOT NULL",
            )?;
            let rows = stmt.query_map([photo_id], |r| r.get(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        Ok(PhotoCandidates { candidates, tagged })
    }

    /// Photos that have at least one candidate.
    pub fn photos_with_candidates(&self) -> Result<Vec<i64>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT f.photo_id FROM face_candidates c JOIN faces f ON f.id = c.face_id
             UNION SELECT DISTINCT f.photo_id FROM avatar_candidates a JOIN faces f ON f.id = a.face_id
             UNION SELECT photo_id FROM face_suggestions",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Photos where `person` is a candidate for some face.
    pub fn photos_with_candidate(&self, person_id: i64) -> Result<Vec<i64>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT f.photo_id FROM face_candidates c JOIN faces f ON f.id = c.face_id
             WHERE c.person_id = ?1
             UNION SELECT DISTINCT f.photo_id FROM avatar_candidates a JOIN faces f ON f.id = a.face_id
             WHERE a.person_id = ?1",
        )?;
        let rows = stmt.query_map([person_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The suggestion on a face: (person id, login, score).
    pub fn suggestion(&self, face_id: i64) -> Result<Option<(i64, String, f32)>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT s.person_id, p.login, s.score FROM face_suggestions s
                 JOIN people p ON p.id = s.person_id WHERE s.face_id = ?1",
            )?
            .query_row([face_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    }

    pub fn suggestion_count(&self) -> Result<u64> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT COUNT(*) FROM face_suggestions")?
            .query_row([], |r| r.get(0))?)
    }

    /// Every grouped face: (group, face).
    pub fn group_members(&self) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached("SELECT group_id, face_id FROM face_groups")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn next_group_id(&self) -> Result<i64> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT COALESCE(MAX(group_id), 0) + 1 FROM face_groups")?
            .query_row([], |r| r.get(0))?)
    }

    /// Groups of faces waiting for a name.
    pub fn face_groups(&self) -> Result<Vec<StoredGroup>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT g.group_id, f.photo_id, f.id, sp.login FROM face_groups g
             JOIN faces f ON f.id = g.face_id
             LEFT JOIN face_suggestions s ON s.face_id = f.id LEFT JOIN people sp ON sp.id = s.person_id
             WHERE f.person_id IS NULL AND f.state = 'unreviewed'
             ORDER BY g.group_id, f.photo_id, f.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                GroupedFace {
                    photo: r.get(1)?,
                    face: r.get(2)?,
                },
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out: Vec<StoredGroup> = Vec::new();
        for row in rows {
            let (group, face, login) = row?;
            match out.last_mut() {
                Some(last) if last.id == group => {
                    last.faces.push(face);
                    last.suggested.extend(login);
                }
                _ => out.push(StoredGroup {
                    id: group,
                    faces: vec![face],
                    suggested: login.into_iter().collect(),
                }),
            }
        }
        Ok(out)
    }
}

impl Writer<'_> {
    pub fn delete_candidates_of(&self, face_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("DELETE FROM face_candidates WHERE face_id = ?1")?
            .execute([face_id])?;
        conn.prepare_cached("DELETE FROM avatar_candidates WHERE face_id = ?1")?
            .execute([face_id])?;
        Ok(())
    }

    /// Replaces the faces a person's avatar matches; returns the photos concerned, before and
    /// after.
    pub fn set_avatar_candidates(
        &self,
        person_id: i64,
        matches: &[(i64, f32)],
    ) -> Result<Vec<i64>> {
        let conn = &self.conn;
        let mut photos = self.avatar_candidate_photos(person_id)?;
        conn.prepare_cached("DELETE FROM avatar_candidates WHERE person_id = ?1")?
            .execute([person_id])?;
        let mut insert = conn.prepare_cached(
            "INSERT OR REPLACE INTO avatar_candidates (face_id, person_id, score) VALUES (?1, ?2, ?3)",
        )?;
        for (face, score) in matches {
            insert.execute(params![face, person_id, score])?;
        }
        photos.extend(self.avatar_candidate_photos(person_id)?);
        Ok(photos)
    }

    pub fn add_avatar_candidate(&self, face_id: i64, person_id: i64, score: f32) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO avatar_candidates (face_id, person_id, score) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![face_id, person_id, score])?;
        Ok(())
    }

    /// Removes the candidates `via_face` gave; returns (face, person, photo) of each.
    pub fn take_candidates_via(&self, via_face: i64) -> Result<Vec<(i64, i64, i64)>> {
        let conn = &self.conn;
        let taken = {
            let mut stmt = conn.prepare_cached(
                "SELECT c.face_id, c.person_id, f.photo_id FROM face_candidates c
                 JOIN faces f ON f.id = c.face_id WHERE c.via_face = ?1",
            )?;
            let rows = stmt.query_map([via_face], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        conn.prepare_cached("DELETE FROM face_candidates WHERE via_face = ?1")?
            .execute([via_face])?;
        Ok(taken)
    }

    /// Keeps a candidate when it beats the known one for its face and person.
    pub fn raise_candidate(&self, c: &Candidate) -> Result<bool> {
        let conn = &self.conn;
        let changed = conn
            .prepare_cached(
                "INSERT INTO face_candidates (face_id, person_id, score, via_face)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(face_id, person_id) DO UPDATE SET score = excluded.score,
                   via_face = excluded.via_face WHERE excluded.score > face_candidates.score",
            )?
            .execute(params![c.face_id, c.person_id, c.score, c.via_face])?;
        Ok(changed > 0)
    }

    pub fn clear_candidates(&self) -> Result<()> {
        let conn = &self.conn;
        conn.execute_batch(
            "DELETE FROM face_candidates; DELETE FROM avatar_candidates; DELETE FROM face_suggestions;",
        )?;
        Ok(())
    }

    /// Replaces the suggestions on a photo.
    pub fn set_photo_suggestions(&self, photo_id: i64, chosen: &[Candidate]) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("DELETE FROM face_suggestions WHERE photo_id = ?1")?
            .execute([photo_id])?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO face_suggestions (face_id, photo_id, person_id, score, source)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in chosen {
            insert.execute(params![
                c.face_id,
                photo_id,
                c.person_id,
                c.score,
                c.from.as_str()
            ])?;
        }
        Ok(())
    }

    pub fn reject_suggestion(&self, face_id: i64, person_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO rejected_suggestions (face_id, person_id) VALUES (?1, ?2)",
        )?
        .execute([face_id, person_id])?;
        Ok(())
    }

    pub fn unreject_suggestion(&self, face_id: i64, person_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "DELETE FROM rejected_suggestions WHERE face_id = ?1 AND person_id = ?2",
        )?
        .execute([face_id, person_id])?;
        Ok(())
    }

    pub fn set_face_group(&self, face_id: i64, group_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO face_groups (face_id, group_id) VALUES (?1, ?2)",
        )?
        .execute([face_id, group_id])?;
        Ok(())
    }

    /// Takes a face out of its group (a group left with one face is dissolved).
    pub fn leave_face_group(&self, face_id: i64) -> Result<Option<i64>> {
        let conn = &self.conn;
        let group: Option<i64> = conn
            .prepare_cached("SELECT group_id FROM face_groups WHERE face_id = ?1")?
            .query_row([face_id], |r| r.get(0))
            .optional()?;
        if let Some(g) = group {
            conn.prepare_cached("DELETE FROM face_groups WHERE face_id = ?1")?
                .execute([face_id])?;
            conn.prepare_cached(
                "DELETE FROM face_groups WHERE group_id = ?1
                   AND (SELECT COUNT(*) FROM face_groups WHERE group_id = ?1) < 2",
            )?
            .execute([g])?;
        }
        Ok(group)
    }
}

/// A face of a group, as `faces groups` lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GroupedFace {
    pub photo: i64,
    pub face: i64,
}

/// A group of faces waiting for a name, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredGroup {
    pub id: i64,
    pub faces: Vec<GroupedFace>,
    /// The logins suggested for its faces, one per suggested face.
    pub suggested: Vec<String>,
}
