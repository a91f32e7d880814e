//! Writing a file whole or not at all, the one way every part of whoiswho does it: the bytes go
//! to a file beside it under a name no reader looks for (hidden, with this process's id and a
//! count of its writes, so no two writes share one, even two threads writing the same file),
//! which is then renamed over it. A reader sees the old file or the
//! new one, never half of either, even if the app is killed mid-write.
//!
//! How durable the write must be is the caller's to say: a cache or an export can be made
//! again, so the rename alone is enough; a file other laptops read through a sync tool (a team
//! log, a shared avatar) is flushed to the disk before it is renamed, and the rename itself
//! after, so a power cut cannot leave a name pointing at nothing.

use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes made by this process so far: part of each partial file's name.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// How far a write must have reached the disk before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Renamed into place; the system writes it out when it will (caches, exports, the
    /// library's own copies).
    Replaceable,
    /// The data, then the folder's new entry, flushed to the disk (what teammates read).
    Shared,
}

/// Writes `bytes` to `path` whole or not at all, creating its folder.
pub fn write(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let partial = dir.join(format!(
        ".{name}.{}-{write}.whoiswho-tmp",
        std::process::id()
    ));
    let written = fs::write(&partial, bytes).and_then(|()| {
        if durability == Durability::Shared {
            File::open(&partial)?.sync_all()?;
        }
        fs::rename(&partial, path)
    });
    if written.is_err() {
        // Nothing half-written is left behind for anyone to find.
        let _ = fs::remove_file(&partial);
    }
    written?;
    if durability == Durability::Shared {
        // The rename is an entry of the folder: flushed too (not possible everywhere; the data
        // already is).
        if let Ok(folder) = File::open(dir) {
            let _ = folder.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub").join("log.jsonl");
        write(&path, b"first", Durability::Shared).expect("write");
        write(&path, b"second", Durability::Replaceable).expect("write again");
        assert_eq!(fs::read(&path).expect("read"), b"second");
        let names: Vec<_> = fs::read_dir(path.parent().expect("folder"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["log.jsonl"]);
        // A folder where the file should be: an error, and no partial file left.
        let blocked = dir.path().join("blocked");
        fs::create_dir_all(blocked.join("inside")).expect("folder");
        assert!(write(&blocked, b"x", Durability::Replaceable).is_err());
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 2);
    }

    #[test]
    fn threads_writing_one_file_at_once_all_succeed() {
        // Index workers make the same thumbnail at once when two photos hold the same bytes.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("thumb.jpg");
        std::thread::scope(|scope| {
            for t in 0..8u8 {
                let path = &path;
                scope.spawn(move || {
                    for _ in 0..200 {
                        write(path, &[t; 4096], Durability::Replaceable).expect("write");
                    }
                });
            }
        });
        let bytes = fs::read(&path).expect("read");
        assert!(bytes.len() == 4096 && bytes.iter().all(|b| *b == bytes[0]));
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
