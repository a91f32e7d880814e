//! Attendees' avatars, a head start for recognition: each one is fetched from GitHub only when
//! the organizer asks (never for a `no-tag` attendee, a few at a time, with timeouts), or
//! imported from a folder; kept in the library as a JPEG; and searched like a photo, so an
//! avatar showing exactly one clear face becomes a reference face for its attendee. Avatars are
//! never exported.

mod download;
mod folder;
mod picture;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::{AvatarFace, AvatarRecord, AvatarSource, Catalog, CatalogError, Person};
use crate::consent::Consent;
use crate::faces::FaceDetector;
use crate::imaging::ImagingError;
use crate::journal;
use crate::library::Library;
use crate::progress::{AvatarProgress, CancelToken, ProgressSink};
use crate::recognition::{FaceEmbedder, MODEL_VERSION};
use crate::suggestions;
use sha2::{Digest, Sha256};

pub use download::{Downloader, GITHUB_AVATAR_URL, MAX_BYTES, URL_VARIABLE};

/// Folder of the library where avatars are kept, one `PERSON_ID.jpg` each.
pub const FOLDER: &str = "avatars";

/// How many avatars are fetched at once: polite to the server, quick for 300 attendees.
const AT_ONCE: usize = 4;

/// Why one attendee has no avatar from this run.
#[derive(Debug, thiserror::Error)]
pub enum AvatarError {
    #[error("no such GitHub user (404)")]
    NoSuchUser,
    #[error("GitHub refused: rate limited; try again later")]
    RateLimited,
    #[error("the server answered {0}")]
    Status(u16),
    #[error("no answer in time")]
    TimedOut,
    #[error("network: {0}")]
    Network(String),
    #[error("over {} MB: not an avatar", limit / 1024 / 1024)]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Picture(#[from] ImagingError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("no attendee with this login in the roster")]
    NotInRoster,
    #[error("asked not to be tagged: their avatar is not used")]
    NoTag,
    #[error("face search: {0}")]
    FaceSearch(#[from] crate::faces::FacesError),
    #[error("recognition: {0}")]
    Recognition(#[from] crate::inference::InferenceError),
    #[error("cannot save the avatar: {0}")]
    Save(std::io::Error),
    #[error("cancelled")]
    Cancelled,
}

/// What went wrong for the run as a whole (one attendee's trouble is in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum AvatarsError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot read the folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create {path}: {source}")]
    Store {
        path: String,
        source: std::io::Error,
    },
    #[error("{var} is {value:?}: it must be an http:// or https:// address holding {{login}}", var = download::URL_VARIABLE, value = .0)]
    BadUrlTemplate(String),
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AvatarFailure {
    pub login: String,
    pub error: String,
}

/// The outcome of `whoiswho roster avatars`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AvatarReport {
    pub fetched: u64,
    pub imported: u64,
    /// Avatars from this run that show one clear face, now reference faces.
    pub with_face: u64,
    pub failed: Vec<AvatarFailure>,
    pub cancelled: bool,
}

/// The models an avatar is searched with.
pub struct AvatarModels<'a> {
    pub detector: &'a FaceDetector,
    pub embedder: &'a FaceEmbedder,
}

/// Which attendees a fetch asks GitHub about: everyone who may be tagged and has no avatar yet
/// (everyone who may be tagged, with `refresh`).
pub fn to_fetch(library: &Library, refresh: bool) -> Result<Vec<Person>, CatalogError> {
    let catalog = library.catalog()?;
    let have = have_avatar(&catalog)?;
    Ok(catalog
        .people()?
        .into_iter()
        .filter(|p| wanted(p, refresh, &have))
        .collect())
}

fn have_avatar(catalog: &Catalog) -> Result<HashSet<i64>, CatalogError> {
    Ok(catalog.avatars()?.iter().map(|a| a.person_id).collect())
}

/// Never a no-tag attendee; otherwise whoever has no avatar yet, or everyone on refresh.
fn wanted(person: &Person, refresh: bool, have: &HashSet<i64>) -> bool {
    person.consent != Consent::NoTag && (refresh || !have.contains(&person.id))
}

/// Downloads the avatars of `people` (see [`to_fetch`]) and keeps those that are pictures.
pub fn fetch(
    library: &Library,
    people: &[Person],
    downloader: &Downloader,
    models: &AvatarModels<'_>,
    cancel: &CancelToken,
    sink: &dyn ProgressSink<AvatarProgress>,
) -> Result<AvatarReport, AvatarsError> {
    // Checked again here, whoever built the list: a no-tag attendee is never asked about.
    let people: Vec<&Person> = people
        .iter()
        .filter(|p| p.consent != Consent::NoTag)
        .collect();
    let work: Vec<(&Person, Option<&Path>)> = people.iter().map(|&p| (p, None)).collect();
    let outcomes = in_parallel(&work, cancel, sink, |person, _| {
        let bytes = downloader.get(&person.login)?;
        picture::prepare(&bytes, models.detector, models.embedder)
    });
    let mut report = AvatarReport::default();
    keep(library, AvatarSource::Github, outcomes, &mut report)?;
    report.cancelled = cancel.is_cancelled();
    Ok(report)
}

