//! "Who is who": the tagged faces of a photo numbered in reading order (rows top to bottom,
//! left to right within a row), the order the viewer's markers and the exported legend share.

use serde::Serialize;

use super::markers::{min_diameter, place, Marker, ToNumber};
use super::rows::{by_rule, row_words, Placed};
use super::rows_by_hand::fixed_order;
use crate::catalog::Face;
use crate::region::Region;

/// Every visible face of a photo, in reading order: the rows a person fixed by hand when they
/// did (`rows_by_hand`), else the rule's (`rows`).
pub fn reading_order(faces: &[Face]) -> Vec<Placed> {
    let shown: Vec<&Face> = faces.iter().filter(|f| !f.state.is_hidden()).collect();
    fixed_order(&shown).unwrap_or_else(|| by_rule(&shown))
}

/// One numbered face of the legend.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WhoEntry {
    /// 1-based, in reading order.
    pub number: u32,
    pub face_id: i64,
    pub login: String,
    pub name: Option<String>,
    /// 1-based from the top; `None` on a photo read left to right.
    pub row: Option<u32>,
}

/// The legend of a photo: every visible tagged face that `may_be_named`, numbered in the reading
/// order of all its visible faces (see [`super::rows`]).
pub fn who_is_who(faces: &[Face], may_be_named: impl Fn(&Face) -> bool) -> Vec<WhoEntry> {
    who_is_who_in(&reading_order(faces), faces, may_be_named)
}

/// [`who_is_who`] in a reading order already found for these faces.
pub fn who_is_who_in(
    order: &[Placed],
    faces: &[Face],
    may_be_named: impl Fn(&Face) -> bool,
) -> Vec<WhoEntry> {
    let mut number = 0;
    order
        .iter()
        .filter_map(|placed| {
            let face = faces.iter().find(|f| f.id == placed.face_id)?;
            let login = face.login.as_deref().filter(|_| may_be_named(face))?;
            number += 1;
            Some(WhoEntry {
                number,
                face_id: face.id,
                login: login.to_string(),
                name: face.name.clone(),
                row: placed.row,
            })
        })
        .collect()
}

/// What each row of the photo is called, back to front ("back row", …, "front row"); empty on a
/// photo read left to right.
pub fn row_names(faces: &[Face]) -> Vec<String> {
    let rows = reading_order(faces)
        .iter()
        .filter_map(|p| p.row)
        .max()
        .unwrap_or(0);
    (1..=rows).map(|r| row_words(r, rows)).collect()
}

/// Where the window draws the numbers of `legend` on a `width`×`height` photo with these faces:
/// placed by the one rule the exported legend follows (`markers`), at the size a published
/// figure gives them, every visible face an obstacle.
pub fn markers_for(faces: &[Face], legend: &[WhoEntry], width: u32, height: u32) -> Vec<Marker> {
    let visible: Vec<Region> = faces
        .iter()
        .filter(|f| !f.state.is_hidden())
        .map(Face::region)
        .collect();
    let numbered: Vec<ToNumber> = legend
        .iter()
        .filter_map(|e| {
            let face = faces.iter().find(|f| f.id == e.face_id)?;
            Some(ToNumber {
                face_id: e.face_id,
                number: e.number,
                region: face.region(),
                row: e.row,
            })
        })
        .collect();
    let (w, h) = (f64::from(width), f64::from(height));
    place(w, h, &visible, &numbered, min_diameter(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{FaceSource, FaceState};

    fn face(id: i64, x: f64, y: f64, login: Option<&str>) -> Face {
        Face {
            id,
            x,
            y,
            w: 0.05,
            h: 0.08,
            crop: String::new(),
            score: Some(0.9),
            source: FaceSource::Auto,
            login: login.map(str::to_string),
            name: None,
            state: FaceState::Confirmed,
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

    #[test]
    fn ragged_rows_read_top_to_bottom_then_left_to_right() {
        // Back row sags in the middle; front row is lower. Ids say the expected order.
        let faces = vec![
            face(5, 0.1, 0.50, Some("e")),
            face(2, 0.4, 0.22, Some("b")),
            face(1, 0.1, 0.20, Some("a")),
            face(3, 0.7, 0.19, Some("c")),
            face(6, 0.5, 0.52, Some("f")),
            face(4, 0.9, 0.23, Some("d")),
        ];
        let legend = who_is_who(&faces, |_| true);
        let ids: Vec<i64> = legend.iter().map(|e| e.face_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
        let rows: Vec<Option<u32>> = legend.iter().map(|e| e.row).collect();
        assert_eq!(rows, [1, 1, 1, 1, 2, 2].map(Some));
    }

    #[test]
    fn the_legend_numbers_only_visible_faces_that_may_be_named() {
        let mut hidden = face(3, 0.5, 0.2, Some("c"));
        hidden.state = FaceState::Ignored;
        let faces = vec![
            face(2, 0.6, 0.2, Some("b")),
            face(9, 0.3, 0.2, None),
            hidden,
            face(1, 0.1, 0.2, Some("a")),
            face(4, 0.45, 0.2, Some("withheld")),
        ];
        let legend = who_is_who(&faces, |f| f.login.as_deref() != Some("withheld"));
        let got: Vec<(u32, &str)> = legend
            .iter()
            .map(|e| (e.number, e.login.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "a"), (2, "b")]);
    }
}
