//! Queries on `folders`: the roots the user added, rescanned together.

use rusqlite::Connection;

use super::Result;

pub(super) fn add(conn: &Connection, path: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO folders (path) VALUES (?1) ON CONFLICT(path) DO NOTHING",
        [path],
    )?;
    Ok(())
}

pub(super) fn all(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT path FROM folders ORDER BY path")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
