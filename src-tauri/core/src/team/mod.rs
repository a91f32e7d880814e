//! A team names one event together: each organizer's library joins the same team folder (which
//! their own sync tool carries: Syncthing, a cloud drive, a NAS, git), writes its decisions
//! there as they are made (`journal` keeps them in the library's outbox; [`flush`] appends them
//! to this laptop's log) and reads everyone else's ([`sync`]). whoiswho opens no connection for
//! it. The folder holds what the library holds, `no-publish` names included: it is never an
//! export.
//!
//! Why a log per laptop, not a shared file or a CRDT document: a file that only one machine
//! writes is never a sync engine's conflict; an append-only log of whole lines survives being
//! copied mid-write (the last line is read when it is whole); records that say what a face IS
//! after a decision, with the records their author had seen, merge the same in any order with
//! a hybrid clock and a tie-break (`merge`), which is all a face, an attendee or a rejection
//! needs. The files stay readable JSON lines anyone can inspect.

mod apply;
mod folder;
mod merge;
mod own_log;
mod rejoin;

pub use folder::{TeamFolder, ROOT};
pub use merge::{FaceOutcome, Known, PersonOutcome};

use std::path::Path;

use serde::Serialize;

use crate::catalog::{Catalog, CatalogError, Claim, RecordStatus, StoredRecord, TeamRow, Writer};
use crate::faces::TagError;
use crate::journal::{self, parse_line, split_id, Line, Stamp};
use crate::library::Library;
use crate::login::{parse_login, LoginError};

/// How much of a teammate's log one sync reads at most, per file (the rest on the next one).
const READ_BUDGET: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("this library is in no team: join one first (whoiswho team join DIR --as LOGIN)")]
    NotJoined,
    #[error("this library is in the team at {0} already; leave it first (whoiswho team leave)")]
    OtherTeam(String),
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error("cannot use the team folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("the team folder {0} is not there (is its drive or share connected?); decisions wait in this library until it is back")]
    Unreachable(String),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("a teammate's decision could not be applied: {0}")]
    Decision(#[from] TagError),
}

/// A teammate's file, or a line of it, that could not be read; the rest still is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamFileError {
    /// The file, relative to the team folder (`LAPTOP/log.jsonl`).
    pub file: String,
    /// Whose file it is, when its header says.
    pub login: Option<String>,
    /// The line of the file, from 1, when it is about one line.
    pub line: Option<u64>,
    pub error: String,
}

impl TeamFileError {
    /// A problem with a file as a whole.
    pub fn file(file: &str, error: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            error: error.into(),
            ..Self::default()
        }
    }
}

/// The outcome of `whoiswho team sync`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    /// Teammates' records read this time.
    pub read: u64,
    /// Of those, applied.
    pub applied: u64,
    /// Faces in conflict after the sync.
    pub conflicts: u64,
    /// Teammates (by login), this one included.
    pub members: u64,
    /// Records about photos this library does not have (yet), or not searched for faces yet.
    pub waiting: u64,
    /// This laptop's records written again to its log (the sync tool cut it, or put back an
    /// older copy), and the sync tool's conflict copies of the log folded back in.
    pub repaired: u64,
    pub folded: u64,
    pub errors: Vec<TeamFileError>,
}

/// A teammate, by login.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Member {
    pub login: String,
    /// Decisions of theirs this library holds.
    pub decisions: u64,
    /// When their latest decision was made (ISO-8601, UTC).
    pub last: Option<String>,
}

/// A face teammates named differently without seeing each other.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conflict {
    /// This library's photo and face.
    pub photo: i64,
    pub face: i64,
    /// The same face on every laptop: its photo's content (32 hex digits) and its team id.
    pub content: String,
    pub team_face: String,
    pub names: Vec<Claim>,
}

/// The outcome of `whoiswho team status`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamStatus {
    pub folder: String,
    pub me: String,
    pub members: Vec<Member>,
    pub conflicts: Vec<Conflict>,
}

