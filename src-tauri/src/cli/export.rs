//! `whoiswho export figure PHOTO --out FILE [...]`, `whoiswho export gallery OUT_DIR`,
//! `whoiswho export post OUT_DIR --title T --date D [...]`, `whoiswho export xmp [--out DIR]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::catalog::PostPhoto;
use whoiswho_core::export::{
    export_figure, export_gallery, export_post, export_sidecars, export_summary, Crop,
    FigureOptions, LegendText, PixelsFrom, PostFormat, PostSpec,
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
    /// The recap post as a page bundle: `OUT_DIR/index.md` (front matter, a figure per photo
    /// with its alt and caption, the names by rows, "Who was there") and the images beside it.
    /// A second export with nothing changed rewrites nothing.
    Post {
        #[arg(value_name = "OUT_DIR")]
        out: PathBuf,
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// An author (repeat for several; default: the post's kept authors).
        #[arg(long = "author", value_name = "NAME")]
        authors: Vec<String>,
        /// A photo (id or path), in order (repeat); default: the post kept in the library.
        #[arg(long = "photo", value_name = "PHOTO")]
        photos: Vec<String>,
        #[arg(long, value_enum, default_value = "hugo")]
        format: Format,
        /// The event, for prefilled captions and alt texts (default: the title).
        #[arg(long)]
        event: Option<String>,
        /// The "who is who" images' width:height (default: as wide and tall as the people).
        #[arg(long, value_name = "W:H", value_parser = parse_aspect)]
        aspect: Option<f64>,
    },
    /// A static gallery folder: index, a page per photo, people, a page per person. Works
    /// from disk and on any static host; a re-export rewrites only what changed.
    Gallery {
        #[arg(value_name = "OUT_DIR")]
        out: PathBuf,
        /// The gallery's title (the event).
        #[arg(long)]
        title: Option<String>,
        /// Only say what would be published (who is named, who is blurred); write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Let attendees name faces through issues in this GitHub repository (OWNER/REPO): each
        /// face gets a "Who is this?" link to a prefilled new issue there.
        #[arg(long, value_name = "OWNER/REPO")]
        claims_repo: Option<String>,
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
            ..
        } => {
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
        } => {
            let mut spec = post_spec(&library, title, date, authors, photos, format, event)?;
            spec.aspect = aspect;
            let report = export_post(&library, &out, &spec).context("exporting the post")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} figures, {} people named, {} heads blurred (no-publish) in {}: {} files written, {} unchanged, {} removed",
                    report.figures,
                    report.named,
                    report.blurred,
                    report.dir,
                    report.written,
                    report.unchanged,
                    report.removed
                );
                if let Some(problem) = &report.manifest_problem {
                    say!("  {problem}: every file was written anew");
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

/// The post to export: the one kept in the library, with the title, date and authors given, and
/// the photos named on the command line in their order (keeping the texts written for them).
fn post_spec(
    library: &Library,
    title: String,
    date: String,
    authors: Vec<String>,
    photos: Vec<String>,
    format: Format,
    event: Option<String>,
) -> anyhow::Result<PostSpec> {
    let mut post = library.read(|c| c.post())?;
    if !photos.is_empty() {
        let mut chosen = Vec::with_capacity(photos.len());
        for arg in &photos {
            let id = library.resolve_photo(arg)?;
            let kept = post.photos.iter().find(|p| p.photo_id == id).cloned();
            chosen.push(kept.unwrap_or(PostPhoto {
                photo_id: id,
                caption: None,
                alt: None,
            }));
        }
        post.photos = chosen;
    }
    post.title = title;
    post.date = date;
    if !authors.is_empty() {
        post.authors = authors;
    }
    let event = event.or_else(|| Some(post.title.clone()));
    Ok(PostSpec {
        post,
        event,
        format: match format {
            Format::Hugo => PostFormat::Hugo,
            Format::Markdown => PostFormat::Markdown,
        },
        aspect: None,
    })
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
