//! Incremental indexing. Walk → compare with the catalog → read only new or changed files, in
//! parallel, through a bounded queue into one writer that commits small batches (so the grid fills
//! in as it goes and a cancelled run keeps what it finished).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::scan::{self, Candidate};
use super::{metadata, FailedFile, IndexReport, Library, LibraryError};
use crate::catalog::{Catalog, KnownFailure, PhotoRecord};
use crate::faces::{keep_imported, ImportedFace};
use crate::imaging::{ImagingError, Orientation, PhotoFile};
use crate::progress::{CancelToken, IndexPhase, IndexProgress, ProgressSink};
use crate::xmp::{self, Direction};

/// Files larger than this are refused before being read: no photo is this big.
const BATCH_SIZE: usize = 32;
const BATCH_INTERVAL: Duration = Duration::from_millis(300);
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error(transparent)]
    Imaging(#[from] ImagingError),
    #[error("cannot write thumbnails into the library: {0}")]
    Cache(std::io::Error),
}

struct Work {
    candidate: Candidate,
    /// The photo already at this path, whose file changed.
    existing: Option<i64>,
}

pub(super) fn run(
    lib: &Library,
    folders: &[PathBuf],
    cancel: &CancelToken,
    sink: &dyn ProgressSink<IndexProgress>,
) -> Result<IndexReport, LibraryError> {
    let mut catalog = lib.catalog()?;
    let mut report = IndexReport::default();
    let mut progress = IndexProgress {
        phase: IndexPhase::Scanning,
        done: 0,
        total: 0,
        current: None,
        indexed: 0,
        unchanged: 0,
        failed: 0,
        committed: 0,
    };
    sink.progress(&progress);

    let mut roots = Vec::new();
    for folder in folders {
        match fs::canonicalize(folder) {
            Ok(p) if p.is_dir() => roots.push(p),
            Ok(p) => report.failed.push(failure(&p, "not a folder")),
            Err(e) => report
                .failed
                .push(failure(folder, &format!("cannot open folder: {e}"))),
        }
    }
    catalog.write(|w| {
        roots
            .iter()
            .try_for_each(|r| w.add_folder(&r.to_string_lossy()))
    })?;

    let (candidates, walk_errors) = scan::walk(&roots, lib.root());
    report.failed.extend(
        walk_errors
            .iter()
            .map(|(p, e)| failure(p, &format!("cannot read: {e}"))),
    );

    let known: HashMap<String, _> = catalog
        .known_files()?
        .into_iter()
        .map(|k| (k.path.clone(), k))
        .collect();
    let failures: HashMap<String, KnownFailure> = catalog
        .known_failures()?
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();

    let mut seen = HashSet::new();
    let mut work = Vec::new();
    let mut reappeared = Vec::new();
    for c in candidates {
        let path = c.path.to_string_lossy().into_owned();
        seen.insert(path.clone());
        match known.get(&path) {
            Some(k) if k.size == c.size && k.mtime_ns == c.mtime_ns => {
                if k.missing {
                    reappeared.push(k.id);
                }
                report.unchanged += 1;
            }
            Some(k) => work.push(Work {
                candidate: c,
                existing: Some(k.id),
            }),
            None => match failures.get(&path) {
                // Still the same broken file: say so again without re-reading it.
                Some(f) if f.size == c.size && f.mtime_ns == c.mtime_ns => {
                    report.failed.push(FailedFile {
                        path,
                        error: f.error.clone(),
                    })
                }
                _ => work.push(Work {
                    candidate: c,
                    existing: None,
                }),
            },
        }
    }
    let under_roots = |p: &str| roots.iter().any(|r| Path::new(p).starts_with(r));
    // Photos whose file vanished: a moved file in `work` may claim one; the rest go missing.
    let mut vanished: HashSet<i64> = known
        .values()
        .filter(|k| !k.missing && !seen.contains(&k.path) && under_roots(&k.path))
        .map(|k| k.id)
        .collect();
    let stale_failures: Vec<String> = failures
        .keys()
        .filter(|p| !seen.contains(*p) && under_roots(p))
        .cloned()
        .collect();
    catalog.write(|w| {
        reappeared
            .iter()
            .try_for_each(|id| w.set_missing(*id, false))?;
        stale_failures.iter().try_for_each(|p| w.forget_failure(p))
    })?;

    progress.phase = IndexPhase::Indexing;
    progress.unchanged = report.unchanged;
    progress.failed = report.failed.len() as u64;
    progress.total = report.unchanged + progress.failed + work.len() as u64;
    progress.done = report.unchanged + progress.failed;
    sink.progress(&progress);

    let cache = &lib.thumbnails;
    // Two in flight per worker at most: memory stays bounded however large the folder.
    let (tx, rx) = sync_channel(rayon::current_num_threads() * 2);
    let mut writer = BatchWriter {
        catalog: &mut catalog,
        pending: Vec::new(),
        last_commit: Instant::now(),
    };
    let mut last_progress = Instant::now();
    std::thread::scope(|scope| -> Result<(), LibraryError> {
        scope.spawn(|| {
            work.par_iter().for_each_with(tx, |tx, item| {
                if cancel.is_cancelled() {
                    return;
                }
                let outcome = read_photo(&item.candidate, cache);
                // The receiver only hangs up on a database error; then the run is over anyway.
                let _ = tx.send((item, outcome));
            });
        });
        for (item, outcome) in rx {
            progress.done += 1;
            progress.current = Some(item.candidate.path.to_string_lossy().into_owned());
            match outcome {
                Ok((record, imported)) => {
                    report.indexed += 1;
                    progress.indexed += 1;
                    writer
                        .pending
                        .push(Pending::Photo(Box::new(record), item.existing, imported));
                }
                Err(e) => {
                    let f = failure(&item.candidate.path, &e.to_string());
                    progress.failed += 1;
                    writer.pending.push(Pending::Failure(KnownFailure {
                        path: f.path.clone(),
                        size: item.candidate.size,
                        mtime_ns: item.candidate.mtime_ns,
                        error: f.error.clone(),
                    }));
                    report.failed.push(f);
                }
            }
            if writer.due() {
                writer.commit(&mut vanished)?;
                progress.committed += 1;
                sink.progress(&progress);
                last_progress = Instant::now();
            } else if last_progress.elapsed() >= PROGRESS_INTERVAL {
                sink.progress(&progress);
                last_progress = Instant::now();
            }
        }
        Ok(())
    })?;
    writer.commit(&mut vanished)?;
    progress.committed += 1;

    report.cancelled = cancel.is_cancelled();
    if !report.cancelled {
        // Not on cancel: a moved file not read yet would look removed.
        catalog.write(|w| vanished.iter().try_for_each(|id| w.set_missing(*id, true)))?;
        report.removed = vanished.len() as u64;
    }
    report.photos = catalog.present_photo_count()?;
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    progress.phase = if report.cancelled {
        IndexPhase::Cancelled
    } else {
        IndexPhase::Finished
    };
    progress.current = None;
    sink.progress(&progress);
    Ok(report)
}

