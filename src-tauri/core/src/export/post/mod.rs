//! `whoiswho export post OUT_DIR`: the recap post as a page bundle, `index.md` with front matter
//! and every figure beside it. Per photo: the figure (web-sized, upright, metadata-free, heads of
//! `no-publish` attendees blurred), a short alt that says what it is and how many people are on
//! it, and the caption with the names by rows; for a group photo with people named, its "who is
//! who" image cropped to the people as a second figure; at the end, "Who was there".
//!
//! The organizer's own text (an introduction, a section after each figure, a closing) is kept in
//! the library and written where it belongs; a file of the bundle edited since the last export
//! is never overwritten unless the organizer says so ([`HandEdits`]), and one damaged or deleted
//! is made again. Files are named after their photo, so reordering renames nothing.
//!
//! [`compose`] writes the Markdown without touching an image (the window's live preview is
//! what [`export_post`] writes, but for the images' sizes, known once they are made); the export
//! then makes the images, in parallel, and keeps those whose inputs did not change.

pub(crate) mod text;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use text::{is_date, short_alt, slug, ALT_MAX_CHARS};

use self::text::{
    count, legend_alt, mentions, names_by_rows, person_link, yaml_string, GROUP_SIZE,
};
use super::figure::{default_caption, render, Crop, FigureOptions};
use super::legend::LegendText;
use super::output::{OnDisk, Output};
use super::snippet::{markdown_text, no_template_openers, shortcode_param, url, Literal};
use super::words::with_article;
use super::ExportError;
use crate::catalog::{Byline, Event, KeptPost, Person, PostPhoto};
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
    /// The event, for the prefilled captions, alt texts and authors.
    pub event: Event,
    pub format: PostFormat,
    /// The "who is who" images' width / height; `None`: as wide and tall as the people are.
    pub aspect: Option<f64>,
}

/// What to do with a file of the bundle someone edited since the last export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HandEdits {
    /// Write nothing and say which files changed.
    #[default]
    Refuse,
    /// Replace them with what whoiswho writes (the organizer said so).
    Replace,
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
    /// 1-based, as "Who was there" refers to it (shown only when the post numbers figures).
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
    /// A group photo (people posed together), not a meeting, an audience or a talk.
    pub posed: bool,
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
    /// The byline: the authors in one line ("Paco Xu and Michael Yao (DaoCloud)").
    pub author: String,
    pub figures: Vec<ComposedFigure>,
    /// `index.md`, byte for byte (the images' sizes are in it once they are made).
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
    /// Files of the last export found damaged or missing, and made again.
    pub remade: Vec<String>,
    /// Files someone edited since the last export, replaced because the organizer said so.
    pub replaced: Vec<String>,
    /// Files of an earlier export that no longer belong but were edited since: left in place.
    pub left_edited: Vec<String>,
    /// Attendees who may be named and are named on no photo of the library (logins): who to
    /// look for before publishing.
    pub not_in_photos: Vec<String>,
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
    let mut composed = compose_planned(spec, &planned, &|_| None);
    composed.missing = missing_people(&publication);
    composed.problem = check(&publication, spec, &composed)
        .err()
        .map(|p| p.to_string());
    Ok(composed)
}

/// Writes the bundle into `out`: `index.md` and the figures. Refuses, writing nothing, when the
/// post has a [`PostProblem`], or when a file of the bundle was edited since the last export
/// and `edits` is [`HandEdits::Refuse`].
pub fn export_post(
    library: &Library,
    out: &Path,
    spec: &PostSpec,
    edits: HandEdits,
) -> Result<PostReport, ExportError> {
    let publication = Publication::load(library)?;
    let planned = plan(library, &publication, spec)?;
    let draft = compose_planned(spec, &planned, &|_| None);
    check(&publication, spec, &draft).map_err(ExportError::Post)?;
    let (mut o, trouble) = Output::open(out, MANIFEST, is_ours)?;
    let files = bundle_files(&draft);
    let edited = o.edited(files.iter().map(String::as_str));
    if !edited.is_empty() && edits == HandEdits::Refuse {
        return Err(ExportError::EditedByHand {
            dir: out.display().to_string(),
            files: edited,
        });
    }
    let remade: Vec<String> = files
        .iter()
        .filter(|f| o.was_written(f))
        .filter(|f| matches!(o.on_disk(f), OnDisk::Damaged | OnDisk::Missing))
        .cloned()
        .collect();
    make_figures(library, &mut o, &planned, spec)?;
    let sizes = |file: &str| image::image_dimensions(out.join(file)).ok();
    let composed = compose_planned(spec, &planned, &sizes);
    o.text("index.md", &composed.markdown)?;
    let finished = o.finish()?;
    Ok(PostReport {
        dir: out.display().to_string(),
        figures: (files.len() - 1) as u64,
        named: u64::from(composed.named),
        blurred: composed.figures.iter().map(|f| u64::from(f.blurred)).sum(),
        files,
        written: o.written,
        unchanged: o.unchanged,
        removed: finished.removed,
        manifest_problem: trouble.map(|e| format!("{MANIFEST} {e}")),
        remade,
        replaced: edited,
        left_edited: finished.left_edited,
        not_in_photos: missing_people(&publication)
            .into_iter()
            .map(|p| p.login)
            .collect(),
    })
}

