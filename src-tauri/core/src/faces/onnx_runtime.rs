//! ONNX Runtime, the engine CenterFace runs on (about three times tract's speed on the same
//! model): its shared library loaded once per process from the file the app ships beside the
//! models, checked by sha256 first (never downloaded, telemetry off), and a pool of sessions
//! of one model, so that the tiles of a search run side by side.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::models::{Refused, ONNX_RUNTIME};
use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

/// Why ONNX Runtime could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("ONNX Runtime is missing at {path} ({reason}); run the set-up command (scripts/setup.sh) to fetch it")]
    Missing { path: String, reason: String },
    #[error("ONNX Runtime at {path} is not the file whoiswho ships (sha256 is {found}, expected {expected}); delete it and run scripts/setup.sh again")]
    Altered {
        path: String,
        found: String,
        expected: &'static str,
    },
    #[error("ONNX Runtime at {path} could not be started: {detail}")]
    Unusable { path: String, detail: String },
    #[error("ONNX Runtime cannot run the face model: {0}")]
    Model(String),
    #[error("ONNX Runtime failed on a tile: {0}")]
    Run(String),
}

/// The environment of the one library this process loaded.
pub struct Runtime {
    environment: Environment,
}

/// The runtime this process loaded, and the file it came from. Only a success is kept: a
/// missing or altered file can be mended and loaded later.
static LOADED: Mutex<Option<(PathBuf, &'static Runtime)>> = Mutex::new(None);

/// Loads the library at `library` unless this process already did. A process can hold only one
/// library: a later call naming another file has that file checked like the first, then gets
/// the runtime already loaded.
pub fn load(library: &Path) -> Result<&'static Runtime, RuntimeError> {
    let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((path, runtime)) = loaded.as_ref() {
        if path != library {
            check(library)?;
        }
        return Ok(runtime);
    }
    check(library)?;
    let runtime: &'static Runtime = Box::leak(Box::new(start(library)?));
    *loaded = Some((library.to_path_buf(), runtime));
    Ok(runtime)
}

/// The file is there and is the one the set-up step fetched.
fn check(library: &Path) -> Result<(), RuntimeError> {
    let path = library.display().to_string();
    ONNX_RUNTIME
        .read_checked(library)
        .map(drop)
        .map_err(|refused| match refused {
            Refused::Missing(e) => RuntimeError::Missing {
                path,
                reason: e.to_string(),
            },
            Refused::Altered { found } => RuntimeError::Altered {
                path,
                found,
                expected: ONNX_RUNTIME.sha256,
            },
        })
}

fn start(library: &Path) -> Result<Runtime, RuntimeError> {
    let unusable = |detail: String| RuntimeError::Unusable {
        path: library.display().to_string(),
        detail,
    };
    let environment = ort::init_from(library)
        .map_err(|e| unusable(e.to_string()))?
        .with_name("whoiswho")
        .with_telemetry(false)
        .build()
        .map_err(|e| unusable(e.to_string()))?;
    Ok(Runtime { environment })
}

/// Sessions of one model, each used by one thread at a time: a search's threads take one each
/// (made on first need, then kept), so their tiles run at once.
pub struct SessionPool {
    runtime: &'static Runtime,
    model: Vec<u8>,
    idle: Mutex<Vec<Session>>,
}

impl SessionPool {
    /// A pool for the ONNX file `model`. The first session is made now, so a model the runtime
    /// refuses is reported when it is loaded.
    pub fn new(runtime: &'static Runtime, model: Vec<u8>) -> Result<Self, RuntimeError> {
        let pool = Self {
            runtime,
            model,
            idle: Mutex::new(Vec::new()),
        };
        let first = pool.session()?;
        pool.give_back(first);
        Ok(pool)
    }

    /// Runs `work` with a session of this pool's own.
    pub fn with_session<T>(
        &self,
        work: impl FnOnce(&mut Session) -> Result<T, RuntimeError>,
    ) -> Result<T, RuntimeError> {
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut session = match taken {
            Some(session) => session,
            None => self.session()?,
        };
        let result = work(&mut session);
        self.give_back(session);
        result
    }

    fn give_back(&self, session: Session) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(session);
        }
    }

    /// One thread per session: the search already runs a tile on each core.
    fn session(&self) -> Result<Session, RuntimeError> {
        let failed = |e: ort::Error<_>| RuntimeError::Model(e.to_string());
        Session::builder(&self.runtime.environment)
            .map_err(|e| RuntimeError::Model(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(failed)?
            .with_intra_threads(1)
            .map_err(failed)?
            .with_inter_threads(1)
            .map_err(failed)?
            .with_intra_op_spinning(false)
            .map_err(failed)?
            .commit_from_memory(&self.model)
            .map_err(|e| RuntimeError::Model(e.to_string()))
    }
}

/// The ONNX file `model` with the height and width of its 4-d inputs and outputs left free, so
/// one session runs tiles of any size, one at a time. CenterFace is shipped with one fixed size
/// (a batch of 10 images of 32×32); its weights are also listed as graph inputs (an old
/// exporter's habit), which would stop ONNX Runtime from folding them as constants, so they
/// are listed as weights only. Stale shapes of the
/// tensors in between are dropped, as ONNX Runtime infers them again per run.
pub fn with_free_image_size(model: &[u8]) -> Result<Vec<u8>, RuntimeError> {
    use prost::Message;
    use tract_onnx::pb::{tensor_shape_proto::dimension::Value, type_proto, ModelProto};

    let mut proto = ModelProto::decode(model).map_err(|e| RuntimeError::Model(e.to_string()))?;
    let graph = proto
        .graph
        .as_mut()
        .ok_or_else(|| RuntimeError::Model("the file has no graph".into()))?;
    let weights: std::collections::HashSet<String> =
        graph.initializer.iter().map(|t| t.name.clone()).collect();
    graph.input.retain(|input| !weights.contains(&input.name));
    graph.value_info.clear();
    let free = |values: &mut [tract_onnx::pb::ValueInfoProto], names: [&str; 2]| {
        for value in values {
            let Some(type_proto::Value::TensorType(tensor)) =
                value.r#type.as_mut().and_then(|t| t.value.as_mut())
            else {
                continue;
            };
            let Some(shape) = tensor.shape.as_mut() else {
                continue;
            };
            if shape.dim.len() == 4 {
                shape.dim[0].value = Some(Value::DimValue(1));
                for (dim, name) in shape.dim[2..].iter_mut().zip(names) {
                    dim.value = Some(Value::DimParam(name.into()));
                }
            }
        }
    };
    free(&mut graph.input, ["height", "width"]);
    free(&mut graph.output, ["grid_height", "grid_width"]);
    Ok(proto.encode_to_vec())
}
