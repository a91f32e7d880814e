//! `whoiswho event [--json]`, `whoiswho event set [--name N] [--start D] [--end D] [--place P]
//! [--repo OWNER/REPO] [--organizer NAME ...]`: the event the library names, set once and used by
//! the post (captions, alt texts, authors), the gallery's and the legend's titles and the claim
//! links.

use whoiswho_core::catalog::Event;

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Show the event.
    Show,
    /// Set what is given; the rest stays as it was.
    Set {
        #[arg(long)]
        name: Option<String>,
        /// The first day, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: Option<String>,
        /// The last day, YYYY-MM-DD (empty: a one-day event).
        #[arg(long, value_name = "YYYY-MM-DD")]
        end: Option<String>,
        #[arg(long)]
        place: Option<String>,
        /// Where attendees answer the gallery's links (empty: none).
        #[arg(long, value_name = "OWNER/REPO")]
        repo: Option<String>,
        /// An organizer as the byline names them, "Paco Xu (DaoCloud)" (repeat; replaces the
        /// list): the post's authors until the post names its own.
        #[arg(long = "organizer", value_name = "NAME")]
        organizers: Vec<String>,
    },
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    let event = match cmd {
        Command::Show => library.read(|c| c.event())?,
        Command::Set {
            name,
            start,
            end,
            place,
            repo,
            organizers,
        } => {
            let mut catalog = library.catalog()?;
            catalog.write(|w| {
                let mut event = w.event()?;
                if let Some(n) = name {
                    event.name = n;
                }
                if let Some(s) = start {
                    event.start = s;
                }
                if let Some(e) = end {
                    event.end = e;
                }
                if let Some(p) = place {
                    event.place = p;
                }
                if let Some(r) = repo {
                    event.repository = Some(r);
                }
                if !organizers.is_empty() {
                    event.organizers = organizers;
                }
                let event = whoiswho_core::event::checked(event)?;
                w.set_event(&event)?;
                Ok::<Event, anyhow::Error>(event)
            })?
        }
    };
    if ctx.json {
        print_json(&event)?;
    } else {
        say!("{}", describe(&event));
    }
    Ok(Outcome::Success)
}

/// "KCS Shanghai 2023, 2023-09-26, Shanghai; organized by Paco Xu (DaoCloud); answers in
/// kubernetes/community".
fn describe(e: &Event) -> String {
    let mut parts = vec![e.title().unwrap_or("(no name)").to_string()];
    match (e.start.as_str(), e.end.as_str()) {
        ("", _) => {}
        (s, "") => parts.push(s.to_string()),
        (s, end) => parts.push(format!("{s} to {end}")),
    }
    if !e.place.is_empty() {
        parts.push(e.place.clone());
    }
    let mut s = parts.join(", ");
    if !e.organizers.is_empty() {
        s.push_str(&format!("; organized by {}", e.organizers.join(", ")));
    }
    if let Some(r) = &e.repository {
        s.push_str(&format!("; answers in {r}"));
    }
    s
}
