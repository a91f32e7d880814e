//! Queries on `team`, `team_records`, `team_reads`, `team_faces` and `team_face_state`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{Reader, Result, Writer};

/// This library's place in a team: the folder, who uses it, which laptop it is, its clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub folder: String,
    pub me: String,
    pub laptop: String,
    pub next_seq: u64,
    pub clock_ms: u64,
    pub clock_n: u32,
}

/// A decision record as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: String,
    pub laptop: String,
    pub seq: u64,
    pub at_ms: u64,
    pub at_n: u32,
    /// The login of who decided.
    pub by: String,
    pub kind: String,
    /// What it is about: a face's team id, `person/LOGIN`, `avatar/LOGIN`, …
    pub subject: String,
    /// The photo's content hash (32 hex digits), for records about a face.
    pub photo: Option<String>,
    /// The record's line as written.
    pub body: String,
    pub status: RecordStatus,
}

/// Where a record stands in this library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStatus {
    /// Made here, not yet in this laptop's file of the team folder.
    Outbox,
    /// Made here and written to the team folder.
    Written,
    /// A teammate's, applied.
    Applied,
    /// A teammate's, about a photo this library does not have (yet).
    Waiting,
    /// From a newer whoiswho: kept, not applied.
    Newer,
}

impl RecordStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
            Self::Written => "written",
            Self::Applied => "applied",
            Self::Waiting => "waiting",
            Self::Newer => "newer",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "outbox" => Self::Outbox,
            "written" => Self::Written,
            "applied" => Self::Applied,
            "waiting" => Self::Waiting,
            _ => Self::Newer,
        }
    }
}

/// A name a face is given in a conflict, and who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Claim {
    pub login: String,
    pub by: String,
}

fn row(conn: &Connection, left: bool) -> Result<Option<TeamRow>> {
    let sql = format!(
        "SELECT folder, me, laptop, next_seq, clock_ms, clock_n FROM team
         WHERE id = 1 AND left_at IS {}NULL",
        if left { "NOT " } else { "" }
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([], |r| {
            Ok(TeamRow {
                folder: r.get(0)?,
                me: r.get(1)?,
                laptop: r.get(2)?,
                next_seq: r.get::<_, i64>(3)? as u64,
                clock_ms: r.get::<_, i64>(4)? as u64,
                clock_n: r.get::<_, i64>(5)? as u32,
            })
        })
        .optional()?)
}

impl Reader {
    /// The team ids of a local face: the ids alone.
    pub fn team_uids_of_face(&self, face_id: i64) -> Result<Vec<String>> {
        Ok(self
            .team_links_of_face(face_id)?
            .into_iter()
            .map(|(uid, _)| uid)
            .collect())
    }

    /// This library's place in a team, when it joined one.
    pub fn team(&self) -> Result<Option<TeamRow>> {
        let conn = &self.conn;
        row(conn, false)
    }

    /// The team this library left, kept for a rejoin.
    pub fn former_team(&self) -> Result<Option<TeamRow>> {
        let conn = &self.conn;
        row(conn, true)
    }