fn failure(path: &Path, error: &str) -> FailedFile {
    FailedFile {
        path: path.to_string_lossy().into_owned(),
        error: error.to_string(),
    }
}

enum Pending {
    Photo(Box<PhotoRecord>, Option<i64>, Vec<ImportedFace>),
    Failure(KnownFailure),
}

struct BatchWriter<'a> {
    catalog: &'a mut Catalog,
    pending: Vec<Pending>,
    last_commit: Instant,
}

impl BatchWriter<'_> {
    fn due(&self) -> bool {
        self.pending.len() >= BATCH_SIZE
            || (!self.pending.is_empty() && self.last_commit.elapsed() >= BATCH_INTERVAL)
    }

    fn commit(&mut self, vanished: &mut HashSet<i64>) -> Result<(), LibraryError> {
        let pending = std::mem::take(&mut self.pending);
        self.catalog.write(|w| {
            for item in &pending {
                match item {
                    Pending::Photo(record, existing, imported) => {
                        let target = match existing {
                            Some(id) => Some(*id),
                            // Same content as a photo that vanished or went missing: it moved.
                            None => w
                                .photo_ids_with_hash(&record.hash)?
                                .into_iter()
                                .find(|(id, missing)| *missing || vanished.contains(id))
                                .map(|(id, _)| id),
                        };
                        if let Some(id) = target {
                            vanished.remove(&id);
                        }
                        let id = w.upsert_photo(target, record)?;
                        w.forget_failure(&record.path)?;
                        keep_imported(w, id, imported)?;
                    }
                    Pending::Failure(f) => w.record_failure(f)?,
                }
            }
            Ok::<_, crate::catalog::CatalogError>(())
        })?;
        self.last_commit = Instant::now();
        Ok(())
    }
}

