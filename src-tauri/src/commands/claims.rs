//! Claims: attendees' answers from the event repository's issues, imported from a `gh` file or
//! fetched from GitHub's API when the organizer asks, then accepted or rejected one by one.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use whoiswho_core::claims::{self, github, ClaimReport, ClaimView, Listing};
use whoiswho_core::progress::CancelToken;

use super::{on_library, picked, AppError, ErrorCode};
use crate::state::AppState;
use crate::team_watch::TeamWatch;

impl From<claims::ClaimsError> for AppError {
    fn from(e: claims::ClaimsError) -> Self {
        match e {
            claims::ClaimsError::Catalog(c) => c.into(),
            claims::ClaimsError::Fetch(github::FetchError::BadRepo(_))
            | claims::ClaimsError::Fetch(github::FetchError::BadApiBase(_)) => {
                Self::new(ErrorCode::Invalid, e.to_string())
            }
            claims::ClaimsError::Fetch(_) => Self::new(ErrorCode::Network, e.to_string()),
            claims::ClaimsError::Tag(t) => t.into(),
            claims::ClaimsError::NoSuchClaim(_)
            | claims::ClaimsError::FaceGone(_)
            | claims::ClaimsError::Decided { .. }
            | claims::ClaimsError::NeverNamed { .. }
            | claims::ClaimsError::NothingToAccept { .. }
            | claims::ClaimsError::BadRepo(_)
            | claims::ClaimsError::OtherRepo { .. }
            | claims::ClaimsError::WhichRepo(_) => Self::new(ErrorCode::Invalid, e.to_string()),
            _ => Self::new(ErrorCode::Library, e.to_string()),
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_claims(state: State<'_, AppState>) -> Result<Vec<ClaimView>, AppError> {
    on_library(&state, claims::list).await
}

/// Accepts a claim: its face is tagged with the login named. `lower_consent`: the organizer
/// confirmed, in that moment, the less private consent the answer asks for (the claim's
/// `lowers`); without it the attendee keeps theirs.
#[tauri::command]
#[specta::specta]
pub async fn accept_claim(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    issue: u32,
    lower_consent: bool,
) -> Result<claims::Accepted, AppError> {
    let accepted = on_library(&state, move |l| {
        claims::accept(l, u64::from(issue), lower_consent)
    })
    .await?;
    super::faces::decided(&state, &watch);
    Ok(accepted)
}

/// Opens a decided claim again: what undoing its accept or reject does.
#[tauri::command]
#[specta::specta]
pub async fn reopen_claim(state: State<'_, AppState>, issue: u32) -> Result<ClaimView, AppError> {
    on_library(&state, move |l| claims::reopen(l, u64::from(issue))).await
}

/// Rejects a claim; an accepted one's tag is taken back.
#[tauri::command]
#[specta::specta]
pub async fn reject_claim(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    issue: u32,
) -> Result<claims::Rejected, AppError> {
    let rejected = on_library(&state, move |l| claims::reject(l, u64::from(issue))).await?;
    super::faces::decided(&state, &watch);
    Ok(rejected)
}

/// The event's repository (`OWNER/REPO`) where attendees answer, once the library knows it.
#[tauri::command]
#[specta::specta]
pub async fn event_repository(state: State<'_, AppState>) -> Result<Option<String>, AppError> {
    on_library(&state, |l| l.read(|c| c.event_repository())).await
}

/// Asks where the `gh issue list --json …` output is; `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn pick_claims_file(app: AppHandle) -> Option<String> {
    picked(
        app.dialog()
            .file()
            .set_title("Import answers (gh issue list --json …)")
            .add_filter("JSON", &["json"])
            .blocking_pick_file(),
    )
}

#[tauri::command]
#[specta::specta]
pub async fn import_claims(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    path: String,
) -> Result<ClaimReport, AppError> {
    let report = on_library(&state, move |l| {
        claims::import_file(l, Path::new(&path), None)
    })
    .await?;
    watch.nudge();
    Ok(report)
}

/// What a fetch will request, said before anything is sent.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FetchPlan {
    /// The first request, exactly; later pages are the addresses GitHub gives, on that server.
    pub url: String,
    /// Whether `GITHUB_TOKEN` will be sent.
    pub token: bool,
}

#[tauri::command]
#[specta::specta]
pub fn claims_fetch_plan(repo: String) -> Result<FetchPlan, AppError> {
    let url = github::api_base()
        .and_then(|base| github::first_url(&base, &repo))
        .map_err(|e| AppError::new(ErrorCode::Invalid, e.to_string()))?;
    Ok(FetchPlan {
        url,
        token: std::env::var("GITHUB_TOKEN").is_ok_and(|t| !t.trim().is_empty()),
    })
}

/// What a fetch brought: the import's report, and why it stopped early if it did.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FetchResult {
    pub report: ClaimReport,
    pub stopped: Option<String>,
}

/// Fetches the claims now (only when the organizer confirmed), then imports them.
#[tauri::command]
#[specta::specta]
pub async fn fetch_claims(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    repo: String,
) -> Result<FetchResult, AppError> {
    let cancel = CancelToken::new();
    if let Ok(mut slot) = state.claims_fetch.lock() {
        *slot = Some(cancel.clone());
    }
    let progress = state.claims_progress.clone();
    if let Ok(mut p) = progress.lock() {
        *p = (0, 0);
    }
    let result = on_library(&state, move |l| {
        let fetched = github::fetch(&repo, &cancel, |pages, issues| {
            if let Ok(mut p) = progress.lock() {
                *p = (pages as u32, issues as u32);
            }
        })
        .map_err(claims::ClaimsError::from)?;
        let report = claims::import(
            l,
            Listing {
                issues: &fetched.issues,
                errors: fetched.errors,
                repo: Some(&repo),
            },
        )?;
        Ok::<_, claims::ClaimsError>(FetchResult {
            report,
            stopped: fetched.stopped.map(|e| e.to_string()),
        })
    })
    .await;
    watch.nudge();
    result
}

/// Pages read and issues so far of the fetch under way.
#[tauri::command]
#[specta::specta]
pub fn claims_fetch_progress(state: State<'_, AppState>) -> (u32, u32) {
    state.claims_progress.lock().map(|p| *p).unwrap_or((0, 0))
}

/// Stops a fetch between pages; what was read is still imported.
#[tauri::command]
#[specta::specta]
pub fn cancel_claims_fetch(state: State<'_, AppState>) {
    if let Some(token) = state.claims_fetch.lock().ok().and_then(|s| s.clone()) {
        token.cancel();
    }
}

/// Opens a claim's issue in the system browser, on the organizer's click: only an issue address
/// of the event's repository, as the core lists it.
#[tauri::command]
#[specta::specta]
pub async fn open_issue(
    app: AppHandle,
    state: State<'_, AppState>,
    issue: u32,
) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let url = on_library(&state, move |l| {
        claims::list(l).map(|all| {
            all.into_iter()
                .find(|c| c.issue == issue)
                .map(|c| c.url)
                .unwrap_or_default()
        })
    })
    .await?;
    if url.is_empty() {
        return Err(AppError::new(
            ErrorCode::Invalid,
            format!("issue #{issue} has no address in the event's repository"),
        ));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot open a browser: {e}")))
}
