//! The one engine both models run on: ONNX Runtime, its shared library loaded once per process
//! from the file the app ships (sha256-checked, never downloaded, telemetry off); a model file
//! read only when it is the one its card names, its graph edited in memory by what its model
//! asks for (`graph`), and run through a pool of single-threaded sessions. What a model's
//! numbers mean lives beside the model (`faces::detector`, `recognition::embedder`).

mod graph;
mod runtime;
mod session_pool;

pub use graph::{GraphError, OnnxModel};
pub use session_pool::{Session, SessionPool};

use crate::models::{ModelCard, ModelFile, Models, Refused, Remedy};

/// Why a model could not be loaded or run. Each says what the person can do.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
    #[error("{name} is missing at {path} ({source}); {remedy}")]
    Missing {
        name: String,
        path: String,
        source: std::io::Error,
        remedy: Remedy,
    },
    #[error("{name} at {path} is not the file whoiswho ships (its sha256 is {found}, expected {expected}); {remedy}")]
    Altered {
        name: String,
        path: String,
        found: String,
        expected: String,
        remedy: Remedy,
    },
    #[error("ONNX Runtime at {path} could not be started ({detail}); {remedy}")]
    Unusable {
        path: String,
        detail: String,
        remedy: Remedy,
    },
    #[error("{name} at {path} cannot be read as a model: {source}")]
    Graph {
        name: String,
        path: String,
        source: GraphError,
    },
    #[error("ONNX Runtime cannot run {name}: {detail}")]
    Model { name: String, detail: String },
    #[error("{name} failed: {detail}")]
    Run { name: String, detail: String },
}

impl InferenceError {
    /// A model's run failed (bad output, a runtime error).
    pub fn run(card: &ModelCard, detail: impl ToString) -> Self {
        Self::Run {
            name: card.name.clone(),
            detail: detail.to_string(),
        }
    }
}

/// How a model's sessions are set up, beyond what every model gets (full graph optimization,
/// one thread per session, no spinning).
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionSettings {
    /// Let the graph optimizer expand quantized weights (`DequantizeLinear` on constants) into
    /// plain weights once, at load. ONNX Runtime keeps such nodes by default, to fuse them into
    /// quantized kernels; where there are none, they would dequantize every weight on every run.
    pub fold_quantized_weights: bool,
}

/// Loads the model `card` names from `file`, after the runtime from `models.runtime`: both
/// checked by sha256 first. `prepare` edits the model's graph in memory (the file on disk is
/// never changed).
pub fn load(
    card: &'static ModelCard,
    file: &ModelFile,
    models: &Models,
    prepare: impl FnOnce(&mut OnnxModel<'_>) -> Result<(), GraphError>,
    settings: SessionSettings,
) -> Result<SessionPool, InferenceError> {
    let bytes = read_checked(card, file)?;
    let runtime = runtime::load(&models.runtime)?;
    let graph_error = |source| InferenceError::Graph {
        name: card.name.clone(),
        path: file.path.display().to_string(),
        source,
    };
    let mut model = OnnxModel::read(&bytes).map_err(graph_error)?;
    prepare(&mut model).map_err(graph_error)?;
    SessionPool::new(runtime, card, model.encode(), settings)
}

/// The file's bytes, if it is the one `card` names.
pub(crate) fn read_checked(card: &ModelCard, file: &ModelFile) -> Result<Vec<u8>, InferenceError> {
    let path = file.path.display().to_string();
    card.read_checked(&file.path)
        .map_err(|refused| match refused {
            Refused::Missing(source) => InferenceError::Missing {
                name: card.name.clone(),
                path,
                source,
                remedy: file.remedy.clone(),
            },
            Refused::Altered { found } => InferenceError::Altered {
                name: card.name.clone(),
                path,
                found,
                expected: card.sha256.clone(),
                remedy: file.remedy.clone(),
            },
        })
}
