//! What every command can reach: the open library and its job registry.

use std::sync::{Arc, Mutex};

use whoiswho_core::jobs::Jobs;
use whoiswho_core::progress::CancelToken;
use whoiswho_core::Library;

pub struct AppState {
    pub library: Arc<Library>,
    /// Indexing, the face search, recognition and avatars, run through the core's registry.
    pub jobs: Arc<Jobs>,
    /// The claims fetch under way, for its Cancel button.
    pub claims_fetch: Mutex<Option<CancelToken>>,
    /// Pages read and issues so far of that fetch, for its progress line.
    pub claims_progress: Arc<Mutex<(u32, u32)>>,
}
