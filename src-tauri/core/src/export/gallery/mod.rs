//! `whoiswho export gallery OUT_DIR`: a static site that works from disk (`file://`) and on any
//! static host: an index grid, a page per photo (faces lit on hover, names linking to GitHub),
//! a people page and a page per person. Every page and image is local to the folder: no CDN,
//! fonts or avatars from elsewhere. A re-export rewrites only what changed: images are keyed by
//! what they are made from, pages are compared with what is on disk.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use minijinja::{context, Environment};
use rayon::prelude::*;
use serde::Serialize;

use super::figure::{default_alt, default_caption, people_in, Named, PeopleOnPhoto};
use super::{write_file, ExportError};
use crate::faces::Region;
use crate::imaging::{self, ThumbnailSize};
use crate::library::Library;
use crate::people::{profile_url, Consent};

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
    pub failed: Vec<crate::library::FailedFile>,
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
        ("base.html", include_str!("base.html")),
        ("index.html", include_str!("index.html")),
        ("photo.html", include_str!("photo.html")),
        ("people.html", include_str!("people.html")),
        ("person.html", include_str!("person.html")),
    ] {
        env.add_template(name, source)
            .map_err(|e| ExportError::Template(e.to_string()))?;
    }
    Ok(env)
}

fn pct(v: f64) -> String {
    format!("{:.3}", (v * 100.0).clamp(0.0, 100.0))
}

/// Output files and the key of what each was made from, for incremental re-export.
#[derive(Default, Serialize, serde::Deserialize)]
struct Manifest {
    files: BTreeMap<String, String>,
}

struct Output<'a> {
    dir: &'a Path,
    old: Manifest,
    new: Manifest,
    written: u64,
    unchanged: u64,
}

impl Output<'_> {
    /// Writes a page or asset unless the same bytes are already there.
    fn text(&mut self, name: &str, content: &str) -> Result<(), ExportError> {
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
    fn stale(&self, name: &str, key: &str) -> bool {
        self.old.files.get(name).map(String::as_str) != Some(key) || !self.dir.join(name).is_file()
    }
}

/// Width and height of a page image, then of its thumbnail.
type Sizes = (u32, u32, u32, u32);

/// One photo to put in the gallery, with what its image is made from.
struct Planned {
    id: i64,
    people: PeopleOnPhoto,
    image: String,
    thumb: String,
    key: String,
}

