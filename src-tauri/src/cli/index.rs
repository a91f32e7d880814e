//! `whoiswho index DIR... [--json]`

use std::path::PathBuf;

use whoiswho_core::jobs::{JobOutcome, JobRequest};

use super::job::{report_of, run_job};
use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Folders to index, recursively.
    #[arg(required = true, value_name = "DIR")]
    folders: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    let root = library.root().to_path_buf();
    let outcome = run_job(
        ctx,
        library,
        JobRequest::Index {
            folders: args.folders,
        },
    )?;
    let report = report_of(outcome, |o| match o {
        JobOutcome::Indexed(r) => Some(r),
        _ => None,
    })?;
    if ctx.json {
        print_json(&report)?;
    } else {
        say!(
            "{} indexed, {} unchanged, {} removed, {} failed; {} photos in {}",
            report.indexed,
            report.unchanged,
            report.removed,
            report.failed.len(),
            report.photos,
            root.display()
        );
    }
    Ok(super::failures(ctx, &report.failed))
}
