//! Who a face looks like: each face is aligned to the model's 112×112 template from its five
//! landmarks and turned into an SFace embedding (128 numbers); two faces of one person have
//! embeddings pointing the same way (cosine similarity near 1), strangers do not.
//!
//! Knows pixels and the model, not the catalog: which faces to embed, and what a match means for
//! suggestions, are decided by the jobs and people modules that use it.

mod alignment;
mod embedder;
mod rewrite;

pub use alignment::{align, place_box, ALIGNED_SIZE};
pub use embedder::{Embedding, FaceEmbedder, EMBEDDING_LEN, MODEL_SHA256, MODEL_VERSION};

#[derive(Debug, thiserror::Error)]
pub enum RecognitionError {
    #[error("the recognition model is missing at {path} ({source}); run the set-up command (scripts/setup.sh) to fetch it")]
    ModelMissing {
        path: String,
        source: std::io::Error,
    },
    #[error("the recognition model at {path} is damaged ({detail}); delete it and run scripts/setup.sh again")]
    ModelCorrupt { path: String, detail: String },
    #[error("face embedding failed: {0}")]
    Inference(String),
}
