//! Boxes drawn, moved and deleted by hand; filters by person and by untagged faces; attendees
//! added and edited in the app; face crops. No face model needed: boxes are placed by hand.

mod common;

use common::{shared, TestLibrary};
use whoiswho_core::catalog::{Catalog, Face};
use whoiswho_core::catalog::{FaceSource, FaceState, PhotoFilter};
use whoiswho_core::faces::{decide, tag_box, FaceChange, FaceDecision, Region, TagError};
use whoiswho_core::people::{import_roster, save_person, Consent, PersonInput};

fn region(x: f64, y: f64) -> Region {
    Region {
        x,
        y,
        w: 0.1,
        h: 0.15,
    }
}

fn add_box(
    cat: &mut Catalog,
    photo: i64,
    region: Region,
    login: Option<&str>,
) -> Result<Face, TagError> {
    let login = login.map(str::to_string);
    Ok(decide(cat, photo, &FaceDecision::Draw { region, login })?
        .face
        .expect("drawn"))
}

fn move_box(cat: &mut Catalog, photo: i64, face: i64, region: Region) -> Result<Face, TagError> {
    Ok(decide(cat, photo, &FaceDecision::Move { face, region })?
        .face
        .expect("moved"))
}

fn set_face(
    cat: &mut Catalog,
    photo: i64,
    face: i64,
    login: Option<&str>,
    state: FaceState,
) -> Result<Face, TagError> {
    let login = login.map(str::to_string);
    Ok(
        decide(cat, photo, &FaceDecision::Set { face, login, state })?
            .face
            .expect("set"),
    )
}

fn library_with_two_photos() -> (TestLibrary, i64, i64) {
    let lib = TestLibrary::new();
    let dir = lib.folder("photos");
    let events = shared("events");
    let mut names: Vec<_> = std::fs::read_dir(&events)
        .expect("events")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_lowercase().ends_with(".jpg"))
        .collect();
    names.sort();
    let names: Vec<&str> = names.iter().take(2).map(String::as_str).collect();
    common::copy_files(&events, &names, &dir);
    lib.index(&[&dir]);
    let a = lib.photo(names[0]).id;
    let b = lib.photo(names[1]).id;
    (lib, a, b)
}

