//! Sessions of one model, each used by one thread at a time: a search's threads take one each
//! (made on first need, then kept), so their work runs at once on every core.

use std::sync::Mutex;

use ort::session::builder::GraphOptimizationLevel;

use super::runtime::Runtime;
use super::{InferenceError, SessionSettings};
use crate::models::ModelCard;

pub use ort::session::Session;

pub struct SessionPool {
    runtime: &'static Runtime,
    card: &'static ModelCard,
    model: Vec<u8>,
    settings: SessionSettings,
    idle: Mutex<Vec<Session>>,
}

impl SessionPool {
    /// A pool for the ONNX file `model` (as edited). The first session is made now, so a
    /// model the runtime refuses is reported when it is loaded.
    pub(super) fn new(
        runtime: &'static Runtime,
        card: &'static ModelCard,
        model: Vec<u8>,
        settings: SessionSettings,
    ) -> Result<Self, InferenceError> {
        let pool = Self {
            runtime,
            card,
            model,
            settings,
            idle: Mutex::new(Vec::new()),
        };
        let first = pool.session()?;
        pool.give_back(first);
        Ok(pool)
    }

    /// The card of the model these sessions run.
    pub fn card(&self) -> &'static ModelCard {
        self.card
    }

    /// Runs `work` with a session of this pool's own.
    pub fn with_session<T>(
        &self,
        work: impl FnOnce(&mut Session) -> Result<T, InferenceError>,
    ) -> Result<T, InferenceError> {
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

    /// One thread per session: the callers already run one piece of work on each core.
    fn session(&self) -> Result<Session, InferenceError> {
        let refused = |detail: String| InferenceError::Model {
            name: self.card.name.clone(),
            detail,
        };
        let mut builder = Session::builder(&self.runtime.environment)
            .map_err(|e| refused(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| refused(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| refused(e.to_string()))?
            .with_inter_threads(1)
            .map_err(|e| refused(e.to_string()))?
            .with_intra_op_spinning(false)
            .map_err(|e| refused(e.to_string()))?;
        if self.settings.fold_quantized_weights {
            builder = builder
                .with_config_entry("session.disable_quant_qdq", "1")
                .map_err(|e| refused(e.to_string()))?;
        }
        builder
            .commit_from_memory(&self.model)
            .map_err(|e| refused(e.to_string()))
    }
}
