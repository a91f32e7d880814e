//! `whoiswho photos [--json]`

use anyhow::Context as _;
use whoiswho_core::Library;

use super::{print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<Outcome> {
    let library = Library::open(&ctx.library_dir)
        .with_context(|| format!("opening library {}", ctx.library_dir.display()))?;
    let photos = library.catalog()?.photo_summaries()?;
    if ctx.json {
        print_json(&photos)?;
    } else {
        for p in &photos {
            eprintln!(
                "{:>6}  {}x{}  {}  {}{}",
                p.id,
                p.width,
                p.height,
                p.taken_at.as_deref().unwrap_or("-"),
                p.path,
                if p.missing { "  (missing)" } else { "" }
            );
        }
        eprintln!("{} photos", photos.len());
    }
    Ok(Outcome::Success)
}
