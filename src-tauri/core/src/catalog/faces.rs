//! Queries on `faces` and `face_detections`.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{Reader, Result, SuggestedFrom, Writer};
use crate::region::Region;

/// Where a box came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FaceSource {
    Auto,
    Manual,
    Imported,
}

/// What a person decided about a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FaceState {
    Unreviewed,
    Confirmed,
    Ignored,
    NotAFace,
}

impl FaceSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Manual => "manual",
            Self::Imported => "imported",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "manual" => Self::Manual,
            "imported" => Self::Imported,
            _ => Self::Auto,
        }
    }
}

impl FaceState {
    /// Hidden from the viewer's default view, the legend and every export: a person said the
    /// box is not a face, or to ignore it (a stranger in the background).
    pub fn is_hidden(self) -> bool {
        matches!(self, Self::Ignored | Self::NotAFace)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreviewed => "unreviewed",
            Self::Confirmed => "confirmed",
            Self::Ignored => "ignored",
            Self::NotAFace => "not_a_face",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "confirmed" => Self::Confirmed,
            "ignored" => Self::Ignored,
            "not_a_face" => Self::NotAFace,
            _ => Self::Unreviewed,
        }
    }
}

/// A face box on a photo (element of `whoiswho faces list PHOTO --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Face {
    pub id: i64,
    /// Normalized 0..1, top-left origin, in displayed-image coordinates.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// The name of the face's crop ([`crate::region::Region::crop_key`]): the window keeps a
    /// crop for good under an address with it.
    pub crop: String,
    /// Detector confidence; `None` for boxes a person drew or another tool wrote.
    pub score: Option<f32>,
    pub source: FaceSource,
    pub login: Option<String>,
    pub name: Option<String>,
    pub state: FaceState,
    /// Who recognition thinks this untagged face is; never exported until confirmed.
    pub suggestion: Option<super::Suggestion>,
    /// The group of alike untagged faces this face is in.
    pub group: Option<i64>,
    /// Who made the face's current decision, in a team (`None` for the detector, or
    /// outside a team).
    pub by: Option<String>,
    /// When that decision was made (ISO-8601, UTC).
    pub decided_at: Option<String>,
    /// The names teammates gave it without having seen each other's, until someone picks.
    pub conflict: Option<Vec<super::Claim>>,
    /// What an attendee answered about it in the event's repository (the latest issue still
    /// standing that may name someone: never one naming a `no-tag` attendee); never exported
    /// until accepted.
    pub claim: Option<super::FaceClaim>,
    /// The privacy an answer about this face asks for until the organizer rejects it: the
    /// consent an attendee asked for in their own answer, or the consent of the attendee an
    /// answer names (`no-publish`: blurred; `no-tag`: left unnamed; both: no claim link).
    pub asked: Option<crate::consent::Consent>,
    /// The row a person put the face in when they fixed its photo's rows by hand (1-based from
    /// the back; 0: the photo is read left to right); `None`: the rule's row. Not in the JSON:
    /// `row` there is the row every output uses, the fix included.
    #[serde(skip)]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub row_fix: Option<u32>,
}

impl Face {
    pub fn region(&self) -> Region {
        Region {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }
}

/// A box to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFace {
    pub region: Region,
    pub score: Option<f32>,
    pub landmarks: Option<Vec<f64>>,
    pub source: FaceSource,
    pub state: FaceState,
    pub person_id: Option<i64>,
}

impl NewFace {
    /// A box a person drew or another tool wrote: no score or landmarks; confirmed when it
    /// names someone, waiting for a name otherwise.
    pub fn given(region: Region, source: FaceSource, person_id: Option<i64>) -> Self {
        Self {
            region,
            score: None,
            landmarks: None,
            source,
            state: if person_id.is_some() {
                FaceState::Confirmed
            } else {
                FaceState::Unreviewed
            },
            person_id,
        }
    }
}

