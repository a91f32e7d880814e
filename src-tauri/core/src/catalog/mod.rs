//! The library database: one SQLite file (WAL, foreign keys on), append-only migrations, and one
//! query module per table. Nothing outside this module writes SQL.

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

use std::path::Path;

use rusqlite::Connection;

use crate::region::Region;

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
        Ok(Self { conn })
    }

    /// Runs `f` in one transaction: all of it lands, or none of it (any error rolls back). The
    /// transaction takes the write lock as it starts (waiting its turn behind another process's
    /// write), so it never fails half-way because another connection wrote after it read.
    pub fn write<T, E: From<CatalogError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(CatalogError::from)?;
        let out = f(&Writer { conn: &tx })?;
        tx.commit().map_err(CatalogError::from)?;
        Ok(out)
    }

    /// Every claim imported from the event repository's issues, by issue number.
    pub fn claims(&self) -> Result<Vec<StoredClaim>> {
        claims::all(&self.conn)
    }

    pub fn claim(&self, issue: u64) -> Result<Option<StoredClaim>> {
        claims::get(&self.conn, issue)
    }

    /// The event's repository (`OWNER/REPO`), where attendees answer, once it is known.
    pub fn event_repository(&self) -> Result<Option<String>> {
        event::repository(&self.conn)
    }

    /// The event this library names (an empty one until it is set).
    pub fn event(&self) -> Result<Event> {
        event::get(&self.conn)
    }

    /// The recap post kept in the library (an empty one before any was written).
    pub fn post(&self) -> Result<KeptPost> {
        posts::get(&self.conn)
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

    /// Untagged faces suggested as this login, best match first.
    pub fn suggested_as(&self, login: &str) -> Result<Vec<FaceOnPhoto>> {
        faces::suggested_as(&self.conn, login)
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

    /// Faces (tagged, or waiting for a name) with no current embedding by `model`.
    pub fn awaiting_embedding(&self, model: &str) -> Result<Vec<FaceToEmbed>> {
        embeddings::awaiting(&self.conn, model)
    }

    pub fn embeddings(&self, of: EmbeddingsOf<'_>) -> Result<Vec<StoredEmbedding>> {
        embeddings::current(&self.conn, of)
    }

    /// Faces with a current embedding, and faces that could not get one.
    pub fn embedding_counts(&self) -> Result<(u64, u64)> {
        embeddings::counts(&self.conn)
    }

    /// The suggestion on a face: (person id, login, score).
    pub fn suggestion(&self, face_id: i64) -> Result<Option<(i64, String, f32)>> {
        suggestions::suggestion(&self.conn, face_id)
    }

    /// Every attendee's avatar, by login.
    pub fn avatars(&self) -> Result<Vec<StoredAvatar>> {
        avatars::all(&self.conn)
    }

    /// The file name (under the library's `avatars/`) of this person's avatar.
    pub fn avatar_file(&self, person_id: i64) -> Result<Option<String>> {
        avatars::file_of(&self.conn, person_id)
    }

    /// `(person, embedding)` of every avatar with exactly one face, under this model version.
    pub fn avatar_embeddings(&self, model: &str) -> Result<Vec<(i64, Vec<u8>)>> {
        avatars::embeddings(&self.conn, model)
    }

    pub fn suggestion_count(&self) -> Result<u64> {
        suggestions::count(&self.conn)
    }

    /// Groups of faces waiting for a name.
    pub fn face_groups(&self) -> Result<Vec<StoredGroup>> {
        suggestions::groups(&self.conn)
    }

    /// This library's place in a team, when it joined one.
    pub fn team(&self) -> Result<Option<TeamRow>> {
        team::get(&self.conn)
    }

    /// Every record of one laptop this library holds, in the order it made them.
    pub fn team_records_of_laptop(&self, laptop: &str) -> Result<Vec<StoredRecord>> {
        team::records_of_laptop(&self.conn, laptop)
    }

    pub fn team_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        team::record_by_id(&self.conn, id)
    }

    /// The team this library left, kept for a rejoin.
    pub fn former_team(&self) -> Result<Option<TeamRow>> {
        team::former(&self.conn)
    }

    /// The login a teammate's laptop's files were last read as.
    pub fn team_login_of(&self, laptop: &str) -> Result<Option<String>> {
        team::login_of(&self.conn, laptop)
    }

    /// Every login whose log this library read: teammates with no decision yet too.
    pub fn team_logins(&self) -> Result<Vec<String>> {
        team::logins(&self.conn)
    }

    /// Per teammate (by login): decisions kept here and the wall time of the latest.
    pub fn team_members(&self) -> Result<Vec<(String, u64, u64)>> {
        team::members(&self.conn)
    }

    pub fn team_record_count(&self, status: RecordStatus) -> Result<u64> {
        team::count_with_status(&self.conn, status)
    }

    /// Every open conflict: (face, photo, the names given).
    pub fn team_conflicts(&self) -> Result<Vec<ConflictRow>> {
        team::conflicts(&self.conn)
    }

    pub fn team_conflict_count(&self) -> Result<u64> {
        team::conflict_count(&self.conn)
    }

    /// Organizers this library knows of (whose files it reads), `me` included.
    pub fn team_member_count(&self, me: &str) -> Result<u64> {
        team::member_count(&self.conn, me)
    }

    pub fn team_records_with_status(&self, status: RecordStatus) -> Result<Vec<StoredRecord>> {
        team::records_with_status(&self.conn, status)
    }

    /// Where the last sync stopped reading a teammate's file: (offset, the file's size then).
    pub fn team_read_offset(&self, file: &str) -> Result<Option<ReadMark>> {
        team::read_offset(&self.conn, file)
    }
}

