//! Starts the window on a library.

use std::path::Path;
use std::sync::Arc;

use whoiswho_core::jobs::Jobs;
use whoiswho_core::Library;

use tauri::Manager;

use crate::state::AppState;
use crate::team_watch::TeamWatch;

pub fn run(library_dir: &Path) -> anyhow::Result<()> {
    let library = Arc::new(Library::open(library_dir)?);
    let jobs = Jobs::new(library.clone(), crate::models());
    let builder = crate::bindings::builder();
    let renditions = crate::thumbnail_scheme::Renditions::start(library.clone());
    let team_library = library.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState {
            library,
            jobs,
            claims_fetch: Default::default(),
            claims_progress: Default::default(),
        })
        .invoke_handler(builder.invoke_handler())
        .register_asynchronous_uri_scheme_protocol("thumb", move |_ctx, request, responder| {
            renditions.serve(request, responder)
        })
        .setup(move |app| {
            builder.mount_events(app);
            let watch = TeamWatch::start(app.handle().clone(), team_library)?;
            app.manage(watch);
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