/// Face regions from the photo's sidecar (`photo.jpg.xmp`, else `photo.xmp`) or, failing that,
/// its embedded XMP, turned upright. A broken XMP is a warning, never a failure of the photo.
fn read_xmp_faces(
    path: &Path,
    bytes: &[u8],
    space: xmp::StoredSpace,
) -> (Vec<ImportedFace>, Option<String>) {
    let mut candidates = vec![PathBuf::from(format!("{}.xmp", path.display()))];
    candidates.push(path.with_extension("xmp"));
    let sidecar = candidates.iter().find_map(|p| {
        let size = fs::metadata(p).ok().filter(|m| m.is_file())?.len();
        if size as usize > xmp::MAX_XMP_BYTES {
            return Some(Err(format!("{} is too large to be XMP", p.display())));
        }
        Some(fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display())))
    });
    let parsed = match sidecar {
        Some(Ok(text)) => xmp::read_regions(&text).map_err(|e| e.to_string()),
        Some(Err(e)) => Err(e),
        None => match xmp::embedded_xmp(bytes) {
            Some(packet) => xmp::read_regions(&packet).map_err(|e| e.to_string()),
            None => Ok(Vec::new()),
        },
    };
    match parsed {
        Ok(regions) => (
            regions
                .into_iter()
                .map(|r| ImportedFace {
                    region: xmp::convert(r.area, space, Direction::StoredToDisplayed),
                    name: r.name,
                })
                .collect(),
            None,
        ),
        Err(e) => (
            Vec::new(),
            Some(format!("face regions in XMP ignored: {e}")),
        ),
    }
}

/// Everything done for one new or changed file: read, hash, EXIF, header, both thumbnails, and
/// the face regions other tools wrote.
fn read_photo(
    c: &Candidate,
    cache: &super::ThumbnailCache,
) -> Result<(PhotoRecord, Vec<ImportedFace>), FileError> {
    let mut file = PhotoFile::read(&c.path, Orientation::Normal)?;
    let (bytes, format) = (file.bytes(), file.format());
    let meta = metadata::read(bytes, format);
    let hash = blake3::hash(bytes).to_hex().to_string();
    let layout = file.lay_out(meta.orientation)?;
    let (width, height) = layout.displayed_size();
    if !cache.has_all(&hash) {
        let thumbs = file.thumbnails()?;
        cache.store(&hash, &thumbs).map_err(FileError::Cache)?;
    }
    let sort_time = meta
        .taken_local
        .clone()
        .unwrap_or_else(|| file_time(c.mtime_ns));
    let (imported, xmp_warning) =
        read_xmp_faces(&c.path, file.bytes(), xmp::StoredSpace::of(&layout));
    let warning = match (meta.warning, xmp_warning) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    let record = PhotoRecord {
        path: c.path.to_string_lossy().into_owned(),
        size: c.size,
        mtime_ns: c.mtime_ns,
        hash,
        format: file.format().name().to_string(),
        stored_width: layout.stored.0,
        stored_height: layout.stored.1,
        crop: layout.crop.map(|c| [c.x, c.y, c.w, c.h]),
        width,
        height,
        orientation: layout.orientation.value(),
        taken_at: meta.taken_at,
        sort_time,
        camera: meta.camera,
        lens: meta.lens,
        gps: meta.gps,
        metadata_warning: warning,
    };
    Ok((record, imported))
}

fn file_time(mtime_ns: i64) -> String {
    chrono::DateTime::from_timestamp_nanos(mtime_ns)
        .naive_utc()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}
