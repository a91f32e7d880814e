//! `whoiswho roster import CSV [--json]`, `whoiswho roster list [--json]`,
//! `whoiswho roster avatars --fetch [--refresh] [--json]`, `whoiswho roster avatars DIR [--json]`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::people::{import_roster, save_person, Consent, PersonInput};

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
        /// Also lower the consents attendees asked for themselves where the CSV says less
        /// (without it they are kept, and listed).
        #[arg(long)]
        lower_consent: bool,
    },
    /// Add an attendee or change one: name, affiliation, consent (ok, no-publish, no-tag).
    Set {
        #[arg(value_name = "LOGIN")]
        login: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        affiliation: Option<String>,
        #[arg(long, value_parser = parse_consent)]
        consent: Option<Consent>,
        /// Confirm a consent less private than the one the attendee asked for themselves.
        #[arg(long)]
        lower_consent: bool,
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
                say!(
                    "{} fetched, {} imported, {} with one face",
                    report.fetched,
                    report.imported,
                    report.with_face
                );
                for f in &report.failed {
                    say!("  @{}: {}", f.login, f.error);
                }
            }
            Ok(if report.failed.is_empty() {
                Outcome::Success
            } else {
                Outcome::Partial
            })
        }
        Command::Set {
            login,
            name,
            affiliation,
            consent,
            lower_consent,
        } => {
            let known = library.read(|c| c.person(&login))?;
            let input = PersonInput {
                login: login.clone(),
                name: name.or_else(|| known.as_ref().and_then(|p| p.name.clone())),
                affiliation: affiliation
                    .or_else(|| known.as_ref().and_then(|p| p.affiliation.clone())),
                consent: consent
                    .or_else(|| known.as_ref().map(|p| p.consent))
                    .unwrap_or_default(),
                lower_consent,
            };
            let saved = save_person(&mut library.catalog()?, &input)
                .with_context(|| format!("saving @{login}"))?;
            if ctx.json {
                print_json(&saved.person)?;
            } else {
                say!("@{}: {}", saved.person.login, saved.person.consent.as_str());
                if saved.untagged > 0 {
                    say!("  {} faces untagged: no-tag", saved.untagged);
                }
            }
            Ok(Outcome::Success)
        }
        Command::Import { csv, lower_consent } => {
            let bytes = whoiswho_core::people::roster::read_file(&csv)?;
            let report = import_roster(&mut library.catalog()?, &bytes, lower_consent)
                .with_context(|| format!("importing {}", csv.display()))?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} added, {} updated, {} unchanged, {} rejected; {} people in the roster",
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.rejected.len(),
                    report.people
                );
                if report.untagged > 0 {
                    say!(
                        "  {} faces untagged: their attendees are now no-tag",
                        report.untagged
                    );
                }
                for l in &report.lowered {
                    say!(
                        "  @{} lowered from {} to {}",
                        l.login,
                        l.from.as_str(),
                        l.to.as_str()
                    );
                }
                for k in &report.kept {
                    say!(
                        "  @{} kept {}, as they asked themselves (the roster says {}; --lower-consent lowers it)",
                        k.login,
                        k.from.as_str(),
                        k.to.as_str()
                    );
                }
                for r in &report.rejected {
                    say!("  line {}: {}", r.line, r.message);
                }
                for w in &report.warnings {
                    say!("  line {} (warning): {}", w.line, w.message);
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
                    say!(
                        "@{:<24} {:<32} {:<10} {} faces",
                        p.login,
                        whoiswho_core::plain_text::plain_text(p.name.as_deref().unwrap_or("")),
                        p.consent.as_str(),
                        p.faces
                    );
                }
                say!("{} people", people.len());
            }
            Ok(Outcome::Success)
        }
    }
}

fn parse_consent(s: &str) -> Result<Consent, String> {
    Consent::parse(s)
        .filter(|_| !s.trim().is_empty())
        .ok_or_else(|| format!("{s:?} is not a consent: ok, no-publish or no-tag"))
}
