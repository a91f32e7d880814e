//! `whoiswho index DIR... [--json]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::jobs::JobEvent;
use whoiswho_core::IndexPhase;

use super::{print_json, Context, Outcome, ProgressLine};

#[derive(clap::Args)]
pub struct Args {
    /// Folders to index, recursively.
    #[arg(required = true, value_name = "DIR")]
    folders: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let jobs = super::open_jobs(ctx)?;
    let library = jobs.library();
    let line = ProgressLine::new(ctx);
    let progress = |e: JobEvent| {
        if let JobEvent::Indexing(p) = e {
            if p.phase == IndexPhase::Indexing {
                line.show(format_args!("indexing {}/{}", p.done, p.total));
            }
        }
    };
    let report = jobs.index(&args.folders, &progress).context("indexing")?;
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
