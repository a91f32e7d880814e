//! Faces: a photo's boxes and legend, every decision about a face, the triage queue, and the
//! groups of unnamed faces.

use serde::Serialize;
use specta::Type;
use tauri::State;
use whoiswho_core::catalog::{Face, FaceOnPhoto};
use whoiswho_core::faces::markers::Marker;
use whoiswho_core::faces::{self, FaceChange, FaceDecision, RowsBy, WhoEntry};
use whoiswho_core::publication::Publication;
use whoiswho_core::suggestions::{self, Group};

use super::{on_library, AppError};
use crate::state::AppState;
use crate::team_watch::TeamWatch;

/// The boxes of a photo and its "who is who" legend, in one answer.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhotoFaces {
    /// In displayed coordinates (0..1, top-left origin), hidden ones included.
    pub faces: Vec<Face>,
    /// The visible faces an export may name, numbered in the reading order of all visible faces.
    pub legend: Vec<WhoEntry>,
    /// Ids of the faces hidden from the default view (ignored, not a face): the core's rule.
    pub hidden: Vec<i64>,
    /// Where the numbers go (W), in pixels of the displayed photo, `width`×`height`.
    pub markers: Vec<Marker>,
    pub width: u32,
    pub height: u32,
    /// Whether its rows are the rule's, fixed by hand, or left to right.
    pub rows_by: RowsBy,
    /// What each row is called, back to front (`WhoEntry::row` 1 is the first); empty when the
    /// photo is read left to right.
    pub row_names: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn photo_faces(state: State<'_, AppState>, id: i64) -> Result<PhotoFaces, AppError> {
    let (faces, publication, details) = on_library(&state, move |l| {
        Ok::<_, whoiswho_core::catalog::CatalogError>((
            l.read(|c| c.faces(id))?,
            Publication::load(l)?,
            l.read(|c| c.photo_details(id))?,
        ))
    })
    .await?;
    let legend = faces::who_is_who(&faces, |f| publication.may_name_face(f));
    let markers = faces::markers_for(&faces, &legend, details.width, details.height);
    let rows_by = faces::rows_by(&faces);
    let row_names = faces::row_names(&faces);
    let hidden = faces
        .iter()
        .filter(|f| f.state.is_hidden())
        .map(|f| f.id)
        .collect();
    Ok(PhotoFaces {
        faces,
        legend,
        hidden,
        markers,
        width: details.width,
        height: details.height,
        rows_by,
        row_names,
    })
}

/// Applies a decision about a face (tag, untag, confirm, not a face, ignore, draw, move,
/// delete, restore) and returns what changed with the decision that undoes it.
#[tauri::command]
#[specta::specta]
pub async fn decide_face(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    photo_id: i64,
    decision: FaceDecision,
) -> Result<FaceChange, AppError> {
    let change = on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(faces::decide(&mut catalog, photo_id, &decision)?)
    })
    .await?;
    decided(&state, &watch);
    Ok(change)
}

/// What follows a saved decision, off the command's path: it travels to the team folder, and
/// the roster is counted again if it changed, so the typeahead's next keystroke finds it ready.
pub(super) fn decided(state: &AppState, watch: &TeamWatch) {
    watch.nudge();
    let library = state.library.clone();
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(e) = library.recount_roster() {
            // The next reader of the roster meets the same error and shows it.
            eprintln!("whoiswho: counting the roster after a decision: {e}");
        }
    });
}

/// A decision about a face of a photo, one of several applied together.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Type)]
pub struct PhotoDecision {
    pub photo_id: i64,
    pub decision: FaceDecision,
}

/// What one of several decisions did.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhotoChange {
    pub photo_id: i64,
    pub change: FaceChange,
}

/// Applies several decisions as one (accepting a person's suggestions, naming a group): all
/// land or none; each change carries the decision that undoes it.
#[tauri::command]
#[specta::specta]
pub async fn decide_faces(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    decisions: Vec<PhotoDecision>,
) -> Result<Vec<PhotoChange>, AppError> {
    let changes = on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        let all: Vec<(i64, FaceDecision)> = decisions
            .into_iter()
            .map(|d| (d.photo_id, d.decision))
            .collect();
        Ok::<_, AppError>(
            faces::decide_all(&mut catalog, &all)?
                .into_iter()
                .map(|(photo_id, change)| PhotoChange { photo_id, change })
                .collect(),
        )
    })
    .await?;
    decided(&state, &watch);
    Ok(changes)
}

/// The head of the triage queue: untagged faces, largest first, and how many there are.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TriageQueue {
    pub faces: Vec<FaceOnPhoto>,
    pub total: u64,
}

#[tauri::command]
#[specta::specta]
pub async fn untagged_faces(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<TriageQueue, AppError> {
    let (faces, total) = on_library(&state, move |l| {
        l.read(|c| c.untagged_faces(limit.min(2000)))
    })
    .await?;
    Ok(TriageQueue { faces, total })
}

/// Every face suggested as this person, best match first, for review on their page.
#[tauri::command]
#[specta::specta]
pub async fn person_suggestions(
    state: State<'_, AppState>,
    login: String,
) -> Result<Vec<FaceOnPhoto>, AppError> {
    on_library(&state, move |l| l.read(|c| c.suggested_as(&login))).await
}

/// Groups of alike faces waiting for a name, largest first.
#[tauri::command]
#[specta::specta]
pub async fn face_groups(state: State<'_, AppState>) -> Result<Vec<Group>, AppError> {
    on_library(&state, |l| l.read(suggestions::groups)).await
}

/// A face put in a group, or out of any (`group: null`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, Type)]
pub struct GroupChange {
    pub face: i64,
    pub group: Option<i64>,
}

/// Takes crops out of groups or merges groups; returns the changes that undo it.
#[tauri::command]
#[specta::specta]
pub async fn regroup_faces(
    state: State<'_, AppState>,
    changes: Vec<GroupChange>,
) -> Result<Vec<GroupChange>, AppError> {
    on_library(&state, move |l| {
        let pairs: Vec<(i64, Option<i64>)> = changes.iter().map(|c| (c.face, c.group)).collect();
        let undo = l.catalog()?.write(|w| suggestions::regroup(w, &pairs))?;
        Ok::<_, AppError>(
            undo.into_iter()
                .map(|(face, group)| GroupChange { face, group })
                .collect(),
        )
    })
    .await
}
