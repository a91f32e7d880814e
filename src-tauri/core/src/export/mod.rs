//! Getting names out of the library: figures, "who is who" images, the gallery and XMP
//! sidecars. Who may be named and who is blurred is not decided here: every export reads
//! `crate::publication`.

mod figure;
mod file_names;
mod gallery;
mod legend;
mod output;
mod post;
mod sidecars;
mod snippet;
mod words;

pub use crate::publication::Named;
pub use figure::{
    default_alt, default_caption, export_figure, figure_draft, preview_figure, Crop, FigureDraft,
    FigureExport, FigureOptions, PixelsFrom,
};
pub use file_names::safe_file_name;
pub use gallery::{export_gallery, GalleryReport};
pub use legend::{
    render_legend, Area, DrawnBox, LegendEntry, LegendInput, LegendLayout, LegendLine, LegendText,
    PhotoArea,
};
pub use post::{
    compose, export_post, is_date, ComposedFigure, ComposedPost, HandEdits, PostFormat,
    PostProblem, PostReport, PostSpec, ALT_MAX_CHARS,
};
pub use sidecars::{export_sidecars, SidecarReport};
pub use snippet::{html_escape, snippet, FigureText, SnippetKind};

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error("cannot create the export folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Imaging {
        path: String,
        source: crate::imaging::ImagingError,
    },
    /// Neither the original nor a cached rendition of the photo could be had.
    #[error("no image of the photo to export: {0}")]
    Rendition(#[source] crate::library::LibraryError),
    #[error("gallery template: {0}")]
    Template(String),
    #[error("{0}: only .jpg, .jpeg and .png can be written")]
    Format(String),
    #[error(transparent)]
    Post(#[from] post::PostProblem),
    #[error("{0:?} is not a GitHub repository: write OWNER/REPO")]
    Repo(String),
    /// Files of the bundle changed since the last export: writing would lose the change.
    #[error(
        "{} in {dir} changed since the last export, and exporting would replace {}",
        list_files(files), if files.len() == 1 { "it" } else { "them" }
    )]
    EditedByHand { dir: String, files: Vec<String> },
}

fn list_files(files: &[String]) -> String {
    match files {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => "no file".into(),
    }
}

/// Encodes for the file's extension: JPEG (no metadata) or PNG.
pub(crate) fn encode_for(
    path: &Path,
    img: &image::RgbImage,
    quality: u8,
) -> Result<Vec<u8>, ExportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let imaging_err = |source| ExportError::Imaging {
        path: path.display().to_string(),
        source,
    };
    match ext.as_str() {
        "jpg" | "jpeg" => crate::imaging::encode_jpeg(img, quality).map_err(imaging_err),
        "png" => {
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png)
                .map_err(|e| imaging_err(crate::imaging::ImagingError::Encode(e.to_string())))?;
            Ok(out.into_inner())
        }
        _ => Err(ExportError::Format(path.display().to_string())),
    }
}

/// Writes whole or not at all (a temporary file renamed into place), creating the folder.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic_file::write(path, bytes, crate::atomic_file::Durability::Replaceable).map_err(
        |source| ExportError::Write {
            path: path.display().to_string(),
            source,
        },
    )
}

/// What an export would publish, before it runs: the dry-run summary the organizer confirms.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    pub photos: u64,
    pub photos_with_faces: u64,
    /// Attendees who will be named somewhere.
    pub named_people: u64,
    /// Attendees who chose `no-publish` and appear on a photo: blurred and unnamed.
    pub blurred_people: u64,
    /// Their faces, all blurred.
    pub blurred_faces: u64,
}

pub fn export_summary(library: &crate::library::Library) -> Result<ExportSummary, ExportError> {
    let photos = library.read(|c| c.photo_summaries())?;
    let publication = crate::publication::Publication::load(library)?;
    let mut reach = crate::publication::Reach::default();
    let mut photos_with_faces = 0;
    for p in photos.iter().filter(|p| p.faces > 0) {
        photos_with_faces += 1;
        publication.add_to_reach(&library.read(|c| c.faces(p.id))?, &mut reach);
    }
    Ok(ExportSummary {
        photos: photos.len() as u64,
        photos_with_faces,
        named_people: reach.named_people(),
        blurred_people: reach.blurred_people(),
        blurred_faces: reach.blurred_faces(),
    })
}