/// Joins the team folder `dir` (made if missing) as `login`: this laptop gets a folder there,
/// everything already decided in this library is written to it, and the teammates' decisions
/// are read. Joining the same folder again only syncs.
pub fn join(library: &Library, dir: &Path, login: &str) -> Result<SyncReport, TeamError> {
    let login = parse_login(login)?.to_string();
    let folder_err = |source| TeamError::Folder {
        path: dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(folder_err)?;
    let dir = dir.canonicalize().map_err(folder_err)?;
    let mut catalog = library.catalog()?;
    match catalog.team()? {
        Some(team) if Path::new(&team.folder) == dir => return sync(library),
        Some(team) => return Err(TeamError::OtherTeam(team.folder)),
        None => {}
    }
    // A laptop keeps its identity across a leave (the same login on it): its log, its clock
    // and the records it has seen.
    let laptop = match catalog.former_team()? {
        Some(former) if former.me.eq_ignore_ascii_case(&login) => former.laptop,
        _ => new_laptop_id(library),
    };
    TeamFolder::at(&dir)
        .create(&laptop, &login)
        .map_err(folder_err)?;
    catalog.write(|w| {
        w.join_team(&dir.display().to_string(), &login, &laptop)?;
        // What this library knows and the team does not (all of it, the first time) travels.
        rejoin::publish_changes(w)?;
        Ok::<_, CatalogError>(())
    })?;
    sync(library)
}

/// What leaving did (the JSON of `team leave`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LeaveReport {
    pub folder: String,
    pub me: String,
    /// This laptop's id in the team, kept for a rejoin.
    pub laptop: String,
    /// Decisions written to the team folder on the way out.
    pub written: u64,
    /// Decisions that could not be written (the folder is away): they travel on a rejoin.
    pub unsent: u64,
}

/// Leaves the team: this library keeps every face and attendee as they are, writes what it
/// still holds for the team folder, and stops writing and reading it (this laptop's log stays
/// there for the others). The laptop keeps its identity, clock and what it has seen, so a
/// rejoin publishes only what changed while away.
pub fn leave(library: &Library) -> Result<LeaveReport, TeamError> {
    let mut catalog = library.catalog()?;
    let team = catalog.team()?.ok_or(TeamError::NotJoined)?;
    let written = flush_with(&mut catalog, library.root()).map_or(0, |f| f.written);
    let unsent = catalog.team_record_count(RecordStatus::Outbox)?;
    catalog.write(|w| w.leave_team())?;
    Ok(LeaveReport {
        folder: team.folder,
        me: team.me,
        laptop: team.laptop,
        written,
        unsent,
    })
}

/// Writes this laptop's decisions not yet in the team folder to its log; says how many, and
/// which could not be written.
/// Nothing when the library is in no team. A folder that cannot be written keeps them in the
/// outbox for the next time.
pub fn flush(library: &Library) -> Result<Flush, TeamError> {
    let flushed = flush_with(&mut library.catalog()?, library.root())?;
    Ok(Flush {
        written: flushed.written,
        problems: flushed.unshared.into_iter().map(|(_, why)| why).collect(),
    })
}

/// What writing this laptop's new decisions to its log did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flush {
    /// Records written.
    pub written: u64,
    /// Records that could not be written, each with why (they wait in the library).
    pub problems: Vec<String>,
}

/// What writing this laptop's log did.
#[derive(Debug, Default)]
struct Flushed {
    written: u64,
    repair: own_log::Repair,
    /// Avatar records whose picture could not be read: kept back in the outbox (a teammate
    /// would wait for the picture for ever), each with why.
    unshared: Vec<(String, String)>,
}

