//! The one list of models (`assets/models/models.json`) against everything else that names
//! them: the packages' resources (`tauri.conf.json`, `tauri.<platform>.conf.json`) and the
//! README beside the models. A model added to one and not the others fails here.

use std::path::{Path, PathBuf};

use serde_json::Value;
use whoiswho_core::models::list;

fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(file: &str) -> Value {
    let path = checkout().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// `source → target` of a config's `bundle.resources`.
fn resources(file: &str) -> Vec<(String, String)> {
    let config = json(file);
    config["bundle"]["resources"]
        .as_object()
        .unwrap_or_else(|| panic!("{file} has bundle.resources"))
        .iter()
        .map(|(from, to)| (from.clone(), to.as_str().unwrap_or_default().to_string()))
        .collect()
}

#[test]
fn every_model_and_notice_is_a_resource_of_every_package() {
    let shipped = resources("tauri.conf.json");
    let mut expected: Vec<String> = vec!["README.md".into()];
    for model in &list().models {
        expected.push(model.file.clone());
        expected.extend(model.notices.keys().cloned());
    }
    expected.extend(list().runtime.notices.keys().cloned());
    for name in &expected {
        let entry = (format!("assets/models/{name}"), format!("models/{name}"));
        assert!(
            shipped.contains(&entry),
            "tauri.conf.json does not ship {entry:?}"
        );
    }
    // Nothing else under models/ that the list does not name (a model removed from the list
    // but still shipped).
    for (from, _) in shipped
        .iter()
        .filter(|(f, _)| f.starts_with("assets/models/"))
    {
        let name = from.trim_start_matches("assets/models/");
        assert!(
            expected.iter().any(|e| e == name),
            "{from} is not in models.json"
        );
    }
}

#[test]
fn each_platform_package_ships_its_runtime() {
    for (platform, file) in [
        ("linux", "tauri.linux.conf.json"),
        ("macos", "tauri.macos.conf.json"),
        ("windows", "tauri.windows.conf.json"),
    ] {
        let libraries: Vec<&String> = list()
            .runtime
            .platforms
            .iter()
            .filter(|(key, _)| key.starts_with(&format!("{platform}-")))
            .map(|(_, p)| &p.file)
            .collect();
        assert!(!libraries.is_empty(), "no runtime listed for {platform}");
        let shipped = resources(file);
        for library in libraries {
            let entry = (
                format!("assets/models/{library}"),
                format!("models/{library}"),
            );
            assert!(shipped.contains(&entry), "{file} does not ship {entry:?}");
        }
    }
}

#[test]
fn the_readme_states_what_the_list_says() {
    let readme = std::fs::read_to_string(checkout().join("assets/models/README.md")).unwrap();
    for model in &list().models {
        for fact in [
            &model.file,
            &model.sha256,
            &model.package,
            &model.path,
            &model.licence,
        ] {
            assert!(
                readme.contains(fact.as_str()),
                "README lacks {fact} of {}",
                model.id
            );
        }
        for notice in model.notices.keys() {
            assert!(readme.contains(notice.as_str()), "README lacks {notice}");
        }
    }
    let runtime = &list().runtime;
    for fact in [&runtime.package, &runtime.licence, &runtime.name] {
        assert!(readme.contains(fact.as_str()), "README lacks {fact}");
    }
    for (key, platform) in &runtime.platforms {
        for fact in [key, &platform.file, &platform.path, &platform.sha256] {
            assert!(
                readme.contains(fact.as_str()),
                "README lacks {fact} of {key}"
            );
        }
    }
}
