//! `whoiswho tag PHOTO FACE_ID LOGIN`, `whoiswho tag PHOTO --box x,y,w,h LOGIN`

use anyhow::bail;
use whoiswho_core::faces::{tag_box, tag_face, Region};

use super::{open_library, print_json, Context, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Photo id or file path.
    #[arg(value_name = "PHOTO")]
    photo: String,
    /// A new box as x,y,w,h: fractions 0..1 of the displayed photo, top-left origin.
    #[arg(long = "box", value_name = "x,y,w,h", allow_hyphen_values = false)]
    region: Option<String>,
    /// FACE_ID LOGIN, or just LOGIN with --box.
    #[arg(value_name = "FACE_ID LOGIN", num_args = 1..=2, required = true)]
    rest: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Outcome> {
    let library = open_library(ctx)?;
    let photo = library.resolve_photo(&args.photo)?;
    let mut catalog = library.catalog()?;
    let face = match (&args.region, args.rest.as_slice()) {
        (Some(spec), [login]) => tag_box(&mut catalog, photo, parse_box(spec)?, login)?,
        (None, [face, login]) => {
            let Ok(face_id) = face.parse::<i64>() else {
                usage(&format!("FACE_ID must be a number, got {face:?}"));
            };
            tag_face(&mut catalog, photo, face_id, login)?
        }
        (Some(_), _) => usage("with --box, give only the LOGIN"),
        (None, _) => usage("give FACE_ID and LOGIN, or --box x,y,w,h and LOGIN"),
    };
    if ctx.json {
        print_json(&face)?;
    } else {
        eprintln!(
            "face {} is now @{}",
            face.id,
            face.login.as_deref().unwrap_or("?")
        );
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
    eprintln!("whoiswho tag: {message}");
    std::process::exit(2)
}
