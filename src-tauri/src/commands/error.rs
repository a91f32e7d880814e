//! The one error the window receives: a code it may branch on and a message for people.

use serde::Serialize;
use specta::Type;
use whoiswho_core::avatars::AvatarsError;
use whoiswho_core::catalog::CatalogError;
use whoiswho_core::event::EventError;
use whoiswho_core::export::ExportError;
use whoiswho_core::faces::TagError;
use whoiswho_core::jobs::JobError;
use whoiswho_core::people::{roster::RosterError, PeopleError, SavePersonError};
use whoiswho_core::LibraryError;

/// What the UI may branch on; `message` is for people.
#[derive(Debug, Clone, Copy, Serialize, Type, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    /// The input (a login, a box) was refused; `message` says why.
    Invalid,
    /// A model, or the engine that runs them, is missing or damaged; the rest of the app works.
    NoModel,
    Busy,
    Library,
    /// A request the organizer asked for (GitHub's API) failed; `message` says how.
    Network,
    /// It would make an attendee less private than they asked for themselves: the window asks
    /// the organizer plainly, then sends it again with `lower_consent`.
    NeedsConfirmation,
    Internal,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<LibraryError> for AppError {
    fn from(e: LibraryError) -> Self {
        let code = match &e {
            LibraryError::Catalog(CatalogError::NoSuchPhoto(_)) | LibraryError::Unavailable(_) => {
                ErrorCode::NotFound
            }
            _ => ErrorCode::Library,
        };
        Self::new(code, e.to_string())
    }
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        LibraryError::from(e).into()
    }
}

impl From<TagError> for AppError {
    fn from(e: TagError) -> Self {
        let code = match &e {
            TagError::NoSuchFace { .. }
            | TagError::NothingToRestore { .. }
            | TagError::NoSuggestion(_)
            | TagError::NoSuchGroup(_) => ErrorCode::NotFound,
            TagError::Login(_)
            | TagError::NoTag(_)
            | TagError::BadBox(_)
            | TagError::NothingToConfirm(_) => ErrorCode::Invalid,
            TagError::Catalog(_) => ErrorCode::Library,
        };
        Self::new(code, e.to_string())
    }
}

impl From<PeopleError> for AppError {
    fn from(e: PeopleError) -> Self {
        match e {
            PeopleError::Catalog(c) => c.into(),
            PeopleError::Roster(r) => r.into(),
        }
    }
}

impl From<RosterError> for AppError {
    fn from(e: RosterError) -> Self {
        Self::new(ErrorCode::Invalid, e.to_string())
    }
}

impl From<SavePersonError> for AppError {
    fn from(e: SavePersonError) -> Self {
        match e {
            SavePersonError::Catalog(c) => c.into(),
            SavePersonError::Login(l) => Self::new(ErrorCode::Invalid, l.to_string()),
            SavePersonError::LowersAsked { .. } => {
                Self::new(ErrorCode::NeedsConfirmation, e.to_string())
            }
        }
    }
}

impl From<JobError> for AppError {
    fn from(e: JobError) -> Self {
        match e {
            JobError::Busy(_) => Self::new(ErrorCode::Busy, e.to_string()),
            JobError::Model(_) => Self::new(ErrorCode::NoModel, e.to_string()),
            JobError::Library(l) => l.into(),
            JobError::Catalog(c) => c.into(),
            JobError::Avatars(a) => a.into(),
            JobError::Thread(_) => Self::new(ErrorCode::Internal, e.to_string()),
        }
    }
}

impl From<AvatarsError> for AppError {
    fn from(e: AvatarsError) -> Self {
        match e {
            AvatarsError::Catalog(c) => c.into(),
            AvatarsError::Folder { .. } => Self::new(ErrorCode::NotFound, e.to_string()),
            AvatarsError::Store { .. } => Self::new(ErrorCode::Library, e.to_string()),
            AvatarsError::BadUrlTemplate(_) => Self::new(ErrorCode::Network, e.to_string()),
        }
    }
}

impl From<EventError> for AppError {
    fn from(e: EventError) -> Self {
        Self::new(ErrorCode::Invalid, e.to_string())
    }
}

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Catalog(c) => c.into(),
            ExportError::Format(_) | ExportError::Post(_) => {
                Self::new(ErrorCode::Invalid, e.to_string())
            }
            // The window asks whether to replace the edited files, then sends it again.
            ExportError::EditedByHand { .. } => {
                Self::new(ErrorCode::NeedsConfirmation, e.to_string())
            }
            _ => Self::new(ErrorCode::Library, e.to_string()),
        }
    }
}
