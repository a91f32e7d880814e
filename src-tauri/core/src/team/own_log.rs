//! This laptop's log kept true to its library, the truth about its own records, whatever the
//! sync tool did to the file: before every append the log is checked (a look at its size and
//! its last bytes; the whole file only when they are not what the last append left), records
//! missing from it (a cut tail, an older copy put back) are written again with their ids and
//! content, the sync tool's conflict copies of it are folded back in and removed (a line that
//! contradicts the library is dropped: the library wins), and records of this laptop the file
//! holds and the library does not (a library put back from an older copy) are taken in, so
//! their ids are never given twice.

use std::collections::HashSet;

use super::folder::{self, TeamFolder};
use super::TeamError;
use crate::catalog::{Catalog, CatalogError, ReadMark, RecordStatus, StoredRecord, TeamRow};
use crate::journal::{parse_line, split_id, Line};

/// What checking the log found and did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repair {
    /// Records missing from the log, written again.
    pub rewritten: u64,
    /// Conflict copies of the log folded back in and removed.
    pub folded: u64,
    /// Lines of a conflict copy that contradicted the library: dropped.
    pub refused: u64,
    /// Records of this laptop the library had lost, taken back from the log or a copy.
    pub adopted: u64,
}

/// The log's name in reports and read marks.
pub fn name(laptop: &str) -> String {
    format!("{laptop}/log.jsonl")
}

/// Checks the log before an append and repairs it; the caller holds the log's turn.
pub fn check(
    catalog: &mut Catalog,
    folder: &TeamFolder,
    team: &TeamRow,
) -> Result<Repair, TeamError> {
    let io = |source| TeamError::Folder {
        path: team.folder.clone(),
        source,
    };
    let mut repair = Repair::default();
    let log = folder.own_log(&team.laptop);
    let copies = folder.own_copies(&team.laptop).map_err(io)?;
    let mark = catalog.team_read_offset(&name(&team.laptop))?;
    let size = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    let tail = folder::tail_of(&log, size).map_err(io)?;
    let intact = mark
        .as_ref()
        .is_some_and(|m| m.offset == size && m.tail == tail);
    if intact && copies.is_empty() {
        return Ok(repair);
    }
    // Every record line the log holds, by id.
    let mut in_log: HashSet<String> = HashSet::new();
    let mut append: Vec<String> = Vec::new();
    let mut lines = folder::read_lines(&log, 0, u64::MAX).map_err(io)?.lines;
    let before = repair.refused;
    for line in lines.drain(..).flatten() {
        adopt(catalog, team, &line, &mut in_log, &mut repair)?;
    }
    let own = folder::TeammateLog {
        laptop: team.laptop.clone(),
        path: log.clone(),
        name: name(&team.laptop),
    };
    let header_ok = folder::read_header(&own).is_ok();
    if repair.refused > before || !header_ok {
        // The log itself says otherwise than the library about a record of its own, or lost
        // its header: it is written again whole, from the library.
        rewrite(catalog, folder, team).map_err(io)?;
        in_log = catalog
            .team_records_of_laptop(&team.laptop)?
            .into_iter()
            .map(|r| r.id)
            .collect();
    }
    for copy in &copies {
        let read = folder::read_lines(copy, 0, u64::MAX).map_err(io)?;
        for line in read.lines.into_iter().flatten() {
            if !in_log.contains(&id_of(&line)) {
                let known = adopt(catalog, team, &line, &mut in_log, &mut repair)?;
                if known {
                    append.push(String::from_utf8_lossy(&line).into_owned());
                }
            }
        }
    }
    // The library's own records the log lacks, in the order they were made.
    let mut written = catalog.team_records_with_status(RecordStatus::Written)?;
    written.retain(|r| r.laptop == team.laptop && !in_log.contains(&r.id));
    written.sort_by_key(|r| r.seq);
    repair.rewritten = written.len() as u64;
    append.extend(written.into_iter().map(|r| r.body));
    if !append.is_empty() {
        folder.append(&team.laptop, &append).map_err(io)?;
    }
    for copy in &copies {
        std::fs::remove_file(copy).map_err(io)?;
        repair.folded += 1;
    }
    remember_end(catalog, folder, team)?;
    Ok(repair)
}

/// The id a line names, if it is a record.
fn id_of(line: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// Reads one line of this laptop's log or of a conflict copy of it: a record the library holds
/// with the same content is known; with another, it is refused (the library wins); one the
/// library lacks is taken in (and its id never given again). Whether the line holds a record
/// the library has now as it says.
fn adopt(
    catalog: &mut Catalog,
    team: &TeamRow,
    line: &[u8],
    in_log: &mut HashSet<String>,
    repair: &mut Repair,
) -> Result<bool, CatalogError> {
    let Ok(Line::Record(record)) = parse_line(line, &team.laptop) else {
        return Ok(false);
    };
    match catalog.team_record(&record.id)? {
        Some(kept) if kept.body.trim() == String::from_utf8_lossy(line).trim() => {}
        Some(_) => {
            // Another content under an id the library gave: the library's is the record.
            repair.refused += 1;
            return Ok(false);
        }
        None => {
            let stored = super::stored(&record, &team.me, line);
            catalog.write(|w| {
                // Applied at the next sync, like a teammate's record arriving.
                w.insert_team_record(&StoredRecord {
                    status: RecordStatus::Waiting,
                    ..stored
                })?;
                let seq = split_id(&record.id).map_or(0, |(_, s)| s);
                let now = w.team()?.unwrap_or_else(|| team.clone());
                if seq >= now.next_seq {
                    w.set_team_clock(seq + 1, now.clock_ms.max(record.at.ms), now.clock_n)?;
                }
                Ok::<_, CatalogError>(())
            })?;
            repair.adopted += 1;
        }
    }
    in_log.insert(record.id);
    Ok(true)
}

/// Writes the log again whole: its header, then every record of this laptop the library holds
/// (but those still in its outbox), in the order they were made.
fn rewrite(catalog: &Catalog, folder: &TeamFolder, team: &TeamRow) -> std::io::Result<()> {
    let mut records = catalog
        .team_records_of_laptop(&team.laptop)
        .map_err(std::io::Error::other)?;
    records.retain(|r| r.status != RecordStatus::Outbox);
    records.sort_by_key(|r| r.seq);
    folder.rewrite(
        &team.laptop,
        &team.me,
        &records.into_iter().map(|r| r.body).collect::<Vec<_>>(),
    )
}

/// Notes what the log's end looks like after this laptop wrote it, so the next check sees at
/// a glance whether anyone else changed it.
pub fn remember_end(
    catalog: &mut Catalog,
    folder: &TeamFolder,
    team: &TeamRow,
) -> Result<(), TeamError> {
    let log = folder.own_log(&team.laptop);
    let size = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    let tail = folder::tail_of(&log, size).map_err(|source| TeamError::Folder {
        path: team.folder.clone(),
        source,
    })?;
    catalog.write(|w| {
        w.set_team_read_offset(
            &name(&team.laptop),
            &team.laptop,
            &team.me,
            &ReadMark {
                offset: size,
                size,
                tail,
                lines: 0,
            },
        )
    })?;
    Ok(())
}