/// Imports `LOGIN.jpg|png|webp` pictures from `dir` as the avatars of those attendees.
pub fn import(
    library: &Library,
    dir: &Path,
    models: &AvatarModels<'_>,
    cancel: &CancelToken,
    sink: &dyn ProgressSink<AvatarProgress>,
) -> Result<AvatarReport, AvatarsError> {
    let pictures = folder::pictures(dir).map_err(|source| AvatarsError::Folder {
        path: dir.display().to_string(),
        source,
    })?;
    let roster = library.catalog()?.people()?;
    let mut report = AvatarReport::default();
    let mut found: Vec<(Person, PathBuf)> = Vec::new();
    for (login, path) in pictures {
        match roster.iter().find(|p| p.login.eq_ignore_ascii_case(&login)) {
            None => report
                .failed
                .push(failure(&login, &AvatarError::NotInRoster)),
            Some(p) if p.consent == Consent::NoTag => {
                report.failed.push(failure(&p.login, &AvatarError::NoTag))
            }
            Some(p) => found.push((p.clone(), path)),
        }
    }
    let work: Vec<(&Person, Option<&Path>)> = found
        .iter()
        .map(|(p, path)| (p, Some(path.as_path())))
        .collect();
    let outcomes = in_parallel(&work, cancel, sink, |_, path| {
        let bytes = read_bounded(path.unwrap_or(Path::new("")))?;
        picture::prepare(&bytes, models.detector, models.embedder)
    });
    keep(library, AvatarSource::Folder, outcomes, &mut report)?;
    report.cancelled = cancel.is_cancelled();
    Ok(report)
}

/// Where the picture of an avatar listed in the catalog is.
pub fn path(library: &Library, file: &str) -> PathBuf {
    path_in(library.root(), file)
}

/// Where the picture `file` of the library at `root` is.
pub fn path_in(root: &Path, file: &str) -> PathBuf {
    root.join(FOLDER).join(file)
}

/// A person's avatar as kept in the library: the JPEG, and the hash its address names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub jpeg: Vec<u8>,
    pub hash: String,
}

/// A person's avatar as kept in the library (served to the window like a thumbnail, one
/// request per card: a pooled read); `None` when they have none.
pub fn picture(library: &Library, person_id: i64) -> Result<Option<Picture>, AvatarsError> {
    let Some((file, hash)) = library.read(|c| c.avatar_kept(person_id))? else {
        return Ok(None);
    };
    let path = path(library, &file);
    let jpeg = std::fs::read(&path).map_err(|source| AvatarsError::Store {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Some(Picture { jpeg, hash }))
}

/// What a download would ask GitHub for, said before it starts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AvatarPlan {
    /// Attendees whose avatar would be requested, one request each.
    pub logins: u32,
    /// Attendees left out because they asked not to be tagged.
    pub no_tag: u32,
    /// The server asked (`github.com`, or the test server).
    pub host: String,
}

pub fn plan(library: &Library, refresh: bool) -> Result<AvatarPlan, AvatarsError> {
    let catalog = library.catalog()?;
    let have = have_avatar(&catalog)?;
    let people = catalog.people()?;
    Ok(AvatarPlan {
        logins: people.iter().filter(|p| wanted(p, refresh, &have)).count() as u32,
        no_tag: people
            .iter()
            .filter(|p| p.consent == Consent::NoTag)
            .count() as u32,
        host: download::host()?,
    })
}

type Outcome<'p> = (&'p Person, Result<picture::Prepared, AvatarError>);

