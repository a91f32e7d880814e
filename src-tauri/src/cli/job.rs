//! Running a background job from the command line: on this thread, through the same registry
//! as the window, with its progress on one line of an interactive stderr.

use std::sync::Arc;

use anyhow::Context as _;
use whoiswho_core::jobs::{AvatarsRequest, JobEvent, JobOutcome, JobRequest, Jobs};
use whoiswho_core::{IndexPhase, Library};

use super::Context;

/// Runs `request` on `library` and returns how it ended (cancelled or not, with its report).
pub fn run_job(ctx: &Context, library: Library, request: JobRequest) -> anyhow::Result<JobOutcome> {
    let jobs = Jobs::new(Arc::new(library), crate::models());
    let line = ProgressLine::new(ctx);
    let progress = |event: JobEvent| {
        if let Some(text) = progress_text(&event) {
            line.show(&text);
        }
    };
    let outcome = jobs.run(&request, &progress).context(doing(&request))?;
    line.finish();
    Ok(outcome)
}

/// The job's report, when it is the one `request` gives; the registry answers a request with
/// its own kind of report, so anything else is a fault of this program.
pub fn report_of<T>(
    outcome: JobOutcome,
    pick: impl FnOnce(JobOutcome) -> Option<T>,
) -> anyhow::Result<T> {
    let described = format!("{outcome:?}");
    pick(outcome).ok_or_else(|| anyhow::anyhow!("internal: unexpected job report {described}"))
}

fn doing(request: &JobRequest) -> &'static str {
    match request {
        JobRequest::Index { .. } => "indexing",
        JobRequest::FaceSearch { .. } => "searching for faces",
        JobRequest::Recognition => "recognizing faces",
        JobRequest::Avatars(AvatarsRequest::Fetch { .. }) => "fetching avatars",
        JobRequest::Avatars(AvatarsRequest::Folder(_)) => "importing avatars",
    }
}

fn progress_text(event: &JobEvent) -> Option<String> {
    Some(match event {
        JobEvent::Indexing(p) if p.phase == IndexPhase::Indexing => {
            format!("indexing {}/{}", p.done, p.total)
        }
        JobEvent::Searching(p) => format!(
            "searching for faces {}/{} ({} found)",
            p.done, p.total, p.faces
        ),
        JobEvent::Embedding(p) => format!("recognizing faces {}/{}", p.done, p.total),
        JobEvent::Avatars(p) => format!("avatars {}/{}", p.done, p.total),
        _ => return None,
    })
}

/// One line of progress on an interactive stderr, rewritten in place; silent under `--json`
/// or when stderr is not a terminal.
struct ProgressLine {
    shown: bool,
}

impl ProgressLine {
    fn new(ctx: &Context) -> Self {
        use std::io::IsTerminal;
        Self {
            shown: !ctx.json && std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, text: &str) {
        use std::io::Write;
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{text} ").and_then(|()| err.flush());
        }
    }

    /// Ends the line so the summary starts on a fresh one.
    fn finish(&self) {
        if self.shown {
            say!();
        }
    }
}
