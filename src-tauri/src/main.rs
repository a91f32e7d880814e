// No console window on Windows release builds; the CLI still writes to an attached terminal.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    std::process::exit(whoiswho_app::cli::main());
}
