//! `whoiswho export gallery OUT_DIR`: a static site that works from disk (`file://`) and on any
//! static host: an index grid, a page per photo (faces lit on hover, names linking to GitHub),
//! a people page and a page per person. Every page and image is local to the folder: no CDN,
//! fonts or avatars from elsewhere. A re-export rewrites only what changed: images are keyed by
//! what they are made from, pages are compared with what is on disk.

use std::collections::HashMap;
use std::path::Path;

use minijinja::{context, Environment};
use rayon::prelude::*;
use serde::Serialize;

use super::figure::{default_alt, default_caption};
use super::output::{ManifestError, Output};
use super::{write_file, ExportError};
use crate::catalog::Person;
use crate::claims::{link, FaceRef};
use crate::imaging::{self, ThumbnailSize};
use crate::library::{FailedFile, Library};
use crate::login::profile_url;
use crate::publication::{Named, PhotoPublication, Publication};
use crate::region::Region;

/// A file of the gallery's templates, CSS or JS: tracked in `assets/gallery/`, built into the
/// binary so an export needs nothing beside it.
macro_rules! gallery_asset {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/gallery/",
            $name
        ))
    };
}

/// Long side of a photo page's image, and of a grid thumbnail.
const IMAGE_SIDE: u32 = 2000;
const THUMB_SIDE: u32 = 480;
/// Bumped when the way images are made changes, so a re-export remakes them.
const IMAGE_VERSION: u32 = 1;
const MANIFEST: &str = ".whoiswho-gallery.json";

/// What a gallery export did (the JSON of `whoiswho export gallery`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GalleryReport {
    pub folder: String,
    pub photos: u64,
    pub people: u64,
    /// Files written this time; the rest were already up to date.
    pub written: u64,
    pub unchanged: u64,
    /// Files of an earlier export that no longer belong (a photo removed, say).
    pub removed: u64,
    /// Heads blurred because their attendee chose `no-publish`.
    pub blurred: u64,
    /// Photos left out and face crops left off, with why.
    pub failed: Vec<FailedFile>,
    /// With claim links: the issue template, written beside the gallery (not inside the folder
    /// that gets published) for the organizer to commit to the repository.
    pub claims_template: Option<String>,
    /// With claim links: what the organizer does in the repository before publishing (commit
    /// the template, create the label).
    pub claims_setup: Vec<String>,
}

#[derive(Serialize)]
struct FaceLink {
    number: u32,
    login: String,
    name: String,
    label: String,
    url: String,
    person_page: String,
    x: String,
    y: String,
    w: String,
    h: String,
}

#[derive(Serialize, Clone)]
struct PhotoCard {
    page: String,
    thumb: String,
    thumb_w: u32,
    thumb_h: u32,
    alt: String,
}

/// A face's "Who is this?" / "Not @login?" link to a prefilled issue in the event's repository.
#[derive(Serialize)]
struct ClaimLink {
    url: String,
    label: String,
    /// Where the face is, in words ("back row, 3rd from left"): the link's own title.
    title: String,
}

/// A face on the photo a visitor can point at, focus or tap: its box, and the label shown for
/// it alone (its name, its claim link).
#[derive(Serialize)]
struct Spot {
    /// The legend's number, for a named face.
    number: Option<u32>,
    /// "Kevin Wang (@kevin-wangzefeng)", for a named face.
    label: Option<String>,
    url: Option<String>,
    claim: Option<ClaimLink>,
    /// What a screen reader says for the box.
    hit: String,
    x: String,
    y: String,
    w: String,
    h: String,
}

#[derive(Serialize)]
struct PhotoPage {
    id: i64,
    page: String,
    image: String,
    width: u32,
    height: u32,
    caption: String,
    alt: String,
    people: Vec<FaceLink>,
    spots: Vec<Spot>,
    /// Whether visitors may answer who a face is.
    claims: bool,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct PersonPage {
    login: String,
    name: String,
    initial: String,
    affiliation: Option<String>,
    url: String,
    page: String,
    crop: Option<String>,
    photos: Vec<PhotoCard>,
}

fn templates() -> Result<Environment<'static>, ExportError> {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", gallery_asset!("base.html")),
        ("index.html", gallery_asset!("index.html")),
        ("photo.html", gallery_asset!("photo.html")),
        ("people.html", gallery_asset!("people.html")),
        ("person.html", gallery_asset!("person.html")),
    ] {
        env.add_template(name, source)
            .map_err(|e| ExportError::Template(e.to_string()))?;
    }
    Ok(env)
}

