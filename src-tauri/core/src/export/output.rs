//! An export folder written incrementally: a manifest beside the files names each one this
//! exporter wrote with the key of what it was made from and the sum of the bytes it wrote, so a
//! second export with nothing changed rewrites nothing, a file damaged or deleted since is made
//! again, a file someone edited is known as such (see [`Output::edited`]), and files that no
//! longer belong are removed (only ever ours, and never one edited since).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use serde::Serialize;

use super::{write_file, ExportError};

/// Output files and the key of what each was made from.
#[derive(Default, Serialize, serde::Deserialize)]
struct Manifest {
    files: BTreeMap<String, String>,
    /// The blake3 of the bytes each file held when this exporter last wrote or checked it
    /// (absent in manifests written before it was kept: such a file counts as unedited).
    #[serde(default)]
    sums: BTreeMap<String, String>,
}

/// How a file of the last export stands on disk against what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnDisk {
    /// As written (or written before sums were kept).
    AsWritten,
    Missing,
    /// Changed and no longer a whole image: cut short, say. Made again.
    Damaged,
    /// Changed, and still a whole file: someone edited it.
    Edited,
}

/// Why the manifest of the last export into a folder could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum ManifestError {
    #[error("cannot be read ({0})")]
    Read(std::io::Error),
    #[error("is damaged ({0})")]
    Damaged(serde_json::Error),
}

/// What finishing an export did to the files of the last one.
#[derive(Debug, Default)]
pub(super) struct Finished {
    /// Files that no longer belong, removed.
    pub(super) removed: u64,
    /// Files that no longer belong but were edited since: left where they are.
    pub(super) left_edited: Vec<String>,
}

pub(super) struct Output<'a> {
    pub(super) dir: &'a Path,
    manifest: &'static str,
    /// Whether a name in the manifest is one this exporter writes (a manifest edited by hand
    /// must not make it remove anything else).
    is_ours: fn(&str) -> bool,
    old: Manifest,
    new: Manifest,
    /// How each file stood when last read, until this export writes it: the post's export asks
    /// about a file up to three times before writing anything (edited? damaged? stale?), and
    /// each answer would read and hash the whole file again.
    checked: RefCell<HashMap<String, OnDisk>>,
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
            checked: RefCell::default(),
            written: 0,
            unchanged: 0,
        };
        Ok((output, trouble))
    }

    /// Removes the files of the last export that no longer belong (only ever ones this
    /// exporter wrote, and never one edited since) and writes the new manifest.
    pub(super) fn finish(&self) -> Result<Finished, ExportError> {
        let mut finished = Finished::default();
        for name in self.old.files.keys() {
            if self.new.files.contains_key(name) || !(self.is_ours)(name) {
                continue;
            }
            match self.on_disk(name) {
                OnDisk::Edited => finished.left_edited.push(name.clone()),
                OnDisk::Missing => {}
                OnDisk::AsWritten | OnDisk::Damaged => {
                    if fs::remove_file(self.dir.join(name)).is_ok() {
                        finished.removed += 1;
                    }
                }
            }
        }
        let manifest = serde_json::to_vec_pretty(&self.new)
            .map_err(|e| ExportError::Template(e.to_string()))?;
        let path = self.dir.join(self.manifest);
        let unchanged = fs::read(&path).is_ok_and(|b| b == manifest);
        if !unchanged {
            write_file(&path, &manifest)?;
        }
        Ok(finished)
    }

    /// Whether the last export into the folder wrote this file.
    pub(super) fn was_written(&self, name: &str) -> bool {
        self.old.files.contains_key(name)
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
            self.checked.get_mut().remove(name);
            self.written += 1;
        }
        self.new.sums.insert(name.to_string(), key.clone());
        self.new.files.insert(name.to_string(), key);
        Ok(())
    }

    /// Whether a derived file must be made again: its inputs' key changed, or it is gone,
    /// damaged or changed since it was written.
    pub(super) fn stale(&self, name: &str, key: &str) -> bool {
        // A file gone (or a folder in its place) reads as `Missing`.
        self.old.files.get(name).map(String::as_str) != Some(key)
            || self.on_disk(name) != OnDisk::AsWritten
    }

    /// Records a derived file as made from `key` (written or kept), with the sum of its bytes.
    pub(super) fn keep(&mut self, name: &str, key: &str) {
        // The caller may have just written it.
        self.checked.get_mut().remove(name);
        self.new.files.insert(name.to_string(), key.to_string());
        if let Some(sum) = sum_of(&self.dir.join(name)) {
            self.new.sums.insert(name.to_string(), sum);
        }
    }

    /// How a file the last export wrote stands on disk now.
    pub(super) fn on_disk(&self, name: &str) -> OnDisk {
        if let Some(known) = self.checked.borrow().get(name) {
            return *known;
        }
        let found = self.read_on_disk(name);
        self.checked.borrow_mut().insert(name.to_string(), found);
        found
    }

    fn read_on_disk(&self, name: &str) -> OnDisk {
        let path = self.dir.join(name);
        let Ok(bytes) = fs::read(&path) else {
            return OnDisk::Missing;
        };
        let Some(sum) = self.old.sums.get(name) else {
            return OnDisk::AsWritten;
        };
        if blake3::hash(&bytes).to_hex().as_str() == sum {
            OnDisk::AsWritten
        } else if is_image(name) && !is_whole_image(&bytes) {
            OnDisk::Damaged
        } else {
            OnDisk::Edited
        }
    }

    /// Files of the last export, among `names`, that someone edited since: writing them again
    /// would lose the edit.
    pub(super) fn edited<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Vec<String> {
        names
            .into_iter()
            .filter(|n| self.on_disk(n) == OnDisk::Edited)
            .map(str::to_string)
            .collect()
    }
}

fn sum_of(path: &Path) -> Option<String> {
    fs::read(path)
        .ok()
        .map(|b| blake3::hash(&b).to_hex().to_string())
}

fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e))
}

/// Whether `bytes` hold a whole image: it decodes, and it ends where its format ends (the image
/// crate decodes a JPEG cut in half without a word, filling the rest).
fn is_whole_image(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let ends = if bytes.starts_with(&[0xff, 0xd8]) {
        tail.windows(2).any(|w| w == [0xff, 0xd9])
    } else if bytes.starts_with(b"\x89PNG") {
        tail.windows(4).any(|w| w == b"IEND")
    } else {
        false
    };
    ends && image::load_from_memory(bytes).is_ok()
}