fn filter(people: &[&str], untagged: bool) -> PhotoFilter {
    PhotoFilter {
        untagged,
        people: people.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn drawn_boxes_can_be_moved_tagged_and_deleted() {
    let (lib, a, _) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let drawn = add_box(&mut cat, a, region(0.1, 0.1), None).unwrap();
    assert_eq!(drawn.source, FaceSource::Manual);
    assert_eq!(drawn.state, FaceState::Unreviewed);
    assert_eq!(drawn.login, None);

    let moved = move_box(&mut cat, a, drawn.id, region(0.5, 0.6)).unwrap();
    assert_eq!((moved.x, moved.y), (0.5, 0.6));
    assert!(matches!(
        move_box(&mut cat, a, drawn.id, region(0.95, 0.1)),
        Err(TagError::BadBox(_))
    ));

    let tagged = set_face(&mut cat, a, drawn.id, Some("octocat"), FaceState::Confirmed).unwrap();
    assert_eq!(tagged.login.as_deref(), Some("octocat"));

    let deleted = decide(&mut cat, a, &FaceDecision::Delete { face: drawn.id }).unwrap();
    assert_eq!(deleted.face, None);
    assert_eq!(deleted.undo, FaceDecision::Restore { face: drawn.id });
    assert!(cat.faces(a).unwrap().is_empty());
    // A new box never takes the deleted one's id, so undo can bring it back under it.
    let other = add_box(&mut cat, a, region(0.1, 0.1), None).unwrap();
    assert_ne!(other.id, drawn.id);
    // Undo of a delete brings the box back whole, with the same id.
    let FaceChange { face, undo, .. } = decide(&mut cat, a, &deleted.undo).unwrap();
    let back = face.expect("restored");
    assert_eq!(back.id, drawn.id);
    assert_eq!(back.state, FaceState::Confirmed);
    assert_eq!(back.login.as_deref(), Some("octocat"));
    assert_eq!((back.x, back.y), (0.5, 0.6));
    // ...and redo deletes it again; a second restore of the same box finds nothing to restore.
    assert_eq!(undo, FaceDecision::Delete { face: drawn.id });
    let again = decide(&mut cat, a, &undo).unwrap();
    decide(&mut cat, a, &again.undo).unwrap();
    assert!(matches!(
        decide(&mut cat, a, &again.undo),
        Err(TagError::NothingToRestore { .. })
    ));
}

#[test]
fn every_decision_returns_the_one_that_takes_it_back() {
    let (lib, a, _) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let face = add_box(&mut cat, a, region(0.2, 0.2), None).unwrap().id;
    let steps = [
        FaceDecision::Tag {
            face,
            login: "octocat".into(),
        },
        FaceDecision::Ignore { face },
        FaceDecision::Set {
            face,
            login: Some("octocat".into()),
            state: FaceState::Unreviewed,
        },
        FaceDecision::Confirm { face },
        FaceDecision::NotAFace { face },
        FaceDecision::Untag { face },
        FaceDecision::Move {
            face,
            region: region(0.6, 0.6),
        },
    ];
    for step in steps {
        let before = cat.face(a, face).unwrap();
        let change = decide(&mut cat, a, &step).unwrap();
        let after = cat.face(a, face).unwrap();
        assert_eq!(change.face, after, "{step:?}");
        let undone = decide(&mut cat, a, &change.undo).unwrap();
        assert_eq!(cat.face(a, face).unwrap(), before, "undo of {step:?}");
        decide(&mut cat, a, &undone.undo).unwrap();
        assert_eq!(cat.face(a, face).unwrap(), after, "redo of {step:?}");
    }
    // Confirming needs a login; a no-tag attendee is never put on a face, nor brought back.
    decide(&mut cat, a, &FaceDecision::Untag { face }).unwrap();
    assert!(matches!(
        decide(&mut cat, a, &FaceDecision::Confirm { face }),
        Err(TagError::NothingToConfirm(_))
    ));
    let tagged = decide(
        &mut cat,
        a,
        &FaceDecision::Tag {
            face,
            login: "quiet".into(),
        },
    )
    .unwrap();
    assert!(tagged.face.is_some());
    let gone = decide(&mut cat, a, &FaceDecision::Delete { face }).unwrap();
    save_person(
        &mut cat,
        &PersonInput {
            login: "quiet".into(),
            name: None,
            affiliation: None,
            consent: Consent::NoTag,
            lower_consent: false,
        },
    )
    .unwrap();
    let back = decide(&mut cat, a, &gone.undo).unwrap().face.unwrap();
    assert_eq!((back.id, back.login), (face, None));
    assert!(matches!(
        decide(
            &mut cat,
            a,
            &FaceDecision::Tag {
                face,
                login: "QUIET".into()
            }
        ),
        Err(TagError::NoTag(_))
    ));
}

#[test]
fn photos_filter_by_people_and_by_untagged_faces() {
    let (lib, a, b) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    tag_box(&mut cat, a, region(0.1, 0.1), "alice").unwrap();
    tag_box(&mut cat, a, region(0.4, 0.1), "Bob").unwrap();
    tag_box(&mut cat, b, region(0.1, 0.1), "alice").unwrap();
    let untagged = add_box(&mut cat, b, region(0.6, 0.1), None).unwrap();

    let ids = |f: PhotoFilter| -> Vec<i64> {
        cat.filtered_photo_summaries(&f)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect()
    };
    let mut both = vec![a, b];
    both.sort();
    let mut got = ids(filter(&["ALICE"], false));
    got.sort();
    assert_eq!(got, both, "logins compare case-insensitively");
    assert_eq!(ids(filter(&["alice", "bob"], false)), vec![a]);
    assert_eq!(ids(filter(&["bob", "nobody"], false)), Vec::<i64>::new());
    assert_eq!(ids(filter(&[], true)), vec![b]);
    assert_eq!(ids(filter(&["bob"], true)), Vec::<i64>::new());

    // Dismissing the last untagged face takes the photo out of the "untagged" filter, and a
    // hidden tagged face no longer counts as the person being on the photo.
    set_face(&mut cat, b, untagged.id, None, FaceState::Ignored).unwrap();
    assert!(cat
        .filtered_photo_summaries(&filter(&[], true))
        .unwrap()
        .is_empty());

    let (queue, total) = cat.untagged_faces(10).unwrap();
    assert_eq!((queue.len(), total), (0, 0));

    let people = cat.people().unwrap();
    let alice = people.iter().find(|p| p.login == "alice").unwrap();
    assert_eq!((alice.faces, alice.photos), (2, 2));
    assert!(alice.best_face.is_some());
}

#[test]
fn the_triage_queue_is_largest_first() {
    let (lib, a, b) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let small = add_box(
        &mut cat,
        a,
        Region {
            x: 0.1,
            y: 0.1,
            w: 0.02,
            h: 0.03,
        },
        None,
    )
    .unwrap();
    let large = add_box(
        &mut cat,
        b,
        Region {
            x: 0.1,
            y: 0.1,
            w: 0.2,
            h: 0.3,
        },
        None,
    )
    .unwrap();
    tag_box(&mut cat, b, region(0.5, 0.5), "carol").unwrap();
    let (queue, total) = cat.untagged_faces(10).unwrap();
    assert_eq!(total, 2);
    let ids: Vec<i64> = queue.iter().map(|f| f.face.id).collect();
    assert_eq!(ids, vec![large.id, small.id]);
    assert_eq!(queue[0].photo_id, b);
}

#[test]
fn attendees_are_added_and_edited_and_no_tag_takes_their_tags_off() {
    let (lib, a, _) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let input = |consent| PersonInput {
        login: "dims".into(),
        name: Some("Davanum Srinivas".into()),
        affiliation: Some("  ".into()),
        consent,
        lower_consent: false,
    };
    let saved = save_person(&mut cat, &input(Consent::Ok)).unwrap();
    assert_eq!(saved.person.name.as_deref(), Some("Davanum Srinivas"));
    assert_eq!(saved.person.affiliation, None, "blank fields are cleared");

    tag_box(&mut cat, a, region(0.1, 0.1), "dims").unwrap();
    let saved = save_person(&mut cat, &input(Consent::NoTag)).unwrap();
    assert_eq!(saved.untagged, 1);
    assert_eq!(saved.person.consent, Consent::NoTag);
    assert!(cat.faces(a).unwrap().iter().all(|f| f.login.is_none()));

    let bad = PersonInput {
        login: "not a login!".into(),
        name: None,
        affiliation: None,
        consent: Consent::Ok,
        lower_consent: false,
    };
    assert!(save_person(&mut cat, &bad).is_err());
}

#[test]
fn a_roster_that_now_says_no_tag_takes_the_tags_off_as_the_form_does() {
    let (lib, a, b) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let first = import_roster(&mut cat, b"login,consent\ndims,ok\nnikhita,ok\n", false).unwrap();
    assert_eq!((first.added, first.untagged), (2, 0));
    tag_box(&mut cat, a, region(0.1, 0.1), "dims").unwrap();
    tag_box(&mut cat, b, region(0.5, 0.5), "dims").unwrap();
    tag_box(&mut cat, b, region(0.1, 0.1), "nikhita").unwrap();

    let again =
        import_roster(&mut cat, b"login,consent\ndims,no-tag\nnikhita,ok\n", false).unwrap();
    assert_eq!((again.updated, again.unchanged), (1, 1));
    assert_eq!(again.untagged, 2, "both of dims's faces");
    let logins = |photo| -> Vec<Option<String>> {
        cat.faces(photo)
            .unwrap()
            .into_iter()
            .map(|f| f.login)
            .collect()
    };
    assert!(logins(a).iter().all(Option::is_none));
    assert_eq!(
        logins(b).into_iter().flatten().collect::<Vec<_>>(),
        vec!["nikhita".to_string()],
        "the others keep their tags"
    );
    assert!(
        tag_box(&mut cat, a, region(0.1, 0.1), "dims").is_err(),
        "and dims cannot be tagged again"
    );
}

#[test]
fn a_face_crop_is_a_small_square_jpeg() {
    let (lib, a, _) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let face = add_box(&mut cat, a, region(0.4, 0.3), None).unwrap();
    let bytes = lib.library.face_crop(face.id).unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (160, 160));
    // Cached: the second call reads the same bytes back.
    assert_eq!(lib.library.face_crop(face.id).unwrap(), bytes);
    assert!(lib.library.face_crop(face.id + 1000).is_err());
}

#[test]
fn a_face_crop_is_named_for_its_box_and_renamed_when_the_box_moves() {
    // The window keeps a crop for good under an address with this name: a moved box must get
    // another name, or the window would show the old crop.
    let (lib, a, _) = library_with_two_photos();
    let mut cat = lib.library.catalog().unwrap();
    let face = tag_box(&mut cat, a, region(0.4, 0.3), "nikhita").unwrap();
    let (_, key) = lib.library.face_crop_and_key(face.id).unwrap();
    assert_eq!(face.crop, key);
    let person = cat.person("nikhita").unwrap().unwrap();
    assert_eq!(person.best_face, Some(face.id));
    assert_eq!(person.best_face_crop.as_deref(), Some(key.as_str()));

    let moved = move_box(&mut cat, a, face.id, region(0.5, 0.3)).unwrap();
    let (_, moved_key) = lib.library.face_crop_and_key(face.id).unwrap();
    assert_ne!(moved_key, key);
    assert_eq!(moved.crop, moved_key);
    let person = cat.person("nikhita").unwrap().unwrap();
    assert_eq!(person.best_face_crop, Some(moved_key.clone()));
    assert!(cat
        .people()
        .unwrap()
        .iter()
        .any(|p| p.best_face_crop.as_deref() == Some(moved_key.as_str())));
}

#[test]
fn the_roster_kept_in_memory_follows_every_write_whichever_connection_made_it() {
    let (lib, photo, _) = library_with_two_photos();
    let library = &lib.library;
    let count = |login: &str| {
        library
            .read(|c| c.people())
            .unwrap()
            .into_iter()
            .find(|p| p.login == login)
            .map(|p| (p.faces, p.photos))
    };
    let mut cat = library.catalog().unwrap();
    save_person(
        &mut cat,
        &PersonInput {
            login: "alice".into(),
            name: Some("Alice".into()),
            affiliation: None,
            consent: Consent::Ok,
            lower_consent: false,
        },
    )
    .unwrap();
    assert_eq!(count("alice"), Some((0, 0)));
    // Asked twice with nothing changed: the same answer (from memory the second time).
    assert_eq!(count("alice"), Some((0, 0)));
    let face = add_box(&mut cat, photo, region(0.1, 0.1), None).unwrap().id;
    decide(
        &mut cat,
        photo,
        &FaceDecision::Tag {
            face,
            login: "alice".into(),
        },
    )
    .unwrap();
    assert_eq!(count("alice"), Some((1, 1)), "a tag is seen at once");
    // A write through another connection (another process, say) is seen too.
    let db = lib.dir.path().join("lib").join("library.db");
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute("UPDATE faces SET state = 'ignored' WHERE id = ?1", [face])
        .unwrap();
    assert_eq!(
        count("alice"),
        Some((1, 0)),
        "the other connection's write is seen"
    );
    // Deciding about a face nobody is tagged on leaves the roster as it is: the typeahead after
    // triage's X and I keys finds it ready.
    let generation = || {
        other
            .query_row("SELECT n FROM roster_generation", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
    };
    let before = generation();
    let untagged = add_box(&mut cat, photo, region(0.5, 0.5), None).unwrap().id;
    decide(&mut cat, photo, &FaceDecision::NotAFace { face: untagged }).unwrap();
    assert_eq!(
        generation(),
        before,
        "an untagged face does not touch the roster"
    );
    // Taking the login off a face does.
    decide(&mut cat, photo, &FaceDecision::Untag { face }).unwrap();
    assert!(generation() > before);
    assert_eq!(count("alice"), Some((0, 0)), "an untag is seen at once");
}
