//! `whoiswho tag PHOTO FACE_ID LOGIN`, `whoiswho tag PHOTO --box x,y,w,h LOGIN`,
//! `whoiswho tag --group G LOGIN`

use anyhow::bail;
use whoiswho_core::catalog::Face;
use whoiswho_core::faces::{name_group, tag_box, tag_face, Region};

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// A new box as x,y,w,h: fractions 0..1 of the displayed photo, top-left origin.
    #[arg(long = "box", value_name = "x,y,w,h", allow_hyphen_values = false)]
    region: Option<String>,
    /// Name every face of this group (see `whoiswho faces groups`).
    #[arg(long, value_name = "G", conflicts_with = "region")]
    group: Option<i64>,
    /// PHOTO FACE_ID LOGIN; PHOTO LOGIN with --box; LOGIN with --group. PHOTO is an id or a
    /// file path.
    #[arg(value_name = "PHOTO FACE_ID LOGIN", num_args = 1..=3, required = true)]
    values: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    let mut catalog = library.catalog()?;
    let faces: Vec<Face> = match (args.group, &args.region, args.values.as_slice()) {
        (Some(group), None, [login]) => name_group(&mut catalog, group, login)?
            .into_iter()
            .filter_map(|(_, change)| change.face)
            .collect(),
        (Some(_), _, _) => usage("with --group, give only the LOGIN"),
        (None, Some(spec), [photo, login]) => {
            let photo = library.resolve_photo(photo)?;
            vec![tag_box(&mut catalog, photo, parse_box(spec)?, login)?]
        }
        (None, None, [photo, face, login]) => {
            let photo = library.resolve_photo(photo)?;
            let Ok(face_id) = face.parse::<i64>() else {
                usage(&format!("FACE_ID must be a number, got {face:?}"));
            };
            vec![tag_face(&mut catalog, photo, face_id, login)?]
        }
        (None, Some(_), _) => usage("with --box, give PHOTO and LOGIN"),
        (None, None, _) => {
            usage("give PHOTO FACE_ID LOGIN, PHOTO --box x,y,w,h LOGIN, or --group G LOGIN")
        }
    };
    if ctx.json {
        match faces.as_slice() {
            [face] if args.group.is_none() => print_json(face)?,
            _ => print_json(&faces)?,
        }
    } else {
        for face in &faces {
            say!(
                "face {} is now @{}",
                face.id,
                face.login.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(Outcome::Success)
}

fn parse_box(spec: &str) -> anyhow::Result<Region> {
    let v: Vec<f64> = spec
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let [x, y, w, h] = v.as_slice() else {
        bail!("--box wants four numbers x,y,w,h (fractions 0..1), got {spec:?}");
    };
    Ok(Region {
        x: *x,
        y: *y,
        w: *w,
        h: *h,
    })
}

/// Usage errors exit 2, as clap's own do.
fn usage(message: &str) -> ! {
    say!("whoiswho tag: {message}");
    std::process::exit(2)
}
