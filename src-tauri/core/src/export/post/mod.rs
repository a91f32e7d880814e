//! `whoiswho export post OUT_DIR`: the recap post as a page bundle, `index.md` with front matter
//! and every figure beside it. Per photo: the figure (web-sized, upright, metadata-free, heads of
//! `no-publish` attendees blurred), a short alt that says what it is and how many people are on
//! it, and the caption with the names by rows; for a group photo with people named, its "who is
//! who" image cropped to the people as a second figure; at the end, "Who was there".
//!
//! [`compose`] writes the Markdown without touching an image (the window's live preview is
//! exactly what [`export_post`] writes); the export then makes the images, in parallel, and keeps
//! those whose inputs did not change.

pub(crate) mod text;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use text::{is_date, short_alt, slug, ALT_MAX_CHARS};

use self::text::{legend_alt, mentions, names_by_rows, person_link, yaml_string, GROUP_SIZE};
use super::figure::{default_caption, render, Crop, FigureOptions};
use super::legend::LegendText;
use super::output::Output;
use super::snippet::{markdown_text, shortcode_param, url};
use super::ExportError;
use crate::catalog::{KeptPost, Person, PostPhoto};
use crate::library::Library;
use crate::publication::{Named, PhotoPublication, Publication};

const MANIFEST: &str = ".whoiswho-post.json";
/// Bumped when the way figures are made changes, so a re-export remakes them.
const IMAGE_VERSION: u32 = 2;
const LONG_SIDE: u32 = 1600;
const QUALITY: u8 = 85;

/// Which page the bundle is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PostFormat {
    /// `{{< figure >}}` shortcodes, for Hugo.
    #[default]
    Hugo,
    /// `![alt](src)` with the caption beneath, for Jekyll, GitHub and any Markdown reader.
    Markdown,
}

/// The post to write: the kept post with what the command line or the dialog said.
#[derive(Debug, Clone, PartialEq)]
pub struct PostSpec {
    pub post: KeptPost,
    /// The event, for the prefilled captions and alt texts.
    pub event: Option<String>,
    pub format: PostFormat,
    /// The "who is who" images' width / height; `None`: as wide and tall as the people are.
    pub aspect: Option<f64>,
}

/// Something in the post that must be fixed before it is written; nothing is written then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostProblem {
    #[error("the post has no title")]
    NoTitle,
    #[error("the post's date {0:?} is not a day written YYYY-MM-DD")]
    BadDate(String),
    #[error("the post has no photos: add some, or name them with --photo")]
    NoPhotos,
    #[error("photo {0} is in the post twice")]
    Twice(i64),
    #[error(
        "the alt text of figure {figure} has {chars} characters; keep it to {ALT_MAX_CHARS} (the names go in the caption)"
    )]
    AltTooLong { figure: usize, chars: usize },
    /// An organizer's text names someone whose consent withholds their name.
    #[error(
        "the {field} names @{login}, who chose not to be named: remove it or change their consent"
    )]
    Withheld { field: String, login: String },
}

/// One figure of the post, as written.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComposedFigure {
    pub photo_id: i64,
    /// 1-based, as "Who was there" refers to it.
    pub number: u32,
    pub file: String,
    /// The "who is who" image, for a group photo with people named.
    pub legend_file: Option<String>,
    pub caption: String,
    pub alt: String,
    /// The long description: the names by rows, in Markdown (empty when nobody is named).
    pub names: String,
    pub faces: u32,
    pub named: u32,
    pub blurred: u32,
}

/// The post, composed: the Markdown to write and what it is made of.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComposedPost {
    pub title: String,
    pub date: String,
    pub slug: String,
    pub description: String,
    pub authors: Vec<String>,
    pub figures: Vec<ComposedFigure>,
    /// `index.md`, byte for byte.
    pub markdown: String,
    /// People named in the post.
    pub named: u32,
    /// Attendees who may be named and are named on no photo of the library.
    pub missing: Vec<Person>,
    /// The first problem to fix before exporting, if any.
    pub problem: Option<String>,
}

