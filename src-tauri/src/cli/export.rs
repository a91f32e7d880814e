//! `whoiswho export figure PHOTO --out FILE [...]`, `whoiswho export gallery OUT_DIR`,
//! `whoiswho export post OUT_DIR --title T --date D [...]`, `whoiswho export xmp [--out DIR]`

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use whoiswho_core::catalog::{Byline, KeptPost, PostPhoto};
use whoiswho_core::export::{
    export_figure, export_gallery, export_post, export_sidecars, export_summary, Crop, ExportError,
    FigureOptions, HandEdits, LegendText, PixelsFrom, PostFormat, PostSpec,
};
use whoiswho_core::library::Library;

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// A web-sized, upright image of a photo without metadata, with `no-publish` attendees
    /// blurred, and a snippet (caption and alt text prefilled from the people on it).
    Figure {
        /// Photo id or file path.
        photo: String,
        /// The image to write (.jpg or .png).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The caption (default: from the event and the people).
        #[arg(long)]
        caption: Option<String>,
        /// The alt text (default: who is in it).
        #[arg(long)]
        alt: Option<String>,
        /// The event's name, for the default caption.
        #[arg(long)]
        event: Option<String>,
        /// Long side of the image in pixels.
        #[arg(long, default_value_t = 1600)]
        size: u32,
        /// JPEG quality, 1-100.
        #[arg(long, default_value_t = 85, value_parser = clap::value_parser!(u8).range(1..=100))]
        quality: u8,
        /// Which snippet to print on stdout (without --json).
        #[arg(long, value_enum, default_value = "hugo")]
        snippet: Snippet,
        /// Burn in numbered markers and a "who is who" legend beneath the photo.
        #[arg(long)]
        legend: bool,
        /// Title line of the legend (the event, say).
        #[arg(long, requires = "legend")]
        title: Option<String>,
        /// Date line of the legend.
        #[arg(long, requires = "legend")]
        date: Option<String>,
        /// `people`: only the people, head to toe, so the markers of a wide group are large
        /// enough to read (the default with `--legend`); `whole`: the whole photo.
        #[arg(long, value_enum)]
        crop: Option<CropTo>,
        /// The crop's width:height (default: as wide and tall as the people are).
        #[arg(long, value_name = "W:H", value_parser = parse_aspect)]
        aspect: Option<f64>,
    },
    /// The recap post as a page bundle: `OUT_DIR/index.md` (front matter, the organizer's text,
    /// a figure per photo with its alt and caption, the names by rows, "Who was there") and the
    /// images beside it, named after their photos. What is given here is kept in the library's
    /// post (the window's Post view shows it). A second export with nothing changed rewrites
    /// nothing; a file edited since the last export is never replaced without --force.
    Post {
        #[arg(value_name = "OUT_DIR")]
        out: PathBuf,
        /// Default: the post's kept title, else the event's name.
        #[arg(long)]
        title: Option<String>,
        /// YYYY-MM-DD (default: the post's kept date, else the day the first photo was taken).
        #[arg(long)]
        date: Option<String>,
        /// An author (repeat for several; default: the post's kept authors, else the event's
        /// organizers).
        #[arg(long = "author", value_name = "NAME")]
        authors: Vec<String>,
        /// A photo (id or path), in order (repeat); default: the post kept in the library.
        #[arg(long = "photo", value_name = "PHOTO")]
        photos: Vec<String>,
        #[arg(long, value_enum, default_value = "hugo")]
        format: Format,
        /// The event's name for this export's captions and alt texts (default: the library's
        /// event; see `whoiswho event`).
        #[arg(long)]
        event: Option<String>,
        /// The "who is who" images' width:height (default: as wide and tall as the people).
        #[arg(long, value_name = "W:H", value_parser = parse_aspect)]
        aspect: Option<f64>,
        /// The page's address part (default: from the title).
        #[arg(long)]
        slug: Option<String>,
        /// The summary in the front matter (default: how many photos and people).
        #[arg(long)]
        description: Option<String>,
        /// Figure N's caption (1-based; repeat; empty: prefilled again).
        #[arg(long = "caption", value_name = "N=TEXT", value_parser = parse_numbered)]
        captions: Vec<(usize, String)>,
        /// Figure N's alt text (1-based; repeat; empty: prefilled again).
        #[arg(long = "alt", value_name = "N=TEXT", value_parser = parse_numbered)]
        alts: Vec<(usize, String)>,
        /// Markdown after figure N, up to the next figure (1-based; repeat; @FILE reads a file).
        #[arg(long = "text", value_name = "N=TEXT", value_parser = parse_numbered)]
        texts: Vec<(usize, String)>,
        /// Markdown before the first figure (@FILE reads a file).
        #[arg(long, value_name = "TEXT")]
        intro: Option<String>,
        /// Markdown at the end of the post (@FILE reads a file).
        #[arg(long, value_name = "TEXT")]
        closing: Option<String>,
        /// Whether captions start "Figure N." and "Who was there" lists figure numbers.
        #[arg(long, value_enum)]
        numbers: Option<OnOff>,
        /// Where the authors are named: the front matter's `author` (Docsy's byline), or also
        /// "**Author:** …" at the top of the text.
        #[arg(long, value_enum)]
        byline: Option<BylineAt>,
        /// Replace files of the bundle edited since the last export (the edits are lost).
        #[arg(long)]
        force: bool,
    },
    /// A static gallery folder: index, a page per photo, people, a page per person. Works
    /// from disk and on any static host; a re-export rewrites only what changed.
    Gallery {
        #[arg(value_name = "OUT_DIR")]
        out: PathBuf,
        /// The gallery's title (default: the event's name).
        #[arg(long)]
        title: Option<String>,
        /// Only say what would be published (who is named, who is blurred); write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Let attendees name faces through issues in this GitHub repository (OWNER/REPO): each
        /// face gets a "Who is this?" link to a prefilled new issue there.
        #[arg(long, value_name = "OWNER/REPO")]
        claims_repo: Option<String>,
        /// The same, in the event's repository (`whoiswho event set --repo`).
        #[arg(long, conflicts_with = "claims_repo")]
        claims: bool,
    },
    /// Write a `photo.jpg.xmp` sidecar (MWG face regions, IPTC people, keywords) for every
    /// photo with faces: next to the original (never into it), or into --out DIR.
    Xmp {
        /// Folder for the sidecars instead of next to the originals.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only say what would be published (who is named, who is blurred); write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Gallery { dry_run: true, .. } | Command::Xmp { dry_run: true, .. } => {
            let summary = export_summary(&library).context("counting what would be exported")?;
            if ctx.json {
                print_json(&summary)?;
            } else {
                say!(
                    "{} photos ({} with faces); {} people would be named; {} chose no-publish: {} faces would be blurred and unnamed",
                    summary.photos,
                    summary.photos_with_faces,
                    summary.named_people,
                    summary.blurred_people,
                    summary.blurred_faces
                );
            }
            Ok(Outcome::Success)
        }
        Command::Gallery {
            out,
            title,
            claims_repo,
            claims,
            ..
        } => {
            let event = library.read(|c| c.event())?;
            let title = title.or_else(|| event.title().map(str::to_string));
            let claims_repo = match (claims_repo, claims) {
                (Some(repo), _) => Some(repo),
                (None, true) => Some(event.repository.clone().context(
                    "the event has no repository for answers: whoiswho event set --repo OWNER/REPO",
                )?),
                (None, false) => None,
            };
            let report = export_gallery(&library, &out, title.as_deref(), claims_repo.as_deref())
                .context("exporting the gallery")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} photos, {} people in {}: {} files written, {} unchanged, {} removed; {} heads blurred (no-publish)",
                    report.photos,
                    report.people,
                    report.folder,
                    report.written,
                    report.unchanged,
                    report.removed,
                    report.blurred
                );
            }
            if !report.claims_setup.is_empty() {
                say!("Before you publish the gallery, in the event's repository:");
                for step in &report.claims_setup {
                    say!("  - {step}");
                }
            }
            Ok(super::failures(ctx, &report.failed))
        }
        Command::Figure {
            photo,
            out,
            caption,
            alt,
            event,
            size,
            quality,
            snippet,
            legend,
            title,
            date,
            crop,
            aspect,
        } => {
            let id = library.resolve_photo(&photo)?;
            let known = library.read(|c| c.event())?;
            let event = event.or_else(|| known.title().map(str::to_string));
            let title = title.or_else(|| legend.then(|| event.clone()).flatten());
            let opts = FigureOptions {
                caption,
                alt,
                event,
                long_side: size,
                quality,
                legend: legend.then_some(LegendText {
                    title,
                    date,
                    caption: None,
                }),
                crop: match crop.unwrap_or(if legend || aspect.is_some() {
                    CropTo::People
                } else {
                    CropTo::Whole
                }) {
                    CropTo::Whole => Crop::Whole,
                    CropTo::People => Crop::People { aspect },
                },
            };
            let figure =
                export_figure(&library, id, &out, &opts).context("exporting the figure")?;
            if ctx.json {
                print_json(&figure)?;
            } else {
                super::print_text(match snippet {
                    Snippet::Hugo => &figure.hugo,
                    Snippet::Markdown => &figure.markdown,
                    Snippet::Html => &figure.html,
                })?;
                say!(
                    "wrote {} ({}x{}); {} blurred (no-publish)",
                    figure.image,
                    figure.width,
                    figure.height,
                    figure.blurred
                );
                if figure.pixels_from == PixelsFrom::Preview {
                    say!("  the original is missing from disk: made from the cached preview (at most 1600 px)");
                }
            }
            Ok(Outcome::Success)
        }
        Command::Post {
            out,
            title,
            date,
            authors,
            photos,
            format,
            event,
            aspect,
            slug,
            description,
            captions,
            alts,
            texts,
            intro,
            closing,
            numbers,
            byline,
            force,
        } => {
            let given = Given {
                title,
                date,
                authors,
                photos,
                slug,
                description,
                captions,
                alts,
                texts,
                intro,
                closing,
                numbers,
                byline,
            };
            let post = kept_post_with(&library, given)?;
            let mut known = library.read(|c| c.event())?;
            if let Some(name) = event {
                known.name = name;
            }
            let spec = PostSpec {
                post,
                event: known,
                format: match format {
                    Format::Hugo => PostFormat::Hugo,
                    Format::Markdown => PostFormat::Markdown,
                },
                aspect,
            };
            let edits = if force {
                HandEdits::Replace
            } else {
                HandEdits::Refuse
            };
            let report = match export_post(&library, &out, &spec, edits) {
                Err(e @ ExportError::EditedByHand { .. }) => bail!(
                    "{e}. To keep the change, copy it into the post's texts (--intro, --text N=…, --closing, or the window's Post view) and export again with --force, or export into another folder; to replace it, export again with --force"
                ),
                other => other.context("exporting the post")?,
            };
            if ctx.json {
                print_json(&report)?;
            } else {
                let n = |k: u64, one: &str, many: &str| {
                    format!("{k} {}", if k == 1 { one } else { many })
                };
                say!(
                    "{}, {} named, {} blurred (no-publish) in {}: {} written, {} unchanged, {} removed",
                    n(report.figures, "figure", "figures"),
                    n(report.named, "person", "people"),
                    n(report.blurred, "head", "heads"),
                    report.dir,
                    n(report.written, "file", "files"),
                    report.unchanged,
                    report.removed
                );
                if let Some(problem) = &report.manifest_problem {
                    say!("  {problem}: every file was written anew");
                }
                if !report.remade.is_empty() {
                    say!(
                        "  made again (damaged or missing): {}",
                        report.remade.join(", ")
                    );
                }
                if !report.replaced.is_empty() {
                    say!("  replaced your edits of: {}", report.replaced.join(", "));
                }
                if !report.left_edited.is_empty() {
                    say!(
                        "  no longer in the post but edited, left in place: {}",
                        report.left_edited.join(", ")
                    );
                }
                if !report.not_in_photos.is_empty() {
                    say!(
                        "  on no photo yet (may be named): {}",
                        report
                            .not_in_photos
                            .iter()
                            .map(|l| format!("@{l}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
            Ok(Outcome::Success)
        }
        Command::Xmp { out, .. } => {
            let report = export_sidecars(&library, out.as_deref()).context("exporting XMP")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} sidecars written{}; {} faces left unnamed (no-publish); {} failed",
                    report.written,
                    report
                        .folder
                        .as_deref()
                        .map(|f| format!(" to {f}"))
                        .unwrap_or_else(|| " next to the originals".into()),
                    report.unnamed,
                    report.failed.len()
                );
            }
            Ok(super::failures(ctx, &report.failed))
        }
    }
}

