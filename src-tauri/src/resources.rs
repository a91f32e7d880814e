//! Where the files the app ships beside its binary are (the models), found the way Tauri finds
//! its resource directory, for the window and the command line alike: `/usr/lib/whoiswho` for
//! the `.deb` and `.rpm` (the binary is `/usr/bin/whoiswho`), `$APPDIR/usr/lib/whoiswho` in an
//! AppImage, `Contents/Resources` in the macOS bundle, the executable's folder on Windows and in
//! a cargo build (where tauri-build copies them). Never a path of the machine that built it.

use std::path::PathBuf;

/// The product name in `tauri.conf.json`, which names the resource folder on Linux.
const PRODUCT_NAME: &str = "whoiswho";

/// The resource directory, or the executable's folder when the platform gives none.
pub fn folder() -> PathBuf {
    let package = tauri::utils::PackageInfo {
        name: PRODUCT_NAME.into(),
        version: semver::Version::parse(env!("CARGO_PKG_VERSION"))
            .unwrap_or_else(|_| semver::Version::new(0, 0, 0)),
        authors: env!("CARGO_PKG_AUTHORS"),
        description: env!("CARGO_PKG_DESCRIPTION"),
        crate_name: env!("CARGO_PKG_NAME"),
    };
    tauri::utils::platform::resource_dir(&package, &tauri::utils::Env::default())
        .ok()
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(PathBuf::from))
        })
        .unwrap_or_default()
}

/// The folder holding the models (`bundle.resources` in `tauri.conf.json`).
pub fn models_folder() -> PathBuf {
    folder().join("models")
}

/// What to do about a shipped model that is missing or altered: in a build of a checkout
/// (the executable under the checkout's `target/`), run its set-up command; otherwise the
/// files came with the installed package.
pub fn remedy() -> whoiswho_core::models::Remedy {
    use whoiswho_core::models::Remedy;
    let exe = std::env::current_exe().ok();
    let checkout = exe.as_deref().and_then(|exe| {
        exe.ancestors()
            .skip(1)
            .find(|dir| dir.join("scripts/setup.sh").is_file() && dir.join("Cargo.toml").is_file())
            .map(PathBuf::from)
    });
    match checkout {
        Some(checkout) => Remedy::SetUp { checkout },
        None => Remedy::Reinstall,
    }
}
