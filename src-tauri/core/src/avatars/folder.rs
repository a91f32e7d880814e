//! Avatars from a folder the organizer picked: `LOGIN.jpg|jpeg|png|webp`, any case, one level.

use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp"];

/// `(login as written in the file name, path)` of every picture named for someone, sorted; other
/// files are not avatars and are left alone.
pub fn pictures(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_file() {
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string);
        if let (Some(ext), Some(stem)) = (ext, stem) {
            if EXTENSIONS.contains(&ext.as_str()) {
                found.push((stem, path));
            }
        }
    }
    found.sort();
    Ok(found)
}
