//! Suggestions and groups on real faces (../shared/data/identity): a person named once is
//! suggested on their other photos, one login per photo, never for a `no-tag` attendee, never
//! again where rejected, and never exported until confirmed; a group is named in one step and
//! undone in one step; embedding resumes and follows a moved box.

mod common;

use std::path::{Path, PathBuf};

use common::shared;
use whoiswho_core::catalog::{Catalog, Face};
use whoiswho_core::consent::Consent;
use whoiswho_core::export::export_sidecars;
use whoiswho_core::faces::{decide, decide_all, name_group, FaceDecision, FaceDetector, Region};
use whoiswho_core::jobs::{embed_library, search_library};
use whoiswho_core::people::{save_person, PersonInput};
use whoiswho_core::progress::NoProgress;
use whoiswho_core::recognition::{FaceEmbedder, MODEL_VERSION};
use whoiswho_core::suggestions;
use whoiswho_core::{CancelToken, Library};

const PHOTOS: &[&str] = &[
    "photo_001.jpg", // kit-harington
    "photo_010.jpg", // kit-harington, rose-leslie
    "photo_051.jpg", // kit-harington
    "photo_078.jpg", // kit-harington
    "photo_028.jpg", // barack-obama
    "photo_029.jpg", // barack-obama, joe-biden
    "photo_058.jpg", // barack-obama
    "photo_062.jpg", // barack-obama, joe-biden
    "photo_092.jpg", // joe-biden
];

struct Fixture {
    _dir: tempfile::TempDir,
    library: Library,
    photos: PathBuf,
    embedder: FaceEmbedder,
    detector: FaceDetector,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join("photos");
        std::fs::create_dir(&photos).unwrap();
        for name in PHOTOS {
            std::fs::copy(shared("identity").join(name), photos.join(name)).unwrap();
        }
        let library = Library::open(&dir.path().join("lib")).unwrap();
        let cancel = CancelToken::new();
        library
            .index(std::slice::from_ref(&photos), &cancel, &NoProgress)
            .unwrap();
        let detector = FaceDetector::load(&common::models()).unwrap();
        let embedder = FaceEmbedder::load(&common::models()).unwrap();
        search_library(&library, &detector, &cancel, &NoProgress).unwrap();
        Self {
            _dir: dir,
            library,
            photos,
            embedder,
            detector,
        }
    }

    fn embed(&self) -> u64 {
        embed_library(
            &self.library,
            &self.embedder,
            &self.detector,
            &CancelToken::new(),
            &NoProgress,
        )
        .unwrap()
        .embedded
    }

    fn catalog(&self) -> Catalog {
        self.library.catalog().unwrap()
    }

    fn photo(&self, name: &str) -> i64 {
        self.library
            .resolve_photo(&self.photos.join(name).display().to_string())
            .unwrap()
    }

    /// The face of a photo: its largest, or the one whose centre is nearest `near` (fractions).
    fn face(&self, name: &str, near: Option<(f64, f64)>) -> (i64, Face) {
        let photo = self.photo(name);
        let faces = self.catalog().faces(photo).unwrap();
        let face = match near {
            None => faces
                .into_iter()
                .max_by(|a, b| (a.w * a.h).total_cmp(&(b.w * b.h))),
            Some((x, y)) => faces.into_iter().min_by(|a, b| {
                let d = |f: &Face| (f.x + f.w / 2.0 - x).powi(2) + (f.y + f.h / 2.0 - y).powi(2);
                d(a).total_cmp(&d(b))
            }),
        };
        (photo, face.unwrap_or_else(|| panic!("{name} has a face")))
    }

    fn suggested(&self, name: &str, near: Option<(f64, f64)>) -> Option<String> {
        self.face(name, near).1.suggestion.map(|s| s.login)
    }
}

fn tag(catalog: &mut Catalog, (photo, face): &(i64, Face), login: &str) {
    decide(
        catalog,
        *photo,
        &FaceDecision::Tag {
            face: face.id,
            login: login.into(),
        },
    )
    .unwrap();
}

// Where the second face of a two-person photo is, as fractions of the photo (LABELS.csv hints).
const KIT_ON_010: (f64, f64) = (0.62, 0.3);
const ROSE_ON_010: (f64, f64) = (0.25, 0.4);

fn photo_size(path: &Path) -> (f64, f64) {
    let (w, h) = image::image_dimensions(path).unwrap();
    (w as f64, h as f64)
}

