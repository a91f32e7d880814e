//! Draws every visible face of a library's photos with its id, to look at what the face search
//! found and to annotate fixtures by eye:
//! `cargo run -p whoiswho-core --example draw_faces -- LIBRARY OUT_DIR [PHOTO_ID...]`
//! Writes `OUT_DIR/<photo id>.jpg` (the photo at 1600 px, a numbered marker per face).

use std::path::{Path, PathBuf};

use whoiswho_core::export::{render_legend, LegendEntry, LegendInput, LegendText, Named};
use whoiswho_core::imaging::{self, Orientation, PhotoFile};
use whoiswho_core::Library;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(library), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: draw_faces LIBRARY OUT_DIR [PHOTO_ID...]");
        std::process::exit(2);
    };
    let only: Vec<i64> = args.filter_map(|a| a.parse().ok()).collect();
    let library = Library::open(Path::new(&library))?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    for photo in library.read(|c| c.photo_summaries())? {
        if !only.is_empty() && !only.contains(&photo.id) {
            continue;
        }
        let details = library.read(|c| c.photo_details(photo.id))?;
        let faces = library.read(|c| c.faces(photo.id))?;
        let file = PhotoFile::read(
            Path::new(&details.path),
            Orientation::from_exif(details.orientation.into()),
        )?;
        let img = file.decode_displayed(1600)?;
        let entries: Vec<LegendEntry> = faces
            .iter()
            .filter(|f| !f.state.is_hidden())
            .map(|f| LegendEntry {
                number: f.id as u32,
                face_id: f.id,
                row: None,
                face: f.region(),
                person: Named {
                    login: format!("face-{}", f.id),
                    name: None,
                },
            })
            .collect();
        let boxes: Vec<(i64, whoiswho_core::region::Region)> =
            entries.iter().map(|e| (e.face_id, e.face)).collect();
        let (drawn, _) = render_legend(LegendInput {
            photo: &img,
            faces: &boxes,
            entries: &entries,
            text: &LegendText::default(),
            rows: 0,
            panels: 1,
        });
        let path = out.join(format!("{}.jpg", photo.id));
        std::fs::write(&path, imaging::encode_jpeg(&drawn, 85)?)?;
        println!(
            "{} {} faces -> {}",
            details.path,
            entries.len(),
            path.display()
        );
    }
    Ok(())
}
