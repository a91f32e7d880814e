//! `whoiswho faces detect|list|suggest|groups|accept|reject|mark|untag|delete|row`

use std::collections::HashMap;

use whoiswho_core::catalog::Face;
use whoiswho_core::faces::{decide, FaceDecision, TagError};
use whoiswho_core::jobs::{JobOutcome, JobRequest};
use whoiswho_core::library::Library;
use whoiswho_core::publication::Publication;

use super::job::{report_of, run_job};
use super::{open_library, print_json, Context, Outcome};

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
    /// Recognize faces: embed every face that has none yet, then refresh suggestions and groups.
    Suggest,
    /// List the groups of alike faces waiting for a name, largest first.
    Groups,
    /// Make a face's suggestion its confirmed login (exit 1 when it has none).
    Accept {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
    },
    /// Say a face is not the person suggested; they are never suggested for it again.
    Reject {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
    },
    /// Mark a box: `not-a-face` (hidden, and a later search keeps it out) or `ignore` (a real
    /// face nobody needs to name, such as a stranger in the background).
    Mark {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
        #[arg(value_name = "not-a-face|ignore")]
        mark: Mark,
    },
    /// Take the login off a face; it waits for one again.
    Untag {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
    },
    /// Remove a box (a detector's box is marked "not a face" instead).
    Delete {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
    },
    /// Fix the photo's rows by hand, where the rule reads them wrong: move the face to the row
    /// `up` or `down` (a new row past the back or front one), read the photo `left-to-right`,
    /// or give it back to the rule (`by-rule`). Every output follows; `whoiswho undo` takes it
    /// back. Prints the photo's faces as `faces list` does.
    Row {
        #[arg(value_name = "PHOTO")]
        photo: String,
        #[arg(value_name = "FACE_ID")]
        face: i64,
        #[arg(value_name = "up|down|left-to-right|by-rule")]
        how: RowMove,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RowMove {
    Up,
    Down,
    LeftToRight,
    ByRule,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Mark {
    NotAFace,
    Ignore,
}

/// A face as `faces list --json` prints it: the catalog's fields, its row and its legend number.
#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    face: &'a Face,
    /// 1-based from the top; `null` when hidden or on a photo read left to right.
    row: Option<u32>,
    /// Its number in the "who is who" legend; `null` when it is not named there.
    number: Option<u32>,
}

fn listed<'a>(library: &Library, faces: &'a [Face]) -> anyhow::Result<Vec<Listed<'a>>> {
    let publication = Publication::load(library)?;
    let order = whoiswho_core::faces::reading_order(faces);
    let numbers: HashMap<i64, u32> =
        whoiswho_core::faces::who_is_who_in(&order, faces, |f| publication.may_name_face(f))
            .into_iter()
            .map(|e| (e.face_id, e.number))
            .collect();
    let rows: HashMap<i64, Option<u32>> = order.into_iter().map(|p| (p.face_id, p.row)).collect();
    Ok(faces
        .iter()
        .map(|face| Listed {
            face,
            row: rows.get(&face.id).copied().flatten(),
            number: numbers.get(&face.id).copied(),
        })
        .collect())
}

pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;

    match cmd {
        Command::Detect { again } => {
            let outcome = run_job(ctx, library, JobRequest::FaceSearch { again })?;
            let report = report_of(outcome, |o| match o {
                JobOutcome::Searched(r) => Some(r),
                _ => None,
            })?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} photos searched, {} faces found",
                    report.photos,
                    report.faces
                );
            }
            Ok(super::failures(ctx, &report.failed))
        }
        Command::List { photo } => {
            let id = library.resolve_photo(&photo)?;
            let faces = library.read(|c| c.faces(id))?;
            if ctx.json {
                print_json(&listed(&library, &faces)?)?;
            } else {
                for f in &faces {
                    say!(
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
                say!("{} faces", faces.len());
            }
            Ok(Outcome::Success)
        }
        Command::Suggest => {
            let outcome = run_job(ctx, library, JobRequest::Recognition)?;
            let report = report_of(outcome, |o| match o {
                JobOutcome::Recognized(r) => Some(r),
                _ => None,
            })?;
            if ctx.json {
                print_json(&report)?;
            } else {
                say!(
                    "{} faces embedded; {} faces have a suggestion; {} groups of unnamed faces",
                    report.embedded,
                    report.suggested,
                    report.groups
                );
            }
            Ok(super::failures(ctx, &report.failed))
        }
        Command::Groups => {
            let groups = library.read(whoiswho_core::suggestions::groups)?;
            if ctx.json {
                print_json(&groups)?;
            } else {
                for g in &groups {
                    say!(
                        "group {:>4}: {} faces{}",
                        g.id,
                        g.size,
                        g.suggestion
                            .as_deref()
                            .map(|l| format!(", looks like @{l}"))
                            .unwrap_or_default()
                    );
                }
                say!("{} groups", groups.len());
            }
            Ok(Outcome::Success)
        }
        Command::Accept { photo, face } => {
            judge(ctx, &library, &photo, FaceDecision::Accept { face })
        }
        Command::Reject { photo, face } => {
            judge(ctx, &library, &photo, FaceDecision::Reject { face })
        }
        Command::Mark { photo, face, mark } => {
            let decision = match mark {
                Mark::NotAFace => FaceDecision::NotAFace { face },
                Mark::Ignore => FaceDecision::Ignore { face },
            };
            decided(ctx, &library, &photo, decision)
        }
        Command::Untag { photo, face } => {
            decided(ctx, &library, &photo, FaceDecision::Untag { face })
        }
        Command::Delete { photo, face } => {
            decided(ctx, &library, &photo, FaceDecision::Delete { face })
        }
        Command::Row { photo, face, how } => {
            let decision = match how {
                RowMove::Up => FaceDecision::MoveRow { face, up: true },
                RowMove::Down => FaceDecision::MoveRow { face, up: false },
                RowMove::LeftToRight => FaceDecision::LeftToRight { face },
                RowMove::ByRule => FaceDecision::RowsByRule { face },
            };
            let id = library.resolve_photo(&photo)?;
            decide(&mut library.catalog()?, id, &decision)?;
            let faces = library.read(|c| c.faces(id))?;
            let listed = listed(&library, &faces)?;
            if ctx.json {
                print_json(&listed)?;
            } else {
                say!("{}", rows_in_words(&listed));
            }
            Ok(Outcome::Success)
        }
    }
}

/// "row 1: faces 12, 14; row 2: faces 3, 9, 10", or "left to right: faces …".
fn rows_in_words(listed: &[Listed<'_>]) -> String {
    let mut shown: Vec<&Listed<'_>> = listed
        .iter()
        .filter(|l| !l.face.state.is_hidden())
        .collect();
    shown.sort_by(|a, b| {
        a.row
            .cmp(&b.row)
            .then((a.face.x + a.face.w / 2.0).total_cmp(&(b.face.x + b.face.w / 2.0)))
    });
    let mut parts: Vec<(Option<u32>, Vec<String>)> = Vec::new();
    for l in shown {
        let id = l.face.id.to_string();
        match parts.last_mut() {
            Some((row, ids)) if *row == l.row => ids.push(id),
            _ => parts.push((l.row, vec![id])),
        }
    }
    parts
        .into_iter()
        .map(|(row, ids)| match row {
            Some(r) => format!("row {r}: faces {}", ids.join(", ")),
            None => format!("left to right: faces {}", ids.join(", ")),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Makes one decision about a face and prints the face as it now is (`null` once deleted).
fn decided(
    ctx: &Context,
    library: &whoiswho_core::Library,
    photo: &str,
    decision: FaceDecision,
) -> anyhow::Result<Outcome> {
    let id = library.resolve_photo(photo)?;
    let change = decide(&mut library.catalog()?, id, &decision)?;
    if ctx.json {
        print_json(&change.face)?;
    } else {
        match &change.face {
            Some(f) => say!(
                "face {}: {:?}{}",
                f.id,
                f.state,
                f.login
                    .as_deref()
                    .map(|l| format!(", @{l}"))
                    .unwrap_or_default()
            ),
            None => say!("face {} removed", change.face_id),
        }
    }
    Ok(Outcome::Success)
}

/// Accepts or rejects a face's suggestion; a face with none is exit 1, not an error.
fn judge(
    ctx: &Context,
    library: &whoiswho_core::Library,
    photo: &str,
    decision: FaceDecision,
) -> anyhow::Result<Outcome> {
    let id = library.resolve_photo(photo)?;
    let mut catalog = library.catalog()?;
    let change = match decide(&mut catalog, id, &decision) {
        Err(TagError::NoSuggestion(face)) => {
            say!("whoiswho: face {face} has no suggestion");
            return Ok(Outcome::Partial);
        }
        other => other?,
    };
    if ctx.json {
        print_json(&change.face)?;
    } else if let Some(f) = &change.face {
        match (&f.login, &decision) {
            (Some(login), FaceDecision::Accept { .. }) => {
                say!("face {} is now @{login}", f.id)
            }
            _ => say!("face {}: suggestion rejected", f.id),
        }
    }
    Ok(Outcome::Success)
}
