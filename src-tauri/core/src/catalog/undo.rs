//! Queries on `undo_steps`: the last steps of face decisions made on this laptop, each as the
//! decisions that take it back (JSON, as `faces` writes them), the latest last.

use rusqlite::{Connection, OptionalExtension};

use super::Result;

/// How many steps are kept: far more than anyone undoes.
const KEPT: i64 = 200;

pub(super) fn push(conn: &Connection, decisions: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO undo_steps (decisions) VALUES (?1)")?
        .execute([decisions])?;
    conn.prepare_cached(
        "DELETE FROM undo_steps WHERE id <= (SELECT MAX(id) FROM undo_steps) - ?1",
    )?
    .execute([KEPT])?;
    Ok(())
}

pub(super) fn pop(conn: &Connection) -> Result<Option<String>> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, decisions FROM undo_steps ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, decisions)) = last else {
        return Ok(None);
    };
    conn.prepare_cached("DELETE FROM undo_steps WHERE id = ?1")?
        .execute([id])?;
    Ok(Some(decisions))
}
