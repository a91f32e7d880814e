//! `whoiswho photos [--person LOGIN]... [--untagged] [--json]`

use whoiswho_core::catalog::PhotoFilter;

use super::{print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Only photos of @LOGIN; repeat for photos with all of them (@a and @b).
    #[arg(long = "person", value_name = "LOGIN")]
    people: Vec<String>,
    /// Only photos with faces nobody has tagged or dismissed yet.
    #[arg(long)]
    untagged: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = super::open_library(ctx)?;
    let catalog = library.catalog()?;
    let people: Vec<String> = args
        .people
        .iter()
        .map(|l| l.trim_start_matches('@').to_string())
        .collect();
    for login in &people {
        if catalog.person(login)?.is_none() {
            say!("warning: @{login} is not in the roster");
        }
    }
    let filter = PhotoFilter {
        untagged: args.untagged,
        people,
    };
    let photos = catalog.filtered_photo_summaries(&filter)?;
    if ctx.json {
        print_json(&photos)?;
    } else {
        for p in &photos {
            say!(
                "{:>6}  {}x{}  {}  {}{}",
                p.id,
                p.width,
                p.height,
                p.taken_at.as_deref().unwrap_or("-"),
                p.path,
                if p.missing { "  (missing)" } else { "" }
            );
        }
        say!("{} photos", photos.len());
    }
    Ok(Outcome::Success)
}
