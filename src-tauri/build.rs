fn main() {
    // Plain `tauri_build::build()` silently ignores capability files outside the manifest's
    // src-tauri default when the manifest sits at the repository root.
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
