//! ONNX Runtime's shared library, loaded once per process from the file the app ships beside
//! the models, after its sha256 is checked.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use ort::environment::Environment;

use super::{read_checked, InferenceError};
use crate::models::{onnx_runtime, ModelFile};

/// The environment of the one library this process loaded.
pub struct Runtime {
    pub(super) environment: Environment,
}

/// The runtime this process loaded, and the file it came from. Only a success is kept: a
/// missing or altered file can be mended and loaded later.
static LOADED: Mutex<Option<(PathBuf, &'static Runtime)>> = Mutex::new(None);

/// Loads the library `file` names unless this process already did. A process can hold only
/// one library: a later call naming another file has that file checked like the first, then
/// gets the runtime already loaded.
pub fn load(file: &ModelFile) -> Result<&'static Runtime, InferenceError> {
    let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((path, runtime)) = loaded.as_ref() {
        if *path != file.path {
            read_checked(onnx_runtime(), file)?;
        }
        return Ok(runtime);
    }
    read_checked(onnx_runtime(), file)?;
    let runtime: &'static Runtime = Box::leak(Box::new(start(file)?));
    *loaded = Some((file.path.clone(), runtime));
    Ok(runtime)
}

fn start(file: &ModelFile) -> Result<Runtime, InferenceError> {
    let unusable = |detail: String| InferenceError::Unusable {
        path: file.path.display().to_string(),
        detail,
        remedy: file.remedy.clone(),
    };
    let environment = ort::init_from(&file.path)
        .map_err(|e| unusable(e.to_string()))?
        .with_name("whoiswho")
        .with_telemetry(false)
        .build()
        .map_err(|e| unusable(e.to_string()))?;
    Ok(Runtime { environment })
}
