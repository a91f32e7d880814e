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

pub use folder::{TeamFolder, ROOT};
pub use merge::{FaceOutcome, Known, PersonOutcome};

use std::path::Path;

use serde::Serialize;

use crate::catalog::{Catalog, CatalogError, Claim, RecordStatus, StoredRecord, TeamRow};
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
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamFileError {
    pub file: String,
    pub error: String,
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
    /// Records about photos this library does not have (yet).
    pub waiting: u64,
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

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conflict {
    pub photo: i64,
    pub face: i64,
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
    let laptop = new_laptop_id(library);
    TeamFolder::at(&dir)
        .create(&laptop, &login)
        .map_err(folder_err)?;
    catalog.write(|w| {
        w.join_team(&dir.display().to_string(), &login, &laptop)?;
        // What this library already knows travels too.
        for person in w.people_logins()? {
            journal::person_changed(w, &person)?;
        }
        for (photo, face) in w.decided_faces()? {
            journal::face_decided(w, photo, face)?;
        }
        Ok::<_, CatalogError>(())
    })?;
    sync(library)
}

/// Leaves the team: this library keeps every face and attendee as they are, and stops
/// writing and reading the team folder (this laptop's log stays there for the others).
pub fn leave(library: &Library) -> Result<(), TeamError> {
    let mut catalog = library.catalog()?;
    if catalog.team()?.is_none() {
        return Err(TeamError::NotJoined);
    }
    catalog.write(|w| w.leave_team())?;
    Ok(())
}

/// Writes this laptop's decisions not yet in the team folder to its log; returns how many.
/// Nothing when the library is in no team. A folder that cannot be written keeps them in the
/// outbox for the next time.
pub fn flush(library: &Library) -> Result<u64, TeamError> {
    flush_with(&mut library.catalog()?, library.root())
}

fn flush_with(catalog: &mut Catalog, root: &Path) -> Result<u64, TeamError> {
    let Some(team) = catalog.team()? else {
        return Ok(0);
    };
    let outbox = catalog.team_records_with_status(RecordStatus::Outbox)?;
    if outbox.is_empty() {
        return Ok(0);
    }
    let folder = TeamFolder::at(Path::new(&team.folder));
    let lines: Vec<String> = outbox.iter().map(|r| r.body.clone()).collect();
    // A folder that is not there (a drive or share not connected) is not made again here: the
    // decisions wait in the outbox until it is back.
    if !folder.root().is_dir() {
        return Err(TeamError::Unreachable(team.folder.clone()));
    }
    folder
        .create(&team.laptop, &team.me)
        .and_then(|()| share_avatars(catalog, root, &folder, &team, &outbox))
        .and_then(|()| folder.append(&team.laptop, &lines))
        .map_err(|source| TeamError::Folder {
            path: team.folder.clone(),
            source,
        })?;
    catalog.write(|w| {
        for r in &outbox {
            w.set_team_record_status(&r.id, RecordStatus::Written)?;
        }
        Ok::<_, CatalogError>(())
    })?;
    Ok(outbox.len() as u64)
}

/// Puts the pictures of the avatar records about to be written in this laptop's folder first,
/// so a teammate reading a record finds its picture (or waits for the sync tool to bring it).
fn share_avatars(
    catalog: &Catalog,
    root: &Path,
    folder: &TeamFolder,
    team: &TeamRow,
    outbox: &[StoredRecord],
) -> std::io::Result<()> {
    use sha2::{Digest, Sha256};
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
            .and_then(|p| catalog.avatar_file(p.id).ok().flatten());
        let Some(file) = kept else { continue };
        let Ok(bytes) = std::fs::read(crate::avatars::path_in(root, &file)) else {
            continue;
        };
        // A picture replaced since the record was made travels with its own, later record.
        if format!("{:x}.jpg", Sha256::digest(&bytes)) == a.file {
            folder.put_avatar(&team.laptop, &a.file, &bytes)?;
        }
    }
    Ok(())
}

