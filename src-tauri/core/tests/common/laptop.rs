//! Laptops of a team for the team tests: each a library with its own copies of the photos,
//! joined to one team folder; what a person sees on each, to compare; seeded randomness.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::{shared, TestLibrary};
use whoiswho_core::catalog::Face;
use whoiswho_core::faces::{decide, FaceDecision, Region};
use whoiswho_core::jobs::{JobEvent, JobOutcome, JobRequest, Jobs};
use whoiswho_core::team::{self, SyncReport};

pub struct Laptop {
    pub lib: TestLibrary,
    pub photos: PathBuf,
}

impl Laptop {
    /// A library with its own copies of `files` (from `shared(folder)`), indexed.
    pub fn new(folder: &str, files: &[&str]) -> Self {
        let lib = TestLibrary::new();
        let photos = lib.folder("my photos");
        super::copy_files(&shared(folder), files, &photos);
        lib.index(&[&photos]);
        Self { lib, photos }
    }

    pub fn search_faces(&self) {
        let library = std::sync::Arc::new(
            whoiswho_core::Library::open(self.lib.library.root()).expect("library"),
        );
        let jobs = Jobs::new(library, super::models());
        let outcome = jobs
            .run(&JobRequest::FaceSearch { again: false }, &|_: JobEvent| {})
            .expect("face search");
        assert!(matches!(outcome, JobOutcome::Searched(r) if r.failed.is_empty()));
    }

    pub fn photo(&self, file: &str) -> i64 {
        self.lib.photo(file).id
    }

    pub fn faces(&self, file: &str) -> Vec<Face> {
        self.lib
            .library
            .read(|c| c.faces(self.photo(file)))
            .expect("faces")
    }

    /// The face of `file` whose box is like `region` (every laptop's detector drew the same).
    pub fn face_at(&self, file: &str, region: &Region) -> Face {
        self.faces(file)
            .into_iter()
            .max_by(|a, b| a.region().iou(region).total_cmp(&b.region().iou(region)))
            .filter(|f| f.region().iou(region) > 0.5)
            .unwrap_or_else(|| panic!("no face at {region:?}"))
    }

    pub fn decide(&self, file: &str, decision: FaceDecision) {
        let mut catalog = self.lib.library.catalog().expect("catalog");
        decide(&mut catalog, self.photo(file), &decision).expect("decision");
    }

    pub fn join(&self, folder: &Path, login: &str) -> SyncReport {
        team::join(&self.lib.library, folder, login).expect("join")
    }

    pub fn sync(&self) -> SyncReport {
        team::sync(&self.lib.library).expect("sync")
    }

    /// What a person sees: per photo (by its file name, the same on every laptop), each shown
    /// box (rounded), its name, state and conflict.
    pub fn state(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for p in self.lib.photos() {
            let name = Path::new(&p.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let faces = self.lib.library.read(|c| c.faces(p.id)).expect("faces");
            for f in faces {
                let r = f.region();
                let mut conflict: Vec<String> = f
                    .conflict
                    .iter()
                    .flatten()
                    .map(|c| c.login.to_lowercase())
                    .collect();
                conflict.sort();
                // In 1/10,000ths: records carry boxes to 5 decimals.
                let q = |v: f64| (v * 1e4).round() as i64;
                lines.push(format!(
                    "{name} [{} {} {} {}] {:?} {:?} {} by {:?}",
                    q(r.x),
                    q(r.y),
                    q(r.w),
                    q(r.h),
                    f.login.map(|l| l.to_lowercase()),
                    f.state,
                    conflict.join(","),
                    f.by
                ));
            }
        }
        lines.sort();
        let people = self.lib.library.read(|c| c.people()).expect("people");
        for p in people {
            lines.push(format!(
                "@{} {:?} {}",
                p.login.to_lowercase(),
                p.name,
                p.consent.as_str()
            ));
        }
        lines
    }
}

pub fn tag(face: &Face, login: &str) -> FaceDecision {
    FaceDecision::Tag {
        face: face.id,
        login: login.into(),
    }
}

pub const ROSTER: &str = "login,name,consent\nalice,Alice A,ok\nbob,Bob B,ok\ncarol,Carol C,ok\ndave,Dave D,ok\nerin,Erin E,ok\nfrank,Frank F,ok\ngrace,Grace G,ok\n";

/// A small deterministic generator, so a failing sequence can be replayed from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Places for drawn boxes, far enough apart that no two are taken for one face.
pub fn slot(i: usize) -> Region {
    Region {
        x: 0.05 + 0.3 * (i % 3) as f64,
        y: 0.1 + 0.45 * (i / 3) as f64,
        w: 0.2,
        h: 0.3,
    }
}

/// The team folder's file of laptop B (as the other laptops read it).
pub fn log_of(team_dir: &Path, laptop_dir_of: &Laptop) -> PathBuf {
    let laptop = laptop_dir_of
        .lib
        .library
        .read(|c| c.team())
        .unwrap()
        .expect("joined")
        .laptop;
    team_dir.join(team::ROOT).join(laptop).join("log.jsonl")
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}
