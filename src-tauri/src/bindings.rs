//! The one list of commands and events the UI can use; `ui/src/api/bindings.ts` is generated
//! from it by the `bindings` test, which fails when the committed file is stale.

use std::path::Path;

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    self, AvatarProgressEvent, AvatarsFinishedEvent, FaceSearchFinishedEvent,
    FaceSearchProgressEvent, IndexFinishedEvent, IndexProgressEvent, JobErrorEvent,
    RecognitionFinishedEvent, RecognitionProgressEvent,
};

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::about,
            commands::library_info,
            commands::list_photos,
            commands::photo_details,
            commands::pick_folders,
            commands::decide_faces,
            commands::person_suggestions,
            commands::face_groups,
            commands::regroup_faces,
            commands::start_indexing,
            commands::cancel_indexing,
            commands::start_face_search,
            commands::photo_faces,
            commands::list_people,
            commands::decide_face,
            commands::offer_people,
            commands::untagged_faces,
            commands::get_person,
            commands::save_person,
            commands::pick_roster_file,
            commands::import_roster,
            commands::open_profile,
            commands::figure_draft,
            commands::pick_export_file,
            commands::export_figure,
            commands::preview_figure,
            commands::export_summary,
            commands::pick_export_folder,
            commands::export_gallery,
            commands::export_xmp,
            commands::avatar_plan,
            commands::start_avatars,
            commands::cancel_avatars,
            commands::pick_avatar_folder,
        ])
        .events(collect_events![
            IndexProgressEvent,
            IndexFinishedEvent,
            JobErrorEvent,
            FaceSearchProgressEvent,
            FaceSearchFinishedEvent,
            RecognitionProgressEvent,
            RecognitionFinishedEvent,
            AvatarProgressEvent,
            AvatarsFinishedEvent
        ])
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
