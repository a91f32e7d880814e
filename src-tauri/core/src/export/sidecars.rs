//! `whoiswho export xmp [--out DIR]`: a `photo.jpg.xmp` sidecar for every photo with faces,
//! next to the original (never into it) or into a chosen folder.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{safe_file_name, ExportError};
use crate::imaging::Orientation;
use crate::library::{FailedFile, Library};
use crate::publication::Publication;
use crate::xmp::{convert, sidecar_xmp, Direction, SidecarPerson, SidecarRegion, StoredSpace};

/// What an XMP export did (the JSON of `whoiswho export xmp`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SidecarReport {
    /// Sidecars written.
    pub written: u64,
    /// Faces written without a name because the attendee chose `no-publish`.
    pub unnamed: u64,
    pub failed: Vec<FailedFile>,
    /// The folder written to, or null when sidecars went next to the originals.
    pub folder: Option<String>,
}

/// Marks our own sidecars, so a re-export replaces them but never another tool's.
const OURS: &str = "xmp:CreatorTool=\"whoiswho\"";

pub fn export_sidecars(
    library: &Library,
    out: Option<&Path>,
) -> Result<SidecarReport, ExportError> {
    if let Some(dir) = out {
        fs::create_dir_all(dir).map_err(|source| ExportError::Folder {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let photos = library.read(|c| c.photo_summaries())?;
    let publication = Publication::load(library)?;
    let mut report = SidecarReport {
        folder: out.map(|d| d.display().to_string()),
        ..SidecarReport::default()
    };
    let mut used = HashSet::new();
    for summary in photos.iter().filter(|p| p.faces > 0) {
        let (details, faces) =
            library.read(|c| Ok((c.photo_details(summary.id)?, c.faces(summary.id)?)))?;
        let space = StoredSpace::new(
            (details.stored_width, details.stored_height),
            details.crop,
            Orientation::from_exif(details.orientation.into()),
        );
        let published = publication.photo(&faces);
        let mut named: Vec<SidecarPerson> = Vec::new();
        for person in published.faces.iter().filter_map(|f| f.person.as_ref()) {
            if !named
                .iter()
                .any(|p| p.login.eq_ignore_ascii_case(&person.login))
            {
                named.push(SidecarPerson {
                    login: person.login.clone(),
                    name: person.name.clone(),
                });
            }
        }
        report.unnamed += published.faces.iter().filter(|f| f.blurred).count() as u64;
        let regions: Vec<SidecarRegion> = published
            .faces
            .iter()
            .map(|f| SidecarRegion {
                area: convert(f.region, space, Direction::DisplayedToStored),
                login: f.person.as_ref().map(|p| p.login.clone()),
            })
            .collect();
        if regions.is_empty() {
            continue;
        }
        let target = match out {
            Some(dir) => {
                let base = Path::new(&details.path)
                    .file_name()
                    .map(|n| safe_file_name(&n.to_string_lossy()))
                    .unwrap_or_else(|| format!("photo-{}", details.id));
                let mut name = format!("{base}.xmp");
                if !used.insert(name.clone()) {
                    name = format!("{}-{}.xmp", base, details.id);
                    used.insert(name.clone());
                }
                dir.join(name)
            }
            None => PathBuf::from(format!("{}.xmp", details.path)),
        };
        let fail = |error: String| FailedFile {
            path: target.display().to_string(),
            error,
        };
        if out.is_none() {
            if let Some(why) = not_ours_to_replace(&target) {
                report.failed.push(fail(why));
                continue;
            }
        }
        let written = sidecar_xmp(
            details.stored_width,
            details.stored_height,
            &regions,
            &named,
        )
        .map_err(|e| e.to_string())
        .and_then(|xmp| write_atomically(&target, &xmp).map_err(|e| e.to_string()));
        match written {
            Ok(()) => report.written += 1,
            Err(e) => report.failed.push(fail(e)),
        }
    }
    Ok(report)
}

/// Why the sidecar already at `target` must be left as it is, if it must: only a file known to
/// be ours is replaced. One that cannot be read may be another tool's; a link, a folder or a
/// pipe is not a sidecar we wrote (and reading a pipe would wait for ever).
fn not_ours_to_replace(target: &Path) -> Option<String> {
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(unreadable(&e)),
    };
    if !meta.is_file() {
        return Some(
            "something other than a file is there (a link, a folder or a pipe): left as it is; export with --out DIR"
                .into(),
        );
    }
    match fs::read(target) {
        Ok(existing) if String::from_utf8_lossy(&existing).contains(OURS) => None,
        Ok(_) => Some(
            "a sidecar written by another tool is already there; export with --out DIR to keep it"
                .into(),
        ),
        Err(e) => Some(unreadable(&e)),
    }
}

fn unreadable(e: &std::io::Error) -> String {
    format!(
        "the sidecar already there cannot be read ({e}), so it may be another tool's: left as it is; export with --out DIR, or make it readable"
    )
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::atomic_file::write(path, bytes, crate::atomic_file::Durability::Replaceable)
}
