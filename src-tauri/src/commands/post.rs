//! The recap post: kept in the library, composed for the live preview, exported as a page
//! bundle. The event and the format are the window's settings, passed with each call.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tauri::State;
use whoiswho_core::catalog::KeptPost;
use whoiswho_core::export::{self, ComposedPost, PostFormat, PostReport, PostSpec};
use whoiswho_core::library::Library;

use super::{on_library, AppError};
use crate::state::AppState;

/// The kept post and what it will write.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PostView {
    pub post: KeptPost,
    pub composed: ComposedPost,
}

fn view(
    library: &Library,
    event: Option<String>,
    format: PostFormat,
) -> Result<PostView, export::ExportError> {
    let post = library.read(|c| c.post())?;
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
    event: Option<String>,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| view(l, event, format)).await
}

/// Keeps the post as edited and returns what it will write.
#[tauri::command]
#[specta::specta]
pub async fn save_post(
    state: State<'_, AppState>,
    post: KeptPost,
    event: Option<String>,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| {
        l.catalog()?.write(|w| w.set_post(&post))?;
        view(l, event, format)
    })
    .await
}

/// Appends photos to the post (those already in it stay where they are).
#[tauri::command]
#[specta::specta]
pub async fn add_to_post(
    state: State<'_, AppState>,
    photo_ids: Vec<i64>,
    event: Option<String>,
    format: PostFormat,
) -> Result<PostView, AppError> {
    on_library(&state, move |l| {
        l.catalog()?.write(|w| w.add_to_post(&photo_ids))?;
        view(l, event, format)
    })
    .await
}

/// Writes the kept post into `folder` as a page bundle.
#[tauri::command]
#[specta::specta]
pub async fn export_post(
    state: State<'_, AppState>,
    folder: String,
    event: Option<String>,
    format: PostFormat,
) -> Result<PostReport, AppError> {
    on_library(&state, move |l| {
        let post = l.read(|c| c.post())?;
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
        export::export_post(l, Path::new(&folder), &spec)
    })
    .await
}
