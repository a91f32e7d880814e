//! Queries on `folders`: the roots the user added, rescanned together.

use super::{Reader, Result, Writer};

impl Reader {
    pub fn folders(&self) -> Result<Vec<String>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached("SELECT path FROM folders ORDER BY path")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    pub fn add_folder(&self, path: &str) -> Result<()> {
        let conn = &self.conn;
        conn.execute(
            "INSERT INTO folders (path) VALUES (?1) ON CONFLICT(path) DO NOTHING",
            [path],
        )?;
        Ok(())
    }
}