    pub fn team_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM team_records WHERE id = ?1"
            ))?
            .query_row([id], record)
            .optional()?)
    }

    /// Every record about any of `subjects` (usually one or two: a cached query each), but those a
    /// teammate's files give two contents for.
    pub fn team_records_about(&self, subjects: &[String]) -> Result<Vec<StoredRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM team_records WHERE subject = ?1
               AND id NOT IN (SELECT id FROM team_disputes) ORDER BY id"
        ))?;
        let mut out = Vec::new();
        for subject in subjects {
            for r in stmt.query_map([subject], record)? {
                out.push(r?);
            }
        }
        Ok(out)
    }

    pub fn team_records_with_status(&self, status: RecordStatus) -> Result<Vec<StoredRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM team_records WHERE status = ?1 ORDER BY laptop, seq"
        ))?;
        let rows = stmt.query_map([status.as_str()], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records waiting for a photo with content hash starting with `photo`.
    pub fn team_records_waiting_for(&self, photo: &str) -> Result<Vec<StoredRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM team_records WHERE status = 'waiting' AND photo = ?1
             ORDER BY laptop, seq"
        ))?;
        let rows = stmt.query_map([photo], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Per teammate (by login): decisions kept here and the wall time of the latest.
    pub fn team_members(&self) -> Result<Vec<(String, u64, u64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT by, COUNT(*), MAX(at_ms) FROM team_records WHERE status != 'newer'
             GROUP BY lower(by) ORDER BY lower(by)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn team_record_count(&self, status: RecordStatus) -> Result<u64> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT COUNT(*) FROM team_records WHERE status = ?1")?
            .query_row([status.as_str()], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Where the last sync stopped reading a teammate's file: (offset, the file's size then).
    pub fn team_read_offset(&self, file: &str) -> Result<Option<ReadMark>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT offset, size, tail, lines FROM team_reads WHERE file = ?1")?
            .query_row([file], |r| {
                Ok(ReadMark {
                    offset: r.get::<_, i64>(0)? as u64,
                    size: r.get::<_, i64>(1)? as u64,
                    tail: r.get(2)?,
                    lines: r.get::<_, i64>(3)? as u64,
                })
            })
            .optional()?)
    }

    /// Every teammate's file read so far, with its laptop.
    pub fn team_read_files(&self) -> Result<Vec<(String, String)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached("SELECT file, laptop FROM team_reads ORDER BY file")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The file a teammate's record was first read from.
    pub fn team_record_file(&self, id: &str) -> Result<Option<String>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT file FROM team_records WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    pub fn team_disputes(&self) -> Result<Vec<Dispute>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, r.file, d.file, d.body FROM team_disputes d
             LEFT JOIN team_records r ON r.id = d.id ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Dispute {
                id: r.get(0)?,
                kept_file: r.get(1)?,
                file: r.get(2)?,
                body: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Organizers this library knows of (whose files it reads), `me` included.
    pub fn team_member_count(&self, me: &str) -> Result<u64> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT COUNT(*) FROM (SELECT lower(login) FROM team_reads
                 UNION SELECT lower(?1))",
            )?
            .query_row([me], |r| r.get::<_, i64>(0))? as u64)
    }

    pub fn team_conflict_count(&self) -> Result<u64> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT COUNT(*) FROM team_face_state s JOIN faces f ON f.id = s.face_id
                 WHERE s.conflict IS NOT NULL",
            )?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The local face a team id names, if any.
    pub fn face_of_team_uid(&self, uid: &str) -> Result<Option<i64>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT face_id FROM team_faces WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    /// The team ids of a local face, each with whether it names a drawn box.
    pub fn team_links_of_face(&self, face_id: i64) -> Result<Vec<(String, bool)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT uid, drawn FROM team_faces WHERE face_id = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([face_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (face, team id, drawn) for every face of a photo.
    pub fn team_links_of_photo(&self, photo_id: i64) -> Result<Vec<(i64, String, bool)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT t.face_id, t.uid, t.drawn FROM team_faces t JOIN faces f ON f.id = t.face_id
             WHERE f.photo_id = ?1 ORDER BY t.rowid",
        )?;
        let rows = stmt.query_map([photo_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every open conflict: (face, photo, the names given).
    pub fn team_conflicts(&self) -> Result<Vec<ConflictRow>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT s.face_id, f.photo_id, s.conflict, substr(p.hash, 1, 32),
                    (SELECT MIN(uid) FROM team_faces t WHERE t.face_id = s.face_id)
             FROM team_face_state s JOIN faces f ON f.id = s.face_id
             JOIN photos p ON p.id = f.photo_id
             WHERE s.conflict IS NOT NULL ORDER BY 4, 5",
        )?;
        let rows = stmt.query_map([], |r| {
            let text: String = r.get(2)?;
            Ok(ConflictRow {
                face: r.get(0)?,
                photo: r.get(1)?,
                names: serde_json::from_str(&text).unwrap_or_default(),
                content: r.get(3)?,
                team_face: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The faces here that some teammate's or this laptop's face record names `login` on.
    pub fn team_faces_named(&self, login: &str) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT f.photo_id, f.id FROM team_records r
             JOIN team_faces t ON t.uid = json_extract(r.body, '$.face')
             JOIN faces f ON f.id = t.face_id
             WHERE r.kind = 'face' AND lower(json_extract(r.body, '$.login')) = ?1
             ORDER BY f.photo_id, f.id",
        )?;
        let rows = stmt.query_map([login.to_lowercase()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every face the team knows by an id here, deleted ones included: (photo, face).
    pub fn team_linked_faces(&self) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT COALESCE(f.photo_id, d.photo_id), t.face_id FROM team_faces t
             LEFT JOIN faces f ON f.id = t.face_id LEFT JOIN deleted_faces d ON d.id = t.face_id
             WHERE COALESCE(f.photo_id, d.photo_id) IS NOT NULL ORDER BY 1, 2",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every record of one laptop this library holds, in the order it made them.
    pub fn team_records_of_laptop(&self, laptop: &str) -> Result<Vec<StoredRecord>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM team_records WHERE laptop = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([laptop], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The login a teammate's laptop's files were last read as.
    pub fn team_login_of(&self, laptop: &str) -> Result<Option<String>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT login FROM team_reads WHERE laptop = ?1 LIMIT 1")?
            .query_row([laptop], |r| r.get(0))
            .optional()?)
    }

    /// Every login whose log this library read: teammates with no decision yet too.
    pub fn team_logins(&self) -> Result<Vec<String>> {
        let conn = &self.conn;
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT login FROM team_reads ORDER BY lower(login)")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Joins `folder` as `me` on `laptop`. The same laptop as before a leave keeps its clock and
    /// its next record number; another starts its numbers again.
    pub fn join_team(&self, folder: &str, me: &str, laptop: &str) -> Result<()> {
        let conn = &self.conn;
        conn.execute(
            "INSERT INTO team (id, folder, me, laptop) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET folder = excluded.folder, me = excluded.me,
               next_seq = CASE WHEN team.laptop = excluded.laptop THEN team.next_seq ELSE 1 END,
               laptop = excluded.laptop, left_at = NULL",
            params![folder, me, laptop],
        )?;
        Ok(())
    }

    /// Leaves the team: this library keeps its faces and people as they are, and its laptop's
    /// identity, clock and every record it has seen, so a rejoin publishes only what changed.
    pub fn leave_team(&self) -> Result<()> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE team SET left_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1",
            [],
        )?;
        Ok(())
    }

    pub fn set_team_clock(&self, next_seq: u64, ms: u64, n: u32) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "UPDATE team SET next_seq = ?1, clock_ms = ?2, clock_n = ?3 WHERE id = 1",
        )?
        .execute(params![next_seq as i64, ms as i64, n as i64])?;
        Ok(())
    }

    /// Keeps a record; false when it was kept already.
    pub fn insert_team_record(&self, r: &StoredRecord) -> Result<bool> {
        let conn = &self.conn;
        let added = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO team_records
                   (id, laptop, seq, at_ms, at_n, by, kind, subject, photo, body, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                r.id,
                r.laptop,
                r.seq as i64,
                r.at_ms as i64,
                r.at_n as i64,
                r.by,
                r.kind,
                r.subject,
                r.photo,
                r.body,
                r.status.as_str()
            ])?;
        Ok(added == 1)
    }

    pub fn set_team_record_status(&self, id: &str, status: RecordStatus) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("UPDATE team_records SET status = ?1 WHERE id = ?2")?
            .execute(params![status.as_str(), id])?;
        Ok(())
    }

    pub fn set_team_read_offset(
        &self,
        file: &str,
        laptop: &str,
        login: &str,
        mark: &ReadMark,
    ) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO team_reads (file, laptop, login, offset, size, tail, lines)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            file,
            laptop,
            login,
            mark.offset as i64,
            mark.size as i64,
            mark.tail,
            mark.lines as i64
        ])?;
        Ok(())
    }

    /// Forgets how far a file was read (it is gone).
    pub fn forget_team_read(&self, file: &str) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("DELETE FROM team_reads WHERE file = ?1")?
            .execute([file])?;
        Ok(())
    }

    pub fn set_team_record_file(&self, id: &str, file: &str) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("UPDATE team_records SET file = ?2 WHERE id = ?1 AND file IS NULL")?
            .execute(params![id, file])?;
        Ok(())
    }

    /// Keeps the other content a teammate's file gives a record; false when known already.
    pub fn add_team_dispute(&self, id: &str, file: &str, body: &str) -> Result<bool> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "INSERT OR IGNORE INTO team_disputes (id, file, body) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, file, body])?
            == 1)
    }

    /// Ends a dispute: the other content becomes the record's (its file was the one left), or is
    /// dropped.
    pub fn end_team_dispute(&self, d: &Dispute, take_other: bool) -> Result<()> {
        let conn = &self.conn;
        if take_other {
            conn.prepare_cached("UPDATE team_records SET body = ?2, file = ?3 WHERE id = ?1")?
                .execute(params![d.id, d.body, d.file])?;
        }
        conn.prepare_cached("DELETE FROM team_disputes WHERE id = ?1")?
            .execute([&d.id])?;
        Ok(())
    }

    /// Names local face `face_id` by team id `uid` (from now on: a face made again takes it).
    pub fn link_team_uid(&self, uid: &str, face_id: i64, drawn: bool) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO team_faces (uid, face_id, drawn) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![uid, face_id, drawn])?;
        Ok(())
    }

    /// Who made the face's current decision, when, and the names it is in conflict with.
    pub fn set_team_face_state(
        &self,
        face_id: i64,
        by: Option<&str>,
        ms: Option<u64>,
        conflict: Option<&[Claim]>,
    ) -> Result<()> {
        let conn = &self.conn;
        let conflict = conflict.map(|c| serde_json::to_string(c).unwrap_or_default());
        conn.prepare_cached(
            "INSERT OR REPLACE INTO team_face_state (face_id, decided_by, decided_ms, conflict)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![face_id, by, ms.map(|m| m as i64), conflict])?;
        Ok(())
    }

    /// Marks the faces some face record names this attendee on, to settle again at the next
    /// sync.
    pub fn team_settle_again_named(&self, person_id: i64) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO team_settle_again (face_id)
             SELECT DISTINCT t.face_id FROM team_records r
             JOIN team_faces t ON t.uid = json_extract(r.body, '$.face')
             WHERE r.kind = 'face' AND lower(json_extract(r.body, '$.login')) =
                   (SELECT login_key FROM people WHERE id = ?1)",
        )?
        .execute([person_id])?;
        Ok(())
    }

    /// The faces marked to settle again, unmarked.
    pub fn take_team_settle_again(&self) -> Result<Vec<(i64, i64)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT f.photo_id, f.id FROM team_settle_again s JOIN faces f ON f.id = s.face_id
             ORDER BY f.photo_id, f.id",
        )?;
        let rows: Vec<(i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        conn.execute("DELETE FROM team_settle_again", [])?;
        Ok(rows)
    }
}

