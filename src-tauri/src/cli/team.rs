//! `whoiswho team join DIR --as LOGIN`, `team sync`, `team status`, `team leave`

use std::path::PathBuf;

use anyhow::Context as _;
use whoiswho_core::team::{self, SyncReport};

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Join a team folder (made if missing) that the team's sync tool carries, as LOGIN: this
    /// library's decisions are written there, and the teammates' read.
    Join {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Your GitHub login: how teammates see who named what.
        #[arg(long = "as", value_name = "LOGIN")]
        login: String,
    },
    /// Read the teammates' decisions now and apply them.
    Sync,
    /// Who is in the team, what each decided, and the open conflicts.
    Status,
    /// Stop writing to and reading the team folder; faces and attendees stay as they are.
    Leave,
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Join { dir, login } => {
            let report = team::join(&library, &dir, &login)
                .with_context(|| format!("joining the team folder {}", dir.display()))?;
            if !ctx.json {
                say!(
                    "joined {} as @{login}; the team folder holds every name this library holds, `no-publish` ones included: it is not an export",
                    dir.display()
                );
            }
            sync_report(ctx, &report)
        }
        Command::Sync => {
            let report = team::sync(&library).context("syncing with the team")?;
            sync_report(ctx, &report)
        }
        Command::Status => {
            let status = match team::status(&library) {
                Err(team::TeamError::NotJoined) => {
                    // Not in a team is an answer, not a failure.
                    if ctx.json {
                        print_json(&serde_json::Value::Null)?;
                    } else {
                        say!("this library is in no team (whoiswho team join DIR --as LOGIN)");
                    }
                    return Ok(Outcome::Success);
                }
                other => other.context("reading the team")?,
            };
            if ctx.json {
                print_json(&status)?;
            } else {
                say!("team folder {} (you: @{})", status.folder, status.me);
                for m in &status.members {
                    say!(
                        "  @{}: {} decisions{}",
                        m.login,
                        m.decisions,
                        m.last
                            .as_deref()
                            .map(|l| format!(", last {l}"))
                            .unwrap_or_default()
                    );
                }
                for c in &status.conflicts {
                    let names: Vec<String> = c
                        .names
                        .iter()
                        .map(|n| format!("@{} by @{}", n.login, n.by))
                        .collect();
                    say!(
                        "  conflict on face {} of photo {} (team face {} of photo {}): {}",
                        c.face,
                        c.photo,
                        c.team_face,
                        c.content,
                        names.join(" · ")
                    );
                }
            }
            Ok(Outcome::Success)
        }
        Command::Leave => {
            let report = team::leave(&library).context("leaving the team")?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "left the team at {} (laptop {}, @{}); this library keeps every face and attendee as they are, and rejoining publishes only what changed meanwhile",
                    report.folder, report.laptop, report.me
                );
                if report.unsent > 0 {
                    say!(
                        "  {} decisions could not reach the team folder: they travel when you rejoin",
                        report.unsent
                    );
                }
            }
            Ok(Outcome::Success)
        }
    }
}

fn sync_report(ctx: &Context, report: &SyncReport) -> anyhow::Result<Outcome> {
    if ctx.json {
        print_json(report)?;
    } else {
        say!(
            "{} read, {} applied, {} waiting for their photos or faces, {} conflicts, {} members",
            report.read,
            report.applied,
            report.waiting,
            report.conflicts,
            report.members
        );
        if report.repaired > 0 || report.folded > 0 {
            say!(
                "  this laptop's log repaired: {} records written again, {} conflict copies folded back",
                report.repaired, report.folded
            );
        }
        for e in &report.errors {
            let whose = e
                .login
                .as_deref()
                .map(|l| format!("@{l}'s "))
                .unwrap_or_default();
            let line = e.line.map(|n| format!(", line {n}")).unwrap_or_default();
            say!("  {whose}{}{line}: {}", e.file, e.error);
        }
    }
    Ok(if report.errors.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}
