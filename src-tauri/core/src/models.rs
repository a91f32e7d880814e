//! The models whoiswho runs and the engine that runs them, as the one list
//! `assets/models/models.json` gives them (compiled in; `scripts/fetch_models.py` reads the same
//! file at set-up): what each is, where it comes from, under which licence, and the sha256 its
//! file is checked against when loaded. Also where the files are on this machine, and what
//! the person should do when one is missing or altered. Imports nothing of the crate.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// `assets/models/models.json`, as compiled in.
const LIST_JSON: &str = include_str!("../../../assets/models/models.json");

/// What the About box and the loaders know of a model or of the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCard {
    /// What it does for the organizer.
    pub role: String,
    pub name: String,
    /// The file's name among the resources.
    pub file: String,
    pub licence: String,
    /// The package it is taken from, and the path inside it.
    pub source: String,
    pub sha256: String,
    /// The licence notices shipped beside it (file names among the resources).
    pub notices: Vec<String>,
}

/// The list as the JSON file writes it.
#[derive(Debug, Deserialize)]
pub struct ModelList {
    pub models: Vec<ListedModel>,
    pub runtime: ListedRuntime,
}

#[derive(Debug, Deserialize)]
pub struct ListedModel {
    pub id: String,
    pub role: String,
    pub name: String,
    pub file: String,
    pub licence: String,
    /// `name==version` on PyPI.
    pub package: String,
    /// The file's path inside the package's wheel.
    pub path: String,
    pub sha256: String,
    /// Licence notices: file name among the resources → path inside the wheel.
    pub notices: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct ListedRuntime {
    pub role: String,
    pub name: String,
    pub licence: String,
    pub package: String,
    pub notices: BTreeMap<String, String>,
    /// `os-arch` (Rust's names: `linux-x86_64`, `macos-aarch64`, …) → that platform's library.
    pub platforms: BTreeMap<String, PlatformRuntime>,
}

#[derive(Debug, Deserialize)]
pub struct PlatformRuntime {
    pub file: String,
    pub path: String,
    pub sha256: String,
}

/// The list compiled in. Its shape is checked by this module's tests, so reading it cannot
/// fail in a built binary.
pub fn list() -> &'static ModelList {
    static LIST: LazyLock<ModelList> = LazyLock::new(|| {
        serde_json::from_str(LIST_JSON).expect("assets/models/models.json is checked by tests")
    });
    &LIST
}

/// This platform's key in the runtime's `platforms`.
pub fn platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

fn source(package: &str, path: &str) -> String {
    let (name, version) = package.split_once("==").unwrap_or((package, ""));
    format!("PyPI {name} {version}, {path}")
}

fn card_of(id: &str) -> ModelCard {
    let listed = list()
        .models
        .iter()
        .find(|m| m.id == id)
        .expect("the models the core names are in the list, as its tests check");
    ModelCard {
        role: listed.role.clone(),
        name: listed.name.clone(),
        file: listed.file.clone(),
        licence: listed.licence.clone(),
        source: source(&listed.package, &listed.path),
        sha256: listed.sha256.clone(),
        notices: listed.notices.keys().cloned().collect(),
    }
}

/// CenterFace, which finds faces.
pub fn face_detector() -> &'static ModelCard {
    static CARD: LazyLock<ModelCard> = LazyLock::new(|| card_of("face_detector"));
    &CARD
}

/// SFace, which tells faces apart.
pub fn face_recognizer() -> &'static ModelCard {
    static CARD: LazyLock<ModelCard> = LazyLock::new(|| card_of("face_recognizer"));
    &CARD
}

/// ONNX Runtime's shared library for the platform this binary was built for. On a platform
/// the list does not name, the card names no sha256, so no file is ever accepted for it.
pub fn onnx_runtime() -> &'static ModelCard {
    static CARD: LazyLock<ModelCard> = LazyLock::new(|| {
        let runtime = &list().runtime;
        let here = runtime.platforms.get(&platform());
        let fallback_file = match std::env::consts::OS {
            "macos" => "libonnxruntime.dylib",
            "windows" => "onnxruntime.dll",
            _ => "libonnxruntime.so",
        };
        ModelCard {
            role: runtime.role.clone(),
            name: runtime.name.clone(),
            file: here.map_or(fallback_file.into(), |p| p.file.clone()),
            licence: runtime.licence.clone(),
            source: here.map_or_else(
                || format!("none listed for {}", platform()),
                |p| source(&runtime.package, &p.path),
            ),
            sha256: here.map_or_else(String::new, |p| p.sha256.clone()),
            notices: runtime.notices.keys().cloned().collect(),
        }
    });
    &CARD
}

