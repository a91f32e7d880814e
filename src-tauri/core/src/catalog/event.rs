//! Queries on `event`: the one event a library names: its name, days, place, organizers, and
//! the repository (`OWNER/REPO`) where attendees answer the gallery's links and whose issue
//! addresses alone are shown. The gallery's and the legend's titles, the post's captions and
//! authors, and the claim links all read it.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Reader, Result, Writer};

/// The event a library is about; empty texts mean "not said".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Event {
    /// "Kubernetes Contributor Summit China 2023".
    pub name: String,
    /// The first day, `YYYY-MM-DD`.
    pub start: String,
    /// The last day, `YYYY-MM-DD` (empty for a one-day event).
    pub end: String,
    /// "Shanghai".
    pub place: String,
    /// `OWNER/REPO`, where attendees answer.
    pub repository: Option<String>,
    /// Who organized it, as a byline names them ("Paco Xu (DaoCloud)"): the post's authors
    /// until the post says otherwise.
    pub organizers: Vec<String>,
}

impl Event {
    /// The event's name, when it has one.
    pub fn title(&self) -> Option<&str> {
        Some(self.name.trim()).filter(|n| !n.is_empty())
    }
}

impl Reader {
    /// The event this library names (an empty one until it is set).
    pub fn event(&self) -> Result<Event> {
        let conn = &self.conn;
        let event = conn
            .prepare_cached(
                "SELECT name, start_date, end_date, place, repository, organizers FROM event WHERE id = 1",
            )?
            .query_row([], |r| {
                Ok(Event {
                    name: r.get(0)?,
                    start: r.get(1)?,
                    end: r.get(2)?,
                    place: r.get(3)?,
                    repository: r.get(4)?,
                    // Written by `set` only; a damaged list reads as none rather than no event.
                    organizers: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                })
            })
            .optional()?;
        Ok(event.unwrap_or_default())
    }

    /// The event's repository (`OWNER/REPO`), where attendees answer, once it is known.
    pub fn event_repository(&self) -> Result<Option<String>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT repository FROM event WHERE id = 1")?
            .query_row([], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }
}

impl Writer<'_> {
    /// Keeps `event` as the event this library names.
    pub fn set_event(&self, event: &Event) -> Result<()> {
        let conn = &self.conn;
        let organizers = serde_json::to_string(&event.organizers).unwrap_or_else(|_| "[]".into());
        conn.prepare_cached(
            "INSERT INTO event (id, name, start_date, end_date, place, repository, organizers)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, start_date = excluded.start_date,
               end_date = excluded.end_date, place = excluded.place,
               repository = excluded.repository, organizers = excluded.organizers",
        )?
        .execute(params![
            event.name,
            event.start,
            event.end,
            event.place,
            event.repository,
            organizers
        ])?;
        Ok(())
    }

    /// Sets the event's repository (`OWNER/REPO`), where attendees answer.
    pub fn set_event_repository(&self, repo: Option<&str>) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT INTO event (id, repository) VALUES (1, ?1)
             ON CONFLICT(id) DO UPDATE SET repository = excluded.repository",
        )?
        .execute([repo])?;
        Ok(())
    }
}
