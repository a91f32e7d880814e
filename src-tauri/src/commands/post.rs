//! The recap post and the event it is about: kept in the library, composed for the live
//! preview, exported as a page bundle. The format is the window's setting, passed with each
//! call.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tauri::State;
use whoiswho_core::catalog::{Event, KeptPost};
use whoiswho_core::export::{self, ComposedPost, HandEdits, PostFormat, PostReport, PostSpec};
use whoiswho_core::library::Library;

use super::{on_library, AppError};
use crate::state::AppState;

/// The kept post and what it will write.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PostView {
    pub post: KeptPost,
    pub composed: ComposedPost,
}

fn view(library: &Library, format: PostFormat) -> Result<PostView, export::ExportError> {
    let (post, event) = library.read(|c| Ok((c.post()?, c.event()?)))?;
    let spec = PostSpec {
        post: post.clone(),
        event,
        format,
        aspect: None,
    };
    Ok(PostView {
        composed: export::compose(library, &spec)?,
        post,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn get_post(
    state: State<'_, AppState>,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| view(l, format)).await
}

/// Keeps the post as edited and returns what it will write.
#[tauri::command]
#[specta::specta]
pub async fn save_post(
    state: State<'_, AppState>,
    post: KeptPost,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| {
        l.catalog()?.write(|w| w.set_post(&post))?;
        view(l, format)
    })
    .await
}

/// Appends photos to the post (those already in it stay where they are).
#[tauri::command]
#[specta::specta]
pub async fn add_to_post(
    state: State<'_, AppState>,
    photo_ids: Vec<i64>,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| {
        l.catalog()?.write(|w| w.add_to_post(&photo_ids))?;
        view(l, format)
    })
    .await
}

/// Writes the kept post into `folder` as a page bundle. A file of the bundle edited since the
/// last export is refused (`needs_confirmation`, naming the files) unless `replace_edits`.
#[tauri::command]
#[specta::specta]
pub async fn export_post(
    state: State<'_, AppState>,
    folder: String,
    format: PostFormat,
    replace_edits: bool,
) -> Result<PostReport, AppError> {
    on_library(&state, move |l| {
        let (post, event) = l.read(|c| Ok((c.post()?, c.event()?)))?;
        let composed = export::compose(
            l,
            &PostSpec {
                post: post.clone(),
                event: event.clone(),
                format,
                aspect: None,
            },
        )?;
        // The title and date the window showed, prefilled or written, are the ones exported.
        let spec = PostSpec {
            post: KeptPost {
                title: composed.title,
                date: composed.date,
                ..post
            },
            event,
            format,
            aspect: None,
        };
        let edits = if replace_edits {
            HandEdits::Replace
        } else {
            HandEdits::Refuse
        };
        export::export_post(l, Path::new(&folder), &spec, edits)
    })
    .await
}

/// The event the library names (an empty one until it is set).
#[tauri::command]
#[specta::specta]
pub async fn get_event(state: State<'_, AppState>) -> Result<Event, AppError> {
    on_library(&state, |l| l.read(|c| c.event())).await
}

/// Keeps the event as the organizer set it; its repository must be `OWNER/REPO` or none.
#[tauri::command]
#[specta::specta]
pub async fn save_event(state: State<'_, AppState>, event: Event) -> Result<Event, AppError> {
    on_library(&state, move |l| {
        let event = whoiswho_core::event::checked(event)?;
        l.catalog()?.write(|w| w.set_event(&event))?;
        Ok::<Event, AppError>(event)
    })
    .await
}
