//! `whoiswho roster import CSV [--json]`, `whoiswho roster list [--json]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::people::import_roster;

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
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
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
