//! `whoiswho claims import FILE`, `claims fetch --repo OWNER/REPO`, `claims list`,
//! `claims accept ISSUE`, `claims reject ISSUE`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::claims::{self, github, ClaimReport, ClaimView};
use whoiswho_core::progress::CancelToken;

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import the answers from what `gh issue list --repo OWNER/REPO --label whoiswho-claim
    /// --state all --json number,author,title,body,createdAt,url` printed (whoiswho opens no
    /// connection for this).
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Fetch the answers now from GitHub's API: the repository's issues labelled
    /// whoiswho-claim, nothing else sent (GITHUB_TOKEN is used when set).
    Fetch {
        #[arg(long, value_name = "OWNER/REPO")]
        repo: String,
    },
    /// List the claims, with their state (open, accepted, rejected, conflict).
    List,
    /// Accept a claim: the face is tagged with the login named.
    Accept {
        #[arg(value_name = "ISSUE")]
        issue: u64,
    },
    /// Reject a claim: it is never named.
    Reject {
        #[arg(value_name = "ISSUE")]
        issue: u64,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Import { file } => {
            let report = claims::import_file(&library, &file)
                .with_context(|| format!("importing claims from {}", file.display()))?;
            Ok(print_report(ctx, &report, None))
        }
        Command::Fetch { repo } => {
            let url = github::first_url(&github::api_base(), &repo)?;
            if !ctx.json {
                eprintln!("asking {url} (and its next pages), nothing else sent");
            }
            let fetched = github::fetch(&repo, &CancelToken::new(), |pages, issues| {
                if !ctx.json {
                    eprintln!("  page {pages}: {issues} issues so far");
                }
            })
            .context("fetching the claims")?;
            let report = claims::import(&library, &fetched.issues, fetched.errors)?;
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
                    eprintln!("{}", line(c));
                }
                eprintln!("{} claims", all.len());
            }
            Ok(Outcome::Success)
        }
        Command::Accept { issue } => {
            let c = claims::accept(&library, issue)?.claim;
            if ctx.json {
                print_json(&c)?;
            } else {
                eprintln!("{}", line(&c));
            }
            Ok(Outcome::Success)
        }
        Command::Reject { issue } => {
            let c = claims::reject(&library, issue)?;
            if ctx.json {
                print_json(&c)?;
            } else {
                eprintln!("{}", line(&c));
            }
            Ok(Outcome::Success)
        }
    }
}

fn print_report(ctx: &Context, report: &ClaimReport, stopped: Option<String>) -> Outcome {
    if ctx.json {
        if let Err(e) = print_json(report) {
            eprintln!("whoiswho: error: {e}");
        }
    } else {
        eprintln!(
            "{} issues read: {} claims ({} naming themselves), {} consent changes applied",
            report.read, report.claims, report.self_claims, report.consent
        );
        for e in &report.errors {
            eprintln!("  issue #{}: {}", e.issue, e.error);
        }
    }
    if let Some(why) = &stopped {
        eprintln!("whoiswho: the fetch stopped early: {why}; the issues read before were imported");
    }
    if report.errors.is_empty() && stopped.is_none() {
        Outcome::Success
    } else {
        Outcome::Partial
    }
}

fn line(c: &ClaimView) -> String {
    let who = if c.self_claim {
        format!("@{} says this is them", c.by)
    } else {
        format!("@{} says this is @{}", c.by, c.login)
    };
    let against = c
        .against
        .as_deref()
        .map(|a| format!(" (against @{a})"))
        .unwrap_or_default();
    format!("#{:<6} {:<9} {who}{against}  {}", c.issue, c.state, c.url)
}
