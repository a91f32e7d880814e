//! A team naming one event: libraries on "laptops" of their own (their own copies of the photos,
//! at other paths) share one team folder. Each decides; after syncing, every library shows the
//! same name (or the same conflict) on every face. Also: decisions from three laptops in random
//! orders reach one state; torn, garbage, newer and hostile files are each one clear error.

mod common;

use common::laptop::{log_of, slot, tag, walk, Laptop, Rng, ROSTER};
use common::shared;
use whoiswho_core::catalog::{Face, FaceState};
use whoiswho_core::faces::{decide, FaceDecision, Region};
use whoiswho_core::people::{import_roster, save_person, Consent, PersonInput};
use whoiswho_core::team;

const TEAM_PHOTO: &str = "kcd-ny-2026-team.jpg";

#[test]
fn three_laptops_name_one_photo_and_agree_on_every_face() {
    let team_dir = tempfile::tempdir().unwrap();
    let team_dir = team_dir.path().join("Summit team");
    let [a, b, c] = [0, 1, 2].map(|_| Laptop::new("events", &[TEAM_PHOTO]));
    for l in [&a, &b, &c] {
        l.search_faces();
    }
    assert_ne!(a.photos, b.photos, "each laptop keeps its own copies");
    import_roster(
        &mut a.lib.library.catalog().unwrap(),
        ROSTER.as_bytes(),
        false,
    )
    .unwrap();
    let boxes: Vec<Region> = a.faces(TEAM_PHOTO).iter().map(Face::region).collect();
    assert!(boxes.len() >= 8, "{} faces", boxes.len());

    // Pacoxu tags before anyone else joined; then everyone joins.
    a.decide(TEAM_PHOTO, tag(&a.face_at(TEAM_PHOTO, &boxes[0]), "alice"));
    a.join(&team_dir, "pacoxu");
    b.join(&team_dir, "mengjiao");
    c.join(&team_dir, "kevin-wangzefeng");

    // Each names different faces; two name one face differently without seeing each other.
    b.decide(TEAM_PHOTO, tag(&b.face_at(TEAM_PHOTO, &boxes[1]), "bob"));
    a.decide(TEAM_PHOTO, tag(&a.face_at(TEAM_PHOTO, &boxes[2]), "carol"));
    b.decide(TEAM_PHOTO, tag(&b.face_at(TEAM_PHOTO, &boxes[2]), "dave"));
    a.decide(TEAM_PHOTO, tag(&a.face_at(TEAM_PHOTO, &boxes[3]), "erin"));
    // One changes their mind: a tag, then its undo.
    let frank = a.face_at(TEAM_PHOTO, &boxes[4]);
    a.decide(TEAM_PHOTO, tag(&frank, "frank"));
    a.decide(
        TEAM_PHOTO,
        FaceDecision::Set {
            face: frank.id,
            login: None,
            state: FaceState::Unreviewed,
        },
    );
    // A box the detector missed, drawn on one laptop, and a stranger ignored on another.
    b.decide(
        TEAM_PHOTO,
        FaceDecision::Draw {
            region: Region {
                x: 0.01,
                y: 0.01,
                w: 0.03,
                h: 0.04,
            },
            login: Some("grace".into()),
        },
    );
    c.decide(
        TEAM_PHOTO,
        FaceDecision::Ignore {
            face: c.face_at(TEAM_PHOTO, &boxes[5]).id,
        },
    );
    for l in [&a, &b, &c, &a, &b] {
        l.sync();
    }
    // Erin asks not to be tagged, on the laptop that never tagged her.
    c.sync();
    save_person(
        &mut c.lib.library.catalog().unwrap(),
        &PersonInput {
            login: "erin".into(),
            name: Some("Erin E".into()),
            affiliation: None,
            consent: Consent::NoTag,
            lower_consent: false,
        },
    )
    .unwrap();
    for l in [&c, &a, &b, &c] {
        let report = l.sync();
        assert!(report.errors.is_empty(), "{report:?}");
    }

    let state = a.state();
    assert_eq!(b.state(), state, "B shows what A shows");
    assert_eq!(c.state(), state, "C shows what A shows");
    let on = |l: &Laptop, i: usize| l.face_at(TEAM_PHOTO, &boxes[i]);
    assert_eq!(on(&c, 0).login.as_deref(), Some("alice"));
    assert_eq!(
        on(&c, 0).by.as_deref(),
        Some("pacoxu"),
        "who named it travels"
    );
    assert_eq!(on(&a, 1).login.as_deref(), Some("bob"));
    assert_eq!(on(&a, 1).by.as_deref(), Some("mengjiao"));
    let mut names: Vec<String> = on(&c, 2)
        .conflict
        .expect("a conflict")
        .into_iter()
        .map(|c| format!("{} by {}", c.login, c.by))
        .collect();
    names.sort();
    assert_eq!(names, ["carol by pacoxu", "dave by mengjiao"]);
    assert_eq!(on(&b, 3).login, None, "no-tag: erin is named nowhere");
    assert_eq!(on(&b, 4).login, None, "the undo travelled");
    assert_eq!(on(&a, 5).state, FaceState::Ignored);
    assert!(
        a.faces(TEAM_PHOTO)
            .iter()
            .any(|f| f.login.as_deref() == Some("grace") && f.region().x < 0.02),
        "the drawn box arrived"
    );
    let status = team::status(&c.lib.library).unwrap();
    assert_eq!(status.conflicts.len(), 1);
    let logins: Vec<&str> = status.members.iter().map(|m| m.login.as_str()).collect();
    assert_eq!(logins, ["kevin-wangzefeng", "mengjiao", "pacoxu"]);

    // Someone picks: the pick travels and the conflict is gone everywhere.
    b.decide(TEAM_PHOTO, tag(&on(&b, 2), "carol"));
    for l in [&b, &a, &c] {
        l.sync();
    }
    for l in [&a, &b, &c] {
        let face = on(l, 2);
        assert_eq!(face.login.as_deref(), Some("carol"));
        assert_eq!(face.conflict, None);
        assert!(team::status(&l.lib.library).unwrap().conflicts.is_empty());
    }
    assert_eq!(b.state(), a.state());
    assert_eq!(c.state(), a.state());
}