fn face(r: &Row<'_>) -> rusqlite::Result<Face> {
    let source: String = r.get(6)?;
    let state: String = r.get(9)?;
    let suggested: Option<String> = r.get(10)?;
    let score: Option<f32> = r.get(11)?;
    let from: Option<String> = r.get(12)?;
    let region = Region {
        x: r.get(1)?,
        y: r.get(2)?,
        w: r.get(3)?,
        h: r.get(4)?,
    };
    Ok(Face {
        id: r.get(0)?,
        x: region.x,
        y: region.y,
        w: region.w,
        h: region.h,
        crop: region.crop_key(),
        score: r.get(5)?,
        source: FaceSource::parse(&source),
        login: r.get(7)?,
        name: r.get(8)?,
        state: FaceState::parse(&state),
        suggestion: suggested
            .zip(score)
            .map(|(login, score)| super::Suggestion {
                login,
                score,
                from: SuggestedFrom::parse(from.as_deref().unwrap_or_default()),
            }),
        group: r.get(13)?,
        by: r.get(14)?,
        conflict: r
            .get::<_, Option<String>>(15)?
            .and_then(|c| serde_json::from_str(&c).ok()),
        decided_at: r.get(16)?,
        claim: match (
            r.get::<_, Option<String>>(17)?,
            r.get::<_, Option<String>>(18)?,
        ) {
            (Some(login), Some(by)) => Some(super::FaceClaim {
                login,
                by,
                issue: r.get::<_, i64>(19)? as u32,
            }),
            _ => None,
        },
        asked: match r.get::<_, Option<i64>>(20)? {
            Some(2) => Some(crate::consent::Consent::NoTag),
            Some(1) => Some(crate::consent::Consent::NoPublish),
            _ => None,
        },
        row_fix: r
            .get::<_, Option<i64>>(21)?
            .and_then(|r| u32::try_from(r).ok()),
    })
}

const COLUMNS: &str = "f.id, f.x, f.y, f.w, f.h, f.score, f.source, p.login, p.name, f.state,
    sp.login, s.score, s.source, g.group_id, ts.decided_by, ts.conflict,
    strftime('%Y-%m-%dT%H:%M:%SZ', ts.decided_ms / 1000, 'unixepoch'),
    c.login, c.author, c.issue,
    (SELECT MAX(CASE WHEN c2.state = 'open' AND lower(c2.login) = lower(c2.author)
                     THEN MAX(CASE c2.consent WHEN 'no-tag' THEN 2 WHEN 'no-publish' THEN 1 ELSE 0 END,
                              CASE pp.consent WHEN 'no-tag' THEN 2 WHEN 'no-publish' THEN 1 ELSE 0 END)
                     ELSE CASE pp.consent WHEN 'no-tag' THEN 2 WHEN 'no-publish' THEN 1 ELSE 0 END END)
     FROM claims c2 LEFT JOIN people pp ON pp.login_key = lower(c2.login)
     WHERE c2.face_id = f.id AND c2.state IN ('open', 'accepted')),
    f.row_fix";
/// How many columns [`COLUMNS`] holds: a query that reads more after them starts here.
const FACE_COLUMNS: usize = 22;
// The last column but one ranks consents as `Consent` does (ok 0, no-publish 1, no-tag 2): an open
// answer about oneself counts with the consent it asks for, every standing answer with the
// consent of the attendee it names.

/// The person on a face, its suggestion and its group, for [`COLUMNS`].
const JOINS: &str = "LEFT JOIN people p ON p.id = f.person_id
    LEFT JOIN face_suggestions s ON s.face_id = f.id LEFT JOIN people sp ON sp.id = s.person_id
    LEFT JOIN face_groups g ON g.face_id = f.id
    LEFT JOIN team_face_state ts ON ts.face_id = f.id
    LEFT JOIN claims c ON c.issue = (SELECT MAX(c1.issue) FROM claims c1
        WHERE c1.face_id = f.id AND c1.state IN ('open', 'accepted')
          AND NOT (lower(c1.login) = lower(c1.author) AND c1.consent = 'no-tag')
          AND NOT EXISTS (SELECT 1 FROM people n
                          WHERE n.login_key = lower(c1.login) AND n.consent = 'no-tag'))";