fn sidecar_of(dir: &Path, name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let found = walk(dir)
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&stem))
        .unwrap_or_else(|| panic!("a sidecar for {name} in {}", dir.display()));
    std::fs::read_to_string(found).unwrap()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn named_once_suggested_elsewhere_by_the_rules() {
    let fx = Fixture::new();
    assert!(fx.embed() >= 11, "every face found is embedded");
    assert_eq!(fx.embed(), 0, "a second run has nothing left to embed");

    // Before anyone is named: Kit's photos form one group, with nobody else in it.
    let kit_001 = fx.face("photo_001.jpg", None);
    let kit_051 = fx.face("photo_051.jpg", None);
    let kit_078 = fx.face("photo_078.jpg", None);
    let obama_028 = fx.face("photo_028.jpg", None);
    let groups = suggestions::groups(&fx.catalog()).unwrap();
    let kit_group = groups
        .iter()
        .find(|g| g.faces.iter().any(|f| f.face == kit_001.1.id))
        .expect("Kit's face is in a group");
    for face in [&kit_051, &kit_078] {
        assert!(
            kit_group.faces.iter().any(|f| f.face == face.1.id),
            "{kit_group:?}"
        );
    }
    assert!(!kit_group.faces.iter().any(|f| f.face == obama_028.1.id));

    // Naming the group names every face in it, as one step; undoing it is one step too.
    let mut catalog = fx.catalog();
    let changes = name_group(&mut catalog, kit_group.id, "kit-harington").unwrap();
    assert_eq!(changes.len(), kit_group.faces.len());
    assert!(changes
        .iter()
        .all(|(_, c)| c.face.as_ref().unwrap().login.as_deref() == Some("kit-harington")));
    let undo: Vec<_> = changes
        .iter()
        .rev()
        .map(|(p, c)| (*p, c.undo.clone()))
        .collect();
    decide_all(&mut catalog, &undo).unwrap();
    assert_eq!(fx.face("photo_051.jpg", None).1.login, None);

    // Name Kit and Obama once each.
    tag(&mut catalog, &kit_001, "kit-harington");
    tag(&mut catalog, &obama_028, "barack-obama");
    assert_eq!(
        fx.suggested("photo_051.jpg", None).as_deref(),
        Some("kit-harington")
    );
    assert_eq!(
        fx.suggested("photo_078.jpg", None).as_deref(),
        Some("kit-harington")
    );
    assert_eq!(
        fx.suggested("photo_058.jpg", None).as_deref(),
        Some("barack-obama")
    );
    assert_eq!(
        fx.suggested("photo_010.jpg", Some(KIT_ON_010)).as_deref(),
        Some("kit-harington")
    );
    assert_ne!(
        fx.suggested("photo_010.jpg", Some(ROSE_ON_010)).as_deref(),
        Some("kit-harington")
    );
    let (w, h) = photo_size(&fx.photos.join("photo_029.jpg"));
    let obama_029 = ((243.0 + 85.0) / w, (57.0 + 85.0) / h);
    let biden_029 = ((790.0 + 86.0) / w, (83.0 + 86.0) / h);
    assert_eq!(
        fx.suggested("photo_029.jpg", Some(obama_029)).as_deref(),
        Some("barack-obama")
    );
    assert_eq!(fx.suggested("photo_029.jpg", Some(biden_029)), None);
    // One login per photo, tags and suggestions together.
    for name in PHOTOS {
        let faces = catalog.faces(fx.photo(name)).unwrap();
        let mut logins: Vec<String> = faces
            .iter()
            .filter_map(|f| {
                f.login
                    .clone()
                    .or(f.suggestion.as_ref().map(|s| s.login.clone()))
            })
            .collect();
        let n = logins.len();
        logins.sort();
        logins.dedup();
        assert_eq!(logins.len(), n, "{name}: a login twice");
    }

    // A suggestion is not exported; accepted, it is.
    let xmp = tempfile::tempdir().unwrap();
    export_sidecars(&fx.library, Some(xmp.path())).unwrap();
    assert!(!sidecar_of(xmp.path(), "photo_051.jpg").contains("kit-harington"));
    let accepted = decide(
        &mut catalog,
        kit_051.0,
        &FaceDecision::Accept { face: kit_051.1.id },
    )
    .unwrap();
    assert_eq!(
        accepted.face.unwrap().login.as_deref(),
        Some("kit-harington")
    );
    let xmp = tempfile::tempdir().unwrap();
    export_sidecars(&fx.library, Some(xmp.path())).unwrap();
    assert!(sidecar_of(xmp.path(), "photo_051.jpg").contains("kit-harington"));
    assert!(matches!(
        decide(
            &mut catalog,
            kit_051.0,
            &FaceDecision::Accept { face: kit_051.1.id }
        ),
        Err(whoiswho_core::faces::TagError::NoSuggestion(_))
    ));

    // Rejected stays rejected, even when more of the person is named; undo takes it back.
    let obama_058 = fx.face("photo_058.jpg", None);
    let rejected = decide(
        &mut catalog,
        obama_058.0,
        &FaceDecision::Reject {
            face: obama_058.1.id,
        },
    )
    .unwrap();
    assert_ne!(
        fx.suggested("photo_058.jpg", None).as_deref(),
        Some("barack-obama")
    );
    let (w, h) = photo_size(&fx.photos.join("photo_062.jpg"));
    let obama_062 = fx.face(
        "photo_062.jpg",
        Some(((1143.0 + 99.0) / w, (402.0 + 99.0) / h)),
    );
    tag(&mut catalog, &obama_062, "barack-obama");
    assert_ne!(
        fx.suggested("photo_058.jpg", None).as_deref(),
        Some("barack-obama")
    );
    decide(&mut catalog, obama_058.0, &rejected.undo).unwrap();
    assert_eq!(
        fx.suggested("photo_058.jpg", None).as_deref(),
        Some("barack-obama")
    );

    // An attendee who asks not to be tagged is untagged and suggested nowhere.
    save_person(
        &mut catalog,
        &PersonInput {
            login: "kit-harington".into(),
            name: None,
            affiliation: None,
            consent: Consent::NoTag,
            lower_consent: false,
        },
    )
    .unwrap();
    for name in ["photo_001.jpg", "photo_051.jpg", "photo_078.jpg"] {
        let (_, face) = fx.face(name, None);
        assert_eq!(face.login, None, "{name}");
        assert_ne!(
            face.suggestion.map(|s| s.login).as_deref(),
            Some("kit-harington"),
            "{name}"
        );
    }

    // A moved box is embedded again, and only it.
    let biden_092 = fx.face("photo_092.jpg", None);
    let r = biden_092.1.region();
    let moved = Region {
        x: (r.x + r.w * 0.05).min(1.0 - r.w),
        ..r
    };
    decide(
        &mut catalog,
        biden_092.0,
        &FaceDecision::Move {
            face: biden_092.1.id,
            region: moved,
        },
    )
    .unwrap();
    let awaiting = catalog.awaiting_embedding(MODEL_VERSION).unwrap();
    assert_eq!(
        awaiting.iter().map(|f| f.face_id).collect::<Vec<_>>(),
        vec![biden_092.1.id]
    );
    assert_eq!(fx.embed(), 1);
}

