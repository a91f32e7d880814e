//! Queries on `undo_steps`: the last steps of face decisions made on this laptop, each as the
//! decisions that take it back (JSON, as `faces` writes them), the latest last.

use rusqlite::OptionalExtension;

use super::{Result, Writer};

/// How many steps are kept: far more than anyone undoes.
const KEPT: i64 = 200;

impl Writer<'_> {
    /// Keeps a step of decisions made here, as the decisions that take it back.
    pub fn push_undo_step(&self, decisions: &str) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("INSERT INTO undo_steps (decisions) VALUES (?1)")?
            .execute([decisions])?;
        conn.prepare_cached(
            "DELETE FROM undo_steps WHERE id <= (SELECT MAX(id) FROM undo_steps) - ?1",
        )?
        .execute([KEPT])?;
        Ok(())
    }

    /// The last step kept, taken off the list.
    pub fn pop_undo_step(&self) -> Result<Option<String>> {
        let conn = &self.conn;
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
}