fn pct(v: f64) -> String {
    format!("{:.3}", (v * 100.0).clamp(0.0, 100.0))
}

/// Width and height of a page image, then of its thumbnail.
type Sizes = (u32, u32, u32, u32);

/// One photo to put in the gallery, with what its image is made from.
struct Planned {
    id: i64,
    path: String,
    hash: String,
    published: PhotoPublication,
    image: String,
    thumb: String,
    key: String,
}

/// Something of the gallery that could not be made; the rest of the gallery still is.
enum Failure {
    /// A photo's image: the photo is left out (no page, no card).
    Photo { path: String, error: ExportError },
    /// A person's face crop: their pages are written without it.
    Crop { login: String, error: ExportError },
    /// The list of what the last export wrote: every file is written anew instead.
    Manifest { error: ManifestError },
}

impl Failure {
    fn into_failed_file(self) -> FailedFile {
        match self {
            Self::Photo { path, error } => FailedFile {
                path,
                error: error.to_string(),
            },
            Self::Crop { login, error } => FailedFile {
                path: format!("faces/{}.jpg", login.to_lowercase()),
                error: format!("face crop of @{login}: {error} (their page has no crop)"),
            },
            Self::Manifest { error } => FailedFile {
                path: MANIFEST.to_string(),
                error: format!(
                    "the list of files the last export wrote {error}: every file was written anew, and files of that export that are no longer part of the gallery were left in place"
                ),
            },
        }
    }
}

/// A photo's page and its card in grids, once its images exist.
struct PhotoEntry {
    card: PhotoCard,
    page: PhotoPage,
}

pub fn export_gallery(
    library: &Library,
    out: &Path,
    title: Option<&str>,
    claims_repo: Option<&str>,
) -> Result<GalleryReport, ExportError> {
    let claims_repo = claims_repo
        .map(|r| link::parse_repo(r).ok_or_else(|| ExportError::Repo(r.to_string())))
        .transpose()?;
    if let Some((owner, repo)) = &claims_repo {
        // The event's repository from now on: imported answers are checked against it.
        library
            .catalog()?
            .write(|w| w.set_event_repository(Some(&format!("{owner}/{repo}"))))?;
    }
    let (mut o, trouble) = Output::open(out, MANIFEST, is_ours)?;
    let trouble = trouble.map(|error| Failure::Manifest { error });
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("Event photos")
        .to_string();
    let publication = Publication::load(library)?;
    let mut failures: Vec<Failure> = trouble.into_iter().collect();
    let planned = plan(library, &publication)?;
    let sizes = make_images(library, &mut o, &planned, &mut failures);
    let photos = photo_entries(&planned, &sizes, &title, claims_repo.as_ref());
    let persons = person_entries(library, &mut o, &publication, &photos, &mut failures)?;
    write_pages(&mut o, &title, &photos, &persons, claims_repo.as_ref())?;
    let removed = o.finish()?.removed;
    let (claims_template, claims_setup) = match &claims_repo {
        Some(repo) => {
            let (path, setup) = write_claims_template(out, repo)?;
            (Some(path), setup)
        }
        None => (None, Vec::new()),
    };
    Ok(GalleryReport {
        folder: out.display().to_string(),
        photos: photos.len() as u64,
        people: persons.len() as u64,
        written: o.written,
        unchanged: o.unchanged,
        removed,
        blurred: planned
            .iter()
            .filter(|p| sizes.contains_key(&p.id))
            .map(|p| p.published.blurred().len() as u64)
            .sum(),
        failed: failures
            .into_iter()
            .map(Failure::into_failed_file)
            .collect(),
        claims_template,
        claims_setup,
    })
}

/// Writes the issue template beside the gallery (`GALLERY.whoiswho-claim.md`: the gallery folder
/// is what gets published, the template belongs to the repository) and says what the organizer
/// does with it.
fn write_claims_template(
    out: &Path,
    (owner, repo): &(String, String),
) -> Result<(String, Vec<String>), ExportError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gallery".into());
    let path = out
        .parent()
        .unwrap_or(out)
        .join(format!("{name}.{}", link::TEMPLATE_NAME));
    let text = link::template();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        write_file(&path, text.as_bytes())?;
    }
    let shown = path.display().to_string();
    let setup = vec![
        format!(
            "commit {shown} to {owner}/{repo} as {}: it labels every answer",
            link::TEMPLATE_PATH
        ),
        format!(
            "create the label {} in {owner}/{repo} before you publish (GitHub drops a template's label that does not exist): gh label create {} --repo {owner}/{repo}, or Issues → Labels → New label",
            link::LABEL, link::LABEL
        ),
    ];
    Ok((shown, setup))
}