/// Every file of the bundle, `index.md` first.
fn bundle_files(composed: &ComposedPost) -> Vec<String> {
    let mut files = vec!["index.md".to_string()];
    for f in &composed.figures {
        files.push(f.file.clone());
        files.extend(f.legend_file.clone());
    }
    files
}

/// Each photo with what it publishes and its figure's texts.
fn plan(
    library: &Library,
    publication: &Publication,
    spec: &PostSpec,
) -> Result<Vec<Planned>, ExportError> {
    let mut planned: Vec<Planned> = Vec::with_capacity(spec.post.photos.len());
    let mut taken = std::collections::HashSet::new();
    let how = match spec.format {
        PostFormat::Hugo => Literal::Reference,
        PostFormat::Markdown => Literal::Backslash,
    };
    let event = spec.event.title();
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
        let base = file_base(&details.path, photo.photo_id, &mut taken);
        let people = published.people();
        let (faces_n, named_n) = (published.visible(), people.len());
        // The names by rows follow the caption: a prefilled one does not name them again.
        let caption = photo
            .caption
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(
                || match default_caption(&[], faces_n, published.posed, event) {
                    // Nothing to say before the names.
                    c if c == "Photo" && named_n > 0 => String::new(),
                    c => c,
                },
            );
        let alt = photo
            .alt
            .clone()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| short_alt(faces_n, published.posed, event));
        let names = names_by_rows(&published.in_reading_order(), how).unwrap_or_default();
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
                posed: published.posed,
            },
            published,
            hash,
        });
    }
    Ok(planned)
}

/// A figure's file name without extension: its photo's name, made safe for an address, so it
/// stays the same wherever the photo moves in the post; a second photo of the same name gets
/// its id.
fn file_base(path: &str, photo_id: i64, taken: &mut std::collections::HashSet<String>) -> String {
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut base = slug(&stem, "photo");
    if base == "index" || !taken.insert(base.clone()) {
        base = format!("{base}-{photo_id}");
        taken.insert(base.clone());
    }
    base
}

/// The post's Markdown; `sizes` gives an image's width and height once it is made.
fn compose_planned(
    spec: &PostSpec,
    planned: &[Planned],
    sizes: &dyn Fn(&str) -> Option<(u32, u32)>,
) -> ComposedPost {
    let post = &spec.post;
    let event = spec.event.title();
    // Prefilled from the event and the photos until the organizer writes their own.
    let title = match post.title.trim() {
        "" => event.unwrap_or_default().to_string(),
        t => t.to_string(),
    };
    let date = match post.date.trim() {
        "" => planned
            .iter()
            .filter_map(|p| p.day.clone())
            .min()
            .or_else(|| Some(spec.event.start.trim().to_string()).filter(|d| is_date(d)))
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
        let photos = count(figures.len(), "photo", "photos");
        let from = event.unwrap_or(title.as_str());
        match who.len() {
            0 => format!("{photos} from {}.", with_article(from)),
            k => format!(
                "{photos} from {}, with {} in them named.",
                with_article(from),
                count(k, "person", "people").replacen("1 person", "the one person", 1)
            ),
        }
    } else {
        post.description.trim().to_string()
    };
    let mut authors: Vec<String> = post
        .authors
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    if authors.is_empty() {
        authors = spec
            .event
            .organizers
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
    }
    let author = no_template_openers(&byline(&authors));
    let mut md = front_matter(&title, &date, &slug, &author, &description);
    if post.byline == Byline::Body && !author.is_empty() {
        md.push_str(&format!("\n**Author:** {author}\n"));
    }
    push_text(&mut md, &post.intro);
    for (f, p) in figures.iter().zip(planned) {
        md.push_str(&figure_markdown(spec.format, post.numbered, f, sizes));
        push_text(&mut md, &p.photo.text);
    }
    if !who.is_empty() {
        md.push_str("\n## Who was there\n\n");
        for (person, numbers) in &who {
            let link = person_link(person, Literal::Backslash);
            if post.numbered {
                let list: Vec<String> = numbers.iter().map(u32::to_string).collect();
                let figures = if numbers.len() == 1 {
                    "figure"
                } else {
                    "figures"
                };
                md.push_str(&format!("- {link}: {figures} {}\n", list.join(", ")));
            } else {
                md.push_str(&format!("- {link}\n"));
            }
        }
    }
    push_text(&mut md, &post.closing);
    ComposedPost {
        title,
        date,
        slug,
        description,
        authors,
        author,
        figures,
        markdown: md,
        named: who.len() as u32,
        missing: Vec::new(),
        problem: None,
    }
}

