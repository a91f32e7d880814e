//! The two faces of whoiswho over `whoiswho-core`: the desktop window (`commands`, `app`) and
//! the command line (`cli`). Neither holds logic of its own.

mod app;
pub mod bindings;
pub mod cli;
mod commands;
mod thumbnail_scheme;

use std::path::PathBuf;

/// Where the library lives unless `--library` or `WHOISWHO_LIBRARY` says otherwise.
pub fn default_library_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("whoiswho")
}
