//! The team: join a team folder, see who is in it and the open conflicts, sync now, leave.

use std::path::PathBuf;

use tauri::State;
use whoiswho_core::team::{self, SyncReport, TeamError, TeamStatus};

use super::{on_library, AppError, ErrorCode};
use crate::state::AppState;
use crate::team_watch::TeamWatch;

impl From<TeamError> for AppError {
    fn from(e: TeamError) -> Self {
        let code = match &e {
            TeamError::NotJoined => ErrorCode::NotFound,
            TeamError::OtherTeam(_) | TeamError::Login(_) | TeamError::Folder { .. } => {
                ErrorCode::Invalid
            }
            TeamError::Unreachable(_) => ErrorCode::NotFound,
            TeamError::Catalog(_) | TeamError::Decision(_) => ErrorCode::Library,
        };
        Self::new(code, e.to_string())
    }
}

/// The team this library is in, with its members and open conflicts; `None` outside a team.
#[tauri::command]
#[specta::specta]
pub async fn team_status(state: State<'_, AppState>) -> Result<Option<TeamStatus>, AppError> {
    on_library(&state, |l| match team::status(l) {
        Ok(status) => Ok(Some(status)),
        Err(TeamError::NotJoined) => Ok(None),
        Err(e) => Err(e),
    })
    .await
}

/// Joins the team folder `folder` as `login` (after the window said what the folder holds),
/// writes what this library already decided there and reads the teammates'.
#[tauri::command]
#[specta::specta]
pub async fn join_team(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    folder: String,
    login: String,
) -> Result<SyncReport, AppError> {
    let report = on_library(&state, move |l| {
        team::join(l, &PathBuf::from(folder), &login)
    })
    .await?;
    watch.nudge();
    Ok(report)
}

/// Reads the teammates' decisions now (the window also does on its own, every few seconds).
#[tauri::command]
#[specta::specta]
pub async fn sync_team(state: State<'_, AppState>) -> Result<SyncReport, AppError> {
    on_library(&state, team::sync).await
}

/// Leaves the team; faces and attendees stay as they are, and this laptop keeps its identity
/// for a rejoin.
#[tauri::command]
#[specta::specta]
pub async fn leave_team(state: State<'_, AppState>) -> Result<team::LeaveReport, AppError> {
    on_library(&state, team::leave).await
}
