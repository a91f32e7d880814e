//! `whoiswho index DIR... [--json]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::{CancelToken, IndexPhase, IndexProgress};

use super::{print_json, Context, Outcome, ProgressLine};

#[derive(clap::Args)]
pub struct Args {
    /// Folders to index, recursively.
    #[arg(required = true, value_name = "DIR")]
    folders: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = super::open_library(ctx)?;
    let line = ProgressLine::new(ctx);
    let progress = |p: &IndexProgress| {
        if p.phase == IndexPhase::Indexing {
            line.show(format_args!("indexing {}/{}", p.done, p.total));
        }
    };
    let report = library
        .index(&args.folders, &CancelToken::new(), &progress)
        .context("indexing")?;
    line.finish();
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
    }
    Ok(super::failures(ctx, &report.failed))
}
