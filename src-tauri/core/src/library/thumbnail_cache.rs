//! Thumbnails on disk, named by content hash so a moved or duplicated photo reuses them.

use std::io;
use std::path::{Path, PathBuf};

use crate::imaging::{ThumbnailSize, Thumbnails};

pub struct ThumbnailCache {
    dir: PathBuf,
}

impl ThumbnailCache {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Only called with hashes from the catalog (hex), never with user input.
    pub fn path(&self, hash: &str, size: ThumbnailSize) -> PathBuf {
        let shard = hash.get(..2).unwrap_or("00");
        self.dir
            .join(shard)
            .join(format!("{hash}.{}.jpg", size.name()))
    }

    /// A face crop, named by face and box so a moved box gets a new crop.
    pub fn face_path(&self, face_id: i64, region: &crate::region::Region) -> PathBuf {
        self.dir
            .join("faces")
            .join(format!("{face_id}-{}.jpg", region.crop_key()))
    }

    pub fn store_face(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        write_atomically(path, bytes)
    }

    pub fn has_all(&self, hash: &str) -> bool {
        [ThumbnailSize::Grid, ThumbnailSize::Preview]
            .iter()
            .all(|s| self.path(hash, *s).is_file())
    }

    pub fn store(&self, hash: &str, thumbs: &Thumbnails) -> io::Result<()> {
        write_atomically(&self.path(hash, ThumbnailSize::Grid), &thumbs.grid)?;
        write_atomically(&self.path(hash, ThumbnailSize::Preview), &thumbs.preview)
    }
}

/// A reader never sees half a file, even if the app is killed mid-write.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::atomic_file::write(path, bytes, crate::atomic_file::Durability::Replaceable)
}