/// What an export wrote (the JSON of `whoiswho export post`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PostReport {
    pub dir: String,
    /// Figures in the post ("who is who" images included).
    pub figures: u64,
    /// People named in the post.
    pub named: u64,
    /// Heads blurred, on all figures.
    pub blurred: u64,
    /// Every file of the bundle, `index.md` first.
    pub files: Vec<String>,
    /// Files written this time; the rest were already up to date.
    pub written: u64,
    pub unchanged: u64,
    /// Files of an earlier export into the folder that no longer belong.
    pub removed: u64,
    /// Set when the folder's list of what the last export wrote could not be read.
    pub manifest_problem: Option<String>,
}

/// A photo of the post with what it publishes.
struct Planned {
    photo: PostPhoto,
    /// The day it was taken, `YYYY-MM-DD`, when known.
    day: Option<String>,
    published: PhotoPublication,
    hash: String,
    figure: ComposedFigure,
}

/// Composes the post without writing anything. A problem (an alt too long, a withheld name in
/// a caption) is reported in `problem`, so the window can show it while the organizer types.
pub fn compose(library: &Library, spec: &PostSpec) -> Result<ComposedPost, ExportError> {
    let publication = Publication::load(library)?;
    let planned = plan(library, &publication, spec)?;
    let mut composed = compose_planned(spec, &planned);
    composed.missing = missing_people(&publication);
    composed.problem = check(&publication, spec, &composed)
        .err()
        .map(|p| p.to_string());
    Ok(composed)
}

/// Writes the bundle into `out`: `index.md` and the figures. Refuses, writing nothing, when the
/// post has a [`PostProblem`].
pub fn export_post(
    library: &Library,
    out: &Path,
    spec: &PostSpec,
) -> Result<PostReport, ExportError> {
    let publication = Publication::load(library)?;
    let planned = plan(library, &publication, spec)?;
    let composed = compose_planned(spec, &planned);
    check(&publication, spec, &composed).map_err(ExportError::Post)?;
    let (mut o, trouble) = Output::open(out, MANIFEST, is_ours)?;
    make_figures(
        library,
        &mut o,
        &planned,
        spec.event.as_deref(),
        spec.aspect,
    )?;
    o.text("index.md", &composed.markdown)?;
    let removed = o.finish()?;
    let mut files = vec!["index.md".to_string()];
    for f in &composed.figures {
        files.push(f.file.clone());
        files.extend(f.legend_file.clone());
    }
    Ok(PostReport {
        dir: out.display().to_string(),
        figures: (files.len() - 1) as u64,
        named: u64::from(composed.named),
        blurred: composed.figures.iter().map(|f| u64::from(f.blurred)).sum(),
        files,
        written: o.written,
        unchanged: o.unchanged,
        removed,
        manifest_problem: trouble.map(|e| format!("{MANIFEST} {e}")),
    })
}

/// Each photo with what it publishes and its figure's texts.
fn plan(
    library: &Library,
    publication: &Publication,
    spec: &PostSpec,
) -> Result<Vec<Planned>, ExportError> {
    let mut planned: Vec<Planned> = Vec::with_capacity(spec.post.photos.len());
    for (i, photo) in spec.post.photos.iter().enumerate() {
        let (details, hash, faces) = library.read(|c| {
            Ok((
                c.photo_details(photo.photo_id)?,
                c.photo_hash(photo.photo_id)?.unwrap_or_default(),
                c.faces(photo.photo_id)?,
            ))
        })?;
        let published = publication.photo(&faces);
        let number = i + 1;
        let stem = Path::new(&details.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let base = format!("{number:02}-{}", slug(&stem, "photo"));
        let people = published.people();
        let (faces_n, named_n) = (published.visible(), people.len());
        let event = spec.event.as_deref();
        let caption = photo
            .caption
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| default_caption(&people, faces_n, event));
        let alt = photo
            .alt
            .clone()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| short_alt(faces_n, event));
        let names = names_by_rows(&published.in_reading_order()).unwrap_or_default();
        let legend_file =
            (faces_n >= GROUP_SIZE && named_n > 0).then(|| format!("{base}-who-is-who.jpg"));
        planned.push(Planned {
            photo: photo.clone(),
            day: details
                .taken_at
                .as_deref()
                .and_then(|t| t.get(..10))
                .filter(|d| is_date(d))
                .map(str::to_string),
            figure: ComposedFigure {
                photo_id: photo.photo_id,
                number: number as u32,
                file: format!("{base}.jpg"),
                legend_file,
                caption,
                alt,
                names,
                faces: faces_n as u32,
                named: named_n as u32,
                blurred: published.blurred().len() as u32,
            },
            published,
            hash,
        });
    }
    Ok(planned)
}