/// An avatar (here Kit's photo_078, as a folder import) suggests him before anyone is named,
/// marked as from the avatar; nobody else is suggested as him; once he has a confirmed face,
/// the photos speak for him instead, and the avatar again once that name is taken back; a
/// no-tag attendee's avatar is never imported.
#[test]
fn an_avatar_suggests_its_attendee_until_the_photos_do() {
    use whoiswho_core::avatars::{self, AvatarModels};
    use whoiswho_core::catalog::SuggestedFrom;
    let fx = Fixture::new();
    fx.embed();
    whoiswho_core::people::import_roster(
        &mut fx.catalog(),
        b"login,consent\nkit-harington,ok\nbarack-obama,ok\njoe-biden,no-tag\n",
        false,
    )
    .unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared("identity").join("photo_078.jpg"),
        folder.path().join("kit-harington.jpg"),
    )
    .unwrap();
    std::fs::copy(
        shared("identity").join("photo_092.jpg"),
        folder.path().join("joe-biden.jpg"),
    )
    .unwrap();
    let models = AvatarModels {
        detector: &fx.detector,
        embedder: &fx.embedder,
    };
    let report = avatars::import(
        &fx.library,
        folder.path(),
        &models,
        &CancelToken::new(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!((report.imported, report.with_face), (1, 1), "{report:?}");
    assert_eq!(report.failed[0].login, "joe-biden");

    let from_avatar = |name: &str| {
        let s = fx.face(name, None).1.suggestion?;
        Some((s.login, s.from))
    };
    for name in ["photo_001.jpg", "photo_051.jpg"] {
        assert_eq!(
            from_avatar(name),
            Some(("kit-harington".to_string(), SuggestedFrom::Avatar)),
            "{name}"
        );
    }
    assert_eq!(
        from_avatar("photo_028.jpg"),
        None,
        "Obama does not look like Kit"
    );
    assert_eq!(
        from_avatar("photo_092.jpg"),
        None,
        "no avatar for a no-tag attendee"
    );

    // Named once: his other faces are suggested from the photos now.
    tag(
        &mut fx.catalog(),
        &fx.face("photo_001.jpg", None),
        "kit-harington",
    );
    assert_eq!(
        from_avatar("photo_051.jpg"),
        Some(("kit-harington".to_string(), SuggestedFrom::Photos))
    );

    // That name taken back: his only confirmed face is gone, so the avatar speaks again.
    let named = fx.face("photo_001.jpg", None);
    decide(
        &mut fx.catalog(),
        named.0,
        &FaceDecision::Untag { face: named.1.id },
    )
    .unwrap();
    assert_eq!(
        from_avatar("photo_051.jpg"),
        Some(("kit-harington".to_string(), SuggestedFrom::Avatar))
    );
}