fn flush_with(catalog: &mut Catalog, root: &Path) -> Result<Flushed, TeamError> {
    let Some(team) = catalog.team()? else {
        return Ok(Flushed::default());
    };
    // One writer of this laptop's log at a time, whichever process: two flushes reading the
    // same outbox would append its records twice.
    let _turn = own_log_turn(root).map_err(|source| TeamError::Folder {
        path: root.display().to_string(),
        source,
    })?;
    let folder = TeamFolder::at(Path::new(&team.folder));
    // A folder that is not there (a drive or share not connected) is not made again here: the
    // decisions wait in the outbox until it is back.
    if !folder.root().is_dir() {
        return Err(TeamError::Unreachable(team.folder.clone()));
    }
    let folder_err = |source| TeamError::Folder {
        path: team.folder.clone(),
        source,
    };
    folder.create(&team.laptop, &team.me).map_err(folder_err)?;
    // The log first made true to the library (cut, put back, forked by the sync tool).
    let repair = own_log::check(catalog, &folder, &team)?;
    let outbox = catalog.team_records_with_status(RecordStatus::Outbox)?;
    if outbox.is_empty() {
        return Ok(Flushed {
            repair,
            ..Flushed::default()
        });
    }
    let unshared = share_avatars(catalog, root, &folder, &team, &outbox).map_err(folder_err)?;
    let sent: Vec<&StoredRecord> = outbox
        .iter()
        .filter(|r| !unshared.iter().any(|(id, _)| *id == r.id))
        .collect();
    let lines: Vec<String> = sent.iter().map(|r| r.body.clone()).collect();
    folder.append(&team.laptop, &lines).map_err(folder_err)?;
    catalog.write(|w| {
        for r in &sent {
            w.set_team_record_status(&r.id, RecordStatus::Written)?;
        }
        Ok::<_, CatalogError>(())
    })?;
    own_log::remember_end(catalog, &folder, &team)?;
    Ok(Flushed {
        written: sent.len() as u64,
        repair,
        unshared,
    })
}

/// This library's turn at writing its laptop's log: an exclusive lock on a file in the library
/// folder (never in the team folder, which the sync tool would carry), held until dropped.
fn own_log_turn(root: &Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join("team-log.lock"))?;
    file.lock()?;
    Ok(file)
}

/// Puts the pictures of the avatar records about to be written in this laptop's folder first,
/// so a teammate reading a record finds its picture (or waits for the sync tool to bring it).
/// Returns the avatar records whose picture cannot be read (by id, with why): they are not
/// written, since a teammate would wait for their picture for ever.
fn share_avatars(
    catalog: &Catalog,
    root: &Path,
    folder: &TeamFolder,
    team: &TeamRow,
    outbox: &[StoredRecord],
) -> std::io::Result<Vec<(String, String)>> {
    use sha2::{Digest, Sha256};
    let mut unshared = Vec::new();
    for stored in outbox.iter().filter(|r| r.kind == "avatar") {
        let Ok(Line::Record(record)) = parse_line(stored.body.as_bytes(), &stored.laptop) else {
            continue;
        };
        let journal::Body::Avatar(a) = &record.body else {
            continue;
        };
        let kept = catalog
            .person(&a.login)
            .ok()
            .flatten()
            .and_then(|p| catalog.avatar_kept(p.id).ok().flatten());
        // A record of an avatar since removed says so by itself: nothing to carry.
        let Some((file, _)) = kept else { continue };
        let path = crate::avatars::path_in(root, &file);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                unshared.push((
                    stored.id.clone(),
                    format!(
                        "the avatar of @{} cannot be shared: its picture {} cannot be read ({e}); it waits in the library and is tried again at the next sync (import the avatar again to replace it)",
                        a.login,
                        path.display()
                    ),
                ));
                continue;
            }
        };
        // A picture replaced since the record was made travels with its own, later record.
        if format!("{:x}.jpg", Sha256::digest(&bytes)) == a.file {
            folder.put_avatar(&team.laptop, &a.file, &bytes)?;
        }
    }
    Ok(unshared)
}

