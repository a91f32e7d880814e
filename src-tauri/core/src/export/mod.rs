//! Getting names out of the library: XMP sidecars other photo tools read. Consent is applied
//! here, once, for every export: `no-publish` attendees are never named in an exported file.

mod file_names;
mod sidecars;

pub use file_names::safe_file_name;
pub use sidecars::{export_sidecars, SidecarReport};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error("cannot create the export folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}
