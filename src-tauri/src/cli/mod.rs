//! `whoiswho [SUBCOMMAND]`: no subcommand opens the window; each subcommand runs headless on the
//! same core. Exit 0 on success, 1 when some inputs failed, 2 on usage errors.

/// A line for people, on stderr. A closed stderr (`2>&1 | head`) ends nothing: the line is
/// dropped, never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod claims;
mod event;
mod export;
mod faces;
mod index;
mod job;
mod photos;
mod roster;
mod tag;
mod team;
mod undo;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "whoiswho",
    version,
    about = "Put GitHub logins to faces in event photos"
)]
struct Cli {
    /// The library folder (holds library.db and the thumbnail cache).
    #[arg(long, global = true, env = "WHOISWHO_LIBRARY", value_name = "PATH")]
    library: Option<PathBuf>,
    /// Print one JSON document on stdout; human text goes to stderr.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Index photo folders (recursively); unchanged files are skipped.
    Index(index::Args),
    /// List the photos in the library.
    Photos(photos::Args),
    /// Find faces, or list the faces of a photo.
    #[command(subcommand)]
    Faces(faces::Command),
    /// Import or list the attendee roster.
    #[command(subcommand)]
    Roster(roster::Command),
    /// Put a GitHub login on a face (by id) or on a new box.
    Tag(tag::Args),
    /// Attendees' answers from the event repository's issues: import, fetch, list, accept,
    /// reject.
    #[command(subcommand)]
    Claims(claims::Command),
    /// The event the library names: its name, days, place, organizers and repository, used by
    /// the post, the gallery, the legend and the claim links.
    #[command(subcommand)]
    Event(event::Command),
    /// Export figures, a gallery folder, a recap post, XMP sidecars.
    #[command(subcommand)]
    Export(export::Command),
    /// Name an event together: join a team folder, sync, status, leave.
    #[command(subcommand)]
    Team(team::Command),
    /// Take back the last step of face decisions made on this laptop (exit 1: none left).
    Undo,
}

/// How a subcommand ended.
pub enum Outcome {
    Success,
    /// Some inputs failed; the rest was done.
    Partial,
}

/// Everything a subcommand needs from the command line.
pub struct Context {
    pub library_dir: PathBuf,
    pub json: bool,
}

pub fn main() -> i32 {
    let cli = Cli::parse();
    let library_dir = cli.library.unwrap_or_else(crate::default_library_dir);
    let Some(command) = cli.command else {
        return open_window(&library_dir);
    };
    let ctx = Context {
        library_dir,
        json: cli.json,
    };
    let result = match command {
        Command::Index(args) => index::run(&ctx, args),
        Command::Photos(args) => photos::run(&ctx, args),
        Command::Faces(cmd) => faces::run(&ctx, cmd),
        Command::Roster(cmd) => roster::run(&ctx, cmd),
        Command::Tag(args) => tag::run(&ctx, args),
        Command::Event(cmd) => event::run(&ctx, cmd),
        Command::Export(cmd) => export::run(&ctx, cmd),
        Command::Claims(cmd) => claims::run(&ctx, cmd),
        Command::Team(cmd) => team::run(&ctx, cmd),
        Command::Undo => undo::run(&ctx),
    };
    // Whatever the command decided reaches the team folder before it exits (nothing when the
    // library is in no team; what cannot be written waits in the library for the next time).
    let has_library = ctx.library_dir.join("library.db").is_file();
    if let Some(library) = has_library
        .then(|| whoiswho_core::Library::open(&ctx.library_dir).ok())
        .flatten()
    {
        match whoiswho_core::team::flush(&library) {
            Ok(flushed) => {
                for problem in &flushed.problems {
                    say!("whoiswho: warning: {problem}");
                }
            }
            Err(e) => {
                say!("whoiswho: warning: {e:#}; the decisions wait in the library and are written next time")
            }
        }
    }
    match result {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Partial) => 1,
        Err(e) => report_error(&e),
    }
}

/// Opens the window, or says in one line why it cannot (no display: a server, a container, an
/// SSH session) and that the command line does everything; exit 2, as for a usage error.
fn open_window(library_dir: &std::path::Path) -> i32 {
    // Before GTK starts its threads: WebKit reads it from the environment.
    crate::rendering::choose();
    if let Err(why) = display_available() {
        say!(
            "whoiswho: cannot open the window: {why}. Every feature is on the command line: whoiswho --help"
        );
        return 2;
    }
    match crate::app::run(library_dir) {
        Ok(()) => 0,
        Err(e) => report_error(&e),
    }
}

#[cfg(target_os = "linux")]
fn display_available() -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)".into());
    }
    gtk::init().map_err(|_| {
        let display = std::env::var("WAYLAND_DISPLAY")
            .or_else(|_| std::env::var("DISPLAY"))
            .unwrap_or_default();
        format!("the display {display:?} cannot be opened")
    })
}

#[cfg(not(target_os = "linux"))]
fn display_available() -> Result<(), String> {
    Ok(())
}

fn report_error(e: &anyhow::Error) -> i32 {
    say!("whoiswho: error: {e:#}");
    1
}

/// Opens the library named on the command line.
pub fn open_library(ctx: &Context) -> anyhow::Result<whoiswho_core::Library> {
    use anyhow::Context as _;
    whoiswho_core::Library::open(&ctx.library_dir)
        .with_context(|| format!("opening library {}", ctx.library_dir.display()))
}

/// Lists the inputs that failed, and why (stderr, not under `--json`, whose report has them),
/// and says how the command ended: exit 1 when any failed, as the CLI contract asks.
pub fn failures(ctx: &Context, failed: &[whoiswho_core::FailedFile]) -> Outcome {
    if !ctx.json {
        for f in failed {
            say!("  {}: {}", f.path, f.error);
        }
    }
    if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    }
}

/// Prints `text` on stdout (a snippet to paste); a closed pipe drops it quietly.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints `value` as the single JSON document on stdout. A reader that closed the pipe
/// (`whoiswho … --json | head`) has what it wanted: the rest is dropped quietly.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    print_text(&serde_json::to_string_pretty(value)?)
}
