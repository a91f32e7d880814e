//! `whoiswho faces detect [--json]`, `whoiswho faces list PHOTO [--json]`

use anyhow::Context as _;
use whoiswho_core::jobs::JobEvent;

use super::{open_library, print_json, Context, Outcome, ProgressLine};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Search every photo not searched yet (resumes where a previous run stopped).
    Detect {
        /// Search every photo again; boxes a person made, confirmed or tagged are kept.
        #[arg(long)]
        again: bool,
    },
    /// List the face boxes of a photo (id or file path).
    List {
        #[arg(value_name = "PHOTO")]
        photo: String,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    match cmd {
        Command::Detect { again } => {
            let jobs = super::jobs_for(library);
            let line = ProgressLine::new(ctx);
            let progress = |e: JobEvent| {
                if let JobEvent::Searching(p) = e {
                    line.show(format_args!(
                        "searching for faces {}/{} ({} found)",
                        p.done, p.total, p.faces
                    ));
                }
            };
            let report = jobs
                .search_faces(again, &progress)
                .context("searching for faces")?;
            line.finish();
            if ctx.json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "{} photos searched, {} faces found",
                    report.photos, report.faces
                );
            }
            Ok(super::failures(ctx, &report.failed))
        }
        Command::List { photo } => {
            let id = library.resolve_photo(&photo)?;
            let faces = library.read(|c| c.faces(id))?;
            if ctx.json {
                print_json(&faces)?;
            } else {
                for f in &faces {
                    eprintln!(
                        "{:>6}  x={:.3} y={:.3} w={:.3} h={:.3}  {:?}/{:?}  {}",
                        f.id,
                        f.x,
                        f.y,
                        f.w,
                        f.h,
                        f.source,
                        f.state,
                        f.login
                            .as_deref()
                            .map(|l| format!("@{l}"))
                            .unwrap_or_default()
                    );
                }
                eprintln!("{} faces", faces.len());
            }
            Ok(Outcome::Success)
        }
    }
}