/// Why a file was refused as the one a card names.
#[derive(Debug)]
pub enum Refused {
    Missing(std::io::Error),
    /// Another file: its sha256.
    Altered {
        found: String,
    },
}

impl ModelCard {
    /// The bytes of the file at `path`, if it is the one this card names (by its sha256).
    pub fn read_checked(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        let bytes = std::fs::read(path).map_err(Refused::Missing)?;
        let found = format!("{:x}", Sha256::digest(&bytes));
        if found != self.sha256 {
            return Err(Refused::Altered { found });
        }
        Ok(bytes)
    }
}

/// What the person running whoiswho can do about a model file that is missing or altered:
/// it depends on how the file got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// The file came with the installed package.
    Reinstall,
    /// The file is fetched into a checkout by its set-up command.
    SetUp { checkout: PathBuf },
    /// An environment variable named the file.
    Variable(&'static str),
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Reinstall => write!(
                f,
                "reinstall whoiswho: its package carries this file (the rest of the app works without it)"
            ),
            Self::SetUp { checkout } => write!(
                f,
                "run the set-up command in {}: bash scripts/setup.sh (it fetches and checks the file)",
                checkout.display()
            ),
            Self::Variable(name) => write!(
                f,
                "{name} names this file: point it at the file whoiswho ships, or unset it"
            ),
        }
    }
}

/// A file a model or the runtime is loaded from, and what to do when it is not right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    pub path: PathBuf,
    pub remedy: Remedy,
}

/// Where the model files are on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Models {
    /// CenterFace, for the face search.
    pub detector: ModelFile,
    /// SFace, for recognition.
    pub recognizer: ModelFile,
    /// ONNX Runtime's shared library, which runs both.
    pub runtime: ModelFile,
}

impl Models {
    /// The models and the runtime as files of one folder, named as their cards say.
    pub fn in_folder(folder: &Path, remedy: Remedy) -> Self {
        let file = |card: &ModelCard| ModelFile {
            path: folder.join(&card.file),
            remedy: remedy.clone(),
        };
        Self {
            detector: file(face_detector()),
            recognizer: file(face_recognizer()),
            runtime: file(onnx_runtime()),
        }
    }

    /// Each card with the file it is loaded from.
    pub fn cards(&self) -> [(&'static ModelCard, &ModelFile); 3] {
        [
            (face_detector(), &self.detector),
            (face_recognizer(), &self.recognizer),
            (onnx_runtime(), &self.runtime),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_reads_and_names_every_model_the_core_loads() {
        assert_eq!(face_detector().file, "centerface.onnx");
        assert_eq!(face_recognizer().file, "sface.onnx");
        for listed in &list().models {
            assert_eq!(listed.sha256.len(), 64, "{}", listed.id);
            assert!(listed.package.contains("=="), "{}", listed.id);
            assert!(!listed.licence.is_empty(), "{}", listed.id);
        }
    }

    #[test]
    fn this_platform_has_a_runtime() {
        let card = onnx_runtime();
        assert_eq!(
            card.sha256.len(),
            64,
            "no ONNX Runtime listed for {}",
            platform()
        );
        assert!(card.source.starts_with("PyPI onnxruntime 1.23.2, "));
    }

    #[test]
    fn each_remedy_says_what_to_do() {
        assert!(Remedy::Reinstall
            .to_string()
            .starts_with("reinstall whoiswho"));
        let setup = Remedy::SetUp {
            checkout: PathBuf::from("/src/whoiswho"),
        };
        assert!(setup
            .to_string()
            .contains("/src/whoiswho: bash scripts/setup.sh"));
        assert!(Remedy::Variable("WHOISWHO_MODEL")
            .to_string()
            .starts_with("WHOISWHO_MODEL names this file"));
    }
}