/// Writes this laptop's new decisions, then reads the teammates' and applies them: records
/// already held are recognized by their ids; those about photos this library lacks wait for
/// them (and are tried again on every sync).
pub fn sync(library: &Library) -> Result<SyncReport, TeamError> {
    let mut report = SyncReport::default();
    let mut catalog = library.catalog()?;
    let team = catalog.team()?.ok_or(TeamError::NotJoined)?;
    if let Err(e) = flush_with(&mut catalog, library.root()) {
        report.errors.push(TeamFileError {
            file: "(this laptop's log)".into(),
            error: e.to_string(),
        });
    }
    let folder = TeamFolder::at(Path::new(&team.folder));
    if !folder.root().is_dir() {
        return Err(TeamError::Unreachable(team.folder.clone()));
    }
    let logs = folder
        .teammates(&team.laptop)
        .map_err(|source| TeamError::Folder {
            path: team.folder.clone(),
            source,
        })?;
    let mut batches = Vec::new();
    for log in &logs {
        match read_log(&catalog, log, &mut report.errors) {
            Ok(batch) => batches.push(batch),
            Err(error) => report.errors.push(TeamFileError {
                file: log.name.clone(),
                error,
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
                    if let Some(record) = record {
                        latest = latest.max(record.at);
                        fresh.push((stored.clone(), record.clone()));
                    }
                    report.read += 1;
                }
            }
            w.set_team_read_offset(
                &batch.file,
                &batch.laptop,
                &batch.login,
                batch.end,
                batch.size,
            )?;
        }
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
        apply::settle(w, &touched)?;
        Ok::<_, TeamError>(touched)
    })?;
    report.applied = touched.applied;
    report
        .errors
        .extend(touched.problems.iter().map(|(file, error)| TeamFileError {
            file: file.clone(),
            error: error.clone(),
        }));
    // What applying decided here (untags a consent asked for) reaches the others at once.
    if let Err(e) = flush_with(&mut catalog, library.root()) {
        report.errors.push(TeamFileError {
            file: "(this laptop's log)".into(),
            error: e.to_string(),
        });
    }
    report.waiting = catalog.team_record_count(RecordStatus::Waiting)?;
    report.conflicts = catalog.team_conflict_count()?;
    report.members = catalog.team_member_count(&team.me)?;
    Ok(report)
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
            .map(|(face, photo, names)| Conflict { photo, face, names })
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
    if !members
        .iter()
        .any(|m| m.login.eq_ignore_ascii_case(&team.me))
    {
        members.push(Member {
            login: team.me.clone(),
            decisions: 0,
            last: None,
        });
        members.sort_by_key(|m| m.login.to_lowercase());
    }
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
    end: u64,
    size: u64,
    /// Each line kept: the record (`None` for one from a newer whoiswho, kept unapplied).
    records: Vec<(StoredRecord, Option<crate::journal::Record>)>,
}

/// Reads a teammate's log from where the last sync stopped. Lines that cannot be read are
/// reported (once: the next sync starts after them); the file as a whole fails only when its
/// header does.
fn read_log(
    catalog: &Catalog,
    log: &folder::TeammateLog,
    errors: &mut Vec<TeamFileError>,
) -> Result<Batch, String> {
    let by = folder::read_header(log).map_err(|e| e.to_string())?;
    let (offset, _) = catalog
        .team_read_offset(&log.name)
        .map_err(|e| e.to_string())?
        .unwrap_or((0, 0));
    let read = folder::read_lines(&log.path, offset, READ_BUDGET).map_err(|e| e.to_string())?;
    let mut batch = Batch {
        file: log.name.clone(),
        laptop: log.laptop.clone(),
        login: by.clone(),
        end: read.end,
        size: read.size,
        records: Vec::new(),
    };
    let restarted = offset > read.size;
    let first_is_header = offset == 0 || restarted;
    for (i, line) in read.lines.into_iter().enumerate() {
        if i == 0 && first_is_header {
            continue;
        }
        let report = |error: String| TeamFileError {
            file: log.name.clone(),
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
