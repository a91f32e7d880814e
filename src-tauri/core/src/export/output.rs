//! An export folder written incrementally: a manifest beside the files names each one this
//! exporter wrote with the key of what it was made from, so a second export with nothing changed
//! rewrites nothing, and files that no longer belong are removed (only ever ours).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Serialize;

use super::{write_file, ExportError};

/// Output files and the key of what each was made from.
#[derive(Default, Serialize, serde::Deserialize)]
struct Manifest {
    files: BTreeMap<String, String>,
}

/// Why the manifest of the last export into a folder could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum ManifestError {
    #[error("cannot be read ({0})")]
    Read(std::io::Error),
    #[error("is damaged ({0})")]
    Damaged(serde_json::Error),
}

pub(super) struct Output<'a> {
    pub(super) dir: &'a Path,
    manifest: &'static str,
    /// Whether a name in the manifest is one this exporter writes (a manifest edited by hand
    /// must not make it remove anything else).
    is_ours: fn(&str) -> bool,
    old: Manifest,
    new: Manifest,
    pub(super) written: u64,
    pub(super) unchanged: u64,
}

impl<'a> Output<'a> {
    /// Creates the folder and reads the manifest of the last export into it: none in a new
    /// folder; one that cannot be read is returned as the error beside the output, and the
    /// export is then written as if into a new folder (nothing of the last export is removed,
    /// since nothing says what it was).
    pub(super) fn open(
        dir: &'a Path,
        manifest: &'static str,
        is_ours: fn(&str) -> bool,
    ) -> Result<(Self, Option<ManifestError>), ExportError> {
        fs::create_dir_all(dir).map_err(|source| ExportError::Folder {
            path: dir.display().to_string(),
            source,
        })?;
        let read = match fs::read(dir.join(manifest)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(ManifestError::Damaged),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(ManifestError::Read(e)),
        };
        let (old, trouble) = match read {
            Ok(old) => (old, None),
            Err(error) => (Manifest::default(), Some(error)),
        };
        let output = Self {
            dir,
            manifest,
            is_ours,
            old,
            new: Manifest::default(),
            written: 0,
            unchanged: 0,
        };
        Ok((output, trouble))
    }

    /// Removes the files of the last export that no longer belong (only ever ones this
    /// exporter wrote) and writes the new manifest; returns how many files were removed.
    pub(super) fn finish(&self) -> Result<u64, ExportError> {
        let mut removed = 0;
        for name in self.old.files.keys() {
            if !self.new.files.contains_key(name)
                && (self.is_ours)(name)
                && fs::remove_file(self.dir.join(name)).is_ok()
            {
                removed += 1;
            }
        }
        let manifest = serde_json::to_vec_pretty(&self.new)
            .map_err(|e| ExportError::Template(e.to_string()))?;
        let path = self.dir.join(self.manifest);
        let unchanged = fs::read(&path).is_ok_and(|b| b == manifest);
        if !unchanged {
            write_file(&path, &manifest)?;
        }
        Ok(removed)
    }

    /// Writes a page or asset unless the same bytes are already there.
    pub(super) fn text(&mut self, name: &str, content: &str) -> Result<(), ExportError> {
        let path = self.dir.join(name);
        let key = blake3::hash(content.as_bytes()).to_hex().to_string();
        let same = self.old.files.get(name) == Some(&key)
            && fs::read(&path).is_ok_and(|b| b == content.as_bytes());
        if same {
            self.unchanged += 1;
        } else {
            write_file(&path, content.as_bytes())?;
            self.written += 1;
        }
        self.new.files.insert(name.to_string(), key);
        Ok(())
    }

    /// Whether a derived file must be made again: its inputs' key changed, or it is gone.
    pub(super) fn stale(&self, name: &str, key: &str) -> bool {
        self.old.files.get(name).map(String::as_str) != Some(key) || !self.dir.join(name).is_file()
    }

    /// Records a derived file as made from `key` (written or kept).
    pub(super) fn keep(&mut self, name: &str, key: &str) {
        self.new.files.insert(name.to_string(), key.to_string());
    }
}