/// What the command line says of the post.
struct Given {
    title: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
    photos: Vec<String>,
    slug: Option<String>,
    description: Option<String>,
    captions: Vec<(usize, String)>,
    alts: Vec<(usize, String)>,
    texts: Vec<(usize, String)>,
    intro: Option<String>,
    closing: Option<String>,
    numbers: Option<OnOff>,
    byline: Option<BylineAt>,
}

/// The post to export: the one kept in the library with what the command line gives (the
/// photos named in their order, keeping the texts written for them), kept again so the window
/// and the next export see the same post.
fn kept_post_with(library: &Library, given: Given) -> anyhow::Result<KeptPost> {
    let mut post = library.read(|c| c.post())?;
    if !given.photos.is_empty() {
        let mut chosen = Vec::with_capacity(given.photos.len());
        for arg in &given.photos {
            let id = library.resolve_photo(arg)?;
            let kept = post.photos.iter().find(|p| p.photo_id == id).cloned();
            chosen.push(kept.unwrap_or_else(|| PostPhoto::new(id)));
        }
        post.photos = chosen;
    }
    let set = |field: &mut String, value: Option<String>| {
        if let Some(v) = value {
            *field = v;
        }
    };
    set(&mut post.title, given.title);
    set(&mut post.date, given.date);
    set(&mut post.slug, given.slug);
    set(&mut post.description, given.description);
    if let Some(intro) = given.intro {
        post.intro = text_or_file(&intro)?;
    }
    if let Some(closing) = given.closing {
        post.closing = text_or_file(&closing)?;
    }
    if !given.authors.is_empty() {
        post.authors = given.authors;
    }
    let figures = post.photos.len();
    let figure = |n: usize| -> anyhow::Result<usize> {
        if (1..=figures).contains(&n) {
            Ok(n - 1)
        } else {
            bail!("the post has {figures} figures: there is no figure {n}")
        }
    };
    for (n, caption) in given.captions {
        post.photos[figure(n)?].caption = Some(caption).filter(|c| !c.trim().is_empty());
    }
    for (n, alt) in given.alts {
        post.photos[figure(n)?].alt = Some(alt).filter(|a| !a.trim().is_empty());
    }
    for (n, text) in given.texts {
        post.photos[figure(n)?].text = text_or_file(&text)?;
    }
    if let Some(numbers) = given.numbers {
        post.numbered = matches!(numbers, OnOff::On);
    }
    if let Some(byline) = given.byline {
        post.byline = match byline {
            BylineAt::FrontMatter => Byline::FrontMatter,
            BylineAt::Body => Byline::Body,
        };
    }
    library.catalog()?.write(|w| w.set_post(&post))?;
    Ok(post)
}