/// Every photo: what it publishes, and the key of its image (content, blurred heads, size).
fn plan(library: &Library, publication: &Publication) -> Result<Vec<Planned>, ExportError> {
    let photos = library.read(|c| c.photo_summaries())?;
    let mut planned = Vec::with_capacity(photos.len());
    for p in photos {
        let (hash, faces) =
            library.read(|c| Ok((c.photo_hash(p.id)?.unwrap_or_default(), c.faces(p.id)?)))?;
        let published = publication.photo(&faces);
        let blur: Vec<String> = published
            .blurred()
            .iter()
            .map(|r| format!("{:.5}{:.5}{:.5}{:.5}", r.x, r.y, r.w, r.h))
            .collect();
        let key = blake3::hash(
            format!(
                "{IMAGE_VERSION}|{hash}|{IMAGE_SIDE}|{THUMB_SIDE}|{}",
                blur.join(";")
            )
            .as_bytes(),
        )
        .to_hex()
        .to_string();
        planned.push(Planned {
            id: p.id,
            hash,
            path: p.path,
            published,
            image: format!("img/{}.jpg", p.id),
            thumb: format!("img/{}-t.jpg", p.id),
            key,
        });
    }
    Ok(planned)
}

/// Page images and thumbnails, in parallel, remade only when their inputs changed. Returns
/// the sizes of every photo whose images exist; the others are in `failures`.
fn make_images(
    library: &Library,
    o: &mut Output<'_>,
    planned: &[Planned],
    failures: &mut Vec<Failure>,
) -> HashMap<i64, Sizes> {
    let mut sizes: HashMap<i64, Sizes> = HashMap::new();
    let mut todo: Vec<&Planned> = Vec::new();
    for p in planned {
        match kept_sizes(o, p) {
            Some(kept) => {
                sizes.insert(p.id, kept);
                o.unchanged += 2;
            }
            None => todo.push(p),
        }
    }
    let made: Vec<(&Planned, Result<Sizes, ExportError>)> = todo
        .par_iter()
        .map(|p| (*p, make_photo_images(library, o.dir, p)))
        .collect();
    for (p, result) in made {
        match result {
            Ok(s) => {
                sizes.insert(p.id, s);
                o.written += 2;
            }
            Err(error) => failures.push(Failure::Photo {
                path: p.path.clone(),
                error,
            }),
        }
    }
    for p in planned.iter().filter(|p| sizes.contains_key(&p.id)) {
        o.keep(&p.image, &p.key);
        o.keep(&p.thumb, &p.key);
    }
    sizes
}

/// The sizes of a photo's images the last export wrote, when they are still what this one
/// would write and can be read; `None` means they are made again.
fn kept_sizes(o: &Output<'_>, p: &Planned) -> Option<Sizes> {
    if o.stale(&p.image, &p.key) || o.stale(&p.thumb, &p.key) {
        return None;
    }
    let dims = |name: &str| image::image_dimensions(o.dir.join(name)).ok();
    let ((w, h), (tw, th)) = (dims(&p.image)?, dims(&p.thumb)?);
    Some((w, h, tw, th))
}

fn person_page(login: &str) -> String {
    format!("person-{}.html", login.to_lowercase())
}

/// A page and a card for every photo whose images exist, in library order.
fn photo_entries(
    planned: &[Planned],
    sizes: &HashMap<i64, Sizes>,
    gallery: &str,
    claims_repo: Option<&(String, String)>,
) -> Vec<PhotoEntry> {
    let shown: Vec<&Planned> = planned
        .iter()
        .filter(|p| sizes.contains_key(&p.id))
        .collect();
    shown
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (w, h, tw, th) = sizes[&p.id];
            let named = p.published.people();
            let faces = p.published.visible();
            let alt = default_alt(&named, faces, p.published.posed);
            let page = format!("photo-{}.html", p.id);
            let people = p
                .published
                .named
                .iter()
                .enumerate()
                .map(|(n, (who, r))| face_link(n as u32 + 1, who, r))
                .collect();
            PhotoEntry {
                card: PhotoCard {
                    page: page.clone(),
                    thumb: p.thumb.clone(),
                    thumb_w: tw,
                    thumb_h: th,
                    alt: alt.clone(),
                },
                page: PhotoPage {
                    id: p.id,
                    page,
                    image: p.image.clone(),
                    width: w,
                    height: h,
                    caption: default_caption(&named, faces, p.published.posed, None),
                    alt,
                    people,
                    spots: spots(p, i + 1, gallery, claims_repo),
                    claims: claims_repo.is_some(),
                    prev: (i > 0).then(|| format!("photo-{}.html", shown[i - 1].id)),
                    next: shown.get(i + 1).map(|n| format!("photo-{}.html", n.id)),
                },
            }
        })
        .collect()
}

