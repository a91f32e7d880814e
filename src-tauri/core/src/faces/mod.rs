//! Faces: finding them (CenterFace with ONNX Runtime), the boxes they live in, what people decide
//! about them, and the faces other tools wrote. Knows the catalog, not the library: the
//! library-wide search is a job (`jobs::face_search`).

mod decisions;
mod detector;
pub mod evaluation;
mod imported;
mod onnx_runtime;
mod search;
mod search_plan;
mod who_is_who;

pub use crate::region::{suppress_overlaps, Region};
pub use decisions::{
    decide, decide_all, name_group, tag_box, tag_face, FaceChange, FaceDecision, TagError,
};
pub use detector::{merge, Detection, FaceDetector, MODEL_SHA256};
pub use imported::{keep_imported, ImportedFace};
pub use onnx_runtime::RuntimeError;
pub use search::{search_photo, SearchError, SCORE_THRESHOLD};
pub use search_plan::{Area, Focus, Pass, SearchPlan, SURVEY_LONG_SIDE};
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
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error("the photo could not be scaled for the face search: {0}")]
    Scale(#[source] crate::imaging::ImagingError),
}
