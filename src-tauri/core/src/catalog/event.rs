//! Queries on `event`: the one event a library names. So far its repository (`OWNER/REPO`),
//! where attendees answer the gallery's links and whose issue addresses alone are shown.

use rusqlite::{Connection, OptionalExtension};

use super::Result;

pub(super) fn repository(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT repository FROM event WHERE id = 1")?
        .query_row([], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

pub(super) fn set_repository(conn: &Connection, repo: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO event (id, repository) VALUES (1, ?1)
         ON CONFLICT(id) DO UPDATE SET repository = excluded.repository",
    )?
    .execute([repo])?;
    Ok(())
}