impl Reader {
    pub fn faces(&self, photo_id: i64) -> Result<Vec<Face>> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT {COLUMNS} FROM faces f {JOINS}
             WHERE f.photo_id = ?1 ORDER BY f.y, f.x, f.id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([photo_id], face)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn face(&self, photo_id: i64, face_id: i64) -> Result<Option<Face>> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT {COLUMNS} FROM faces f {JOINS}
             WHERE f.photo_id = ?1 AND f.id = ?2"
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(params![photo_id, face_id], face)
            .optional()?)
    }

    /// Photos whose rows a person fixed by hand.
    pub fn photos_with_row_fix(&self) -> Result<Vec<i64>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT photo_id FROM faces WHERE row_fix IS NOT NULL ORDER BY photo_id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Faces someone decided something about: (photo, face).
    pub fn decided_faces(&self) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT photo_id, id FROM faces
             WHERE person_id IS NOT NULL OR state != 'unreviewed' OR source != 'auto'
             ORDER BY photo_id, id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A face's box, source, state and login, without its suggestion and group.
    pub fn face_brief(&self, face_id: i64) -> Result<Option<FaceBrief>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(&format!("{BRIEF} WHERE f.id = ?1"))?
            .query_row([face_id], brief)
            .optional()?)
    }

    pub fn face_briefs(&self, photo_id: i64) -> Result<Vec<FaceBrief>> {
        let conn = &self.conn;
        let mut stmt =
            conn.prepare_cached(&format!("{BRIEF} WHERE f.photo_id = ?1 ORDER BY f.id"))?;
        let rows = stmt.query_map([photo_id], brief)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether a box with this id exists, live or deleted.
    pub fn face_known(&self, face_id: i64) -> Result<bool> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM faces WHERE id = ?1)
                     OR EXISTS(SELECT 1 FROM deleted_faces WHERE id = ?1)",
            )?
            .query_row([face_id], |r| r.get(0))?)
    }

    /// A deleted box's place, source and state, while it is kept for undo.
    pub fn deleted_face(&self, face_id: i64) -> Result<Option<(Region, FaceSource, FaceState)>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT x, y, w, h, source, state FROM deleted_faces WHERE id = ?1")?
            .query_row([face_id], |r| {
                let source: String = r.get(4)?;
                let state: String = r.get(5)?;
                Ok((
                    Region {
                        x: r.get(0)?,
                        y: r.get(1)?,
                        w: r.get(2)?,
                        h: r.get(3)?,
                    },
                    FaceSource::parse(&source),
                    FaceState::parse(&state),
                ))
            })
            .optional()?)
    }

    /// A face by id alone, with its photo.
    pub fn face_on_photo(&self, face_id: i64) -> Result<Option<FaceOnPhoto>> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT {COLUMNS}, ph.id, ph.width, ph.height FROM faces f
             JOIN photos ph ON ph.id = f.photo_id {JOINS}
             WHERE f.id = ?1"
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([face_id], face_on_photo)
            .optional()?)
    }

    /// The first `limit` faces of the triage queue (largest first) and the queue's length.
    pub fn untagged_faces(&self, limit: u32) -> Result<(Vec<FaceOnPhoto>, u64)> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT {COLUMNS}, ph.id, ph.width, ph.height FROM faces f
             JOIN photos ph ON ph.id = f.photo_id {JOINS}
             WHERE f.person_id IS NULL AND f.state = 'unreviewed'
             ORDER BY f.w * ph.width * f.h * ph.height DESC, f.id LIMIT ?1"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([limit], face_on_photo)?;
        let faces = rows.collect::<Result<_, _>>()?;
        let total = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM faces WHERE person_id IS NULL AND state = 'unreviewed'",
            )?
            .query_row([], |r| r.get(0))?;
        Ok((faces, total))
    }

    /// The faces tagged with a person: (photo, face).
    pub fn faces_of_person(&self, person_id: i64) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt =
            conn.prepare_cached("SELECT photo_id, id FROM faces WHERE person_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Untagged faces suggested as this login, best match first.
    pub fn suggested_as(&self, login: &str) -> Result<Vec<FaceOnPhoto>> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT {COLUMNS}, ph.id, ph.width, ph.height FROM faces f
             JOIN photos ph ON ph.id = f.photo_id {JOINS}
             WHERE sp.login_key = ?1 AND f.person_id IS NULL AND ph.missing = 0
             ORDER BY s.score DESC, f.id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([crate::login::login_key(login)], face_on_photo)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Present photos not yet searched for faces by `model` in their current content:
    /// (id, path, hash, orientation).
    pub fn awaiting_detection(&self, model: &str) -> Result<Vec<(i64, String, String, u8)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.path, p.hash, p.orientation FROM photos p
             LEFT JOIN face_detections d ON d.photo_id = p.id AND d.hash = p.hash AND d.model = ?1
             WHERE p.missing = 0 AND d.photo_id IS NULL ORDER BY p.sort_time, p.id",
        )?;
        let rows = stmt.query_map([model], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether the face search has looked at this photo's content.
    pub fn photo_searched(&self, photo_id: i64) -> Result<bool> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM face_detections d JOIN photos p ON p.id = d.photo_id
                 WHERE p.id = ?1 AND d.hash = p.hash)",
            )?
            .query_row([photo_id], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    pub fn insert_face(&self, photo_id: i64, f: &NewFace) -> Result<i64> {
        let conn = &self.conn;
        let landmarks = f
            .landmarks
            .as_ref()
            .map(|l| serde_json::to_string(l).unwrap_or_default());
        // The id is above every live and deleted box, so restoring a deleted box never collides.
        conn.prepare_cached(
            "INSERT INTO faces (id, photo_id, x, y, w, h, score, landmarks, source, state, person_id)
             VALUES (MAX(COALESCE((SELECT MAX(id) FROM faces), 0),
                         COALESCE((SELECT MAX(id) FROM deleted_faces), 0)) + 1,
                     ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            photo_id,
            f.region.x,
            f.region.y,
            f.region.w,
            f.region.h,
            f.score,
            landmarks,
            f.source.as_str(),
            f.state.as_str(),
            f.person_id
        ])?;
        Ok(conn.last_insert_rowid())
    }

    /// Drops the automatic, unreviewed, untagged boxes of a photo before it is searched again.
    pub fn delete_replaceable_faces(&self, photo_id: i64) -> Result<usize> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "DELETE FROM faces WHERE photo_id = ?1 AND source = 'auto'
                   AND state = 'unreviewed' AND person_id IS NULL",
            )?
            .execute([photo_id])?)
    }

    pub fn set_face_person(
        &self,
        face_id: i64,
        person_id: Option<i64>,
        state: FaceState,
    ) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "UPDATE faces SET person_id = ?1, state = ?2,
               updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?3",
        )?
        .execute(params![person_id, state.as_str(), face_id])?;
        Ok(())
    }

    /// Moves or resizes a box; an automatic box becomes manual.
    pub fn set_face_region(&self, face_id: i64, r: &Region) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "UPDATE faces SET x = ?1, y = ?2, w = ?3, h = ?4,
               source = CASE source WHEN 'auto' THEN 'manual' ELSE source END,
               updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?5",
        )?
        .execute(params![r.x, r.y, r.w, r.h, face_id])?;
        Ok(())
    }

    /// Sets the row a person put a face in; `None` gives it back to the rule.
    pub fn set_face_row_fix(&self, face_id: i64, row: Option<u32>) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("UPDATE faces SET row_fix = ?1 WHERE id = ?2")?
            .execute(params![row, face_id])?;
        Ok(())
    }

    /// Deletes a box, keeping it for [`Writer::restore_face`].
    pub fn delete_face(&self, face_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO deleted_faces
               (id, photo_id, x, y, w, h, score, landmarks, source, state, person_id)
             SELECT id, photo_id, x, y, w, h, score, landmarks, source, state, person_id
             FROM faces WHERE id = ?1",
        )?
        .execute([face_id])?;
        conn.prepare_cached("DELETE FROM faces WHERE id = ?1")?
            .execute([face_id])?;
        Ok(())
    }

    /// Brings a deleted box back with the same id; false when there is none.
    pub fn restore_face(&self, photo_id: i64, face_id: i64) -> Result<bool> {
        let conn = &self.conn;
        let restored = conn
            .prepare_cached(
                "INSERT INTO faces (id, photo_id, x, y, w, h, score, landmarks, source, state, person_id)
                 SELECT id, photo_id, x, y, w, h, score, landmarks, source, state, person_id
                 FROM deleted_faces WHERE id = ?1 AND photo_id = ?2",
            )?
            .execute(params![face_id, photo_id])?;
        conn.prepare_cached("DELETE FROM deleted_faces WHERE id = ?1 AND photo_id = ?2")?
            .execute(params![face_id, photo_id])?;
        Ok(restored == 1)
    }

    /// Takes a person's login off all their faces; returns how many.
    pub fn untag_person(&self, person_id: i64) -> Result<usize> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "UPDATE faces SET person_id = NULL, state = 'unreviewed',
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE person_id = ?1",
            )?
            .execute([person_id])?)
    }

    pub fn record_detection(
        &self,
        photo_id: i64,
        hash: &str,
        model: &str,
        error: Option<&str>,
    ) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT INTO face_detections (photo_id, hash, model, error) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(photo_id) DO UPDATE SET hash = excluded.hash, model = excluded.model,
               error = excluded.error, detected_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )?
        .execute(params![photo_id, hash, model, error])?;
        Ok(())
    }

    /// Makes every photo be searched again by the next search (manual work is kept).
    pub fn forget_detections(&self) -> Result<usize> {
        let conn = &self.conn;
        Ok(conn.execute("DELETE FROM face_detections", [])?)
    }
}