/// Writes this laptop's new decisions, then reads the teammates' and applies them: records
/// already held are recognized by their ids; those about photos this library lacks wait for
/// them (and are tried again on every sync).
pub fn sync(library: &Library) -> Result<SyncReport, TeamError> {
    let mut report = SyncReport::default();
    let mut catalog = library.catalog()?;
    let team = catalog.team()?.ok_or(TeamError::NotJoined)?;
    match flush_with(&mut catalog, library.root()) {
        Ok(flushed) => {
            report.repaired += flushed.repair.rewritten + flushed.repair.adopted;
            report.folded += flushed.repair.folded;
            for (_, error) in &flushed.unshared {
                report.errors.push(TeamFileError {
                    file: own_log::name(&team.laptop),
                    login: Some(team.me.clone()),
                    line: None,
                    error: error.clone(),
                });
            }
            if flushed.repair.refused > 0 {
                report.errors.push(TeamFileError {
                    file: own_log::name(&team.laptop),
                    login: Some(team.me.clone()),
                    line: None,
                    error: format!(
                        "{} lines of a copy of this laptop's log contradicted this library: dropped (the library is the truth about its own records)",
                        flushed.repair.refused
                    ),
                });
            }
        }
        Err(e) => report
            .errors
            .push(TeamFileError::file("(this laptop's log)", e.to_string())),
    }
    let folder = TeamFolder::at(Path::new(&team.folder));
    if !folder.root().is_dir() {
        return Err(TeamError::Unreachable(team.folder.clone()));
    }
    let (logs, problems) = folder
        .teammates(&team.laptop)
        .map_err(|source| TeamError::Folder {
            path: team.folder.clone(),
            source,
        })?;
    report.errors.extend(
        problems
            .into_iter()
            .map(|(file, error)| TeamFileError::file(&file, error)),
    );
    let mut batches = Vec::new();
    for log in &logs {
        match read_log(&catalog, log, &mut report.errors) {
            Ok(batch) => batches.push(batch),
            Err(error) => report.errors.push(TeamFileError {
                login: catalog.team_login_of(&log.laptop).ok().flatten(),
                ..TeamFileError::file(&log.name, error)
            }),
        }
    }
    let touched = catalog.write(|w| {
        let mut fresh = Vec::new();
        let mut latest = Stamp {
            ms: team.clock_ms,
            n: team.clock_n,
        };
        for batch in &batches {
            for (stored, record) in &batch.records {
                if w.insert_team_record(stored)? {
                    w.set_team_record_file(&stored.id, &batch.file)?;
                    if let Some(record) = record {
                        latest = latest.max(record.at);
                        fresh.push((stored.clone(), record.clone()));
                    }
                    report.read += 1;
                } else if let Some(record) = record {
                    // Known already: the same line again (a copy, a re-read), or another content
                    // under the same id, which is applied neither way.
                    fresh.extend(disputed(w, stored, record, &batch.file)?);
                }
            }
            w.set_team_read_offset(&batch.file, &batch.laptop, &batch.login, &batch.mark)?;
        }
        fresh.extend(settle_disputes(w, &folder, &mut report.errors)?);
        // Records waiting for photos that may have arrived since.
        for stored in w.team_records_with_status(RecordStatus::Waiting)? {
            if let Ok(Line::Record(record)) = parse_line(stored.body.as_bytes(), &stored.laptop) {
                if !fresh.iter().any(|(s, _)| s.id == stored.id) {
                    fresh.push((stored, record));
                }
            }
        }
        let now = w.team()?.unwrap_or(team.clone());
        let clock = Stamp {
            ms: now.clock_ms,
            n: now.clock_n,
        }
        .max(latest);
        w.set_team_clock(now.next_seq, clock.ms, clock.n)?;
        let mut touched = apply::Touched::default();
        let here = apply::Here {
            folder: &folder,
            library: library.root(),
        };
        apply::place(w, &here, &fresh, &mut touched)?;
        touched.settle_again(w.take_team_settle_again()?);
        apply::settle(w, &touched)?;
        Ok::<_, TeamError>(touched)
    })?;
    report.applied = touched.applied;
    report.errors.extend(
        touched
            .problems
            .iter()
            .map(|(file, error)| TeamFileError::file(file, error.clone())),
    );
    // What applying decided here (untags a consent asked for) reaches the others at once.
    if let Err(e) = flush_with(&mut catalog, library.root()) {
        report
            .errors
            .push(TeamFileError::file("(this laptop's log)", e.to_string()));
    }
    report.waiting = catalog.team_record_count(RecordStatus::Waiting)?;
    report.conflicts = catalog.team_conflict_count()?;
    report.members = catalog.team_member_count(&team.me)?;
    Ok(report)
}

