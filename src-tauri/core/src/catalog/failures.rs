//! Queries on `index_failures`: files that could not be read, remembered with their size and
//! modification time so an unchanged broken file is reported again without being re-read.

use super::{Reader, Result, Writer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFailure {
    pub path: String,
    pub size: i64,
    pub mtime_ns: i64,
    pub error: String,
}

impl Reader {
    pub fn known_failures(&self) -> Result<Vec<KnownFailure>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT path, size, mtime_ns, error FROM index_failures ORDER BY path",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KnownFailure {
                path: r.get(0)?,
                size: r.get(1)?,
                mtime_ns: r.get(2)?,
                error: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    pub fn record_failure(&self, f: &KnownFailure) -> Result<()> {
        let conn = &self.conn;
        conn.execute(
            "INSERT INTO index_failures (path, size, mtime_ns, error) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
               error = excluded.error, failed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            rusqlite::params![f.path, f.size, f.mtime_ns, f.error],
        )?;
        Ok(())
    }

    pub fn forget_failure(&self, path: &str) -> Result<()> {
        let conn = &self.conn;
        conn.execute("DELETE FROM index_failures WHERE path = ?1", [path])?;
        Ok(())
    }
}