fn compose_planned(spec: &PostSpec, planned: &[Planned]) -> ComposedPost {
    let post = &spec.post;
    // Prefilled from the event and the photos until the organizer writes their own.
    let title = match post.title.trim() {
        "" => spec.event.as_deref().unwrap_or_default().trim().to_string(),
        t => t.to_string(),
    };
    let date = match post.date.trim() {
        "" => planned
            .iter()
            .filter_map(|p| p.day.clone())
            .min()
            .unwrap_or_else(today),
        d => d.to_string(),
    };
    let figures: Vec<ComposedFigure> = planned.iter().map(|p| p.figure.clone()).collect();
    let who = who_was_there(planned);
    let slug = slug(
        if post.slug.trim().is_empty() {
            &title
        } else {
            &post.slug
        },
        &format!("recap-{date}"),
    );
    let description = if post.description.trim().is_empty() {
        match (figures.len(), who.len()) {
            (n, 0) => format!("{n} photos from {title}."),
            (n, k) => format!("{n} photos from {title}, with the {k} people in them named."),
        }
    } else {
        post.description.trim().to_string()
    };
    let authors: Vec<String> = post
        .authors
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    let mut md = front_matter(&title, &date, &slug, &authors, &description);
    for f in &figures {
        md.push_str(&figure_markdown(spec.format, f));
    }
    if !who.is_empty() {
        md.push_str("\n## Who was there\n\n");
        for (person, numbers) in &who {
            let list: Vec<String> = numbers.iter().map(u32::to_string).collect();
            let figures = if numbers.len() == 1 {
                "figure"
            } else {
                "figures"
            };
            md.push_str(&format!(
                "- {}: {figures} {}\n",
                person_link(person),
                list.join(", ")
            ));
        }
    }
    ComposedPost {
        title,
        date,
        slug,
        description,
        authors,
        figures,
        markdown: md,
        named: who.len() as u32,
        missing: Vec::new(),
        problem: None,
    }
}

fn front_matter(
    title: &str,
    date: &str,
    slug: &str,
    authors: &[String],
    description: &str,
) -> String {
    let mut s = String::from("---\n");
    s.push_str(&format!("title: {}\n", yaml_string(title)));
    s.push_str(&format!("date: {}\n", yaml_string(date)));
    s.push_str(&format!("slug: {}\n", yaml_string(slug)));
    if authors.is_empty() {
        s.push_str("author: []\n");
    } else {
        s.push_str("author:\n");
        for a in authors {
            s.push_str(&format!("  - {}\n", yaml_string(a)));
        }
    }
    s.push_str(&format!("description: {}\n", yaml_string(description)));
    s.push_str("---\n");
    s
}

/// "Figure 1. " (what "Who was there" refers to), the caption as Markdown, then the names by
/// rows.
fn caption_markdown(f: &ComposedFigure) -> String {
    let mut s = format!("Figure {}. {}", f.number, markdown_text(f.caption.trim()));
    if !f.names.is_empty() {
        if !s.ends_with(['.', '!', '?', '。', ' ']) {
            s.push('.');
        }
        s.push(' ');
        s.push_str(&f.names);
    }
    s.trim_end().to_string()
}

