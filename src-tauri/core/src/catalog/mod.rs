//! The library database: one SQLite file (WAL, foreign keys on), append-only migrations, and one
//! query module per table. Nothing outside this module writes SQL.
//!
//! Each table module holds its own queries beside its SQL: reads as methods of [`Reader`],
//! which a [`Catalog`] and a [`Writer`] both are (through `Deref`), writes as methods of
//! [`Writer`], which only [`Catalog::write`] hands out, inside its transaction. This file holds
//! the connection, the transaction and the wiring.

mod avatars;
mod claims;
mod embeddings;
mod event;
mod faces;
mod failures;
mod folders;
mod migrations;
mod people;
mod photos;
mod posts;
mod suggestions;
mod team;
mod undo;

use std::ops::Deref;
use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use avatars::{AvatarFace, AvatarRecord, AvatarSource, StoredAvatar};
pub use claims::{ClaimState, FaceClaim, StoredClaim};
pub use embeddings::{AlignedBy, EmbeddingRecord, EmbeddingsOf, FaceToEmbed, StoredEmbedding};
pub use event::Event;
pub use faces::{Face, FaceBrief, FaceOnPhoto, FaceSource, FaceState, NewFace};
pub use failures::KnownFailure;
pub use people::{Person, Upserted};
pub use photos::{GridPhoto, KnownFile, PhotoDetails, PhotoFilter, PhotoRecord, PhotoSummary};
pub use posts::{Byline, KeptPost, PostPhoto};
pub use suggestions::{
    Candidate, GroupedFace, PhotoCandidates, StoredGroup, SuggestedFrom, Suggestion,
};
pub use team::{Claim, ConflictRow, Dispute, ReadMark, RecordStatus, StoredRecord, TeamRow};

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

/// How long a writer waits for another process's write to end: a team sync of 60,000 records
/// takes a few seconds; an index batch less.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// An open connection to a library database. Open one per thread; WAL lets readers run while
/// the indexer writes.
pub struct Catalog {
    reader: Reader,
}

/// Every query of the library, on a connection: a [`Catalog`]'s own, or the one a [`Writer`]'s
/// transaction runs on (which then sees what the transaction wrote so far).
pub struct Reader {
    conn: Connection,
}

impl Deref for Catalog {
    type Target = Reader;

    fn deref(&self) -> &Reader {
        &self.reader
    }
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
        // Many processes share a library (the window, its team watcher, any number of
        // commands): a writer waits for the one before it rather than failing.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Asking for WAL again takes a lock; a library is in WAL from its first opening on.
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrations::migrate(&mut conn, path)?;
        Ok(Self {
            reader: Reader { conn },
        })
    }

    /// Runs `f` in one transaction: all of it lands, or none of it (any error rolls back). The
    /// transaction takes the write lock as it starts (waiting its turn behind another process's
    /// write), so it never fails half-way because another connection wrote after it read.
    pub fn write<T, E: From<CatalogError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // `&mut self` keeps a second write of this catalog from starting inside the first; the
        // transaction itself only needs the connection shared, as the writer's reads do.
        let tx = Transaction::new_unchecked(&self.reader.conn, TransactionBehavior::Immediate)
            .map_err(CatalogError::from)?;
        let out = f(&Writer {
            reader: &self.reader,
        })?;
        // Dropped without a commit (an error above), the transaction rolls back.
        tx.commit().map_err(CatalogError::from)?;
        Ok(out)
    }
}

/// Writes allowed inside [`Catalog::write`]; every method is one statement of the transaction.
/// It reads as a [`Reader`] too, seeing what the transaction wrote so far.
pub struct Writer<'a> {
    reader: &'a Reader,
}

impl Deref for Writer<'_> {
    type Target = Reader;

    fn deref(&self) -> &Reader {
        self.reader
    }
}
