//! People: the roster, one attendee, who the typeahead offers, the attendee form, the roster
//! import, avatars and the profile link.

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use whoiswho_core::avatars::{self, AvatarPlan};
use whoiswho_core::catalog::{Face, Person};
use whoiswho_core::people::{self, roster, Offer, PersonInput, RosterReport, SavedPerson};

use super::{on_library, picked, AppError, ErrorCode};
use crate::state::AppState;
use crate::team_watch::TeamWatch;

/// The attendee roster, with face counts, in the People view's order (the core's).
#[tauri::command]
#[specta::specta]
pub async fn list_people(state: State<'_, AppState>) -> Result<Vec<Person>, AppError> {
    on_library(&state, |l| {
        let mut people = l.read(|c| c.people())?;
        people::in_listing_order(&mut people);
        Ok::<_, AppError>(people)
    })
    .await
}

/// One attendee, with counts and best face; `None` when the login is not in the roster.
#[tauri::command]
#[specta::specta]
pub async fn get_person(
    state: State<'_, AppState>,
    login: String,
) -> Result<Option<Person>, AppError> {
    on_library(&state, move |l| l.read(|c| c.person(&login))).await
}

/// Who to offer while tagging a face of a photo, best first, for what was typed.
#[tauri::command]
#[specta::specta]
pub async fn offer_people(
    state: State<'_, AppState>,
    photo_id: i64,
    face_id: Option<i64>,
    query: String,
) -> Result<Offer, AppError> {
    on_library(&state, move |l| {
        let (roster, on_photo) = l.read(|c| Ok((c.people()?, c.faces(photo_id)?)))?;
        let suggested = on_photo
            .iter()
            .find(|f| Some(f.id) == face_id)
            .and_then(|f| f.suggestion.as_ref())
            .map(|s| s.login.clone());
        let others: Vec<Face> = on_photo
            .into_iter()
            .filter(|f| Some(f.id) != face_id)
            .collect();
        Ok::<_, AppError>(people::offer(
            &roster,
            &query,
            &others,
            suggested.as_deref(),
        ))
    })
    .await
}

/// Adds an attendee or edits one (name, affiliation, consent).
#[tauri::command]
#[specta::specta]
pub async fn save_person(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    person: PersonInput,
) -> Result<SavedPerson, AppError> {
    let saved = on_library(&state, move |l| {
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(people::save_person(&mut catalog, &person)?)
    })
    .await?;
    watch.nudge();
    Ok(saved)
}

/// Opens the native file picker for a roster CSV; `None` when the user cancels it.
#[tauri::command]
#[specta::specta]
pub async fn pick_roster_file(app: AppHandle) -> Option<String> {
    picked(
        app.dialog()
            .file()
            .set_title("Import attendee roster")
            .add_filter("CSV", &["csv", "tsv", "txt"])
            .blocking_pick_file(),
    )
}

/// Imports a roster CSV: accepted rows land in one transaction, problems are reported, and so
/// is every consent made less private. `lower_consent`: the organizer confirmed, in that moment,
/// lowering the consents attendees asked for themselves (the report's `kept` of a first try).
#[tauri::command]
#[specta::specta]
pub async fn import_roster(
    state: State<'_, AppState>,
    watch: State<'_, TeamWatch>,
    path: String,
    lower_consent: bool,
) -> Result<RosterReport, AppError> {
    let report = on_library(&state, move |l| {
        let bytes = roster::read_file(std::path::Path::new(&path))?;
        let mut catalog = l.catalog()?;
        Ok::<_, AppError>(people::import_roster(&mut catalog, &bytes, lower_consent)?)
    })
    .await?;
    watch.nudge();
    Ok(report)
}

/// What "Get avatars from GitHub" would send, for the organizer to confirm first.
#[tauri::command]
#[specta::specta]
pub async fn avatar_plan(
    state: State<'_, AppState>,
    refresh: bool,
) -> Result<AvatarPlan, AppError> {
    on_library(&state, move |l| avatars::plan(l, refresh)).await
}

/// Opens `https://github.com/LOGIN` in the system browser: the one address the app ever opens,
/// and only when the organizer clicks a profile link.
#[tauri::command]
#[specta::specta]
pub fn open_profile(app: AppHandle, login: String) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let login = people::parse_login(&login)
        .map_err(|e| AppError::new(ErrorCode::Invalid, e.to_string()))?;
    app.opener()
        .open_url(people::profile_url(&login), None::<&str>)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot open a browser: {e}")))
}
