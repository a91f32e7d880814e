//! `whoiswho export figure PHOTO --out FILE [...]`, `whoiswho export xmp [--out DIR]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::export::{
    export_figure, export_gallery, export_sidecars, export_summary, FigureOptions, LegendText,
    PixelsFrom,
};

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
                eprintln!(
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
        Command::Gallery { out, title, .. } => {
            let report = export_gallery(&library, &out, title.as_deref())
                .context("exporting the gallery")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                eprintln!(
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
            };
            let figure =
                export_figure(&library, id, &out, &opts).context("exporting the figure")?;
            if ctx.json {
                print_json(&figure)?;
            } else {
                println!(
                    "{}",
                    match snippet {
                        Snippet::Hugo => &figure.hugo,
                        Snippet::Markdown => &figure.markdown,
                        Snippet::Html => &figure.html,
                    }
                );
                eprintln!(
                    "wrote {} ({}x{}); {} blurred (no-publish)",
                    figure.image, figure.width, figure.height, figure.blurred
                );
                if figure.pixels_from == PixelsFrom::Preview {
                    eprintln!("  the original is missing from disk: made from the cached preview (at most 1600 px)");
                }
            }
            Ok(Outcome::Success)
        }
        Command::Xmp { out, .. } => {
            let report = export_sidecars(&library, out.as_deref()).context("exporting XMP")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                eprintln!(
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

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Snippet {
    Hugo,
    Markdown,
    Html,
}