/// A spot per named face, and with claim links per face visitors may be asked about:
/// "Who is this?" on an unnamed one, "Not @login?" on a named one. A blurred face, or one an
/// answer asks privacy for, gets none.
fn spots(
    p: &Planned,
    number: usize,
    gallery: &str,
    claims_repo: Option<&(String, String)>,
) -> Vec<Spot> {
    let order = p.published.in_reading_order();
    let rows = order.iter().filter_map(|f| f.row).max().unwrap_or(0);
    let numbers: HashMap<i64, u32> = order
        .iter()
        .filter(|f| f.person.is_some())
        .enumerate()
        .map(|(n, f)| (f.face_id, n as u32 + 1))
        .collect();
    order
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let place = link::FacePlace {
                gallery: gallery.to_string(),
                photo: number,
                row: f.row.map(|r| (r, rows)),
                from_left: order[..i].iter().filter(|o| o.row == f.row).count() + 1,
            };
            let named = f.person.as_ref();
            let claim = claims_repo.filter(|_| f.claimable).map(|(owner, repo)| {
                let face = FaceRef {
                    hash: p.hash.clone(),
                    region: f.region,
                };
                let login = named.map(|n| n.login.as_str());
                ClaimLink {
                    url: link::new_issue_url(owner, repo, &face, &place, login),
                    label: login
                        .map_or_else(|| "Who is this?".to_string(), |l| format!("Not @{l}?")),
                    title: place.face_words(),
                }
            });
            if named.is_none() && claim.is_none() {
                return None;
            }
            let r = f.region;
            Some(Spot {
                number: numbers.get(&f.face_id).copied(),
                label: named.map(|n| n.label()),
                url: named.map(|n| profile_url(&n.login)),
                hit: match named {
                    Some(n) => format!("{} ({})", n.label(), place.face_words()),
                    None => format!("Unnamed face, {}: who is this?", place.face_words()),
                },
                claim,
                x: pct(r.x),
                y: pct(r.y),
                w: pct(r.w),
                h: pct(r.h),
            })
        })
        .collect()
}

fn face_link(number: u32, who: &Named, r: &Region) -> FaceLink {
    let name = who.name.clone().unwrap_or_else(|| who.login.clone());
    FaceLink {
        number,
        label: format!("{name} (@{})", who.login),
        url: profile_url(&who.login),
        person_page: person_page(&who.login),
        login: who.login.clone(),
        name,
        x: pct(r.x),
        y: pct(r.y),
        w: pct(r.w),
        h: pct(r.h),
    }
}

/// A page for every person who may be named and is on a shown photo, most photographed first,
/// with their best face's crop when it can be made (a crop that fails is reported, and the
/// page is written without it).
fn person_entries(
    library: &Library,
    o: &mut Output<'_>,
    publication: &Publication,
    photos: &[PhotoEntry],
    failures: &mut Vec<Failure>,
) -> Result<Vec<PersonPage>, ExportError> {
    let mut cards: HashMap<String, Vec<PhotoCard>> = HashMap::new();
    for entry in photos {
        for link in &entry.page.people {
            cards
                .entry(link.login.to_lowercase())
                .or_default()
                .push(entry.card.clone());
        }
    }
    let mut listed: Vec<&Person> = publication.publishable_people().collect();
    listed.sort_by(|a, b| {
        b.photos
            .cmp(&a.photos)
            .then(a.login.to_lowercase().cmp(&b.login.to_lowercase()))
    });
    let mut persons = Vec::new();
    for person in listed {
        let Some(photos_of) = cards.remove(&person.login.to_lowercase()) else {
            continue;
        };
        let crop = match person.best_face {
            Some(face) => match face_crop(library, o, &person.login, face) {
                Ok(name) => Some(name),
                Err(error) => {
                    failures.push(Failure::Crop {
                        login: person.login.clone(),
                        error,
                    });
                    None
                }
            },
            None => None,
        };
        let name = person.name.clone().unwrap_or_else(|| person.login.clone());
        persons.push(PersonPage {
            initial: name
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default(),
            login: person.login.clone(),
            name,
            affiliation: person.affiliation.clone(),
            url: profile_url(&person.login),
            page: person_page(&person.login),
            crop,
            photos: photos_of,
        });
    }
    Ok(persons)
}

