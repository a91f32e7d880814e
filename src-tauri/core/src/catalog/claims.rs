//! Queries on `claims`: what attendees answered in the event repository's issues, one row per
//! issue, and its state (open, accepted, rejected, withdrawn).

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::{Reader, Result, Writer};
use crate::consent::Consent;
use crate::region::Region;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    Open,
    Accepted,
    Rejected,
    /// Its issue was edited into an answer that cannot be read or is refused.
    Withdrawn,
}

impl ClaimState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "accepted" => Self::Accepted,
            "rejected" => Self::Rejected,
            "withdrawn" => Self::Withdrawn,
            _ => Self::Open,
        }
    }
}

/// A claim as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredClaim {
    pub issue: u64,
    pub url: String,
    /// Who answered: the issue's author.
    pub author: String,
    /// Whom they named (the author for `me`).
    pub login: String,
    /// The consent the answer asked for; `None` when it left it empty ("no change"). Only an
    /// attendee's answer about themselves has one.
    pub consent: Option<Consent>,
    pub photo_hash: String,
    pub region: Region,
    /// The face of this library the reference matched, if any.
    pub face_id: Option<i64>,
    pub state: ClaimState,
    /// Tells an edited issue from the one imported.
    pub body_hash: String,
    pub created_at: Option<String>,
    /// The face decision that takes the accept back (JSON, as `faces` writes it), while accepted.
    pub undo: Option<String>,
    /// Why it was withdrawn.
    pub reason: Option<String>,
}

impl StoredClaim {
    /// Whether the attendee answered about themselves (GitHub proves the author).
    pub fn is_self(&self) -> bool {
        crate::login::login_key(&self.login) == crate::login::login_key(&self.author)
    }

    /// Whether it still speaks: neither rejected nor withdrawn.
    pub fn stands(&self) -> bool {
        matches!(self.state, ClaimState::Open | ClaimState::Accepted)
    }
}

/// The claim shown on a face (element of `faces list`'s `"claim"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FaceClaim {
    pub login: String,
    pub by: String,
    pub issue: u32,
}

const COLUMNS: &str = "issue, url, author, login, consent, photo_hash, x, y, w, h, face_id,
    state, body_hash, created_at, undo, reason";

fn claim(r: &Row<'_>) -> rusqlite::Result<StoredClaim> {
    let consent: String = r.get(4)?;
    let state: String = r.get(11)?;
    Ok(StoredClaim {
        issue: r.get::<_, i64>(0)? as u64,
        url: r.get(1)?,
        author: r.get(2)?,
        login: r.get(3)?,
        consent: (!consent.is_empty()).then(|| Consent::from_stored(&consent)),
        photo_hash: r.get(5)?,
        region: Region {
            x: r.get(6)?,
            y: r.get(7)?,
            w: r.get(8)?,
            h: r.get(9)?,
        },
        face_id: r.get(10)?,
        state: ClaimState::parse(&state),
        body_hash: r.get(12)?,
        created_at: r.get(13)?,
        undo: r.get(14)?,
        reason: r.get(15)?,
    })
}

impl Reader {
    /// Every claim imported from the event repository's issues, by issue number.
    pub fn claims(&self) -> Result<Vec<StoredClaim>> {
        let conn = &self.conn;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLUMNS} FROM claims ORDER BY issue"))?;
        let rows = stmt.query_map([], claim)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn claim(&self, issue: u64) -> Result<Option<StoredClaim>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM claims WHERE issue = ?1"))?
            .query_row([issue as i64], claim)
            .optional()?)
    }

    /// The visible faces (id and box) of every photo with this content.
    pub fn faces_with_hash(&self, hash: &str) -> Result<Vec<(i64, Region)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT f.id, f.x, f.y, f.w, f.h FROM faces f JOIN photos p ON p.id = f.photo_id
             WHERE p.hash = ?1 AND f.state NOT IN ('ignored', 'not_a_face')
             ORDER BY p.missing, p.id, f.id",
        )?;
        let rows = stmt.query_map([hash], |r| {
            Ok((
                r.get(0)?,
                Region {
                    x: r.get(1)?,
                    y: r.get(2)?,
                    w: r.get(3)?,
                    h: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Keeps a claim (a new issue, or an edited one).
    pub fn put_claim(&self, c: &StoredClaim) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT INTO claims (issue, url, author, login, consent, photo_hash, x, y, w, h, face_id,
               state, body_hash, created_at, undo, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT(issue) DO UPDATE SET url = excluded.url, author = excluded.author,
               login = excluded.login, consent = excluded.consent, photo_hash = excluded.photo_hash,
               x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h,
               face_id = excluded.face_id, state = excluded.state, body_hash = excluded.body_hash,
               created_at = excluded.created_at, undo = excluded.undo, reason = excluded.reason",
        )?
        .execute(params![
            c.issue as i64,
            c.url,
            c.author,
            c.login,
            c.consent.map_or("", Consent::as_str),
            c.photo_hash,
            c.region.x,
            c.region.y,
            c.region.w,
            c.region.h,
            c.face_id,
            c.state.as_str(),
            c.body_hash,
            c.created_at,
            c.undo,
            c.reason
        ])?;
        Ok(())
    }

    /// Sets a claim's state, with the face decision that takes an accept back (kept only while
    /// accepted).
    pub fn set_claim_state(&self, issue: u64, state: ClaimState, undo: Option<&str>) -> Result<()> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE claims SET state = ?2, undo = ?3 WHERE issue = ?1",
            params![issue as i64, state.as_str(), undo],
        )?;
        Ok(())
    }

    /// Forgets a claim (its issue was closed before anyone accepted it).
    pub fn delete_claim(&self, issue: u64) -> Result<()> {
        let conn = &self.conn;
        conn.execute("DELETE FROM claims WHERE issue = ?1", [issue as i64])?;
        Ok(())
    }
}
