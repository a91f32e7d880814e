//! Keeps the window's library in step with its team folder: a thread of its own writes this
//! laptop's new decisions and reads the teammates' whenever the folder changes (a file watch),
//! every few seconds anyway (network shares report no changes made by other machines), and at
//! once when a decision is made here. What arrives reaches the window as a `TeamUpdate`.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tauri_specta::Event;
use whoiswho_core::team::{self, SyncReport};
use whoiswho_core::Library;

/// How often the folder is read when nothing said it changed.
const POLL: Duration = Duration::from_secs(3);
/// Changes arrive in bursts (a sync engine writes a file in pieces): wait this long for quiet.
const SETTLE: Duration = Duration::from_millis(300);

/// What a sync found: teammates' decisions applied (or files it could not read).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct TeamUpdate(pub SyncReport);

/// The handle commands use to wake the watcher.
pub struct TeamWatch {
    wake: Mutex<Sender<()>>,
}

impl TeamWatch {
    /// Starts the watcher thread for `library`; it idles while the library is in no team.
    pub fn start(app: AppHandle, library: Arc<Library>) -> std::io::Result<Self> {
        let (wake, woken) = mpsc::channel();
        let from_files = wake.clone();
        std::thread::Builder::new()
            .name("whoiswho-team".into())
            .spawn(move || run(app, library, woken, from_files))?;
        Ok(Self {
            wake: Mutex::new(wake),
        })
    }

    /// Syncs now: a decision was made here, or the team was joined.
    pub fn nudge(&self) {
        if let Ok(wake) = self.wake.lock() {
            let _ = wake.send(());
        }
    }
}

fn run(app: AppHandle, library: Arc<Library>, woken: Receiver<()>, wake: Sender<()>) {
    let mut watching: Option<(PathBuf, notify::RecommendedWatcher)> = None;
    // A folder that stays away is said once, not every few seconds.
    let mut last_error: Option<String> = None;
    loop {
        match woken.recv_timeout(POLL) {
            Ok(()) => {
                // Let a burst of file events settle into one sync.
                std::thread::sleep(SETTLE);
                while woken.try_recv().is_ok() {}
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let folder = match library.read(|c| c.team()) {
            Ok(team) => team.map(|t| PathBuf::from(t.folder)),
            // The library cannot be read: said once, and tried again on the next round.
            Err(e) => {
                let error = e.to_string();
                if last_error.as_deref() != Some(error.as_str()) {
                    let _ = TeamUpdate(SyncReport {
                        errors: vec![team::TeamFileError::file("(this library)", error.clone())],
                        ..SyncReport::default()
                    })
                    .emit(&app);
                    last_error = Some(error);
                }
                continue;
            }
        };
        let Some(folder) = folder else {
            watching = None;
            continue;
        };
        if watching.as_ref().map(|(f, _)| f) != Some(&folder) {
            watching = watch(&folder, wake.clone()).map(|w| (folder.clone(), w));
        }
        match team::sync(&library) {
            Ok(report) => {
                last_error = None;
                if report.read > 0 || !report.errors.is_empty() {
                    // A window that is closing has nobody left to tell.
                    let _ = TeamUpdate(report).emit(&app);
                }
            }
            Err(e) => {
                let error = e.to_string();
                if last_error.as_deref() != Some(error.as_str()) {
                    let _ = TeamUpdate(SyncReport {
                        errors: vec![team::TeamFileError::file(
                            &folder.display().to_string(),
                            error.clone(),
                        )],
                        ..SyncReport::default()
                    })
                    .emit(&app);
                    last_error = Some(error);
                }
            }
        }
    }
}

/// A watch on the team folder that wakes the loop; `None` where the platform gives none (the
/// loop still reads the folder every few seconds).
fn watch(folder: &std::path::Path, wake: Sender<()>) -> Option<notify::RecommendedWatcher> {
    let own = folder.join(team::ROOT);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok() {
            let _ = wake.send(());
        }
    })
    .ok()?;
    let _ = std::fs::create_dir_all(&own);
    watcher.watch(&own, RecursiveMode::Recursive).ok()?;
    Some(watcher)
}