/// A teammate's record read again: nothing when it says what the library holds. Another content
/// under a known id is a dispute, applied neither way until one of the two files is gone (the
/// record to settle again, without it); from the very file it was first read from, it is its
/// laptop writing its log again from its library, which is taken.
fn disputed(
    w: &Writer<'_>,
    stored: &StoredRecord,
    record: &crate::journal::Record,
    file: &str,
) -> Result<Vec<(StoredRecord, crate::journal::Record)>, CatalogError> {
    let Some(kept) = w.team_record(&stored.id)? else {
        return Ok(Vec::new());
    };
    if kept.body.trim() == stored.body.trim() {
        return Ok(Vec::new());
    }
    let kept_file = w.team_record_file(&stored.id)?;
    if kept_file.as_deref() == Some(file) {
        let d = crate::catalog::Dispute {
            id: stored.id.clone(),
            kept_file,
            file: file.to_string(),
            body: stored.body.clone(),
        };
        w.end_team_dispute(&d, true)?;
        return Ok(vec![(stored.clone(), record.clone())]);
    }
    if !w.add_team_dispute(&stored.id, file, &stored.body)? {
        return Ok(Vec::new());
    }
    // Settled again now, both faces it may be about: the records add up without this one.
    let mut again = vec![(stored.clone(), record.clone())];
    if let Ok(Line::Record(k)) = parse_line(kept.body.as_bytes(), &kept.laptop) {
        again.push((kept, k));
    }
    Ok(again)
}

/// The records two teammate's files disagree about: each reported while both files are there;
/// once one is gone, the other's content is the record, settled again.
fn settle_disputes(
    w: &Writer<'_>,
    folder: &TeamFolder,
    errors: &mut Vec<TeamFileError>,
) -> Result<Vec<(StoredRecord, crate::journal::Record)>, CatalogError> {
    let mut again = Vec::new();
    for d in w.team_disputes()? {
        let exists = |f: &str| folder.root().join(f).is_file();
        let kept_there = d.kept_file.as_deref().is_some_and(exists);
        let other_there = exists(&d.file);
        if kept_there && other_there {
            errors.push(TeamFileError::file(
                &d.file,
                format!(
                    "record {} says one thing here and another in {}: applied neither way until one of the two files is gone",
                    d.id,
                    d.kept_file.as_deref().unwrap_or("?")
                ),
            ));
            continue;
        }
        w.end_team_dispute(&d, !kept_there && other_there)?;
        if let Some(stored) = w.team_record(&d.id)? {
            if let Ok(Line::Record(record)) = parse_line(stored.body.as_bytes(), &stored.laptop) {
                again.push((stored, record));
            }
        }
    }
    Ok(again)
}

/// Who is in the team, what each decided, and the open conflicts.
pub fn status(library: &Library) -> Result<TeamStatus, TeamError> {
    let catalog = library.catalog()?;
    let team = catalog.team()?.ok_or(TeamError::NotJoined)?;
    Ok(TeamStatus {
        folder: team.folder.clone(),
        me: team.me.clone(),
        members: members(&catalog, &team)?,
        conflicts: catalog
            .team_conflicts()?
            .into_iter()
            .map(|c| Conflict {
                photo: c.photo,
                face: c.face,
                content: c.content,
                team_face: c.team_face,
                names: c.names,
            })
            .collect(),
    })
}

fn members(catalog: &Catalog, team: &TeamRow) -> Result<Vec<Member>, TeamError> {
    let mut members: Vec<Member> = catalog
        .team_members()?
        .into_iter()
        .map(|(login, decisions, last)| Member {
            login,
            decisions,
            last: iso(last),
        })
        .collect();
    // Everyone whose log is there, and this laptop's user, with no decision yet too.
    let mut logins = catalog.team_logins()?;
    logins.push(team.me.clone());
    for login in logins {
        if !members.iter().any(|m| m.login.eq_ignore_ascii_case(&login)) {
            members.push(Member {
                login,
                decisions: 0,
                last: None,
            });
        }
    }
    members.sort_by_key(|m| m.login.to_lowercase());
    Ok(members)
}

