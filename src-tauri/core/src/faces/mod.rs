//! Faces: finding them (CenterFace, run by `inference`), the boxes they live in, what people decide
//! about them, and the faces other tools wrote. Knows the catalog, not the library: the
//! library-wide search is a job (`jobs::face_search`).

mod decisions;
mod detector;
pub mod evaluation;
mod imported;
pub mod markers;
mod rows;
mod rows_by_hand;
mod search;
mod search_plan;
mod who_is_who;

pub use crate::region::{suppress_overlaps, Region};
pub use decisions::{
    box_from_team, decide, decide_all, decide_from_team, name_from_team, name_group,
    rejection_from_team, tag_box, tag_face, taggable_person, undo_last, FaceChange, FaceDecision,
    TagError, TeamNaming,
};
pub use detector::{merge, Detection, FaceDetector};
pub use imported::{keep_imported, ImportedFace};
pub use rows::{looks_posed, row_words, Placed};
pub use rows_by_hand::{
    rows_after, rows_by, rows_for_team, rows_from_team, HandRow, PlacedRow, RowChange, RowsBy,
};
pub use search::{search_photo, SearchError, SCORE_THRESHOLD};
pub use search_plan::{Area, Focus, Pass, SearchPlan, SURVEY_LONG_SIDE};
pub use who_is_who::{markers_for, reading_order, row_names, who_is_who, who_is_who_in, WhoEntry};

#[derive(Debug, thiserror::Error)]
pub enum FacesError {
    /// Boxed: a model's errors carry paths and what to do, and a search returns this for
    /// every photo.
    #[error(transparent)]
    Inference(Box<crate::inference::InferenceError>),
    #[error("the photo could not be scaled for the face search: {0}")]
    Scale(#[source] crate::imaging::ImagingError),
}

impl From<crate::inference::InferenceError> for FacesError {
    fn from(e: crate::inference::InferenceError) -> Self {
        Self::Inference(Box::new(e))
    }
}