/// Writes (or keeps) `faces/LOGIN.jpg` from the person's best face; returns its name.
fn face_crop(
    library: &Library,
    o: &mut Output<'_>,
    login: &str,
    face: i64,
) -> Result<String, ExportError> {
    let name = format!("faces/{}.jpg", login.to_lowercase());
    let region = library
        .read(|c| c.face_on_photo(face))?
        .map(|f| f.face.region());
    let key = blake3::hash(format!("{face}|{region:?}").as_bytes())
        .to_hex()
        .to_string();
    if o.stale(&name, &key) {
        let bytes = library.face_crop(face).map_err(ExportError::Rendition)?;
        write_file(&o.dir.join(&name), &bytes)?;
        o.written += 1;
    } else {
        o.unchanged += 1;
    }
    o.keep(&name, &key);
    Ok(name)
}

/// The index, photo, people and person pages, and the site's CSS and JS.
fn write_pages(
    o: &mut Output<'_>,
    title: &str,
    photos: &[PhotoEntry],
    persons: &[PersonPage],
    claims_repo: Option<&(String, String)>,
) -> Result<(), ExportError> {
    let env = templates()?;
    let render = |name: &str, ctx: minijinja::Value| -> Result<String, ExportError> {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| ExportError::Template(e.to_string()))
    };
    let site = context! {
        title => title,
        photo_count => photos.len(),
        people_count => persons.len(),
        claims_repo => claims_repo.map(|(o, r)| format!("{o}/{r}")),
    };
    let index_cards: Vec<&PhotoCard> = photos.iter().map(|e| &e.card).collect();
    o.text(
        "index.html",
        &render(
            "index.html",
            context! { site => &site, photos => index_cards },
        )?,
    )?;
    for entry in photos {
        o.text(
            &entry.page.page,
            &render(
                "photo.html",
                context! { site => &site, photo => &entry.page },
            )?,
        )?;
    }
    o.text(
        "people.html",
        &render("people.html", context! { site => &site, people => persons })?,
    )?;
    for person in persons {
        o.text(
            &person.page,
            &render("person.html", context! { site => &site, person => person })?,
        )?;
    }
    o.text("style.css", gallery_asset!("style.css"))?;
    o.text("gallery.js", gallery_asset!("gallery.js"))?;
    Ok(())
}

/// A manifest entry names one of our files: a plain relative name in our own layout, never a
/// path that could leave the folder, however the manifest was edited.
fn is_ours(name: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && !s.starts_with('.')
    };
    if name == link::TEMPLATE_PATH {
        return true;
    }
    match name.split_once('/') {
        None => plain(name),
        Some((dir, file)) => (dir == "img" || dir == "faces") && plain(file),
    }
}

/// The page image (2000 px, heads of `no-publish` attendees blurred) and its thumbnail, from
/// the cached preview when there is one (fast), else from the original.
fn make_photo_images(library: &Library, out: &Path, p: &Planned) -> Result<Sizes, ExportError> {
    let preview = library
        .thumbnail(p.id, ThumbnailSize::Preview)
        .map_err(ExportError::Rendition)?;
    let imaging_err = |source| ExportError::Imaging {
        path: format!("photo {}", p.id),
        source,
    };
    let img = imaging::decode_at_least(&preview, imaging::ImageFormat::Jpeg, IMAGE_SIDE)
        .map_err(imaging_err)?;
    let mut img = imaging::fit_within(img, IMAGE_SIDE).map_err(imaging_err)?;
    imaging::blur_heads(&mut img, &p.published.blurred());
    let thumb = imaging::fit_within(img.clone(), THUMB_SIDE).map_err(imaging_err)?;
    write_file(
        &out.join(&p.image),
        &imaging::encode_jpeg(&img, 85).map_err(imaging_err)?,
    )?;
    write_file(
        &out.join(&p.thumb),
        &imaging::encode_jpeg(&thumb, 80).map_err(imaging_err)?,
    )?;
    Ok((img.width(), img.height(), thumb.width(), thumb.height()))
}
