//! XMP face regions: reading the ones other tools wrote (MWG regions, or Microsoft's
//! `MP:RegionInfo`), writing MWG regions and IPTC person fields to sidecars, and the one
//! conversion between displayed and stored image coordinates that MWG needs.

mod coordinates;
mod embedded;
mod read;
mod write;

pub use coordinates::{convert, Direction, StoredSpace};
pub use embedded::embedded_xmp;
pub use read::{read_regions, XmpRegion};
pub use write::{sidecar_xmp, SidecarPerson, SidecarRegion};

/// XMP larger than this is refused unread: real face metadata is a few KB.
pub const MAX_XMP_BYTES: usize = 4 << 20;

#[derive(Debug, thiserror::Error)]
pub enum XmpError {
    #[error("XMP is not well-formed: {0}")]
    Malformed(String),
    #[error("XMP is {0} bytes, over the {MAX_XMP_BYTES} byte limit")]
    TooLarge(usize),
    #[error("cannot write XMP: {0}")]
    Write(String),
}
