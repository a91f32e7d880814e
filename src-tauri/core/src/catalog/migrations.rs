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
    // 2: the roster, faces, and which photos detection has seen.
    r#"
    CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL,
        login_key TEXT NOT NULL UNIQUE,
        name TEXT,
        affiliation TEXT,
        consent TEXT NOT NULL DEFAULT 'ok' CHECK (consent IN ('ok', 'no-tag', 'no-publish')),
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE faces (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        x REAL NOT NULL,
        y REAL NOT NULL,
        w REAL NOT NULL,
        h REAL NOT NULL,
        score REAL,
        landmarks TEXT,
        source TEXT NOT NULL CHECK (source IN ('auto', 'manual', 'imported')),
        state TEXT NOT NULL DEFAULT 'unreviewed'
            CHECK (state IN ('unreviewed', 'confirmed', 'ignored', 'not_a_face')),
        person_id INTEGER REFERENCES people(id),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX faces_by_photo ON faces(photo_id);
    CREATE INDEX faces_by_person ON faces(person_id);
    CREATE TABLE face_detections (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        model TEXT NOT NULL,
        error TEXT,
        detected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    "#,
    // 3: people counts, best faces and the triage queue read only this index (a row lookup per
    // face cost 15 ms per 30,000 tagged faces); it replaces the plain person index.
    r#"
    CREATE INDEX faces_by_person_detail ON faces(person_id, state, photo_id, w, h, score);
    DROP INDEX faces_by_person;
    "#,
    // 4: a deleted box is kept here, whole, so undo brings it back with the same id; new boxes
    // take ids above both tables, so a deleted box's id is never reused.
    r#"
    CREATE TABLE deleted_faces (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        x REAL NOT NULL,
        y REAL NOT NULL,
        w REAL NOT NULL,
        h REAL NOT NULL,
        score REAL,
        landmarks TEXT,
        source TEXT NOT NULL,
        state TEXT NOT NULL,
        person_id INTEGER REFERENCES people(id),
        deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    "#,
    // 5: recognition. An embedding is kept for the photo content and box it was made from, so
    // a moved box or a changed file is embedded again; rows of deleted boxes stay (ids are never
    // reused) so undoing a delete needs no new embedding. `face_candidates` holds, per untagged
    // face and person, the best match among that person's confirmed faces above the threshold and
    // which face gave it; `face_suggestions` is the one login per face chosen from them, photo by
    // photo; `face_groups` gathers untagged faces that look alike; a rejection is kept for good, even across a delete and restore of the box.
    r#"
    CREATE TABLE face_embeddings (
        face_id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        hash TEXT NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        w REAL NOT NULL,
        h REAL NOT NULL,
        aligned_by TEXT NOT NULL CHECK (aligned_by IN ('landmarks', 'detector', 'box')),
        vector BLOB,
        error TEXT,
        embedded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE face_candidates (
        face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        via_face INTEGER NOT NULL,
        PRIMARY KEY (face_id, person_id)
    );
    CREATE INDEX face_candidates_by_via ON face_candidates(via_face);
    CREATE TABLE face_suggestions (
        face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        score REAL NOT NULL
    );
    CREATE INDEX face_suggestions_by_person ON face_suggestions(person_id, score);
    CREATE TABLE rejected_suggestions (
        face_id INTEGER NOT NULL,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        PRIMARY KEY (face_id, person_id)
    );
    CREATE TABLE face_groups (
        face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
        group_id INTEGER NOT NULL
    );
    CREATE INDEX face_groups_by_group ON face_groups(group_id);
    "#,
    // 6: an embedding stops being current the moment its box moves or its photo's content
    // changes; dropping it then (rather than comparing box and hash on every read) keeps
    // reading 20,000 embeddings after a tag to one index walk.
    r#"
    CREATE TRIGGER embeddings_follow_boxes AFTER UPDATE OF x, y, w, h ON faces
    WHEN NEW.x <> OLD.x OR NEW.y <> OLD.y OR NEW.w <> OLD.w OR NEW.h <> OLD.h
    BEGIN
        DELETE FROM face_embeddings WHERE face_id = NEW.id;
    END;
    CREATE TRIGGER embeddings_follow_content AFTER UPDATE OF hash ON photos
    WHEN NEW.hash <> OLD.hash
    BEGIN
        DELETE FROM face_embeddings WHERE face_id IN (SELECT id FROM faces WHERE photo_id = NEW.id);
    END;
    DELETE FROM face_embeddings WHERE face_id IN (
        SELECT e.face_id FROM face_embeddings e JOIN faces f ON f.id = e.face_id
        JOIN photos p ON p.id = f.photo_id
        WHERE e.hash <> p.hash OR e.x <> f.x OR e.y <> f.y OR e.w <> f.w OR e.h <> f.h);
    "#,
    // 7: a counter raised by every write to face_embeddings, so a copy of the vectors kept in
    // memory knows when it is stale, whichever process wrote.
    r#"
    CREATE TABLE embedding_generation (n INTEGER NOT NULL);
    INSERT INTO embedding_generation VALUES (0);
    CREATE TRIGGER embedding_generation_insert AFTER INSERT ON face_embeddings
    BEGIN UPDATE embedding_generation SET n = n + 1; END;
    CREATE TRIGGER embedding_generation_update AFTER UPDATE ON face_embeddings
    BEGIN UPDATE embedding_generation SET n = n + 1; END;
    CREATE TRIGGER embedding_generation_delete AFTER DELETE ON face_embeddings
    BEGIN UPDATE embedding_generation SET n = n + 1; END;
    "#,
    // 8: attendees' avatars (from GitHub or a folder), a copy kept in the library as JPEG; the
    // face found in it, when there is exactly one, with its embedding. `avatar_candidates`: per
    // untagged face and person, the match with that person's avatar above the (stricter)
    // avatar threshold; used only while the person has no confirmed face. A suggestion says
    // which of the two it came from.
    r#"
    CREATE TABLE avatars (
        person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('github', 'folder')),
        file TEXT NOT NULL,
        hash TEXT NOT NULL,
        face TEXT NOT NULL CHECK (face IN ('one', 'none', 'many')),
        x REAL, y REAL, w REAL, h REAL,
        model TEXT,
        vector BLOB,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE avatar_candidates (
        face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (face_id, person_id)
    );
    CREATE INDEX avatar_candidates_by_person ON avatar_candidates(person_id);
    ALTER TABLE face_suggestions ADD COLUMN source TEXT NOT NULL DEFAULT 'photos'
        CHECK (source IN ('photos', 'avatar'));
    "#,
    // 9: HEIC/HEIF and AVIF are read now; files an older version listed as an unsupported
    // format are forgotten as failures, so the next scan reads them even though unchanged.
    r#"
    DELETE FROM index_failures WHERE error LIKE 'unsupported format: %';
    "#,
    // 10: a HEIF's stored image is its coded image, shown through its own crop (`clap`) and
    // orientation (`irot`, `imir`); MWG regions refer to it. HEIF photos indexed before this
    // are read again by the next scan (their file time no longer matches).
    r#"
    ALTER TABLE photos ADD COLUMN crop_x INTEGER;
    ALTER TABLE photos ADD COLUMN crop_y INTEGER;
    ALTER TABLE photos ADD COLUMN crop_w INTEGER;
    ALTER TABLE photos ADD COLUMN crop_h INTEGER;
    UPDATE photos SET mtime_ns = -1 WHERE format IN ('HEIC', 'AVIF');
    "#,
    // 11: the team. One row when this library has joined a team folder (which laptop it is
    // there, who uses it, its clock); every decision record, this laptop's and its teammates',
    // kept whole (a newer whoiswho's too, unapplied); how far each teammate's file was read;
    // the team-wide ids of each face; and who made each face's current decision, with the
    // names it is in conflict with.
    r#"
    CREATE TABLE team (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        folder TEXT NOT NULL,
        me TEXT NOT NULL,
        laptop TEXT NOT NULL,
        next_seq INTEGER NOT NULL DEFAULT 1,
        clock_ms INTEGER NOT NULL DEFAULT 0,
        clock_n INTEGER NOT NULL DEFAULT 0,
        joined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE team_records (
        id TEXT PRIMARY KEY,
        laptop TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        at_n INTEGER NOT NULL,
        by TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        photo TEXT,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('outbox', 'written', 'applied', 'waiting', 'newer')),
        arrived_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX team_records_by_subject ON team_records(subject);
    CREATE INDEX team_records_by_status ON team_records(status, photo);
    CREATE TABLE team_reads (
        file TEXT PRIMARY KEY,
        laptop TEXT NOT NULL,
        login TEXT NOT NULL,
        offset INTEGER NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE TABLE team_faces (
        uid TEXT PRIMARY KEY,
        face_id INTEGER NOT NULL,
        drawn INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX team_faces_by_face ON team_faces(face_id);
    CREATE TABLE team_face_state (
        face_id INTEGER PRIMARY KEY,
        decided_by TEXT,
        decided_ms INTEGER,
        conflict TEXT
    );
    "#,
    // The recap post being written: one per library (its front matter), and its photos in order
    // with the caption and alt text the organizer wrote (NULL: the prefilled one).
    r#"
    CREATE TABLE post (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        title TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        slug TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE post_photos (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        caption TEXT,
        alt TEXT
    );
    "#,
    // Attendees' answers from the event repository's issues: who answered (the issue's
    // author), whom they named, the consent they chose, and the face, by photo content and box
    // (resolved to a face of this library when one matches).
    r#"
    CREATE TABLE claims (
        issue INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        author TEXT NOT NULL,
        login TEXT NOT NULL,
        consent TEXT NOT NULL,
        photo_hash TEXT NOT NULL,
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
        face_id INTEGER,
        state TEXT NOT NULL DEFAULT 'open',
        body_hash TEXT NOT NULL,
        created_at TEXT
    );
    CREATE INDEX claims_by_face ON claims(face_id);
    "#,
    // 14: a counter raised by every write that can change the roster's counts, best faces or
    // avatars, so the roster kept in memory knows when it is stale, whichever process wrote.
    r#"
    CREATE TABLE roster_generation (n INTEGER NOT NULL);
    INSERT INTO roster_generation VALUES (0);
    CREATE TRIGGER roster_generation_people_insert AFTER INSERT ON people
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_people_update AFTER UPDATE ON people
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_people_delete AFTER DELETE ON people
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_faces_insert AFTER INSERT ON faces
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_faces_update AFTER UPDATE OF person_id, state, x, y, w, h, score, photo_id ON faces
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_faces_delete AFTER DELETE ON faces
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_avatars_insert AFTER INSERT ON avatars
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_avatars_update AFTER UPDATE ON avatars
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_avatars_delete AFTER DELETE ON avatars
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_photos_update AFTER UPDATE OF width, height ON photos
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    "#,
    // 15: only a face that carries a login (before or after the write) counts for the roster:
    // marking an untagged face "not a face" or ignored, as triage does at every other key, no
    // longer makes the next keystroke of the typeahead count the roster again.
    r#"
    DROP TRIGGER IF EXISTS roster_generation_faces_insert;
    DROP TRIGGER IF EXISTS roster_generation_faces_update;
    DROP TRIGGER IF EXISTS roster_generation_faces_delete;
    CREATE TRIGGER roster_generation_faces_insert AFTER INSERT ON faces
    WHEN NEW.person_id IS NOT NULL
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_faces_update AFTER UPDATE OF person_id, state, x, y, w, h, score, photo_id ON faces
    WHEN OLD.person_id IS NOT NULL OR NEW.person_id IS NOT NULL
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    CREATE TRIGGER roster_generation_faces_delete AFTER DELETE ON faces
    WHEN OLD.person_id IS NOT NULL
    BEGIN UPDATE roster_generation SET n = n + 1; END;
    "#,
    // 16: an attendee's own word about their privacy. `people.asked`: the most private consent
    // they asked for themselves (a self-claim), which only the organizer, asked plainly, lowers.
    // A claim's consent is '' when the answer left it empty ("no change"); `undo` is the face
    // decision that takes an accept back (reject after accept runs it); `reason` says why a
    // claim was withdrawn (its issue edited into an answer that cannot be read). `event`: the
    // event this library names, starting with the repository where attendees answer.
    r#"
    ALTER TABLE people ADD COLUMN asked TEXT;
    ALTER TABLE claims ADD COLUMN undo TEXT;
    ALTER TABLE claims ADD COLUMN reason TEXT;
    CREATE TABLE event (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        repository TEXT
    );
    INSERT INTO event (id) VALUES (1);
    "#,
    // 17: a team loses nothing. Faces to settle again at the next sync (an attendee may be
    // tagged again, so the names records give them come back, as on every laptop). Which file
    // each teammate's record was first read from, and records one teammate's files give two
    // contents for (applied neither way until one file is gone). What the end of each file read
    // last looked like, so a file replaced by another of a larger size is read again. Leaving a
    // team keeps this laptop's identity (`left_at`). The last steps of decisions made here, with
    // the decisions that take each back (`whoiswho undo`).
    r#"
    CREATE TABLE team_settle_again (face_id INTEGER PRIMARY KEY);
    ALTER TABLE team_records ADD COLUMN file TEXT;
    CREATE TABLE team_disputes (
        id TEXT PRIMARY KEY,
        file TEXT NOT NULL,
        body TEXT NOT NULL
    );
    ALTER TABLE team_reads ADD COLUMN tail TEXT;
    ALTER TABLE team_reads ADD COLUMN lines INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE team ADD COLUMN left_at TEXT;
    CREATE TABLE undo_steps (id INTEGER PRIMARY KEY AUTOINCREMENT, decisions TEXT NOT NULL);
    "#,
    // 18: rows by hand. The row a person put a face in (1-based from the back; 0: the photo is
    // read left to right), when they fixed its photo's rows; NULL: the rule's row.
    r#"
    ALTER TABLE faces ADD COLUMN row_fix INTEGER;
    "#,
    // 19: the event, once, and the post's own text. The event's name, days, place and
    // organizers (the post's authors by default). The post's introduction, closing, whether its
    // figures are numbered and where its byline goes; the text after each figure.
    r#"
    ALTER TABLE event ADD COLUMN name TEXT NOT NULL DEFAULT '';
    ALTER TABLE event ADD COLUMN start_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE event ADD COLUMN end_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE event ADD COLUMN place TEXT NOT NULL DEFAULT '';
    ALTER TABLE event ADD COLUMN organizers TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE post ADD COLUMN intro TEXT NOT NULL DEFAULT '';
    ALTER TABLE post ADD COLUMN closing TEXT NOT NULL DEFAULT '';
    ALTER TABLE post ADD COLUMN numbered INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE post ADD COLUMN byline TEXT NOT NULL DEFAULT 'front_matter';
    ALTER TABLE post_photos ADD COLUMN text TEXT NOT NULL DEFAULT '';
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
    if applied == known {
        return Ok(());
    }
    // Two processes opening a library at once: the second waits, then finds it migrated.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let applied: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, step) in STEPS.iter().enumerate().skip(applied as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
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
