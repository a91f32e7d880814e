//! The one list of commands and events the UI can use; `ui/src/api/bindings.ts` is generated
//! from it by the `bindings` test, which fails when the committed file is stale.

use std::path::Path;

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{claims, exports, faces, jobs, library, people, post, team};
use crate::team_watch::TeamUpdate;

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            library::about,
            library::library_info,
            library::list_photos,
            library::photo_details,
            library::pick_folders,
            library::pick_folder,
            jobs::start_indexing,
            jobs::start_face_search,
            jobs::start_avatars,
            jobs::cancel_jobs,
            faces::photo_faces,
            faces::decide_face,
            faces::decide_faces,
            faces::untagged_faces,
            faces::person_suggestions,
            faces::face_groups,
            faces::regroup_faces,
            people::list_people,
            people::get_person,
            people::offer_people,
            people::save_person,
            people::pick_roster_file,
            people::import_roster,
            people::avatar_plan,
            people::open_profile,
            exports::figure_draft,
            exports::pick_export_file,
            exports::preview_figure,
            exports::export_figure,
            exports::export_summary,
            exports::export_gallery,
            exports::export_xmp,
            claims::list_claims,
            claims::accept_claim,
            claims::reject_claim,
            claims::reopen_claim,
            claims::pick_claims_file,
            claims::import_claims,
            claims::claims_fetch_plan,
            claims::fetch_claims,
            claims::cancel_claims_fetch,
            claims::claims_fetch_progress,
            claims::open_issue,
            claims::event_repository,
            post::get_post,
            post::save_post,
            post::add_to_post,
            post::export_post,
            post::get_event,
            post::save_event,
            team::team_status,
            team::join_team,
            team::sync_team,
            team::leave_team,
        ])
        .events(collect_events![jobs::JobUpdate, TeamUpdate])
        // Ids and byte counts stay far below 2^53; plain numbers keep the UI simple.
        .dangerously_cast_bigints_to_number()
        // Every type crosses one way (Rust to UI), so one shape per type is the truth.
        .disable_serde_phases()
}

/// Writes the TypeScript bindings to `path`.
pub fn export_typescript(path: &Path) -> Result<(), String> {
    builder()
        .export(
            specta_typescript::Typescript::default().header(
                "// Generated from the Rust commands by `cargo test --test bindings`. Do not edit.",
            ),
            path,
        )
        .map_err(|e| e.to_string())
}
