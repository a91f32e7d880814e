//! Faces: finding them (CenterFace with tract) and the boxes they live in.

mod detector;
pub mod evaluation;
mod region;
mod search;
mod tagging;
mod who_is_who;

pub use detector::{DetectOptions, Detection, FaceDetector, MODEL_SHA256};
pub use region::{suppress_overlaps, Region};
pub use search::{search_library, DetectReport, SEARCH_VERSION};
pub use tagging::{add_box, delete_box, move_box, set_face, tag_box, tag_face, TagError};
pub use who_is_who::{reading_order, who_is_who, WhoEntry};

#[derive(Debug, thiserror::Error)]
pub enum FacesError {
    #[error("the face model is missing at {path} ({source}); run the set-up command (scripts/setup.sh) to fetch it")]
    ModelMissing {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the face model at {path} is damaged ({detail}); delete it and run scripts/setup.sh again"
    )]
    ModelCorrupt { path: String, detail: String },
    #[error("face detection failed: {0}")]
    Inference(String),
}
