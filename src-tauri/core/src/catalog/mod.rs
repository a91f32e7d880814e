//! The library database: one SQLite file (WAL, foreign keys on), append-only migrations, and one
//! query module per table. Nothing outside this module writes SQL.

mod faces;
mod failures;
mod folders;
mod migrations;
mod people;
mod photos;

use std::path::Path;

use rusqlite::Connection;

pub use faces::{Face, FaceOnPhoto, FaceSource, FaceState, NewFace};
pub use failures::KnownFailure;
pub use people::{Person, Upserted};
pub use photos::{GridPhoto, KnownFile, PhotoDetails, PhotoFilter, PhotoRecord, PhotoSummary};

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot open the library database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error(
        "the library database {path} was written by a newer whoiswho (schema {found}, this build knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no photo with id {0}")]
    NoSuchPhoto(i64),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T, E = CatalogError> = std::result::Result<T, E>;

/// An open connection to a library database. Open one per thread; WAL lets readers run while
/// the indexer writes.
pub struct Catalog {
    conn: Connection,
}

impl Catalog {
    pub fn open(path: &Path) -> Result<Self> {
        let open_err = |source| CatalogError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        Self::configure(conn, &path.display().to_string())
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::configure(Connection::open_in_memory()?, ":memory:")
    }

    fn configure(mut conn: Connection, path: &str) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrations::migrate(&mut conn, path)?;
        Ok(Self { conn })
    }

    /// Runs `f` in one transaction: all of it lands, or none of it (any error rolls back).
    pub fn write<T, E: From<CatalogError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self.conn.transaction().map_err(CatalogError::from)?;
        let out = f(&Writer { conn: &tx })?;
        tx.commit().map_err(CatalogError::from)?;
        Ok(out)
    }

    pub fn photo_summaries(&self) -> Result<Vec<PhotoSummary>> {
        photos::summaries(&self.conn, &PhotoFilter::default())
    }

    /// The grid's view of the photos `filter` lets through.
    pub fn grid_photos(&self, filter: &PhotoFilter) -> Result<Vec<GridPhoto>> {
        photos::grid(&self.conn, filter)
    }

    pub fn filtered_photo_summaries(&self, filter: &PhotoFilter) -> Result<Vec<PhotoSummary>> {
        photos::summaries(&self.conn, filter)
    }

    pub fn photo_details(&self, id: i64) -> Result<PhotoDetails> {
        photos::details(&self.conn, id)?.ok_or(CatalogError::NoSuchPhoto(id))
    }

    pub fn photo_id_by_path(&self, path: &str) -> Result<Option<i64>> {
        photos::id_by_path(&self.conn, path)
    }

    /// Content hash of a photo, which names its cached thumbnails.
    pub fn photo_hash(&self, id: i64) -> Result<Option<String>> {
        photos::hash(&self.conn, id)
    }

    pub fn known_files(&self) -> Result<Vec<KnownFile>> {
        photos::known_files(&self.conn)
    }

    pub fn present_photo_count(&self) -> Result<u64> {
        photos::present_count(&self.conn)
    }

    pub fn known_failures(&self) -> Result<Vec<KnownFailure>> {
        failures::all(&self.conn)
    }

    pub fn folders(&self) -> Result<Vec<String>> {
        folders::all(&self.conn)
    }

    pub fn faces(&self, photo_id: i64) -> Result<Vec<Face>> {
        faces::for_photo(&self.conn, photo_id)
    }

    pub fn face(&self, photo_id: i64, face_id: i64) -> Result<Option<Face>> {
        faces::get(&self.conn, photo_id, face_id)
    }

    /// A face by id alone, with its photo.
    pub fn face_on_photo(&self, face_id: i64) -> Result<Option<FaceOnPhoto>> {
        faces::on_photo(&self.conn, face_id)
    }

    /// The first `limit` faces of the triage queue (largest first) and the queue's length.
    pub fn untagged_faces(&self, limit: u32) -> Result<(Vec<FaceOnPhoto>, u64)> {
        faces::untagged(&self.conn, limit)
    }

    /// Present photos not yet searched for faces by `model` in their current content:
    /// (id, path, hash, orientation).
    pub fn awaiting_detection(&self, model: &str) -> Result<Vec<(i64, String, String, u8)>> {
        faces::awaiting_detection(&self.conn, model)
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        people::all(&self.conn)
    }

    /// The attendee with this login, compared case-insensitively.
    pub fn person(&self, login: &str) -> Result<Option<Person>> {
        people::by_login(&self.conn, login)
    }
}

