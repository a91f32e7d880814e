//! The team folder on disk, as the team's sync tool carries it:
//!
//! ```text
//! DIR/whoiswho-team/LAPTOP/log.jsonl      one laptop's decisions, a record per line
//! DIR/whoiswho-team/LAPTOP/avatars/…      avatars that laptop fetched
//! ```
//!
//! Each laptop writes only its own folder (so no sync engine ever sees two machines change one
//! file), appends whole lines and syncs them to disk; names are lower-case ASCII (so no engine
//! renames them). A reader reads every other laptop's `log*.jsonl` (an engine's conflict copy
//! of a log holds that same laptop's records), from where it stopped, up to the last complete
//! line: a line still arriving is read next time.

use crate::atomic_file::Durability;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::journal::{is_laptop_id, MAX_LINE};
use crate::login::parse_login;

/// The folder whoiswho keeps inside the team folder.
pub const ROOT: &str = "whoiswho-team";
const LOG: &str = "log.jsonl";

/// The first line of every log: whose it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub whoiswho: String,
    pub format: u64,
    pub laptop: String,
    pub login: String,
}

impl Header {
    pub fn new(laptop: &str, login: &str) -> Self {
        Self {
            whoiswho: "team-log".into(),
            format: crate::journal::FORMAT,
            laptop: laptop.into(),
            login: login.into(),
        }
    }
}

/// Why a teammate's file could not be read (the others still are).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    #[error("it does not start with a whoiswho team header")]
    NoHeader,
    #[error("its header names laptop {found}, but it is in laptop {folder}'s folder")]
    WrongLaptop { found: String, folder: String },
    #[error("its header names no valid login ({0})")]
    BadLogin(String),
    #[error("it was written by a newer whoiswho (team format {0}); update whoiswho to read it")]
    Newer(u64),
}

pub struct TeamFolder {
    root: PathBuf,
}

/// A log of a teammate's laptop: its folder's name and the file.
#[derive(Debug, Clone)]
pub struct TeammateLog {
    pub laptop: String,
    pub path: PathBuf,
    /// The file's name relative to the team folder, as reports and read offsets name it.
    pub name: String,
}

/// A file or folder of the team folder that could not be looked at: its name, and why.
pub type Problem = (String, String);

/// Lines read from a log, from an offset.
pub struct Lines {
    /// Each complete line (without its newline), or the size of one over [`MAX_LINE`] that
    /// was skipped.
    pub lines: Vec<Result<Vec<u8>, usize>>,
    /// The number of each of `lines` among the lines read, from 1.
    pub numbers: Vec<u64>,
    /// How many lines were read (blank ones too).
    pub count: u64,
    /// Where the next read starts: after the last complete line.
    pub end: u64,
    /// The file's size when read.
    pub size: u64,
}

