//! Schema migrations. Append only: a released step is never edited, only followed by another.
//! `PRAGMA user_version` counts the steps applied.

use rusqlite::Connection;

use super::{CatalogError, Result};

const STEPS: &[&str] = &[
    // 1: folders, photos, and files that could not be read.
    r#"
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        hash TEXT NOT NULL,
        format TEXT NOT NULL,
        stored_width INTEGER NOT NULL,
        stored_height INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        orientation INTEGER NOT NULL CHECK (orientation BETWEEN 1 AND 8),
        taken_at TEXT,
        sort_time TEXT NOT NULL,
        camera TEXT,
        lens TEXT,
        gps_lat REAL,
        gps_lon REAL,
        metadata_warning TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        indexed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX photos_by_hash ON photos(hash);
    CREATE INDEX photos_by_time ON photos(sort_time, id);
    CREATE TABLE index_failures (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        error TEXT NOT NULL,
        failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    "#,
];

pub(super) fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = STEPS.len() as i64;
    if applied > known {
        return Err(CatalogError::TooNew {
            path: path.to_string(),
            found: applied,
            known,
        });
    }
    for (i, step) in STEPS.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, "mem").unwrap();
        migrate(&mut conn, "mem").unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, STEPS.len() as i64);
    }

    #[test]
    fn a_newer_database_is_refused_not_damaged() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        assert!(matches!(
            migrate(&mut conn, "mem"),
            Err(CatalogError::TooNew { found: 999, .. })
        ));
    }
}