/// Writes allowed inside [`Catalog::write`]; every method is one statement of the transaction.
pub struct Writer<'a> {
    conn: &'a Connection,
}

impl Writer<'_> {
    /// Keeps an attendee's avatar, replacing the one they had.
    pub fn store_avatar(&self, avatar: &AvatarRecord) -> Result<()> {
        avatars::store(self.conn, avatar)
    }

    /// Fails with [`CatalogError::NoSuchPhoto`] unless the photo is in the library.
    pub fn photo_exists(&self, id: i64) -> Result<()> {
        photos::details(self.conn, id)?
            .map(|_| ())
            .ok_or(CatalogError::NoSuchPhoto(id))
    }

    /// Keeps a claim (a new issue, or an edited one).
    pub fn put_claim(&self, claim: &StoredClaim) -> Result<()> {
        claims::put(self.conn, claim)
    }

    pub fn claim(&self, issue: u64) -> Result<Option<StoredClaim>> {
        claims::get(self.conn, issue)
    }

    pub fn set_claim_state(&self, issue: u64, state: ClaimState, undo: Option<&str>) -> Result<()> {
        claims::set_state(self.conn, issue, state, undo)
    }

    pub fn event_repository(&self) -> Result<Option<String>> {
        event::repository(self.conn)
    }

    /// Sets what an attendee asked for themselves (`None`: the organizer overrode it).
    pub fn set_person_asked(&self, id: i64, asked: Option<crate::consent::Consent>) -> Result<()> {
        people::set_asked(self.conn, id, asked)
    }

    /// Sets the event's repository (`OWNER/REPO`), where attendees answer.
    pub fn set_event_repository(&self, repo: Option<&str>) -> Result<()> {
        event::set_repository(self.conn, repo)
    }

    pub fn event(&self) -> Result<Event> {
        event::get(self.conn)
    }

    /// Keeps `event` as the event this library names.
    pub fn set_event(&self, event: &Event) -> Result<()> {
        event::set(self.conn, event)
    }

    /// Forgets a claim (its issue was closed before anyone accepted it).
    pub fn delete_claim(&self, issue: u64) -> Result<()> {
        claims::delete(self.conn, issue)
    }

    /// The visible faces (id and box) of every photo with this content.
    pub fn faces_with_hash(&self, hash: &str) -> Result<Vec<(i64, Region)>> {
        claims::faces_with_hash(self.conn, hash)
    }

    /// Keeps `post` as the library's recap post, replacing the one kept.
    pub fn set_post(&self, post: &KeptPost) -> Result<()> {
        posts::set(self.conn, post)
    }

    /// Appends photos to the kept post (those already in it stay where they are).
    pub fn add_to_post(&self, photo_ids: &[i64]) -> Result<()> {
        posts::add(self.conn, photo_ids)
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

    /// Sets the row a person put a face in; `None` gives it back to the rule.
    pub fn set_face_row_fix(&self, face_id: i64, row: Option<u32>) -> Result<()> {
        faces::set_row_fix(self.conn, face_id, row)
    }

    /// Photos whose rows a person fixed by hand.
    pub fn photos_with_row_fix(&self) -> Result<Vec<i64>> {
        faces::photos_with_row_fix(self.conn)
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

    pub fn awaiting_embedding(&self, model: &str) -> Result<Vec<FaceToEmbed>> {
        embeddings::awaiting(self.conn, model)
    }

    /// Drops embeddings of other model versions and of boxes gone for good.
    pub fn forget_stale_embeddings(&self, model: &str) -> Result<usize> {
        embeddings::forget_stale(self.conn, model)
    }

    pub fn store_embedding(&self, model: &str, record: &EmbeddingRecord<'_>) -> Result<()> {
        embeddings::store(self.conn, model, record)
    }

    pub fn embeddings(&self, of: EmbeddingsOf<'_>) -> Result<Vec<StoredEmbedding>> {
        embeddings::current(self.conn, of)
    }

    pub fn delete_candidates_of(&self, face_id: i64) -> Result<()> {
        suggestions::delete_candidates_of(self.conn, face_id)
    }

    /// Removes the candidates `via_face` gave; returns (face, person, photo) of each.
    pub fn take_candidates_via(&self, via_face: i64) -> Result<Vec<(i64, i64, i64)>> {
        suggestions::take_candidates_via(self.conn, via_face)
    }

    /// Keeps a candidate when it beats the known one for its face and person.
    pub fn raise_candidate(&self, candidate: &Candidate) -> Result<bool> {
        suggestions::raise_candidate(self.conn, candidate)
    }

    /// Replaces the faces a person's avatar matches; returns the photos concerned, before and
    /// after.
    pub fn set_avatar_candidates(
        &self,
        person_id: i64,
        matches: &[(i64, f32)],
    ) -> Result<Vec<i64>> {
        suggestions::set_avatar_candidates(self.conn, person_id, matches)
    }

    pub fn add_avatar_candidate(&self, face_id: i64, person_id: i64, score: f32) -> Result<()> {
        suggestions::add_avatar_candidate(self.conn, face_id, person_id, score)
    }

    /// Photos where this person's avatar matches a face.
    pub fn avatar_candidate_photos(&self, person_id: i64) -> Result<Vec<i64>> {
        suggestions::avatar_candidate_photos(self.conn, person_id)
    }

    /// `(person, embedding)` of every avatar with exactly one face, under this model version.
    pub fn avatar_embeddings(&self, model: &str) -> Result<Vec<(i64, Vec<u8>)>> {
        avatars::embeddings(self.conn, model)
    }

    pub fn clear_candidates(&self) -> Result<()> {
        suggestions::clear_all(self.conn)
    }

    pub fn photo_candidates(&self, photo_id: i64) -> Result<PhotoCandidates> {
        suggestions::photo_candidates(self.conn, photo_id)
    }

    pub fn photos_with_candidates(&self) -> Result<Vec<i64>> {
        suggestions::photos_with_candidates(self.conn)
    }

    pub fn photos_with_candidate(&self, person_id: i64) -> Result<Vec<i64>> {
        suggestions::photos_with_candidate(self.conn, person_id)
    }

    /// The faces tagged with a person: (photo, face).
    pub fn faces_of_person(&self, person_id: i64) -> Result<Vec<(i64, i64)>> {
        faces::of_person(self.conn, person_id)
    }

    pub fn set_photo_suggestions(&self, photo_id: i64, chosen: &[Candidate]) -> Result<()> {
        suggestions::set_photo_suggestions(self.conn, photo_id, chosen)
    }

    pub fn suggestion(&self, face_id: i64) -> Result<Option<(i64, String, f32)>> {
        suggestions::suggestion(self.conn, face_id)
    }

    pub fn reject_suggestion(&self, face_id: i64, person_id: i64) -> Result<()> {
        suggestions::reject(self.conn, face_id, person_id)
    }

    pub fn unreject_suggestion(&self, face_id: i64, person_id: i64) -> Result<()> {
        suggestions::unreject(self.conn, face_id, person_id)
    }

    /// Every grouped face: (group, face).
    pub fn group_members(&self) -> Result<Vec<(i64, i64)>> {
        suggestions::group_members(self.conn)
    }

    pub fn set_face_group(&self, face_id: i64, group_id: i64) -> Result<()> {
        suggestions::set_group(self.conn, face_id, group_id)
    }

    /// Takes a face out of its group (a group left with one face is dissolved).
    pub fn leave_face_group(&self, face_id: i64) -> Result<Option<i64>> {
        suggestions::leave_group(self.conn, face_id)
    }

    pub fn next_group_id(&self) -> Result<i64> {
        suggestions::next_group_id(self.conn)
    }

    pub fn face_groups(&self) -> Result<Vec<StoredGroup>> {
        suggestions::groups(self.conn)
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

    pub fn team(&self) -> Result<Option<TeamRow>> {
        team::get(self.conn)
    }

    /// Keeps a step of decisions made here, as the decisions that take it back.
    pub fn push_undo_step(&self, decisions: &str) -> Result<()> {
        undo::push(self.conn, decisions)
    }

    /// The last step kept, taken off the list.
    pub fn pop_undo_step(&self) -> Result<Option<String>> {
        undo::pop(self.conn)
    }

    /// Every face the team knows by an id here, deleted ones included: (photo, face).
    pub fn team_linked_faces(&self) -> Result<Vec<(i64, i64)>> {
        team::linked_faces(self.conn)
    }

    /// The team this library left, kept for a rejoin.
    pub fn former_team(&self) -> Result<Option<TeamRow>> {
        team::former(self.conn)
    }

    pub fn join_team(&self, folder: &str, me: &str, laptop: &str) -> Result<()> {
        team::join(self.conn, folder, me, laptop)
    }

    pub fn leave_team(&self) -> Result<()> {
        team::leave(self.conn)
    }

    pub fn set_team_clock(&self, next_seq: u64, ms: u64, n: u32) -> Result<()> {
        team::set_clock(self.conn, next_seq, ms, n)
    }

    /// Keeps a record; false when it was kept already.
    pub fn insert_team_record(&self, record: &StoredRecord) -> Result<bool> {
        team::insert_record(self.conn, record)
    }

    pub fn team_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        team::record_by_id(self.conn, id)
    }

    pub fn team_records_about(&self, subjects: &[String]) -> Result<Vec<StoredRecord>> {
        team::records_about(self.conn, subjects)
    }

    pub fn team_records_with_status(&self, status: RecordStatus) -> Result<Vec<StoredRecord>> {
        team::records_with_status(self.conn, status)
    }

    pub fn team_records_waiting_for(&self, photo: &str) -> Result<Vec<StoredRecord>> {
        team::waiting_for(self.conn, photo)
    }

    pub fn set_team_record_status(&self, id: &str, status: RecordStatus) -> Result<()> {
        team::set_status(self.conn, id, status)
    }

    pub fn team_read_offset(&self, file: &str) -> Result<Option<ReadMark>> {
        team::read_offset(self.conn, file)
    }

    pub fn set_team_read_offset(
        &self,
        file: &str,
        laptop: &str,
        login: &str,
        mark: &ReadMark,
    ) -> Result<()> {
        team::set_read_offset(self.conn, file, laptop, login, mark)
    }

    /// Forgets how far a file was read (it is gone).
    pub fn forget_team_read(&self, file: &str) -> Result<()> {
        team::forget_read(self.conn, file)
    }

    /// Every teammate's file read so far, with its laptop.
    pub fn team_read_files(&self) -> Result<Vec<(String, String)>> {
        team::read_files(self.conn)
    }

    /// The file a teammate's record was first read from.
    pub fn team_record_file(&self, id: &str) -> Result<Option<String>> {
        team::record_file(self.conn, id)
    }

    pub fn set_team_record_file(&self, id: &str, file: &str) -> Result<()> {
        team::set_record_file(self.conn, id, file)
    }

    /// Keeps the other content a teammate's file gives a record; false when known already.
    pub fn add_team_dispute(&self, id: &str, file: &str, body: &str) -> Result<bool> {
        team::add_dispute(self.conn, id, file, body)
    }

    pub fn team_disputes(&self) -> Result<Vec<Dispute>> {
        team::disputes(self.conn)
    }

    pub fn end_team_dispute(&self, d: &Dispute, take_other: bool) -> Result<()> {
        team::end_dispute(self.conn, d, take_other)
    }

    pub fn face_of_team_uid(&self, uid: &str) -> Result<Option<i64>> {
        team::face_of_uid(self.conn, uid)
    }

    /// The team ids of a local face: the ids alone.
    pub fn team_uids_of_face(&self, face_id: i64) -> Result<Vec<String>> {
        Ok(team::uids_of_face(self.conn, face_id)?
            .into_iter()
            .map(|(uid, _)| uid)
            .collect())
    }

    /// The team ids of a local face, each with whether it names a drawn box.
    pub fn team_links_of_face(&self, face_id: i64) -> Result<Vec<(String, bool)>> {
        team::uids_of_face(self.conn, face_id)
    }

    pub fn link_team_uid(&self, uid: &str, face_id: i64, drawn: bool) -> Result<()> {
        team::link_uid(self.conn, uid, face_id, drawn)
    }

    pub fn set_team_face_state(
        &self,
        face_id: i64,
        by: Option<&str>,
        ms: Option<u64>,
        conflict: Option<&[Claim]>,
    ) -> Result<()> {
        team::set_face_state(self.conn, face_id, by, ms, conflict)
    }

    /// Marks the faces some face record names this attendee on, to settle again at the next
    /// sync.
    pub fn team_settle_again_named(&self, person_id: i64) -> Result<()> {
        team::settle_again_named(self.conn, person_id)
    }

    /// The faces marked to settle again, unmarked.
    pub fn take_team_settle_again(&self) -> Result<Vec<(i64, i64)>> {
        team::take_settle_again(self.conn)
    }

    /// The faces here that some teammate's or this laptop's face record names `login` on.
    pub fn team_faces_named(&self, login: &str) -> Result<Vec<(i64, i64)>> {
        team::faces_named(self.conn, login)
    }

    /// Whether the face search has looked at this photo's content.
    pub fn photo_searched(&self, photo_id: i64) -> Result<bool> {
        faces::searched(self.conn, photo_id)
    }

    /// The photo whose content hash starts with `prefix`, if this library has it.
    pub fn photo_by_hash_prefix(&self, prefix: &str) -> Result<Option<i64>> {
        photos::id_by_hash_prefix(self.conn, prefix)
    }

    /// Content hash of a photo.
    pub fn photo_hash(&self, id: i64) -> Result<Option<String>> {
        photos::hash(self.conn, id)
    }

    /// A deleted box's place, source and state, while it is kept for undo.
    pub fn deleted_face(
        &self,
        face_id: i64,
    ) -> Result<Option<(crate::region::Region, FaceSource, FaceState)>> {
        faces::deleted(self.conn, face_id)
    }

    /// Faces someone decided something about: (photo, face).
    pub fn decided_faces(&self) -> Result<Vec<(i64, i64)>> {
        faces::decided(self.conn)
    }

    pub fn people_logins(&self) -> Result<Vec<String>> {
        people::logins(self.conn)
    }

    /// A face's box, source, state and login, without its suggestion and group.
    pub fn face_brief(&self, face_id: i64) -> Result<Option<FaceBrief>> {
        faces::brief_one(self.conn, face_id)
    }

    pub fn face_briefs(&self, photo_id: i64) -> Result<Vec<FaceBrief>> {
        faces::briefs_of_photo(self.conn, photo_id)
    }

    /// Whether a box with this id exists, live or deleted.
    pub fn face_known(&self, face_id: i64) -> Result<bool> {
        faces::known(self.conn, face_id)
    }

    /// (face, team id, drawn) for every face of a photo.
    pub fn team_links_of_photo(&self, photo_id: i64) -> Result<Vec<(i64, String, bool)>> {
        team::links_of_photo(self.conn, photo_id)
    }

    pub fn avatar_file(&self, person_id: i64) -> Result<Option<String>> {
        avatars::file_of(self.conn, person_id)
    }

    /// The content hash recorded for a person's avatar.
    pub fn avatar_hash(&self, person_id: i64) -> Result<Option<String>> {
        avatars::hash_of(self.conn, person_id)
    }
}