/// Writes allowed inside [`Catalog::write`]; every method is one statement of the transaction.
pub struct Writer<'a> {
    conn: &'a Connection,
}

impl Writer<'_> {
    /// Fails with [`CatalogError::NoSuchPhoto`] unless the photo is in the library.
    pub fn photo_exists(&self, id: i64) -> Result<()> {
        photos::details(self.conn, id)?
            .map(|_| ())
            .ok_or(CatalogError::NoSuchPhoto(id))
    }

    pub fn add_folder(&self, path: &str) -> Result<()> {
        folders::add(self.conn, path)
    }

    /// Inserts a new photo, or replaces what is known of the photo with `existing` id.
    pub fn upsert_photo(&self, existing: Option<i64>, photo: &PhotoRecord) -> Result<i64> {
        photos::upsert(self.conn, existing, photo)
    }

    /// A missing photo whose content reappeared, or a photo at a path that vanished this run.
    pub fn photo_ids_with_hash(&self, hash: &str) -> Result<Vec<(i64, bool)>> {
        photos::ids_with_hash(self.conn, hash)
    }

    pub fn set_missing(&self, id: i64, missing: bool) -> Result<()> {
        photos::set_missing(self.conn, id, missing)
    }

    pub fn record_failure(&self, failure: &KnownFailure) -> Result<()> {
        failures::record(self.conn, failure)
    }

    pub fn forget_failure(&self, path: &str) -> Result<()> {
        failures::forget(self.conn, path)
    }

    pub fn faces(&self, photo_id: i64) -> Result<Vec<Face>> {
        faces::for_photo(self.conn, photo_id)
    }

    pub fn face(&self, photo_id: i64, face_id: i64) -> Result<Option<Face>> {
        faces::get(self.conn, photo_id, face_id)
    }

    pub fn insert_face(&self, photo_id: i64, face: &NewFace) -> Result<i64> {
        faces::insert(self.conn, photo_id, face)
    }

    /// Moves or resizes a box; an automatic box becomes manual.
    pub fn set_face_region(&self, face_id: i64, region: &crate::region::Region) -> Result<()> {
        faces::set_region(self.conn, face_id, region)
    }

    /// Deletes a box, keeping it for [`Writer::restore_face`].
    pub fn delete_face(&self, face_id: i64) -> Result<()> {
        faces::delete(self.conn, face_id)
    }

    /// Brings a deleted box back with the same id; false when there is none.
    pub fn restore_face(&self, photo_id: i64, face_id: i64) -> Result<bool> {
        faces::restore(self.conn, photo_id, face_id)
    }

    /// Takes a person's login off all their faces; returns how many.
    pub fn untag_person(&self, person_id: i64) -> Result<usize> {
        faces::untag_person(self.conn, person_id)
    }

    /// Sets an attendee's name, affiliation and consent exactly (`None` clears).
    pub fn set_person_details(
        &self,
        id: i64,
        name: Option<&str>,
        affiliation: Option<&str>,
        consent: crate::consent::Consent,
    ) -> Result<()> {
        people::set_details(self.conn, id, name, affiliation, consent)
    }

    /// Drops the automatic, unreviewed, untagged boxes of a photo before it is searched again.
    pub fn delete_replaceable_faces(&self, photo_id: i64) -> Result<usize> {
        faces::delete_replaceable(self.conn, photo_id)
    }

    pub fn set_face_person(
        &self,
        face_id: i64,
        person_id: Option<i64>,
        state: FaceState,
    ) -> Result<()> {
        faces::set_person(self.conn, face_id, person_id, state)
    }

    /// Makes every photo be searched again by the next search (manual work is kept).
    pub fn forget_detections(&self) -> Result<usize> {
        faces::forget_detections(self.conn)
    }

    pub fn record_detection(
        &self,
        photo_id: i64,
        hash: &str,
        model: &str,
        error: Option<&str>,
    ) -> Result<()> {
        faces::record_detection(self.conn, photo_id, hash, model, error)
    }

    pub fn person(&self, login: &str) -> Result<Option<Person>> {
        people::by_login(self.conn, login)
    }

    /// The one attendee with this display name, if exactly one has it.
    pub fn person_id_by_name(&self, name: &str) -> Result<Option<(i64, crate::consent::Consent)>> {
        people::id_by_name(self.conn, name)
    }

    /// Adds an attendee or updates the fields given; `None` keeps what is known.
    pub fn upsert_person(
        &self,
        login: &str,
        name: Option<&str>,
        affiliation: Option<&str>,
        consent: Option<crate::consent::Consent>,
    ) -> Result<(i64, Upserted)> {
        people::upsert(self.conn, login, name, affiliation, consent)
    }
}
