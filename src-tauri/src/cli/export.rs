//! `whoiswho export xmp [--out DIR]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::export::export_sidecars;

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write a `photo.jpg.xmp` sidecar (MWG face regions, IPTC people, keywords) for every
    /// photo with faces: next to the original (never into it), or into --out DIR.
    Xmp {
        /// Folder for the sidecars instead of next to the originals.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Xmp { out } => {
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
                for f in &report.failed {
                    eprintln!("  {}: {}", f.path, f.error);
                }
            }
            Ok(if report.failed.is_empty() {
                Outcome::Success
            } else {
                Outcome::Partial
            })
        }
    }
}