fn figure_markdown(format: PostFormat, f: &ComposedFigure) -> String {
    let caption = caption_markdown(f);
    let legend_caption = format!(
        "Figure {}, who is who: the numbers on the photo, with the names listed beneath.",
        f.number
    );
    let legend_alt = legend_alt(f.named as usize);
    match format {
        PostFormat::Hugo => {
            let shortcode = |src: &str, alt: &str, caption: &str| {
                format!(
                    "\n{{{{< figure src=\"{}\" alt=\"{}\" caption=\"{}\" >}}}}\n",
                    shortcode_param(src),
                    shortcode_param(alt),
                    shortcode_param(caption)
                )
            };
            let mut s = shortcode(&f.file, &f.alt, &caption);
            if let Some(legend) = &f.legend_file {
                s.push_str(&shortcode(legend, &legend_alt, &legend_caption));
            }
            s
        }
        PostFormat::Markdown => {
            let figure = |src: &str, alt: &str, caption: &str| {
                format!("\n![{}]({})\n\n{caption}\n", markdown_text(alt), url(src))
            };
            let mut s = figure(&f.file, &f.alt, &caption);
            if let Some(legend) = &f.legend_file {
                s.push_str(&figure(legend, &legend_alt, &legend_caption));
            }
            s
        }
    }
}

/// Every person named in the post, once, with the figures they are on, by name.
fn who_was_there(planned: &[Planned]) -> Vec<(Named, Vec<u32>)> {
    let mut by_login: BTreeMap<String, (Named, Vec<u32>)> = BTreeMap::new();
    for p in planned {
        for person in p.published.people() {
            let entry = by_login
                .entry(crate::login::login_key(&person.login))
                .or_insert_with(|| (person.clone(), Vec::new()));
            if entry.1.last() != Some(&p.figure.number) {
                entry.1.push(p.figure.number);
            }
        }
    }
    let mut all: Vec<(Named, Vec<u32>)> = by_login.into_values().collect();
    all.sort_by_key(|(n, _)| n.short().to_lowercase());
    all
}

/// Attendees who may be named and are named on no photo: who to look for before publishing.
fn missing_people(publication: &Publication) -> Vec<Person> {
    publication
        .publishable_people()
        .filter(|p| p.photos == 0)
        .cloned()
        .collect()
}

