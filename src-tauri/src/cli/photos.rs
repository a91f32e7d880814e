//! `whoiswho photos [--json]`

use super::{print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<Outcome> {
    let library = super::open_library(ctx)?;
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