/// A face as the team needs it, without its suggestion and group: its box, whether a detector
/// scored it, its source, state and login.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceBrief {
    pub id: i64,
    pub region: Region,
    pub source: FaceSource,
    pub scored: bool,
    pub state: FaceState,
    pub login: Option<String>,
}

fn brief(r: &Row<'_>) -> rusqlite::Result<FaceBrief> {
    let source: String = r.get(5)?;
    let state: String = r.get(7)?;
    Ok(FaceBrief {
        id: r.get(0)?,
        region: Region {
            x: r.get(1)?,
            y: r.get(2)?,
            w: r.get(3)?,
            h: r.get(4)?,
        },
        source: FaceSource::parse(&source),
        scored: r.get::<_, Option<f64>>(6)?.is_some(),
        state: FaceState::parse(&state),
        login: r.get(8)?,
    })
}

const BRIEF: &str = "SELECT f.id, f.x, f.y, f.w, f.h, f.source, f.score, f.state, p.login
    FROM faces f LEFT JOIN people p ON p.id = f.person_id";

/// A face, the photo it is on, and that photo's displayed size: enough to crop it or list it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FaceOnPhoto {
    pub photo_id: i64,
    pub photo_width: u32,
    pub photo_height: u32,
    pub face: Face,
}

fn face_on_photo(r: &Row<'_>) -> rusqlite::Result<FaceOnPhoto> {
    Ok(FaceOnPhoto {
        face: face(r)?,
        photo_id: r.get(FACE_COLUMNS)?,
        photo_width: r.get(FACE_COLUMNS + 1)?,
        photo_height: r.get(FACE_COLUMNS + 2)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query that reads columns after [`COLUMNS`] counts on [`FACE_COLUMNS`]; a column added
    /// to one and not the other reads the wrong column for every face on a photo.
    #[test]
    fn face_columns_counts_the_columns() {
        let catalog = super::super::Catalog::open_in_memory().expect("in-memory catalog");
        let stmt = catalog
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM faces f {JOINS}"))
            .expect("the face query prepares");
        assert_eq!(stmt.column_count(), FACE_COLUMNS);
    }
}