impl TeamFolder {
    /// The team folder `dir` (the one the organizer picked; whoiswho's part is inside it).
    pub fn at(dir: &Path) -> Self {
        Self {
            root: dir.join(ROOT),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn laptop_dir(&self, laptop: &str) -> PathBuf {
        self.root.join(laptop)
    }

    pub fn own_log(&self, laptop: &str) -> PathBuf {
        self.laptop_dir(laptop).join(LOG)
    }

    /// This laptop's folder and log, with its header, unless they exist.
    pub fn create(&self, laptop: &str, login: &str) -> std::io::Result<()> {
        fs::create_dir_all(self.laptop_dir(laptop))?;
        let log = self.own_log(laptop);
        if !log.exists() {
            let header = serde_json::to_string(&Header::new(laptop, login))
                .map_err(std::io::Error::other)?;
            self.append(laptop, &[header])?;
        }
        Ok(())
    }

    /// Appends whole lines to this laptop's log and syncs them to disk. A last line cut short
    /// (a crash in the middle of a write) is cut off first: only this laptop writes the file,
    /// and what was cut is still in the library's outbox.
    pub fn append(&self, laptop: &str, lines: &[String]) -> std::io::Result<()> {
        let path = self.own_log(laptop);
        repair_tail(&path)?;
        let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(&bytes)?;
        file.sync_data()
    }

    /// Writes this laptop's log again whole (header, then `lines`), beside it then renamed over
    /// it, so a reader sees the old file or the new one, never half of either.
    pub fn rewrite(&self, laptop: &str, login: &str, lines: &[String]) -> std::io::Result<()> {
        let path = self.own_log(laptop);
        let header =
            serde_json::to_string(&Header::new(laptop, login)).map_err(std::io::Error::other)?;
        let mut bytes = Vec::new();
        for line in std::iter::once(&header).chain(lines) {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        crate::atomic_file::write(&path, &bytes, Durability::Shared)
    }

    /// The sync tool's conflict copies of this laptop's own log (`log….jsonl` beside it).
    pub fn own_copies(&self, laptop: &str) -> std::io::Result<Vec<PathBuf>> {
        let mut copies = Vec::new();
        let entries = match fs::read_dir(self.laptop_dir(laptop)) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(copies),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != LOG && is_log_name(&name) && entry.file_type()?.is_file() {
                copies.push(entry.path());
            }
        }
        copies.sort();
        Ok(copies)
    }

    /// Where a laptop keeps the avatars it shares.
    pub fn avatar(&self, laptop: &str, file: &str) -> PathBuf {
        self.laptop_dir(laptop).join("avatars").join(file)
    }

    /// Puts this laptop's copy of an avatar in its folder (beside, then renamed: a reader
    /// never sees half a picture), unless it is there.
    pub fn put_avatar(&self, laptop: &str, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.avatar(laptop, file);
        if path.is_file() {
            return Ok(());
        }
        crate::atomic_file::write(&path, bytes, Durability::Shared)
    }

    /// Every log of every other laptop in the folder: their `log.jsonl` and any sync engine's
    /// conflict copy of it; and what could not be looked at (a laptop's folder that cannot be
    /// listed, a log that is a FIFO, a link or a folder), each a problem: (file, why). Folders
    /// that are not a laptop's are left alone.
    pub fn teammates(&self, me: &str) -> std::io::Result<(Vec<TeammateLog>, Vec<Problem>)> {
        let mut logs = Vec::new();
        let mut problems = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((logs, problems)),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    problems.push((".".into(), format!("cannot list the team folder: {e}")));
                    continue;
                }
            };
            let laptop = entry.file_name().to_string_lossy().into_owned();
            if laptop == me || !is_laptop_id(&laptop) {
                continue;
            }
            if !entry.path().is_dir() {
                // A teammate's folder replaced by a file or a broken link: their decisions
                // cannot be read, and the organizer is told.
                problems.push((
                    laptop.clone(),
                    "not a folder (a file or a broken link where a teammate's folder should be): not read".into(),
                ));
                continue;
            }
            let files = match fs::read_dir(entry.path()) {
                Ok(files) => files,
                Err(e) => {
                    problems.push((
                        laptop.clone(),
                        format!("cannot list this laptop's folder: {e}"),
                    ));
                    continue;
                }
            };
            for file in files {
                let file = match file {
                    Ok(file) => file,
                    Err(e) => {
                        problems.push((
                            laptop.clone(),
                            format!("cannot list this laptop's folder: {e}"),
                        ));
                        continue;
                    }
                };
                let name = file.file_name().to_string_lossy().into_owned();
                if !is_log_name(&name) {
                    continue;
                }
                let shown = format!("{laptop}/{name}");
                match fs::symlink_metadata(file.path()) {
                    Ok(m) if m.file_type().is_file() => logs.push(TeammateLog {
                        laptop: laptop.clone(),
                        path: file.path(),
                        name: shown,
                    }),
                    Ok(m) => problems.push((
                        shown,
                        format!(
                            "not a plain file ({}): not read",
                            if m.file_type().is_symlink() {
                                "a link"
                            } else if m.file_type().is_dir() {
                                "a folder"
                            } else {
                                "a pipe or device"
                            }
                        ),
                    )),
                    Err(e) => problems.push((shown, format!("cannot read it: {e}"))),
                }
            }
        }
        logs.sort_by(|a, b| a.name.cmp(&b.name));
        problems.sort();
        Ok((logs, problems))
    }
}

/// Whether a file name is a log's: `log.jsonl`, or a sync engine's copy of it
/// (`log.sync-conflict-….jsonl`, `log (conflicted copy ….jsonl`).
pub fn is_log_name(name: &str) -> bool {
    name.starts_with("log") && name.ends_with(".jsonl")
}

/// A hash of the bytes just before `end` (at most 64): what a file read up to `end` ended with.
/// `None` for `end` 0.
pub fn tail_of(path: &Path, end: u64) -> std::io::Result<Option<String>> {
    if end == 0 {
        return Ok(None);
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let from = end.saturating_sub(64);
    file.seek(SeekFrom::Start(from))?;
    let mut bytes = Vec::with_capacity(64);
    file.take(end - from).read_to_end(&mut bytes)?;
    Ok(Some(blake3::hash(&bytes).to_hex()[..32].to_string()))
}

/// Reads the header of a teammate's log: the login of whoever uses that laptop.
pub fn read_header(log: &TeammateLog) -> Result<String, FileError> {
    let file = File::open(&log.path)?;
    let mut first = Vec::new();
    BufReader::new(file)
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut first)?;
    let header: Header = serde_json::from_slice(&first).map_err(|_| FileError::NoHeader)?;
    if header.whoiswho != "team-log" {
        return Err(FileError::NoHeader);
    }
    if header.format > crate::journal::FORMAT {
        return Err(FileError::Newer(header.format));
    }
    if header.laptop != log.laptop {
        return Err(FileError::WrongLaptop {
            found: header.laptop,
            folder: log.laptop.clone(),
        });
    }
    parse_login(&header.login)
        .map(|l| l.to_string())
        .map_err(|e| FileError::BadLogin(e.to_string()))
}