/// `@FILE` reads the file (Markdown written elsewhere); anything else is the text itself.
fn text_or_file(s: &str) -> anyhow::Result<String> {
    match s.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading the text in {path}"))
        }
        None => Ok(s.to_string()),
    }
}

/// `N=TEXT`: a figure number and its text.
fn parse_numbered(s: &str) -> Result<(usize, String), String> {
    let (n, text) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: write N=TEXT, 2=\"The group photo\" say"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("{n:?} is not a figure number"))?;
    Ok((n, text.to_string()))
}

fn parse_aspect(s: &str) -> Result<f64, String> {
    let (w, h) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: write the aspect as W:H, 16:9 say"))?;
    let (w, h): (f64, f64) = (
        w.trim()
            .parse()
            .map_err(|_| format!("{w:?} is not a number"))?,
        h.trim()
            .parse()
            .map_err(|_| format!("{h:?} is not a number"))?,
    );
    let aspect = w / h;
    if aspect.is_finite() && (0.1..=10.0).contains(&aspect) {
        Ok(aspect)
    } else {
        Err(format!("{s}: an aspect between 1:10 and 10:1"))
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CropTo {
    Whole,
    People,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum BylineAt {
    FrontMatter,
    Body,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Hugo,
    Markdown,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Snippet {
    Hugo,
    Markdown,
    Html,
}
