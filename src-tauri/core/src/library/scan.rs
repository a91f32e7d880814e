//! Walking photo folders: which files are candidates, with the size and time that decide whether
//! they changed. No file content is read here except a few bytes of oddly named files.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::imaging::{has_image_extension, looks_like_image};

#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub size: i64,
    pub mtime_ns: i64,
}

/// Extensions that are certainly not photos; skipped without opening them.
const NOT_PHOTOS: &[&str] = &[
    "xmp", "xml", "txt", "md", "json", "csv", "html", "htm", "js", "css", "pdf", "mov", "mp4",
    "m4v", "avi", "mkv", "wav", "mp3", "aac", "zip", "gz", "db", "db-wal", "db-shm", "ini", "pp3",
    "dop", "thm", "lrv", "aae",
];

/// Everything under `roots` that is or may be an image, plus the paths that could not be read.
pub fn walk(roots: &[PathBuf], skip: &Path) -> (Vec<Candidate>, Vec<(PathBuf, String)>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                // Hidden folders (.git, .thumbnails) and the library itself hold no photos.
                e.depth() == 0
                    || !(e.file_name().to_string_lossy().starts_with('.') || e.path() == skip)
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or(root.clone());
                    errors.push((path, e.to_string()));
                    continue;
                }
            };
            if !entry.file_type().is_file() || !is_candidate(entry.path()) {
                continue;
            }
            match entry.metadata() {
                Ok(meta) => found.push(Candidate {
                    path: entry.path().to_path_buf(),
                    size: meta.len() as i64,
                    mtime_ns: meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map(|d| d.as_nanos() as i64)
                        .unwrap_or(0),
                }),
                Err(e) => errors.push((entry.path().to_path_buf(), e.to_string())),
            }
        }
    }
    (found, errors)
}

fn is_candidate(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if ext.as_deref().is_some_and(|e| NOT_PHOTOS.contains(&e)) {
        return false;
    }
    // "x.png.bin" or "IMG_1.jpg.part" claims to be a photo: read it, and say why it is not one.
    if has_image_extension(path)
        || has_image_extension(Path::new(path.file_stem().unwrap_or_default()))
    {
        return true;
    }
    // A photo saved as "IMG_0001" is still a photo.
    let mut head = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .is_ok_and(|n| looks_like_image(&head[..n]))
}
