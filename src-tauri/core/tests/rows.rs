//! The rows of the hand-annotated posed photos (`fixtures/rows/`, boxes as the face search found
//! them, rows written down by looking at each photo): the reading order, its stability when a
//! face is added, and the legend numbers that follow from it.

use std::path::PathBuf;

use serde::Deserialize;
use whoiswho_core::catalog::{Face, FaceSource, FaceState};
use whoiswho_core::faces::{reading_order, who_is_who};

#[derive(Deserialize)]
struct Fixture {
    photo: String,
    /// Face ids, rows top to bottom, left to right; `null` for a photo without rows.
    rows: Option<Vec<Vec<i64>>>,
    /// The share of faces the rule must put in the row a person does (1 when absent): a loose
    /// group where only bodies tell who stands behind is read from boxes alone.
    #[serde(default)]
    min_accuracy: Option<f64>,
    faces: Vec<Spot>,
}

#[derive(Deserialize, Clone, Copy)]
struct Spot {
    id: i64,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn fixtures() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rows");
    let mut all: Vec<Fixture> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| {
            let path = e.expect("entry").path();
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("fixture")
        })
        .collect();
    all.sort_by(|a, b| a.photo.cmp(&b.photo));
    assert!(all.len() >= 12, "the fixtures are there");
    all
}

fn face(s: &Spot, login: Option<String>) -> Face {
    Face {
        id: s.id,
        x: s.x,
        y: s.y,
        w: s.w,
        h: s.h,
        crop: String::new(),
        score: Some(0.9),
        source: FaceSource::Auto,
        login,
        name: None,
        state: FaceState::Unreviewed,
        suggestion: None,
        group: None,
        by: None,
        decided_at: None,
        conflict: None,
        claim: None,
        asked: None,
        row_fix: None,
    }
}

fn faces_of(f: &Fixture) -> Vec<Face> {
    f.faces.iter().map(|s| face(s, None)).collect()
}

/// The rows the rule finds, as id lists; a photo read left to right is one list.
fn rows_found(faces: &[Face]) -> (Vec<Vec<i64>>, bool) {
    let order = reading_order(faces);
    let has_rows = order.iter().any(|p| p.row.is_some());
    let mut rows: Vec<Vec<i64>> = Vec::new();
    let mut current = None;
    for p in order {
        if rows.is_empty() || p.row != current {
            rows.push(Vec::new());
            current = p.row;
        }
        rows.last_mut().expect("a row").push(p.face_id);
    }
    (rows, has_rows)
}

/// The share of faces whose row the rule finds as a person does.
fn accuracy(found: &[Vec<i64>], expected: &[Vec<i64>]) -> f64 {
    let row_of = |rows: &[Vec<i64>], id: i64| rows.iter().position(|r| r.contains(&id));
    let all: Vec<i64> = expected.iter().flatten().copied().collect();
    let right = all
        .iter()
        .filter(|&&id| row_of(found, id) == row_of(expected, id))
        .count();
    right as f64 / all.len() as f64
}

#[test]
fn posed_rows_are_found_as_annotated_and_audiences_read_left_to_right() {
    for f in fixtures() {
        let faces = faces_of(&f);
        let (rows, has_rows) = rows_found(&faces);
        match &f.rows {
            Some(expected) if expected.len() > 1 => {
                assert!(has_rows, "{}: rows expected", f.photo);
                let got = accuracy(&rows, expected);
                eprintln!(
                    "{}: {} of {} rows, {:.0}% of faces in their row",
                    f.photo,
                    rows.len(),
                    expected.len(),
                    got * 100.0
                );
                match f.min_accuracy {
                    Some(min) => {
                        assert_eq!(rows.len(), expected.len(), "{}", f.photo);
                        assert!(got >= min, "{}: {got:.2} < {min}", f.photo);
                    }
                    None => assert_eq!(&rows, expected, "{}", f.photo),
                }
            }
            Some(one_row) => {
                assert!(!has_rows, "{}: one row reads left to right", f.photo);
                assert_eq!(rows, *one_row, "{}", f.photo);
            }
            None => {
                assert!(!has_rows, "{}: an audience has no rows", f.photo);
                let mut by_x = f.faces.clone();
                by_x.sort_by(|a, b| (a.x + a.w / 2.0).total_cmp(&(b.x + b.w / 2.0)));
                let ids: Vec<i64> = by_x.iter().map(|s| s.id).collect();
                assert_eq!(rows, vec![ids], "{}", f.photo);
            }
        }
    }
}

#[test]
fn a_face_added_or_removed_does_not_reorder_the_others() {
    for f in fixtures().into_iter().filter(|f| f.rows.is_some()) {
        let all = faces_of(&f);
        let (rows, _) = rows_found(&all);
        let mut worst = 0;
        for left_out in &f.faces {
            let fewer: Vec<Face> = all
                .iter()
                .filter(|x| x.id != left_out.id)
                .cloned()
                .collect();
            let expected: Vec<Vec<i64>> = rows
                .iter()
                .map(|r| r.iter().copied().filter(|&id| id != left_out.id).collect())
                .filter(|r: &Vec<i64>| !r.is_empty())
                .collect();
            let found = rows_found(&fewer).0;
            match f.min_accuracy {
                // A loose group read from boxes alone: a face drawn or deleted may move a
                // neighbour or two between the rows (rows can be fixed by hand), no more.
                Some(_) => {
                    let moved = found
                        .iter()
                        .enumerate()
                        .flat_map(|(r, ids)| ids.iter().map(move |id| (r, *id)))
                        .filter(|(r, id)| expected.get(*r).is_none_or(|e| !e.contains(id)))
                        .count();
                    worst = worst.max(moved);
                }
                None => assert_eq!(
                    found, expected,
                    "{}: face {} added reorders the others",
                    f.photo, left_out.id
                ),
            }
        }
        if f.min_accuracy.is_some() {
            eprintln!(
                "{}: a face added or removed moves at most {worst} others",
                f.photo
            );
            assert!(worst <= 3, "{}: {worst} faces moved", f.photo);
        }
        // The order faces come in from the catalog does not matter.
        let mut reversed = all.clone();
        reversed.reverse();
        assert_eq!(rows_found(&reversed).0, rows, "{}", f.photo);
    }
}

#[test]
fn naming_some_faces_numbers_them_in_the_rows_of_all() {
    for f in fixtures() {
        let Some(expected) = f.rows.clone().filter(|r| r.len() > 1) else {
            continue;
        };
        // Name three people of the front row, from the right, and one of the back row.
        let front = expected.last().expect("front row");
        let named: Vec<i64> = front
            .iter()
            .rev()
            .take(3)
            .copied()
            .chain([expected[0][0]])
            .collect();
        let faces: Vec<Face> = f
            .faces
            .iter()
            .map(|s| face(s, named.contains(&s.id).then(|| format!("p{}", s.id))))
            .collect();
        let legend = who_is_who(&faces, |_| true);
        let got: Vec<(u32, i64)> = legend.iter().map(|e| (e.number, e.face_id)).collect();
        let mut want = vec![expected[0][0]];
        want.extend(front.iter().rev().take(3).rev());
        let want: Vec<(u32, i64)> = want
            .into_iter()
            .enumerate()
            .map(|(n, id)| (n as u32 + 1, id))
            .collect();
        assert_eq!(got, want, "{}", f.photo);
        assert_eq!(legend[0].row, Some(1), "{}", f.photo);
        assert_eq!(legend[1].row, Some(expected.len() as u32), "{}", f.photo);
    }
}