pub fn export_gallery(
    library: &Library,
    out: &Path,
    title: Option<&str>,
) -> Result<GalleryReport, ExportError> {
    fs::create_dir_all(out).map_err(|source| ExportError::Folder {
        path: out.display().to_string(),
        source,
    })?;
    let old: Manifest = fs::read(out.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut o = Output {
        dir: out,
        old,
        new: Manifest::default(),
        written: 0,
        unchanged: 0,
    };
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("Event photos")
        .to_string();
    let (photos, people) = library.read(|c| Ok((c.photo_summaries()?, c.people()?)))?;
    let mut report = GalleryReport {
        folder: out.display().to_string(),
        ..GalleryReport::default()
    };

    // Plan every photo: who is on it, and the key of its image (content, blurred heads, size).
    let private: HashSet<String> = people
        .iter()
        .filter(|p| p.consent == Consent::NoPublish)
        .map(|p| p.login.to_lowercase())
        .collect();
    let mut planned = Vec::new();
    for p in &photos {
        let (hash, faces) =
            library.read(|c| Ok((c.photo_hash(p.id)?.unwrap_or_default(), c.faces(p.id)?)))?;
        let people = people_in(&faces, &private);
        let blur: Vec<String> = people
            .blur
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
            people,
            image: format!("img/{}.jpg", p.id),
            thumb: format!("img/{}-t.jpg", p.id),
            key,
        });
    }

    // Images, in parallel: only those whose inputs changed.
    let todo: Vec<&Planned> = planned
        .iter()
        .filter(|p| o.stale(&p.image, &p.key) || o.stale(&p.thumb, &p.key))
        .collect();
    let made: Vec<(i64, Result<Sizes, String>)> = todo
        .par_iter()
        .map(|p| {
            (
                p.id,
                make_images(library, out, p).map_err(|e| e.to_string()),
            )
        })
        .collect();
    let mut sizes: HashMap<i64, Sizes> = HashMap::new();
    for (id, result) in made {
        match result {
            Ok(s) => {
                sizes.insert(id, s);
                o.written += 2;
            }
            Err(e) => report.failed.push(crate::library::FailedFile {
                path: format!("photo {id}"),
                error: e,
            }),
        }
    }
    let failed_ids: HashSet<i64> = report
        .failed
        .iter()
        .filter_map(|f| f.path.strip_prefix("photo ")?.parse().ok())
        .collect();
    for p in &planned {
        if failed_ids.contains(&p.id) {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = sizes.entry(p.id) {
            // Up to date on disk: read the sizes from the files' headers.
            let dims = |name: &str| image::image_dimensions(out.join(name)).ok();
            match (dims(&p.image), dims(&p.thumb)) {
                (Some((w, h)), Some((tw, th))) => {
                    slot.insert((w, h, tw, th));
                }
                _ => continue,
            }
            o.unchanged += 2;
        }
        o.new.files.insert(p.image.clone(), p.key.clone());
        o.new.files.insert(p.thumb.clone(), p.key.clone());
    }
    let planned: Vec<&Planned> = planned
        .iter()
        .filter(|p| sizes.contains_key(&p.id))
        .collect();

    // People who may be named: roster order, `no-publish` left out entirely.
    let publishable: HashMap<String, &crate::catalog::Person> = people
        .iter()
        .filter(|p| p.consent != Consent::NoPublish)
        .map(|p| (p.login.to_lowercase(), p))
        .collect();
    let person_page = |login: &str| format!("person-{}.html", login.to_lowercase());
    let mut pages = Vec::new();
    let mut cards: HashMap<String, Vec<PhotoCard>> = HashMap::new();
    for (i, p) in planned.iter().enumerate() {
        let (w, h, tw, th) = sizes[&p.id];
        let named: Vec<Named> = p.people.named.iter().map(|(n, _)| n.clone()).collect();
        let caption = default_caption(&named, p.people.faces, None);
        let alt = default_alt(&named, p.people.faces);
        let page = format!("photo-{}.html", p.id);
        let links: Vec<FaceLink> = p
            .people
            .named
            .iter()
            .enumerate()
            .map(|(n, (who, r)): (usize, &(Named, Region))| {
                let name = who.name.clone().unwrap_or_else(|| who.login.clone());
                FaceLink {
                    number: n as u32 + 1,
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
            })
            .collect();
        let card = PhotoCard {
            page: page.clone(),
            thumb: p.thumb.clone(),
            thumb_w: tw,
            thumb_h: th,
            alt: alt.clone(),
        };
        for l in &links {
            cards
                .entry(l.login.to_lowercase())
                .or_default()
                .push(card.clone());
        }
        report.blurred += p.people.blur.len() as u64;
        pages.push((
            card,
            PhotoPage {
                id: p.id,
                page,
                image: p.image.clone(),
                width: w,
                height: h,
                caption,
                alt,
                people: links,
                prev: (i > 0).then(|| format!("photo-{}.html", planned[i - 1].id)),
                next: planned.get(i + 1).map(|n| format!("photo-{}.html", n.id)),
            },
        ));
    }

    // Face crops for the people page, from each person's best face.
    let mut persons = Vec::new();
    let mut listed: Vec<&&crate::catalog::Person> = publishable.values().collect();
    listed.sort_by(|a, b| {
        b.photos
            .cmp(&a.photos)
            .then(a.login.to_lowercase().cmp(&b.login.to_lowercase()))
    });
    for person in listed {
        let key = person.login.to_lowercase();
        let photos_of = cards.remove(&key).unwrap_or_default();
        if photos_of.is_empty() {
            continue;
        }
        let crop = match person.best_face {
            Some(face) => {
                let name = format!("faces/{key}.jpg");
                let region = library
                    .read(|c| c.face_on_photo(face))?
                    .map(|f| f.face.region());
                let crop_key = format!("{face}|{region:?}");
                let crop_key = blake3::hash(crop_key.as_bytes()).to_hex().to_string();
                if o.stale(&name, &crop_key) {
                    match library.face_crop(face) {
                        Ok(bytes) => {
                            write_file(&out.join(&name), &bytes)?;
                            o.written += 1;
                        }
                        Err(_) => continue,
                    }
                } else {
                    o.unchanged += 1;
                }
                o.new.files.insert(name.clone(), crop_key);
                Some(name)
            }
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

    let env = templates()?;
    let render = |name: &str, ctx: minijinja::Value| -> Result<String, ExportError> {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| ExportError::Template(e.to_string()))
    };
    let site =
        context! { title => &title, photo_count => pages.len(), people_count => persons.len() };
    let index_cards: Vec<&PhotoCard> = pages.iter().map(|(c, _)| c).collect();
    o.text(
        "index.html",
        &render(
            "index.html",
            context! { site => &site, photos => index_cards },
        )?,
    )?;
    for (_, page) in &pages {
        o.text(
            &page.page,
            &render("photo.html", context! { site => &site, photo => page })?,
        )?;
    }
    o.text(
        "people.html",
        &render(
            "people.html",
            context! { site => &site, people => &persons },
        )?,
    )?;
    for person in &persons {
        o.text(
            &person.page,
            &render("person.html", context! { site => &site, person => person })?,
        )?;
    }
    o.text("style.css", include_str!("style.css"))?;
    o.text("gallery.js", include_str!("gallery.js"))?;

    // Files of the last export that no longer belong; only ever ones this exporter wrote.
    for name in o.old.files.keys() {
        if !o.new.files.contains_key(name)
            && is_ours(name)
            && fs::remove_file(out.join(name)).is_ok()
        {
            report.removed += 1;
        }
    }
    let manifest =
        serde_json::to_vec_pretty(&o.new).map_err(|e| ExportError::Template(e.to_string()))?;
    write_file(&out.join(MANIFEST), &manifest)?;
    report.photos = pages.len() as u64;
    report.people = persons.len() as u64;
    report.written = o.written;
    report.unchanged = o.unchanged;
    Ok(report)
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
    match name.split_once('/') {
        None => plain(name),
        Some((dir, file)) => (dir == "img" || dir == "faces") && plain(file),
    }
}

/// The page image (2000 px, heads of `no-publish` attendees blurred) and its thumbnail, from
/// the cached preview when there is one (fast), else from the original.
fn make_images(
    library: &Library,
    out: &Path,
    p: &Planned,
) -> Result<(u32, u32, u32, u32), ExportError> {
    let preview = library
        .thumbnail(p.id, ThumbnailSize::Preview)
        .map_err(|e| ExportError::Source(e.to_string()))?;
    let imaging_err = |source| ExportError::Imaging {
        path: format!("photo {}", p.id),
        source,
    };
    let img = imaging::decode_at_least(&preview, imaging::ImageFormat::Jpeg, IMAGE_SIDE)
        .map_err(imaging_err)?;
    let mut img = imaging::fit_within(img, IMAGE_SIDE).map_err(imaging_err)?;
    imaging::blur_heads(&mut img, &p.people.blur);
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