fn record(r: &Row<'_>) -> rusqlite::Result<StoredRecord> {
    let status: String = r.get(10)?;
    Ok(StoredRecord {
        id: r.get(0)?,
        laptop: r.get(1)?,
        seq: r.get::<_, i64>(2)? as u64,
        at_ms: r.get::<_, i64>(3)? as u64,
        at_n: r.get::<_, i64>(4)? as u32,
        by: r.get(5)?,
        kind: r.get(6)?,
        subject: r.get(7)?,
        photo: r.get(8)?,
        body: r.get(9)?,
        status: RecordStatus::parse(&status),
    })
}

const RECORD_COLUMNS: &str = "id, laptop, seq, at_ms, at_n, by, kind, subject, photo, body, status";

/// How far a file was read: the offset, the file's size then, and what the bytes just before
/// the offset looked like (a hash), which tells a file appended to from one replaced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadMark {
    pub offset: u64,
    pub size: u64,
    pub tail: Option<String>,
    /// Lines before `offset`: what line numbers in reports count from.
    pub lines: u64,
}

/// A record a teammate's files give two contents for: the other content, and its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    pub id: String,
    /// The file the kept content was read from.
    pub kept_file: Option<String>,
    pub file: String,
    pub body: String,
}

/// Every open conflict: (face id, photo id, the names).
/// A face in conflict, as every laptop can name it: its photo's content key and the face's
/// team id (the smallest of its ids), with this library's ids.
pub struct ConflictRow {
    pub face: i64,
    pub photo: i64,
    pub content: String,
    pub team_face: String,
    pub names: Vec<Claim>,
}
