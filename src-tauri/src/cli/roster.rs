//! `whoiswho roster import CSV [--json]`, `whoiswho roster list [--json]`,
//! `whoiswho roster avatars --fetch [--refresh] [--json]`, `whoiswho roster avatars DIR [--json]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::people::import_roster;

use whoiswho_core::jobs::{AvatarsRequest, JobOutcome, JobRequest};

use super::job::{report_of, run_job};
use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import attendees from a CSV (columns by header: github/login/username, name,
    /// affiliation, consent). Rows with problems are listed; the rest is imported.
    Import {
        #[arg(value_name = "CSV")]
        csv: PathBuf,
    },
    /// List the attendees.
    List,
    /// Get attendees' avatars: `--fetch` downloads the public GitHub avatar of each attendee who
    /// may be tagged and has none yet (only now, only from github.com); DIR imports
    /// LOGIN.jpg|png|webp pictures from a folder instead.
    Avatars {
        #[arg(
            value_name = "DIR",
            required_unless_present = "fetch",
            conflicts_with = "fetch"
        )]
        dir: Option<PathBuf>,
        /// Download from GitHub.
        #[arg(long)]
        fetch: bool,
        /// With --fetch: download again those already fetched.
        #[arg(long, requires = "fetch")]
        refresh: bool,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Avatars {
            dir,
            fetch: _,
            refresh,
        } => {
            let request = match dir {
                Some(dir) => AvatarsRequest::Folder(dir),
                None => AvatarsRequest::Fetch { refresh },
            };
            let outcome = run_job(ctx, library, JobRequest::Avatars(request))?;
            let report = report_of(outcome, |o| match o {
                JobOutcome::Avatars(r) => Some(r),
                _ => None,
            })?;
            if ctx.json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "{} fetched, {} imported, {} with one face",
                    report.fetched, report.imported, report.with_face
                );
                for f in &report.failed {
                    eprintln!("  @{}: {}", f.login, f.error);
                }
            }
            Ok(if report.failed.is_empty() {
                Outcome::Success
            } else {
                Outcome::Partial
            })
        }
        Command::Import { csv } => {
            let bytes = whoiswho_core::people::roster::read_file(&csv)?;
            let report = import_roster(&mut library.catalog()?, &bytes)
                .with_context(|| format!("importing {}", csv.display()))?;
            if ctx.json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "{} added, {} updated, {} unchanged, {} rejected; {} people in the roster",
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.rejected.len(),
                    report.people
                );
                if report.untagged > 0 {
                    eprintln!(
                        "  {} faces untagged: their attendees are now no-tag",
                        report.untagged
                    );
                }
                for r in &report.rejected {
                    eprintln!("  line {}: {}", r.line, r.message);
                }
                for w in &report.warnings {
                    eprintln!("  line {} (warning): {}", w.line, w.message);
                }
            }
            Ok(if report.rejected.is_empty() {
                Outcome::Success
            } else {
                Outcome::Partial
            })
        }
        Command::List => {
            let people = library.read(|c| c.people())?;
            if ctx.json {
                print_json(&people)?;
            } else {
                for p in &people {
                    eprintln!(
                        "@{:<24} {:<32} {:<10} {} faces",
                        p.login,
                        p.name.as_deref().unwrap_or(""),
                        p.consent.as_str(),
                        p.faces
                    );
                }
                eprintln!("{} people", people.len());
            }
            Ok(Outcome::Success)
        }
    }
}
