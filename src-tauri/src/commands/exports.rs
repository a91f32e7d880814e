//! Exports: a figure (its draft, preview and file), the dry-run summary, the gallery and the
//! XMP sidecars.

use std::path::Path;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use whoiswho_core::export::{
    self, Crop, ExportSummary, FigureDraft, FigureExport, FigureOptions, GalleryReport, LegendText,
    SidecarReport,
};

use super::{on_library, picked, AppError};
use crate::state::AppState;

/// The export dialog's starting point: prefilled caption and alt text, heads to blur.
#[tauri::command]
#[specta::specta]
pub async fn figure_draft(
    state: State<'_, AppState>,
    photo_id: i64,
    event: Option<String>,
) -> Result<FigureDraft, AppError> {
    on_library(&state, move |l| {
        export::figure_draft(l, photo_id, event.as_deref())
    })
    .await
}

/// Asks where to save an exported image; `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn pick_export_file(app: AppHandle, suggested: String) -> Option<String> {
    picked(
        app.dialog()
            .file()
            .set_title("Export figure")
            .set_file_name(export::safe_file_name(&suggested))
            .add_filter("JPEG", &["jpg", "jpeg"])
            .add_filter("PNG", &["png"])
            .blocking_save_file(),
    )
}

/// What the figure dialog asks for.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
pub struct FigureRequest {
    pub caption: String,
    pub alt: String,
    pub long_side: u32,
    pub quality: u8,
    /// Burn in the "who is who" legend with these title and date lines.
    pub legend: Option<LegendText>,
    /// Only the people, so the markers of a wide group are readable.
    pub crop_to_people: bool,
}

impl FigureRequest {
    fn options(self) -> FigureOptions {
        FigureOptions {
            caption: Some(self.caption),
            alt: Some(self.alt),
            event: None,
            long_side: self.long_side,
            quality: self.quality.clamp(1, 100),
            legend: self.legend,
            crop: if self.crop_to_people {
                Crop::People { aspect: None }
            } else {
                Crop::Whole
            },
        }
    }
}

/// A preview of the figure as a `data:` URL (a small JPEG): what will be saved, legend and
/// blurring included.
#[tauri::command]
#[specta::specta]
pub async fn preview_figure(
    state: State<'_, AppState>,
    photo_id: i64,
    request: FigureRequest,
) -> Result<String, AppError> {
    use base64::Engine as _;
    let bytes = on_library(&state, move |library| {
        export::preview_figure(library, photo_id, &request.options(), 1200)
    })
    .await?;
    Ok(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// Writes the figure image and returns it with its snippets.
#[tauri::command]
#[specta::specta]
pub async fn export_figure(
    state: State<'_, AppState>,
    photo_id: i64,
    path: String,
    request: FigureRequest,
) -> Result<FigureExport, AppError> {
    let opts = request.options();
    on_library(&state, move |library| {
        export::export_figure(library, photo_id, Path::new(&path), &opts)
    })
    .await
}

/// What an export would publish: the dry-run summary shown before any export.
#[tauri::command]
#[specta::specta]
pub async fn export_summary(state: State<'_, AppState>) -> Result<ExportSummary, AppError> {
    on_library(&state, export::export_summary).await
}

/// Writes (or brings up to date) the static gallery in `folder`.
#[tauri::command]
#[specta::specta]
pub async fn export_gallery(
    state: State<'_, AppState>,
    folder: String,
    title: Option<String>,
    claims_repo: Option<String>,
) -> Result<GalleryReport, AppError> {
    on_library(&state, move |library| {
        export::export_gallery(
            library,
            Path::new(&folder),
            title.as_deref(),
            claims_repo.as_deref(),
        )
    })
    .await
}

/// Writes XMP sidecars next to the originals (`folder` null) or into `folder`.
#[tauri::command]
#[specta::specta]
pub async fn export_xmp(
    state: State<'_, AppState>,
    folder: Option<String>,
) -> Result<SidecarReport, AppError> {
    on_library(&state, move |library| {
        export::export_sidecars(library, folder.as_deref().map(Path::new))
    })
    .await
}
