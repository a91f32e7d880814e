//! Queries on `people`: the roster. Logins are unique case-insensitively (`login_key`).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{Reader, Result, Writer};
use crate::consent::Consent;
use crate::login::{login_key, profile_url};
use crate::region::Region;

/// An attendee, with how many faces carry their login.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Person {
    pub id: i64,
    /// As entered; compared case-insensitively.
    pub login: String,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub consent: Consent,
    /// The most private consent the attendee asked for themselves (in an answer to the
    /// gallery's link); nothing lowers their consent below it but the organizer, asked plainly.
    pub asked: Option<Consent>,
    /// Faces tagged with this login (hidden ones included).
    pub faces: u32,
    /// Photos this login appears on.
    pub photos: u32,
    /// Their largest, most confident visible face: the crop that stands for them.
    pub best_face: Option<i64>,
    /// The name of that face's crop ([`crate::region::Region::crop_key`]).
    pub best_face_crop: Option<String>,
    /// What their avatar shows, when they have one (fetched or imported).
    pub avatar: Option<super::AvatarFace>,
    /// The content hash of their avatar's picture: the window keeps the picture for good under
    /// an address with it (a new picture has another).
    pub avatar_hash: Option<String>,
    /// `https://github.com/LOGIN`, the one address a person links to.
    pub profile_url: String,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Added,
    Updated,
    Unchanged,
}

fn person(r: &Row<'_>) -> rusqlite::Result<Person> {
    let consent: String = r.get(4)?;
    let login: String = r.get(1)?;
    Ok(Person {
        id: r.get(0)?,
        profile_url: profile_url(&login),
        login,
        name: r.get(2)?,
        affiliation: r.get(3)?,
        consent: Consent::from_stored(&consent),
        asked: r
            .get::<_, Option<String>>(9)?
            .map(|a| Consent::from_stored(&a)),
        faces: r.get(5)?,
        photos: r.get(6)?,
        best_face: r.get(7)?,
        best_face_crop: match (r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?) {
            (Some(x), Some(y), Some(w), Some(h)) => Some(Region { x, y, w, h }.crop_key()),
            _ => None,
        },
        avatar: r
            .get::<_, Option<String>>(8)?
            .map(|f| super::avatars::AvatarFace::parse(&f)),
        avatar_hash: r.get(14)?,
    })
}

const COLUMNS: &str = "p.id, p.login, p.name, p.affiliation, p.consent,
    COALESCE(s.faces, 0), COALESCE(s.photos, 0), b.face_id, av.face, p.asked,
    bf.x, bf.y, bf.w, bf.h, av.hash";

/// Face and photo counts and the best face of every tagged person, in one pass over the
/// tagged faces, read from the `faces_by_person_detail` index (a subquery per person cost
/// 35 ms at 300 people and 30,000 tagged faces).
const FROM: &str = "people p
    LEFT JOIN (SELECT person_id,
                 COUNT(*) AS faces,
                 COUNT(DISTINCT CASE WHEN state NOT IN ('ignored', 'not_a_face')
                       THEN photo_id END) AS photos
               FROM faces WHERE person_id IS NOT NULL GROUP BY person_id) s
      ON s.person_id = p.id
    LEFT JOIN (SELECT f.person_id, f.id AS face_id,
                 -- SQLite takes the bare column (the id) from the row holding the MAX.
                 MAX(f.w * ph.width * f.h * ph.height * COALESCE(f.score, 1.0))
               FROM faces f JOIN photos ph ON ph.id = f.photo_id
               WHERE f.person_id IS NOT NULL AND f.state NOT IN ('ignored', 'not_a_face')
               GROUP BY f.person_id) b
      ON b.person_id = p.id
    LEFT JOIN faces bf ON bf.id = b.face_id
    LEFT JOIN avatars av ON av.person_id = p.id";

/// The same for one person, through the person index.
const FROM_ONE: &str = "people p
    LEFT JOIN (SELECT person_id,
                 COUNT(*) AS faces,
                 COUNT(DISTINCT CASE WHEN state NOT IN ('ignored', 'not_a_face')
                       THEN photo_id END) AS photos
               FROM faces WHERE person_id = (SELECT id FROM people WHERE login_key = ?1)) s
      ON s.person_id = p.id
    LEFT JOIN (SELECT f.person_id, f.id AS face_id
               FROM faces f JOIN photos ph ON ph.id = f.photo_id
               WHERE f.person_id = (SELECT id FROM people WHERE login_key = ?1)
                 AND f.state NOT IN ('ignored', 'not_a_face')
               ORDER BY f.w * ph.width * f.h * ph.height * COALESCE(f.score, 1.0) DESC, f.id
               LIMIT 1) b
      ON b.person_id = p.id
    LEFT JOIN faces bf ON bf.id = b.face_id
    LEFT JOIN avatars av ON av.person_id = p.id";