/// The organizer's Markdown, as written, as a block of its own.
fn push_text(md: &mut String, text: &str) {
    let text = text.trim_matches(|c| c == '\n' || c == '\r');
    if !text.trim().is_empty() {
        md.push('\n');
        md.push_str(text.trim_end());
        md.push('\n');
    }
}

/// "Paco Xu and Michael Yao (DaoCloud)": the authors in one line, as the contributor site's
/// posts write them (each author as the organizer wrote them, Markdown links included).
fn byline(authors: &[String]) -> String {
    match authors {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The front matter of a contributor-site post: `layout`, `title`, `date`, `slug`, `author`
/// (one string, which Docsy's byline shows), and `description`.
fn front_matter(title: &str, date: &str, slug: &str, author: &str, description: &str) -> String {
    let mut s = String::from("---\n");
    s.push_str("layout: blog\n");
    s.push_str(&format!("title: {}\n", yaml_string(title)));
    s.push_str(&format!("date: {date}\n"));
    s.push_str(&format!("slug: {slug}\n"));
    if !author.is_empty() {
        s.push_str(&format!("author: {}\n", yaml_string(author)));
    }
    s.push_str(&format!("description: {}\n", yaml_string(description)));
    s.push_str("---\n");
    s
}

/// "Figure 1. " (what "Who was there" refers to), the caption as Markdown, then the names by
/// rows.
fn caption_markdown(format: PostFormat, numbered: bool, f: &ComposedFigure) -> String {
    let how = match format {
        PostFormat::Hugo => Literal::Reference,
        PostFormat::Markdown => Literal::Backslash,
    };
    let caption = markdown_text(f.caption.trim(), how);
    let mut s = if numbered {
        format!("Figure {}. {caption}", f.number)
    } else {
        caption
    };
    if !f.names.is_empty() {
        if !s.ends_with(['.', '!', '?', '。', ' ']) && !s.is_empty() {
            s.push('.');
        }
        s.push(' ');
        s.push_str(&f.names);
    }
    s.trim().to_string()
}

fn figure_markdown(
    format: PostFormat,
    numbered: bool,
    f: &ComposedFigure,
    sizes: &dyn Fn(&str) -> Option<(u32, u32)>,
) -> String {
    let caption = caption_markdown(format, numbered, f);
    let legend_caption = if numbered {
        format!(
            "Figure {}, who is who: the numbers on the photo, with the names listed beneath.",
            f.number
        )
    } else {
        "Who is who: the numbers on the photo, with the names listed beneath.".to_string()
    };
    let legend_alt = legend_alt(f.named as usize);
    match format {
        PostFormat::Hugo => {
            let shortcode = |src: &str, alt: &str, caption: &str| {
                let size = sizes(src)
                    .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
                    .unwrap_or_default();
                format!(
                    "\n{{{{< figure src=\"{}\" alt=\"{}\" caption=\"{}\"{size} loading=\"lazy\" >}}}}\n",
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
                format!(
                    "\n![{}]({})\n\n{caption}\n",
                    markdown_text(alt, Literal::Backslash),
                    url(src)
                )
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
    texts.push(("introduction".into(), spec.post.intro.as_str()));
    texts.push(("closing".into(), spec.post.closing.as_str()));
    for (i, p) in spec.post.photos.iter().enumerate() {
        texts.push((format!("text after figure {}", i + 1), p.text.as_str()));
    }
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
    spec: &PostSpec,
) -> Result<(), ExportError> {
    let (event, aspect) = (spec.event.title(), spec.aspect);
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

/// A manifest entry names one of our files: `index.md` or a plain `name.jpg`, never a path
/// that could leave the folder, however the manifest was edited.
fn is_ours(name: &str) -> bool {
    name == "index.md"
        || (name.ends_with(".jpg")
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'))
}
