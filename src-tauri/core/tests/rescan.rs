//! Incremental re-indexing: unchanged files skipped, edits re-read, removals marked missing (and
//! kept), moves and renames recognized by content hash, cancel and resume.

mod common;

use std::fs;

use common::{copy_files, shared, TestLibrary};
use whoiswho_core::progress::NoProgress;
use whoiswho_core::CancelToken;

const FILES: &[&str] = &["DSCN0010.jpg", "DSCN0021.jpg", "DSCN0042.jpg"];

#[test]
fn unchanged_files_are_skipped_and_edits_are_reread() {
    let lib = TestLibrary::new();
    let dir = lib.folder("event");
    copy_files(&shared("exif"), FILES, &dir);
    let first = lib.index(&[&dir]);
    assert_eq!((first.indexed, first.unchanged, first.photos), (3, 0, 3));

    let again = lib.index(&[&dir]);
    assert_eq!((again.indexed, again.unchanged, again.removed), (0, 3, 0));

    let before = lib.photo("DSCN0010.jpg");
    // Edit: the same name now holds another photo's content.
    fs::copy(shared("exif/DSCN0012.jpg"), dir.join("DSCN0010.jpg")).unwrap();
    let edited = lib.index(&[&dir]);
    assert_eq!((edited.indexed, edited.unchanged), (1, 2));
    let after = lib.photo("DSCN0010.jpg");
    assert_eq!(after.id, before.id, "an edited file keeps its photo");
    assert_eq!(after.taken_at.as_deref(), Some("2008-10-22T16:29:49"));

    let added = lib.folder("event/day2");
    copy_files(&shared("exif"), &["DSCN0025.jpg"], &added);
    let grown = lib.index(&[&dir]);
    assert_eq!((grown.indexed, grown.unchanged, grown.photos), (1, 3, 4));
}

#[test]
fn removed_files_are_kept_as_missing_and_come_back_by_content() {
    let lib = TestLibrary::new();
    let dir = lib.folder("event");
    copy_files(&shared("exif"), FILES, &dir);
    lib.index(&[&dir]);
    let original = lib.photo("DSCN0042.jpg");

    fs::rename(dir.join("DSCN0042.jpg"), lib.dir.path().join("stash.jpg")).unwrap();
    let gone = lib.index(&[&dir]);
    assert_eq!((gone.removed, gone.photos), (1, 2));
    let missing = lib.photo("DSCN0042.jpg");
    assert!(missing.missing, "kept in the library, marked missing");
    assert_eq!(missing.id, original.id);
    // Still shown: its cached thumbnail is served although the file is gone.
    assert!(lib
        .library
        .thumbnail(missing.id, whoiswho_core::imaging::ThumbnailSize::Grid)
        .is_ok());

    // It reappears under a new name in a new subfolder: same photo, same id, not missing.
    let sub = lib.folder("event/renamed");
    fs::rename(lib.dir.path().join("stash.jpg"), sub.join("best-shot.jpg")).unwrap();
    let back = lib.index(&[&dir]);
    assert_eq!((back.indexed, back.removed, back.photos), (1, 0, 3));
    let found = lib.photo("best-shot.jpg");
    assert_eq!(found.id, original.id);
    assert!(!found.missing);
    assert_eq!(
        lib.photos().len(),
        3,
        "no duplicate row for the moved photo"
    );
}

#[test]
fn a_file_moved_between_runs_keeps_its_photo() {
    let lib = TestLibrary::new();
    let dir = lib.folder("event");
    copy_files(&shared("exif"), FILES, &dir);
    lib.index(&[&dir]);
    let original = lib.photo("DSCN0021.jpg");
    fs::rename(dir.join("DSCN0021.jpg"), dir.join("renamed.jpg")).unwrap();
    let report = lib.index(&[&dir]);
    assert_eq!((report.indexed, report.removed, report.photos), (1, 0, 3));
    assert_eq!(lib.photo("renamed.jpg").id, original.id);
}

#[test]
fn a_cancelled_run_keeps_its_work_and_marks_nothing_missing() {
    let lib = TestLibrary::new();
    let dir = lib.folder("event");
    copy_files(&shared("exif"), FILES, &dir);
    lib.index(&[&dir]);
    fs::remove_file(dir.join("DSCN0010.jpg")).unwrap();
    copy_files(&shared("exif"), &["DSCN0025.jpg", "DSCN0027.jpg"], &dir);

    let cancel = CancelToken::new();
    cancel.cancel();
    let stopped = lib.library.index(&[dir], &cancel, &NoProgress).unwrap();
    assert!(stopped.cancelled);
    assert_eq!((stopped.indexed, stopped.removed), (0, 0));
    assert!(!lib.photo("DSCN0010.jpg").missing);

    let resumed = lib
        .library
        .rescan(&CancelToken::new(), &NoProgress)
        .unwrap();
    assert!(!resumed.cancelled);
    assert_eq!(
        (resumed.indexed, resumed.unchanged, resumed.removed),
        (2, 2, 1)
    );
}
