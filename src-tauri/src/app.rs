//! Starts the window on a library.

use std::path::Path;
use std::sync::{Arc, Mutex};

use whoiswho_core::{CancelToken, Library};

/// What every command can reach.
pub struct AppState {
    pub library: Arc<Library>,
    /// Present while an indexing run is under way.
    pub indexing: Mutex<Option<CancelToken>>,
    /// Present while a face search is under way.
    pub searching: Mutex<Option<CancelToken>>,
}

pub fn run(library_dir: &Path) -> anyhow::Result<()> {
    let library = Arc::new(Library::open(library_dir)?);
    let builder = crate::bindings::builder();
    let scheme_library = library.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState {
            library,
            indexing: Mutex::new(None),
            searching: Mutex::new(None),
        })
        .invoke_handler(builder.invoke_handler())
        .register_asynchronous_uri_scheme_protocol("thumb", move |_ctx, request, responder| {
            crate::thumbnail_scheme::serve(scheme_library.clone(), request, responder)
        })
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
