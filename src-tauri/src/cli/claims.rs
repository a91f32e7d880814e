//! `whoiswho claims import FILE [--repo OWNER/REPO]`, `claims fetch --repo OWNER/REPO`,
//! `claims list`, `claims accept ISSUE [--lower-consent]`, `claims reject ISSUE`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::claims::{self, github, ClaimReport, ClaimView, Listing};
use whoiswho_core::plain_text::plain_text;
use whoiswho_core::progress::CancelToken;

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import the answers from what `gh issue list --repo OWNER/REPO --label whoiswho-claim
    /// --state all --json number,author,title,body,createdAt,url` printed (UTF-8, or UTF-16 as
    /// PowerShell writes it; whoiswho opens no connection for this). An attendee's request for
    /// more privacy about themselves applies at once.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The event's repository, which every issue's address must be in (default: the one the
        /// library knows, or the one the issues name).
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
    },
    /// Fetch the answers now from GitHub's API: the repository's issues labelled
    /// whoiswho-claim, nothing else sent (GITHUB_TOKEN is used when set).
    Fetch {
        #[arg(long, value_name = "OWNER/REPO")]
        repo: String,
    },
    /// List the claims, with their state (open, conflict, dispute, accepted, rejected,
    /// withdrawn).
    List,
    /// Accept a claim: the face is tagged with the login named (a dispute's accept takes the
    /// disputed name off).
    Accept {
        #[arg(value_name = "ISSUE")]
        issue: u64,
        /// Apply the answer's consent even where it makes the attendee less private than they
        /// are now (without it, they keep theirs).
        #[arg(long)]
        lower_consent: bool,
    },
    /// Reject a claim: it is never named; an accepted one's tag is taken back.
    Reject {
        #[arg(value_name = "ISSUE")]
        issue: u64,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Import { file, repo } => {
            let report = claims::import_file(&library, &file, repo.as_deref())
                .with_context(|| format!("importing claims from {}", file.display()))?;
            Ok(print_report(ctx, &report, None))
        }
        Command::Fetch { repo } => {
            let url = github::first_url(&github::api_base()?, &repo)?;
            if !ctx.json {
                say!("asking {url} (and its next pages), nothing else sent");
            }
            let fetched = github::fetch(&repo, &CancelToken::new(), |pages, issues| {
                if !ctx.json {
                    say!("  page {pages}: {issues} issues so far");
                }
            })
            .context("fetching the claims")?;
            let report = claims::import(
                &library,
                Listing {
                    issues: &fetched.issues,
                    errors: fetched.errors,
                    repo: Some(&repo),
                },
            )?;
            Ok(print_report(
                ctx,
                &report,
                fetched.stopped.map(|e| e.to_string()),
            ))
        }
        Command::List => {
            let all = claims::list(&library)?;
            if ctx.json {
                print_json(&all)?;
            } else {
                for c in &all {
                    say!("{}", line(c));
                }
                say!("{} claims", all.len());
            }
            Ok(Outcome::Success)
        }
        Command::Accept {
            issue,
            lower_consent,
        } => {
            let accepted = claims::accept(&library, issue, lower_consent)?;
            if ctx.json {
                print_json(&accepted.claim)?;
            } else {
                say!("{}", line(&accepted.claim));
            }
            if let Some(kept) = &accepted.kept {
                say!(
                    "  @{} stays {}: the answer asks for {}, which only --lower-consent applies",
                    kept.login,
                    kept.from.as_str(),
                    kept.to.as_str()
                );
            }
            Ok(Outcome::Success)
        }
        Command::Reject { issue } => {
            let rejected = claims::reject(&library, issue)?;
            if ctx.json {
                print_json(&rejected.claim)?;
            } else {
                say!("{}", line(&rejected.claim));
                if rejected.undo.is_some() {
                    say!("  the name its accept put on the face is taken back");
                }
            }
            Ok(Outcome::Success)
        }
    }
}

fn print_report(ctx: &Context, report: &ClaimReport, stopped: Option<String>) -> Outcome {
    if ctx.json {
        if let Err(e) = print_json(report) {
            say!("whoiswho: error: {e}");
        }
    } else {
        say!(
            "{} issues read: {} claims ({} naming themselves), {} consent changes applied at once, {} withdrawn",
            report.read,
            report.claims,
            report.self_claims,
            report.consent,
            report.withdrawn
        );
        for e in &report.errors {
            say!("  issue #{}: {}", e.issue, plain_text(&e.error));
        }
    }
    if let Some(why) = &stopped {
        say!("whoiswho: the fetch stopped early: {why}; the issues read before were imported");
    }
    if report.errors.is_empty() && stopped.is_none() {
        Outcome::Success
    } else {
        Outcome::Partial
    }
}

/// One claim on one line, with nothing in it a terminal would obey.
fn line(c: &ClaimView) -> String {
    let named = match &c.name {
        Some(n) => format!("@{} ({})", c.login, plain_text(n)),
        None => format!("@{}", c.login),
    };
    let who = if c.self_claim {
        format!("{named} says this is them")
    } else {
        format!("@{} says this is {named}", c.by)
    };
    let mut notes = Vec::new();
    if let Some(consent) = c.consent {
        notes.push(format!("asks {}", consent.as_str()));
    }
    if !c.roster {
        notes.push(format!("@{} is not in the roster", c.login));
    }
    if let Some(a) = &c.against {
        notes.push(format!("against @{a}"));
    }
    if let Some(l) = &c.lowers {
        notes.push(format!(
            "accepting keeps @{} {} unless --lower-consent",
            l.login,
            l.from.as_str()
        ));
    }
    if let Some(r) = &c.reason {
        notes.push(plain_text(r));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    format!("#{:<6} {:<9} {who}{notes}  {}", c.issue, c.state, c.url)
}