#[test]
fn random_decisions_from_three_laptops_in_any_order_reach_one_state() {
    const LOGINS: [&str; 4] = ["alice", "bob", "carol", "dave"];
    // More with TEAM_SEEDS=N (each seed is a replayable sequence).
    let seeds: u64 = std::env::var("TEAM_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let first: u64 = std::env::var("TEAM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for seed in first..=seeds.max(first) {
        let team_dir = tempfile::tempdir().unwrap();
        let laptops = [0, 1, 2].map(|_| Laptop::new("orientation/hopper", &["hopper.jpg"]));
        for (i, l) in laptops.iter().enumerate() {
            l.join(team_dir.path(), ["paco", "meng", "kevin"][i]);
        }
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut snapshots: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
        for _ in 0..40 {
            let l = &laptops[rng.below(3)];
            let faces = l.faces("hopper.jpg");
            let pick = |rng: &mut Rng| faces.get(rng.below(faces.len().max(1))).cloned();
            let decision = match rng.below(9) {
                0 | 1 => Some(FaceDecision::Draw {
                    region: slot(rng.below(6)),
                    login: Some(LOGINS[rng.below(4)].into()).filter(|_| rng.below(2) == 0),
                }),
                2 | 3 => pick(&mut rng).map(|f| tag(&f, LOGINS[rng.below(4)])),
                4 => pick(&mut rng).map(|f| FaceDecision::Untag { face: f.id }),
                5 => pick(&mut rng).map(|f| FaceDecision::Ignore { face: f.id }),
                6 => pick(&mut rng).map(|f| FaceDecision::Delete { face: f.id }),
                7 => pick(&mut rng).map(|f| {
                    let r = f.region();
                    let dx = (rng.below(5) as f64 - 2.0) * 0.005;
                    FaceDecision::Move {
                        face: f.id,
                        region: Region {
                            x: (r.x + dx).clamp(0.0, 1.0 - r.w),
                            ..r
                        },
                    }
                }),
                _ => {
                    l.sync();
                    None
                }
            };
            if let Some(d) = decision {
                let mut catalog = l.lib.library.catalog().unwrap();
                // A decision may be refused (a tag on a face a teammate deleted meanwhile):
                // it is then no decision, as in the window.
                let _ = decide(&mut catalog, l.photo("hopper.jpg"), &d);
            }
            // What sync tools and people do to the team folder and the library, now and then.
            match rng.below(40) {
                0 => {
                    // A sync engine's conflict copy of a laptop's log: a stale prefix of it.
                    let log = log_of(team_dir.path(), l);
                    let bytes = std::fs::read(&log).unwrap();
                    let cut = bytes.len() * (1 + rng.below(3)) / 4;
                    let copy = log
                        .with_file_name(format!("log.sync-conflict-{}.jsonl", rng.next() % 1000));
                    std::fs::write(copy, &bytes[..cut]).unwrap();
                }
                1 => {
                    // The log cut anywhere, even mid-line.
                    let log = log_of(team_dir.path(), l);
                    let bytes = std::fs::read(&log).unwrap();
                    let cut = bytes.len() * rng.below(4) / 4;
                    std::fs::write(&log, &bytes[..cut]).unwrap();
                }
                2 => {
                    // An older copy of the log put back.
                    let log = log_of(team_dir.path(), l);
                    if let Some(old) = snapshots.iter().rev().find(|(p, _)| *p == log) {
                        std::fs::write(&log, &old.1).unwrap();
                    } else {
                        snapshots.push((log.clone(), std::fs::read(&log).unwrap()));
                    }
                }
                3 => {
                    // Leave, decide while away, rejoin.
                    let me = l.lib.library.read(|c| c.team()).unwrap().unwrap().me;
                    team::leave(&l.lib.library).unwrap();
                    let faces = l.faces("hopper.jpg");
                    if let Some(f) = faces.get(rng.below(faces.len().max(1))) {
                        let _ = decide(
                            &mut l.lib.library.catalog().unwrap(),
                            l.photo("hopper.jpg"),
                            &tag(f, LOGINS[rng.below(4)]),
                        );
                    }
                    l.join(team_dir.path(), &me);
                }
                4 => {
                    // Two processes on one laptop deciding and writing the log at once.
                    let photo = l.photo("hopper.jpg");
                    let root = l.lib.library.root().to_path_buf();
                    let picks: Vec<(usize, &str)> = (0..2)
                        .map(|_| (rng.below(6), LOGINS[rng.below(4)]))
                        .collect();
                    std::thread::scope(|scope| {
                        for (i, login) in &picks {
                            let root = root.clone();
                            scope.spawn(move || {
                                let library = whoiswho_core::Library::open(&root).unwrap();
                                let _ = decide(
                                    &mut library.catalog().unwrap(),
                                    photo,
                                    &FaceDecision::Draw {
                                        region: slot(*i),
                                        login: Some((*login).into()),
                                    },
                                );
                                team::flush(&library).unwrap();
                            });
                        }
                    });
                }
                _ => {}
            }
            if rng.below(10) == 0 {
                let who = LOGINS[rng.below(4)];
                let consent = [Consent::Ok, Consent::NoPublish, Consent::NoTag][rng.below(3)];
                save_person(
                    &mut l.lib.library.catalog().unwrap(),
                    &PersonInput {
                        login: who.into(),
                        name: None,
                        affiliation: None,
                        consent,
                        lower_consent: false,
                    },
                )
                .unwrap();
            }
        }
        // Everyone syncs, in a random order, until a round reads nothing new (applying may
        // record decisions of its own: untags a consent asks for).
        for round in 0.. {
            assert!(round < 8, "seed {seed}: still reading after {round} rounds");
            let mut order = [0, 1, 2];
            for i in (1..3).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let mut read = 0;
            let mut errors = Vec::new();
            for i in order {
                let report = laptops[i].sync();
                errors.extend(report.errors);
                read += report.read;
            }
            // A log read while cut or headless is an error until its laptop repairs it.
            if read == 0 && round > 0 {
                assert!(errors.is_empty(), "seed {seed}: {errors:?}");
                break;
            }
        }
        let state = laptops[0].state();
        if std::env::var_os("TEAM_DEBUG").is_some() && laptops[1].state() != state {
            for entry in walk(team_dir.path()) {
                eprintln!(
                    "== {}\n{}",
                    entry.display(),
                    std::fs::read_to_string(&entry).unwrap_or_default()
                );
            }
            for (i, l) in laptops.iter().enumerate() {
                let me = l.lib.library.read(|c| c.team()).unwrap().unwrap().laptop;
                eprintln!("laptop {i} = {me}");
                for f in l.faces("hopper.jpg") {
                    let uids = l
                        .lib
                        .library
                        .catalog()
                        .unwrap()
                        .write(|w| w.team_uids_of_face(f.id))
                        .unwrap();
                    eprintln!(
                        "  face {} {:?} {:?} {:?} uids {:?}",
                        f.id,
                        f.region(),
                        f.login,
                        f.state,
                        uids
                    );
                }
            }
        }
        assert_eq!(laptops[1].state(), state, "seed {seed}");
        assert_eq!(laptops[2].state(), state, "seed {seed}");
    }
}

#[test]
fn torn_garbage_newer_and_hostile_files_are_each_one_clear_error() {
    use std::io::Write;
    let team_dir = tempfile::tempdir().unwrap();
    let a = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    let b = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    a.join(team_dir.path(), "paco");
    b.join(team_dir.path(), "meng");
    b.decide(
        "hopper.jpg",
        FaceDecision::Draw {
            region: slot(0),
            login: Some("alice".into()),
        },
    );
    b.sync();
    let log = log_of(team_dir.path(), &b);
    let text = std::fs::read_to_string(&log).unwrap();
    let record = text.lines().last().unwrap().to_string();

    // A record still arriving (a sync engine copied the file mid-write) is left for later.
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let next = record.replace(".1\"", ".9\"");
    file.write_all(&next.as_bytes()[..next.len() / 2]).unwrap();
    let report = a.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(
        a.faces("hopper.jpg")
            .iter()
            .filter(|f| f.login.is_some())
            .count(),
        1
    );

    // A sync engine's conflict copy of the log holds the same records: nothing new, no error.
    std::fs::copy(
        &log,
        log.with_file_name("log.sync-conflict-20261205-120000-ABCDEFG.jsonl"),
    )
    .unwrap();
    let report = a.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(report.read, 0, "the same records, already held");

    // Garbage, a newer version, a line that claims another laptop, a login that tries to
    // escape a path, deep nesting and a 100 MB line: one error each.
    let laptop = log
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let lines = [
        String::new(), // ends the torn line: it is garbage now
        "this is not json".into(),
        record.replace("\"k\":\"face\"", "\"v\":7,\"k\":\"face\""),
        record.replace(&laptop, "0000000000000000"),
        record.replace("alice", "../../../etc"),
        format!("{{\"id\":{}1{}}}", "[".repeat(5_000), "]".repeat(5_000)),
        "x".repeat(100 * 1024 * 1024),
    ];
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    for line in &lines {
        file.write_all(line.as_bytes()).unwrap();
        file.write_all(b"\n").unwrap();
    }
    drop(file);
    // And a good record after them all: B names another face.
    b.decide(
        "hopper.jpg",
        FaceDecision::Draw {
            region: slot(4),
            login: Some("bob".into()),
        },
    );
    b.sync();
    let report = a.sync();
    let errors: Vec<&str> = report.errors.iter().map(|e| e.error.as_str()).collect();
    assert_eq!(report.errors.len(), 7, "{errors:#?}");
    assert!(
        errors.iter().any(|e| e.contains("newer whoiswho")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("another laptop")),
        "{errors:#?}"
    );
    assert!(errors.iter().any(|e| e.contains("over the")), "{errors:#?}");
    assert!(report.errors.iter().all(|e| e.file.ends_with("/log.jsonl")));
    assert_eq!(
        report.applied, 2,
        "B's good record (and Bob, new in the roster), after the bad ones"
    );
    // Each is reported once: the next sync starts after them.
    assert!(a.sync().errors.is_empty());

    // A laptop folder whose header names another laptop is one error; a folder that is no
    // laptop's is left alone; nothing is written outside the team folder.
    let fake = team_dir.path().join(team::ROOT).join("1111111111111111");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(
        fake.join("log.jsonl"),
        format!(
            "{{\"whoiswho\":\"team-log\",\"format\":1,\"laptop\":\"{laptop}\",\"login\":\"meng\"}}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(team_dir.path().join(team::ROOT).join("..not-a-laptop")).unwrap();
    let report = a.sync();
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert!(
        report.errors[0].error.contains("names laptop"),
        "{report:?}"
    );

    // Alice and Bob arrived; nothing else did.
    let mut named: Vec<String> = a
        .faces("hopper.jpg")
        .iter()
        .filter_map(|f| f.login.clone())
        .collect();
    named.sort();
    assert_eq!(named, ["alice", "bob"]);
    assert_eq!(a.state(), b.state());
}

#[test]
fn decisions_made_while_the_team_folder_is_away_wait_and_travel_when_it_is_back() {
    let root = tempfile::tempdir().unwrap();
    let team_dir = root.path().join("nas-share");
    let a = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    let b = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    a.join(&team_dir, "paco");
    b.join(&team_dir, "meng");
    // The share is disconnected: its mount point is empty (here: moved away).
    let away = root.path().join("share-while-away");
    std::fs::rename(&team_dir, &away).unwrap();
    std::fs::create_dir(&team_dir).unwrap();
    for i in 0..5 {
        a.decide(
            "hopper.jpg",
            FaceDecision::Draw {
                region: slot(i),
                login: Some(format!("person-{i}")),
            },
        );
    }
    let err = team::sync(&a.lib.library).expect_err("the folder is away");
    assert!(err.to_string().contains("is not there"), "{err}");
    assert!(
        !team_dir.join(team::ROOT).exists(),
        "nothing is made at the empty mount point"
    );
    // Back: a week of decisions travels at once, nothing lost.
    std::fs::remove_dir(&team_dir).unwrap();
    std::fs::rename(&away, &team_dir).unwrap();
    assert!(a.sync().errors.is_empty());
    let report = b.sync();
    assert!(report.read >= 5, "{report:?}");
    assert_eq!(
        b.faces("hopper.jpg")
            .iter()
            .filter(|f| f.login.is_some())
            .count(),
        5
    );
    assert_eq!(a.state(), b.state());
}

#[test]
fn an_avatar_got_on_one_laptop_serves_the_team_and_hostile_pictures_are_refused() {
    use whoiswho_core::avatars::{self, AvatarModels};
    use whoiswho_core::faces::FaceDetector;
    use whoiswho_core::recognition::FaceEmbedder;
    use whoiswho_core::{progress::NoProgress, CancelToken};

    let team_dir = tempfile::tempdir().unwrap();
    let a = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    let b = Laptop::new("orientation/hopper", &["hopper.jpg"]);
    import_roster(
        &mut a.lib.library.catalog().unwrap(),
        b"login,consent\ngrace,ok\nhidden,no-tag\n",
        false,
    )
    .unwrap();
    a.join(team_dir.path(), "paco");
    b.join(team_dir.path(), "meng");
    let pictures = tempfile::tempdir().unwrap();
    std::fs::copy(
        shared("orientation/hopper/hopper.jpg"),
        pictures.path().join("grace.jpg"),
    )
    .unwrap();
    let (detector, embedder) = (
        FaceDetector::load(&common::models()).unwrap(),
        FaceEmbedder::load(&common::models()).unwrap(),
    );
    let models = AvatarModels {
        detector: &detector,
        embedder: &embedder,
    };
    let report = avatars::import(
        &a.lib.library,
        pictures.path(),
        &models,
        &CancelToken::new(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    let report = b.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(b.lib.library.read(|c| c.avatars()).unwrap().len(), 0);
    // Grace's picture cannot be read on A (deleted from the library folder): the sync says so,
    // and her avatar record is not written, since B would wait for its picture for ever.
    let on_a = a.lib.library.read(|c| c.person("grace")).unwrap().unwrap();
    let (file, _) = a
        .lib
        .library
        .read(|c| c.avatar_kept(on_a.id))
        .unwrap()
        .expect("A keeps her picture");
    let picture_on_a = avatars::path_in(a.lib.library.root(), &file);
    let kept = std::fs::read(&picture_on_a).unwrap();
    std::fs::remove_file(&picture_on_a).unwrap();
    let report = a.sync();
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.error.contains("the avatar of @grace cannot be shared")),
        "{report:?}"
    );
    let report = b.sync();
    assert_eq!(report.waiting, 0, "B waits for no picture: {report:?}");
    assert_eq!(b.lib.library.read(|c| c.avatars()).unwrap().len(), 0);
    // Put back, it travels at the next sync.
    std::fs::write(&picture_on_a, kept).unwrap();
    let report = a.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    let report = b.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    // B holds Grace's avatar, with its face and embedding, without fetching or any model.
    let avatars_b = b.lib.library.read(|c| c.avatars()).unwrap();
    assert_eq!(avatars_b.len(), 1, "{avatars_b:?}");
    assert_eq!(avatars_b[0].login, "grace");
    let grace = b.lib.library.read(|c| c.person("grace")).unwrap().unwrap();
    let picture = avatars::picture(&b.lib.library, grace.id).unwrap().unwrap();
    assert!(image::load_from_memory(&picture.jpeg).is_ok());
    let embeddings = b
        .lib
        .library
        .read(|c| c.avatar_embeddings(whoiswho_core::recognition::MODEL_VERSION))
        .unwrap();
    assert_eq!(embeddings.len(), 1, "the avatar's face came with it");

    // A hostile teammate's avatars: a picture that is no image, a decompression bomb, one that
    // is not what its name says, one that has not arrived. One clear error each (the missing
    // one waits); nothing is kept.
    let laptop_a = a.lib.library.read(|c| c.team()).unwrap().unwrap().laptop;
    let folder = team_dir.path().join(team::ROOT).join(&laptop_a);
    let log = folder.join("log.jsonl");
    let sha = |bytes: &[u8]| {
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(bytes))
    };
    let mut lines = String::new();
    let hostile: [(&str, Vec<u8>); 3] = [
        ("not an image", b"<html>not a picture</html>".to_vec()),
        (
            "a bomb",
            std::fs::read(shared("broken/decompression_bomb.gif")).unwrap(),
        ),
        ("misnamed", b"misnamed".to_vec()),
    ];
    for (i, (what, bytes)) in hostile.iter().enumerate() {
        let name = if *what == "misnamed" {
            format!("{}.jpg", sha(b"something else"))
        } else {
            format!("{}.jpg", sha(bytes))
        };
        std::fs::write(folder.join("avatars").join(&name), bytes).unwrap();
        lines.push_str(&format!(
            "{{\"id\":\"{laptop_a}.{}\",\"at\":{{\"ms\":{}}},\"k\":\"avatar\",\"login\":\"grace\",\"file\":\"{name}\",\"source\":\"github\",\"face\":\"none\"}}\n",
            900 + i,
            9_000_000_000_000u64 + i as u64,
        ));
    }
    lines.push_str(&format!(
        "{{\"id\":\"{laptop_a}.999\",\"at\":{{\"ms\":9000000000010}},\"k\":\"avatar\",\"login\":\"grace\",\"file\":\"{}.jpg\",\"source\":\"github\",\"face\":\"none\"}}\n",
        "ab".repeat(32)
    ));
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let report = b.sync();
    // Only the latest record of an attendee's avatar is used: the three earlier ones are
    // superseded by the missing one, which waits.
    assert_eq!(report.waiting, 1, "{report:?}");
    assert_eq!(
        avatars::picture(&b.lib.library, grace.id).unwrap().unwrap(),
        picture,
        "the kept avatar is untouched"
    );
    // Each hostile picture on its own is one clear error.
    for (i, (what, _)) in hostile.iter().enumerate() {
        let c = Laptop::new("orientation/hopper", &["hopper.jpg"]);
        let only = tempfile::tempdir().unwrap();
        let copy = only.path().join(team::ROOT).join(&laptop_a);
        std::fs::create_dir_all(copy.join("avatars")).unwrap();
        for entry in std::fs::read_dir(folder.join("avatars")).unwrap().flatten() {
            std::fs::copy(entry.path(), copy.join("avatars").join(entry.file_name())).unwrap();
        }
        let text = std::fs::read_to_string(&log).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("\"k\":\"avatar\"") || l.contains(&format!(".{}\"", 900 + i)))
            .collect();
        std::fs::write(copy.join("log.jsonl"), kept.join("\n") + "\n").unwrap();
        // Joining reads the folder: its report says what was wrong.
        let report = c.join(only.path(), "kevin");
        let errors: Vec<String> = report.errors.iter().map(|e| e.error.clone()).collect();
        assert_eq!(errors.len(), 1, "{what}: {errors:?} {report:?}");
        assert!(
            report.errors[0].file.contains("/avatars/"),
            "{what}: {report:?}"
        );
        assert!(
            c.lib.library.read(|cat| cat.avatars()).unwrap().is_empty(),
            "{what}: nothing kept"
        );
    }
}
