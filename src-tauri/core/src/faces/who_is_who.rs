//! "Who is who": the tagged faces of a photo numbered in reading order (rows top to bottom,
//! left to right within a row), the order the viewer's markers and the exported legend share.

use serde::Serialize;

use crate::catalog::Face;

/// One numbered face of the legend.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WhoEntry {
    /// 1-based, in reading order.
    pub number: u32,
    pub face_id: i64,
    pub login: String,
    pub name: Option<String>,
}

/// Indices of `faces` in reading order. Faces whose vertical centres lie within half a typical
/// face height of a row's first face belong to that row: posed group rows are ragged, and a
/// strict sort by y would zigzag between neighbours.
pub fn reading_order(faces: &[Face]) -> Vec<usize> {
    let mut by_y: Vec<usize> = (0..faces.len()).collect();
    let centre_y = |i: usize| faces[i].y + faces[i].h / 2.0;
    by_y.sort_by(|&a, &b| centre_y(a).total_cmp(&centre_y(b)));
    let mut heights: Vec<f64> = faces.iter().map(|f| f.h).collect();
    heights.sort_by(f64::total_cmp);
    let typical = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    let mut order = Vec::with_capacity(faces.len());
    let mut row: Vec<usize> = Vec::new();
    let mut row_top = f64::NEG_INFINITY;
    for i in by_y {
        if centre_y(i) - row_top > typical * 0.5 {
            flush_row(faces, &mut row, &mut order);
            row_top = centre_y(i);
        }
        row.push(i);
    }
    flush_row(faces, &mut row, &mut order);
    order
}

fn flush_row(faces: &[Face], row: &mut Vec<usize>, order: &mut Vec<usize>) {
    row.sort_by(|&a, &b| faces[a].x.total_cmp(&faces[b].x));
    order.append(row);
}

/// The legend of a photo: every tagged, visible face, numbered in reading order.
pub fn who_is_who(faces: &[Face]) -> Vec<WhoEntry> {
    let tagged: Vec<Face> = faces
        .iter()
        .filter(|f| f.login.is_some() && !f.state.is_hidden())
        .cloned()
        .collect();
    reading_order(&tagged)
        .into_iter()
        .enumerate()
        .map(|(n, i)| WhoEntry {
            number: n as u32 + 1,
            face_id: tagged[i].id,
            login: tagged[i].login.clone().unwrap_or_default(),
            name: tagged[i].name.clone(),
        })
        .collect()
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
        let ids: Vec<i64> = reading_order(&faces).iter().map(|&i| faces[i].id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn the_legend_numbers_only_tagged_visible_faces() {
        let mut hidden = face(3, 0.5, 0.2, Some("c"));
        hidden.state = FaceState::Ignored;
        let faces = vec![
            face(2, 0.6, 0.2, Some("b")),
            face(9, 0.3, 0.2, None),
            hidden,
            face(1, 0.1, 0.2, Some("a")),
        ];
        let legend = who_is_who(&faces);
        let got: Vec<(u32, &str)> = legend
            .iter()
            .map(|e| (e.number, e.login.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "a"), (2, "b")]);
    }
}
