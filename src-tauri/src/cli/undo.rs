//! `whoiswho undo`: takes back the last step of face decisions made on this laptop (in the
//! window or on the command line), as the window's Ctrl+Z does; the team hears of it like any
//! decision.

use whoiswho_core::faces::undo_last;

use super::{open_library, print_json, Context, Outcome};

pub fn run(ctx: &Context) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    let Some(changes) = undo_last(&mut library.catalog()?)? else {
        say!("whoiswho: nothing to undo");
        if ctx.json {
            print_json(&Vec::<whoiswho_core::catalog::Face>::new())?;
        }
        return Ok(Outcome::Partial);
    };
    let faces: Vec<_> = changes.iter().filter_map(|(_, c)| c.face.clone()).collect();
    if ctx.json {
        print_json(&faces)?;
    } else {
        for (_, c) in &changes {
            match &c.face {
                Some(f) => say!(
                    "face {} is back to {:?}{}",
                    f.id,
                    f.state,
                    f.login
                        .as_deref()
                        .map(|l| format!(", @{l}"))
                        .unwrap_or_default()
                ),
                None => say!("face {} removed again", c.face_id),
            }
        }
    }
    Ok(Outcome::Success)
}
