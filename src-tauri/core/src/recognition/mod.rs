//! Who a face looks like: each face is aligned to the model's 112×112 template from its five
//! landmarks and turned into an SFace embedding (128 numbers); two faces of one person have
//! embeddings pointing the same way (cosine similarity near 1), strangers do not.
//!
//! Knows pixels and the model, not the catalog: which faces to embed, and what a match means for
//! suggestions, are decided by the jobs and people modules that use it.

mod alignment;
mod embedder;
mod embedding;

pub use alignment::{align, place_box, ALIGNED_SIZE};
pub use embedder::{FaceEmbedder, MODEL_VERSION};
pub use embedding::{Embedding, EMBEDDING_LEN};