/// The complete lines of `path` from byte `offset` on, at most about `budget` bytes of them
/// kept in memory (the rest is read next time; a line over the limit is skipped, not kept). A file now shorter than `offset` was replaced: it is read
/// again from its start (records already kept are recognized by their ids).
pub fn read_lines(path: &Path, offset: u64, budget: u64) -> std::io::Result<Lines> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let start = if offset > size { 0 } else { offset };
    file.seek(SeekFrom::Start(start))?;
    let mut reader = BufReader::new(file);
    let mut lines = Vec::new();
    let mut numbers = Vec::new();
    let mut count = 0u64;
    let mut at = start;
    let mut kept = 0u64;
    let mut line = Vec::new();
    while kept < budget {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            at += read as u64;
            count += 1;
            line.pop();
            if !line.iter().all(u8::is_ascii_whitespace) {
                kept += line.len() as u64;
                lines.push(Ok(line.clone()));
                numbers.push(count);
            }
            continue;
        }
        if read <= MAX_LINE {
            break; // a line still arriving
        }
        // Over the limit: skip to the end of the line without keeping it.
        let mut skipped = read as u64;
        let mut ended = false;
        let mut chunk = Vec::new();
        loop {
            chunk.clear();
            let more = (&mut reader)
                .take(64 * 1024)
                .read_until(b'\n', &mut chunk)?;
            skipped += more as u64;
            if chunk.last() == Some(&b'\n') {
                ended = true;
                break;
            }
            if more == 0 {
                break;
            }
        }
        if !ended {
            break; // the long line is still arriving
        }
        at += skipped;
        count += 1;
        lines.push(Err(skipped as usize));
        numbers.push(count);
    }
    Ok(Lines {
        lines,
        numbers,
        count,
        end: at,
        size,
    })
}

/// Cuts a last line that has no newline off this laptop's own log.
fn repair_tail(path: &Path) -> std::io::Result<()> {
    let mut file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    // Find the last newline, reading backwards in blocks.
    let mut end = len;
    let mut keep = 0;
    let mut block = vec![0u8; 64 * 1024];
    while end > 0 {
        let from = end.saturating_sub(block.len() as u64);
        let n = (end - from) as usize;
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut block[..n])?;
        if let Some(i) = block[..n].iter().rposition(|b| *b == b'\n') {
            keep = from + i as u64 + 1;
            break;
        }
        end = from;
    }
    file.set_len(keep)?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_still_arriving_is_left_for_next_time_and_a_torn_own_tail_is_cut() {
        let dir = tempfile::tempdir().unwrap();
        let folder = TeamFolder::at(dir.path());
        folder.create("0123456789abcdef", "octocat").unwrap();
        let log = folder.own_log("0123456789abcdef");
        let mut f = OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"{\"a\":1}\n{\"b\":").unwrap();
        let read = read_lines(&log, 0, u64::MAX).unwrap();
        assert_eq!(read.lines.len(), 2, "the header and one whole line");
        let whole = read.end;
        let again = read_lines(&log, whole, u64::MAX).unwrap();
        assert!(again.lines.is_empty());
        assert_eq!(again.end, whole);
        folder
            .append("0123456789abcdef", &["{\"c\":3}".into()])
            .unwrap();
        let text = fs::read_to_string(&log).unwrap();
        assert!(text.ends_with("{\"a\":1}\n{\"c\":3}\n"), "{text}");
    }

    #[test]
    fn an_over_long_line_is_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let mut text = vec![b'x'; MAX_LINE * 3];
        text.extend_from_slice(b"\n{\"ok\":1}\n");
        fs::write(&path, &text).unwrap();
        let read = read_lines(&path, 0, u64::MAX).unwrap();
        assert_eq!(read.lines.len(), 2);
        assert_eq!(read.lines[0], Err(MAX_LINE * 3 + 1));
        assert_eq!(read.lines[1], Ok(b"{\"ok\":1}".to_vec()));
        assert_eq!(read.end, text.len() as u64);
    }
}