impl Reader {
    pub fn people(&self) -> Result<Vec<Person>> {
        let conn = &self.conn;
        // Inside a transaction the counter may be one a rollback takes back: no cache there.
        if !conn.is_autocommit() {
            return read_all(conn);
        }
        let library = conn.path().unwrap_or_default().to_string();
        if library.is_empty() {
            return read_all(conn);
        }
        let generation: i64 =
            conn.query_row("SELECT n FROM roster_generation", [], |r| r.get(0))?;
        if let Some(people) = kept(&library, generation) {
            return Ok(people);
        }
        // One count at a time: the typeahead's next keystroke waits for the count a decision just
        // started rather than making a second one beside it.
        let _turn = COUNTING
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(people) = kept(&library, generation) {
            return Ok(people);
        }
        let people = read_all(conn)?;
        *ROSTER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Roster {
            library,
            generation,
            people: people.clone(),
        });
        Ok(people)
    }

    /// The attendee with this login, compared case-insensitively.
    pub fn person(&self, login: &str) -> Result<Option<Person>> {
        let conn = &self.conn;
        let sql = format!("SELECT {COLUMNS} FROM {FROM_ONE} WHERE p.login_key = ?1");
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([login_key(login)], person)
            .optional()?)
    }

    /// The one attendee with this display name, if exactly one has it.
    pub fn person_id_by_name(&self, name: &str) -> Result<Option<(i64, Consent)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT id, consent FROM people WHERE name = ?1 COLLATE NOCASE LIMIT 2",
        )?;
        let rows: Vec<(i64, String)> = stmt
            .query_map([name.trim()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(match rows.as_slice() {
            [(id, consent)] => Some((*id, Consent::from_stored(consent))),
            _ => None,
        })
    }

    /// Every attendee's login, as entered.
    pub fn people_logins(&self) -> Result<Vec<String>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached("SELECT login FROM people ORDER BY login_key")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Adds an attendee or updates the fields given; `None` keeps what is known.
    pub fn upsert_person(
        &self,
        login: &str,
        name: Option<&str>,
        affiliation: Option<&str>,
        consent: Option<Consent>,
    ) -> Result<(i64, Upserted)> {
        let conn = &self.conn;
        match self.person(login)? {
            None => {
                conn.prepare_cached(
                    "INSERT INTO people (login, login_key, name, affiliation, consent)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    login,
                    login_key(login),
                    name,
                    affiliation,
                    consent.unwrap_or_default().as_str()
                ])?;
                Ok((conn.last_insert_rowid(), Upserted::Added))
            }
            Some(p) => {
                let name = name.map(str::to_string).or(p.name.clone());
                let affiliation = affiliation.map(str::to_string).or(p.affiliation.clone());
                let consent = consent.unwrap_or(p.consent);
                if (name.as_ref(), affiliation.as_ref(), consent)
                    == (p.name.as_ref(), p.affiliation.as_ref(), p.consent)
                {
                    return Ok((p.id, Upserted::Unchanged));
                }
                conn.prepare_cached(
                    "UPDATE people SET name = ?1, affiliation = ?2, consent = ?3 WHERE id = ?4",
                )?
                .execute(params![name, affiliation, consent.as_str(), p.id])?;
                Ok((p.id, Upserted::Updated))
            }
        }
    }

    /// Sets an attendee's name, affiliation and consent exactly (`None` clears).
    pub fn set_person_details(
        &self,
        id: i64,
        name: Option<&str>,
        affiliation: Option<&str>,
        consent: Consent,
    ) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "UPDATE people SET name = ?1, affiliation = ?2, consent = ?3 WHERE id = ?4",
        )?
        .execute(params![name, affiliation, consent.as_str(), id])?;
        Ok(())
    }

    /// Sets what an attendee asked for themselves (`None`: the organizer overrode it).
    pub fn set_person_asked(&self, id: i64, asked: Option<Consent>) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("UPDATE people SET asked = ?1 WHERE id = ?2")?
            .execute(params![asked.map(Consent::as_str), id])?;
        Ok(())
    }
}

fn kept(library: &str, generation: i64) -> Option<Vec<Person>> {
    ROSTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .as_ref()
        .filter(|c| c.library == library && c.generation == generation)
        .map(|c| c.people.clone())
}

/// The roster with its counts as of a `roster_generation`: every keystroke of the typeahead and
/// every refresh of the People view asks for it, and the counting query costs tens of
/// milliseconds, while nothing changed since the last time (triggers raise the counter on every
/// write that could change a count, a best face or an avatar, whichever process wrote).
struct Roster {
    library: String,
    generation: i64,
    people: Vec<Person>,
}

static ROSTER: std::sync::Mutex<Option<Roster>> = std::sync::Mutex::new(None);
static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn read_all(conn: &Connection) -> Result<Vec<Person>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} ORDER BY p.login_key");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], person)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