/// The first thing that keeps the post from being written.
fn check(
    publication: &Publication,
    spec: &PostSpec,
    composed: &ComposedPost,
) -> Result<(), PostProblem> {
    if composed.title.is_empty() {
        return Err(PostProblem::NoTitle);
    }
    if !is_date(&composed.date) {
        return Err(PostProblem::BadDate(composed.date.clone()));
    }
    if composed.figures.is_empty() {
        return Err(PostProblem::NoPhotos);
    }
    let mut seen = std::collections::HashSet::new();
    for p in &spec.post.photos {
        if !seen.insert(p.photo_id) {
            return Err(PostProblem::Twice(p.photo_id));
        }
    }
    for f in &composed.figures {
        let chars = f.alt.chars().count();
        if chars > ALT_MAX_CHARS {
            return Err(PostProblem::AltTooLong {
                figure: f.number as usize,
                chars,
            });
        }
    }
    let mut texts: Vec<(String, &str)> = vec![
        ("title".into(), composed.title.as_str()),
        ("description".into(), composed.description.as_str()),
    ];
    texts.extend(
        composed
            .authors
            .iter()
            .map(|a| ("author list".into(), a.as_str())),
    );
    for f in &composed.figures {
        texts.push((
            format!("caption of figure {}", f.number),
            f.caption.as_str(),
        ));
        texts.push((format!("alt text of figure {}", f.number), f.alt.as_str()));
    }
    for person in publication.withheld_people() {
        let words = std::iter::once(format!("@{}", person.login))
            .chain(std::iter::once(person.login.clone()))
            .chain(person.name.clone().filter(|n| n.chars().count() >= 3));
        for word in words {
            if let Some((field, _)) = texts.iter().find(|(_, t)| mentions(t, &word)) {
                return Err(PostProblem::Withheld {
                    field: field.clone(),
                    login: person.login.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The figures and "who is who" images, in parallel, each made again only when what it is made
/// from changed (the photo, who is blurred and named where, the texts drawn on it).
fn make_figures(
    library: &Library,
    o: &mut Output<'_>,
    planned: &[Planned],
    event: Option<&str>,
    aspect: Option<f64>,
) -> Result<(), ExportError> {
    let mut jobs: Vec<(String, String, FigureOptions, i64)> = Vec::new();
    for p in planned {
        let blur: Vec<String> = p
            .published
            .blurred()
            .iter()
            .map(|r| format!("{:.5},{:.5},{:.5},{:.5}", r.x, r.y, r.w, r.h))
            .collect();
        let base = format!(
            "{IMAGE_VERSION}|{}|{LONG_SIDE}|{QUALITY}|{}",
            p.hash,
            blur.join(";")
        );
        let plain = FigureOptions {
            caption: Some(p.figure.caption.clone()),
            alt: Some(p.figure.alt.clone()),
            event: event.map(str::to_string),
            long_side: LONG_SIDE,
            quality: QUALITY,
            legend: None,
            crop: Crop::Whole,
        };
        jobs.push((
            p.figure.file.clone(),
            key(&base),
            plain.clone(),
            p.photo.photo_id,
        ));
        if let Some(legend_file) = &p.figure.legend_file {
            let named: Vec<String> = p
                .published
                .named
                .iter()
                .map(|(n, r)| format!("{}|{:.5},{:.5},{:.5},{:.5}", n.label(), r.x, r.y, r.w, r.h))
                .collect();
            let faces: Vec<String> = p
                .published
                .faces
                .iter()
                .map(|f| {
                    format!(
                        "{:.5},{:.5},{:.5},{:.5}",
                        f.region.x, f.region.y, f.region.w, f.region.h
                    )
                })
                .collect();
            let opts = FigureOptions {
                legend: Some(LegendText {
                    title: None,
                    date: None,
                    caption: Some(p.figure.caption.clone()),
                }),
                crop: Crop::People { aspect },
                ..plain
            };
            let k = key(&format!(
                "{base}|legend|{aspect:?}|{}|{}|{}",
                p.figure.caption,
                named.join(";"),
                faces.join(";")
            ));
            jobs.push((legend_file.clone(), k, opts, p.photo.photo_id));
        }
    }
    let (kept, todo): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(file, k, _, _)| !o.stale(file, k));
    let dir = o.dir;
    let made: Vec<Result<(), ExportError>> = todo
        .par_iter()
        .map(|(file, _, opts, photo_id)| {
            let rendered = render(library, *photo_id, opts)?;
            let path = dir.join(file);
            let bytes = super::encode_for(&path, &rendered.img, QUALITY)?;
            super::write_file(&path, &bytes)
        })
        .collect();
    for result in made {
        result?;
    }
    o.written += todo.len() as u64;
    o.unchanged += kept.len() as u64;
    for (file, k, _, _) in kept.iter().chain(todo.iter()) {
        o.keep(file, k);
    }
    Ok(())
}

/// Today's date (UTC), for a post whose photos say nothing of when they were taken.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn key(s: &str) -> String {
    blake3::hash(s.as_bytes()).to_hex().to_string()
}

/// A manifest entry names one of our files: `index.md` or a plain `NN-name.jpg`, never a path
/// that could leave the folder, however the manifest was edited.
fn is_ours(name: &str) -> bool {
    name == "index.md"
        || (name.ends_with(".jpg")
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'))
}
