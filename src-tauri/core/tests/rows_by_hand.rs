//! Rows fixed by hand reach every output and every teammate: a face moved to the row above is
//! read there by the legend and the post's caption, travels to a teammate (whose detector drew
//! its boxes a little apart, and one who had not searched the photo yet waits for its faces),
//! is undone on the laptop that made it and on the teammate's, and a later "left to right"
//! made elsewhere wins.

mod common;

use common::laptop::Laptop;
use whoiswho_core::faces::{reading_order, rows_by, undo_last, FaceDecision, RowsBy};
use whoiswho_core::publication::Publication;

const PHOTO: &str = "ul-11.jpg";

fn laptop() -> Laptop {
    Laptop::new("groups", &[PHOTO])
}

/// What a reader sees of the rows: each visible face's centre (to 1/100) and row, in reading
/// order.
fn rows(l: &Laptop) -> Vec<(i64, i64, Option<u32>)> {
    let faces = l.faces(PHOTO);
    reading_order(&faces)
        .iter()
        .map(|p| {
            let f = faces.iter().find(|f| f.id == p.face_id).unwrap();
            (
                ((f.x + f.w / 2.0) * 100.0).round() as i64,
                ((f.y + f.h / 2.0) * 100.0).round() as i64,
                p.row,
            )
        })
        .collect()
}

#[test]
fn rows_fixed_by_hand_reach_every_output_and_every_teammate() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (laptop(), laptop(), laptop());
    a.search_faces();
    b.search_faces();
    a.join(dir.path(), "paco");
    b.join(dir.path(), "meng");
    c.join(dir.path(), "kay");

    let by_rule = rows(&a);
    let last = by_rule.iter().filter_map(|r| r.2).max().expect("rows");
    assert!(last >= 2, "{PHOTO} has rows: {by_rule:?}");
    // The leftmost face of the front row goes to the row above.
    let order = reading_order(&a.faces(PHOTO));
    let front = order
        .iter()
        .find(|p| p.row == Some(last))
        .expect("a front row")
        .face_id;
    a.decide(
        PHOTO,
        FaceDecision::MoveRow {
            face: front,
            up: true,
        },
    );
    assert_eq!(rows_by(&a.faces(PHOTO)), RowsBy::Hand);
    let moved = rows(&a);
    assert_ne!(moved, by_rule);
    let row_of = |l: &Laptop, face: i64| {
        reading_order(&l.faces(PHOTO))
            .into_iter()
            .find(|p| p.face_id == face)
            .and_then(|p| p.row)
    };
    assert_eq!(row_of(&a, front), Some(last - 1));

    // The post's caption and the legend read the same rows.
    let publication = Publication::load(&a.lib.library).unwrap();
    let published = publication
        .photo_in(&a.lib.library, a.photo(PHOTO))
        .unwrap();
    let placed = published
        .in_reading_order()
        .iter()
        .find(|f| f.face_id == front)
        .map(|f| f.row);
    assert_eq!(placed, Some(Some(last - 1)));

    // A teammate gets the same rows; one who has not searched the photo waits for its faces.
    a.sync();
    b.sync();
    assert_eq!(rows(&b), moved, "the teammate reads the rows fixed by hand");
    assert_eq!(rows_by(&b.faces(PHOTO)), RowsBy::Hand);
    let report = c.sync();
    assert!(report.waiting >= 1, "{report:?}");
    c.search_faces();
    c.sync();
    assert_eq!(rows(&c), moved, "after its face search");

    // Undone where it was made, and on the teammates'.
    let undone = undo_last(&mut a.lib.library.catalog().unwrap())
        .unwrap()
        .expect("a step to undo");
    assert_eq!(undone.len(), 1);
    assert_eq!(rows(&a), by_rule);
    assert_eq!(rows_by(&a.faces(PHOTO)), RowsBy::Rule);
    a.sync();
    b.sync();
    assert_eq!(rows(&b), by_rule);

    // A later "left to right" made on another laptop wins everywhere.
    let any = b.faces(PHOTO)[0].id;
    b.decide(PHOTO, FaceDecision::LeftToRight { face: any });
    b.sync();
    a.sync();
    c.sync();
    for l in [&a, &b, &c] {
        assert_eq!(rows_by(&l.faces(PHOTO)), RowsBy::LeftToRight);
        assert!(rows(l).iter().all(|r| r.2.is_none()));
    }
}
