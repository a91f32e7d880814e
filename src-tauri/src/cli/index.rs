//! `whoiswho index DIR... [--json]`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::{CancelToken, IndexPhase, IndexProgress};

use super::{print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Folders to index, recursively.
    #[arg(required = true, value_name = "DIR")]
    folders: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = super::open_library(ctx)?;
    let show_progress = !ctx.json && std::io::stderr().is_terminal();
    let progress = move |p: &IndexProgress| {
        if show_progress && p.phase == IndexPhase::Indexing {
            eprint!("\rindexing {}/{} ", p.done, p.total);
            let _ = std::io::stderr().flush();
        }
    };
    let report = library
        .index(&args.folders, &CancelToken::new(), &progress)
        .context("indexing")?;
    if show_progress {
        eprintln!();
    }
    if ctx.json {
        print_json(&report)?;
    } else {
        eprintln!(
            "{} indexed, {} unchanged, {} removed, {} failed; {} photos in {}",
            report.indexed,
            report.unchanged,
            report.removed,
            report.failed.len(),
            report.photos,
            library.root().display()
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