fn iso(ms: u64) -> Option<String> {
    let at = chrono::DateTime::from_timestamp_millis(ms as i64)?;
    Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// What one read of a teammate's log found.
struct Batch {
    file: String,
    laptop: String,
    /// The login its header names.
    login: String,
    /// Where this read ended, and what the file looked like there.
    mark: crate::catalog::ReadMark,
    /// Each line kept: the record (`None` for one from a newer whoiswho, kept unapplied).
    records: Vec<(StoredRecord, Option<crate::journal::Record>)>,
}

/// Reads a teammate's log from where the last sync stopped, or from its start when the file is
/// not the one read then (shorter, or its bytes before that point changed: the sync tool put
/// another copy in its place). Lines that cannot be read are reported (once: the next sync
/// starts after them); the file as a whole fails only when its header does.
fn read_log(
    catalog: &Catalog,
    log: &folder::TeammateLog,
    errors: &mut Vec<TeamFileError>,
) -> Result<Batch, String> {
    let by = folder::read_header(log).map_err(|e| e.to_string())?;
    let mark = catalog
        .team_read_offset(&log.name)
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let same_file = mark.offset == 0
        || folder::tail_of(&log.path, mark.offset).map_err(|e| e.to_string())? == mark.tail;
    let offset = if same_file { mark.offset } else { 0 };
    let read = folder::read_lines(&log.path, offset, READ_BUDGET).map_err(|e| e.to_string())?;
    let mut batch = Batch {
        file: log.name.clone(),
        laptop: log.laptop.clone(),
        login: by.clone(),
        mark: crate::catalog::ReadMark {
            offset: read.end,
            size: read.size,
            tail: folder::tail_of(&log.path, read.end).map_err(|e| e.to_string())?,
            lines: 0,
        },
        records: Vec::new(),
    };
    let first_is_header = offset == 0 || offset > read.size;
    let lines_before = if offset == 0 { 0 } else { mark.lines };
    batch.mark.lines = lines_before + read.count;
    for (i, (line, number)) in read.lines.into_iter().zip(read.numbers).enumerate() {
        if i == 0 && first_is_header {
            continue;
        }
        let report = |error: String| TeamFileError {
            file: log.name.clone(),
            login: Some(by.clone()),
            line: Some(lines_before + number),
            error,
        };
        let line = match line {
            Ok(line) => line,
            Err(size) => {
                errors.push(report(format!(
                    "a line of {size} bytes, over the {}-byte limit: skipped",
                    journal::MAX_LINE
                )));
                continue;
            }
        };
        match parse_line(&line, &log.laptop) {
            Ok(Line::Record(record)) => {
                batch
                    .records
                    .push((stored(&record, &by, &line), Some(record)));
            }
            Ok(Line::Newer { id, raw }) => {
                errors.push(report(format!(
                    "record {id} is from a newer whoiswho: kept, not applied (update whoiswho)"
                )));
                let (laptop, seq) = split_id(&id).unwrap_or((&log.laptop, 0));
                batch.records.push((
                    StoredRecord {
                        id: id.clone(),
                        laptop: laptop.to_string(),
                        seq,
                        at_ms: 0,
                        at_n: 0,
                        by: by.clone(),
                        kind: "newer".into(),
                        subject: format!("newer/{id}"),
                        photo: None,
                        body: raw,
                        status: RecordStatus::Newer,
                    },
                    None,
                ));
            }
            Err(e) => errors.push(report(e.to_string())),
        }
    }
    Ok(batch)
}

fn stored(record: &crate::journal::Record, by: &str, line: &[u8]) -> StoredRecord {
    let (laptop, seq) = split_id(&record.id).unwrap_or(("", 0));
    let photo = match &record.body {
        journal::Body::Face(f) => Some(f.photo.clone()),
        journal::Body::Reject(r) => Some(r.photo.clone()),
        journal::Body::Rows(r) => Some(r.photo.clone()),
        _ => None,
    };
    StoredRecord {
        id: record.id.clone(),
        laptop: laptop.to_string(),
        seq,
        at_ms: record.at.ms,
        at_n: record.at.n,
        by: by.to_string(),
        kind: journal::kind(&record.body).to_string(),
        subject: record.subject(),
        photo,
        body: String::from_utf8_lossy(line).into_owned(),
        status: RecordStatus::Applied,
    }
}

/// A new laptop id: 16 hex digits from the time, the process and the library's path, so two
/// laptops (or two libraries on one) never share one.
fn new_laptop_id(library: &Library) -> String {
    let mut hasher = blake3::Hasher::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.update(&nanos.to_le_bytes());
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(library.root().display().to_string().as_bytes());
    let local = 0u8;
    hasher.update(&(std::ptr::addr_of!(local) as usize).to_le_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}