/// Runs `one` for each attendee (with their picture's path, for a folder), a few at a time.
fn in_parallel<'p>(
    work: &[(&'p Person, Option<&Path>)],
    cancel: &CancelToken,
    sink: &dyn ProgressSink<AvatarProgress>,
    one: impl Fn(&Person, Option<&Path>) -> Result<picture::Prepared, AvatarError> + Sync,
) -> Vec<Outcome<'p>> {
    let total = work.len() as u64;
    let done = AtomicU64::new(0);
    sink.progress(&AvatarProgress {
        done: 0,
        total,
        current: None,
    });
    let run = || {
        work.par_iter()
            .map(|&(person, path)| {
                let outcome = if cancel.is_cancelled() {
                    Err(AvatarError::Cancelled)
                } else {
                    one(person, path)
                };
                sink.progress(&AvatarProgress {
                    done: done.fetch_add(1, Ordering::Relaxed) + 1,
                    total,
                    current: Some(person.login.clone()),
                });
                (person, outcome)
            })
            .collect()
    };
    match rayon::ThreadPoolBuilder::new().num_threads(AT_ONCE).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Saves each picture and its row; a failure is the attendee's line in the report.
fn keep(
    library: &Library,
    source: AvatarSource,
    outcomes: Vec<Outcome<'_>>,
    report: &mut AvatarReport,
) -> Result<(), AvatarsError> {
    let folder = library.root().join(FOLDER);
    std::fs::create_dir_all(&folder).map_err(|source| AvatarsError::Store {
        path: folder.display().to_string(),
        source,
    })?;
    let mut catalog = library.catalog()?;
    let mut stored = Vec::new();
    for (person, outcome) in outcomes {
        let prepared = match outcome {
            Ok(p) => p,
            Err(AvatarError::Cancelled) => continue,
            Err(e) => {
                report.failed.push(failure(&person.login, &e));
                continue;
            }
        };
        let file = format!("{}.jpg", person.id);
        if let Err(e) = save(&folder.join(&file), &prepared.jpeg) {
            report.failed.push(failure(&person.login, &e));
            continue;
        }
        let record = AvatarRecord {
            person_id: person.id,
            source,
            file,
            hash: prepared.hash,
            face: prepared.face,
            region: prepared.region,
            embedding: prepared.embedding.map(|v| (MODEL_VERSION.to_string(), v)),
        };
        let kept = journal::KeptAvatar {
            login: &person.login,
            sha256: format!("{:x}", Sha256::digest(&prepared.jpeg)),
            source,
            face: record.face,
            region: record.region,
            embedding: record.embedding.clone(),
        };
        catalog.write(|w| {
            w.store_avatar(&record)?;
            journal::avatar_kept(w, &kept)
        })?;
        stored.push(person.id);
        if record.face == AvatarFace::One {
            report.with_face += 1;
        }
        match source {
            AvatarSource::Github => report.fetched += 1,
            AvatarSource::Folder => report.imported += 1,
        }
    }
    catalog.write(|w| suggestions::avatars_changed(w, &stored))?;
    Ok(())
}

/// A teammate's avatar, as their record and picture say.
pub struct SharedAvatar {
    pub sha256: String,
    pub source: AvatarSource,
    pub face: AvatarFace,
    pub region: Option<crate::region::Region>,
    /// (model version, embedding bytes) of its one face.
    pub embedding: Option<(String, Vec<u8>)>,
}

/// Keeps a teammate's avatar for `person_id` in the library at `root`: decoded with the same
/// bounds as any photo and kept as a JPEG (a hostile file is never kept as it came), with what
/// their face search saw in it and its embedding (only under this build's model version, else
/// none: it is then not used until avatars are got again here). The outer error is the
/// library's; the inner one this picture's.
pub fn keep_from_team(
    w: &crate::catalog::Writer<'_>,
    root: &Path,
    person_id: i64,
    bytes: &[u8],
    shared: SharedAvatar,
) -> Result<Result<(), AvatarError>, CatalogError> {
    let image = match crate::imaging::PhotoFile::from_bytes(
        Path::new("avatar.jpg"),
        bytes.to_vec(),
        crate::imaging::Orientation::Normal,
    )
    .and_then(|file| file.decode_displayed(picture::SIDE))
    .and_then(|image| crate::imaging::encode_jpeg(&image, 90))
    {
        Ok(jpeg) => jpeg,
        Err(e) => return Ok(Err(AvatarError::Picture(e))),
    };
    let folder = root.join(FOLDER);
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return Ok(Err(AvatarError::Save(e)));
    }
    let file = format!("{person_id}.jpg");
    if let Err(e) = save(&folder.join(&file), &image) {
        return Ok(Err(e));
    }
    let embedding = shared
        .embedding
        .filter(|(model, _)| model == MODEL_VERSION && shared.face == AvatarFace::One);
    w.store_avatar(&AvatarRecord {
        person_id,
        source: shared.source,
        file,
        hash: shared.sha256,
        face: shared.face,
        region: shared.region,
        embedding,
    })?;
    suggestions::avatars_changed(w, &[person_id])?;
    Ok(Ok(()))
}

/// Written beside, then renamed: a reader never sees half a picture.
fn save(path: &Path, bytes: &[u8]) -> Result<(), AvatarError> {
    crate::atomic_file::write(path, bytes, crate::atomic_file::Durability::Replaceable)
        .map_err(AvatarError::Save)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, AvatarError> {
    let read = |source| AvatarError::Read {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_BYTES {
        return Err(AvatarError::TooLarge { limit: MAX_BYTES });
    }
    std::fs::read(path).map_err(read)
}

fn failure(login: &str, error: &AvatarError) -> AvatarFailure {
    AvatarFailure {
        login: login.to_string(),
        error: error.to_string(),
    }
}
