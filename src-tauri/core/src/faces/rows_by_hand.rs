//! Rows by hand: no rule reads every photo right, so a person may fix a photo's rows. The fix
//! is kept on its faces (`Face::row_fix`: the row each visible face was in when the person last
//! changed it, or 0 on all of them for "left to right"), so every output that reads the photo's
//! reading order follows it: the window, `faces list`, the figure, the post's caption.
//!
//! A move takes the photo's rows as they are read now and changes one face's row; a face found
//! after the fix (a box drawn later) joins the row of the fixed face nearest to it.

use serde::{Deserialize, Serialize};

use super::rows::Placed;
use crate::catalog::Face;
use crate::region::Region;

/// What a person asks of a photo's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    /// The face goes to the row above; a new row when it is in the back row.
    Up(i64),
    /// The face goes to the row below; a new row when it is in the front row.
    Down(i64),
    /// The photo is read left to right, without rows.
    LeftToRight,
    /// The rule reads the photo again: the fix is dropped.
    ByRule,
}

/// A face's hand-set row: 1-based from the back, 0 for left to right, `None` for the rule's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HandRow {
    pub face: i64,
    pub row: Option<u32>,
}

/// How a photo's rows are read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RowsBy {
    /// By the rule (`faces::rows`).
    Rule,
    /// By a person's fix.
    Hand,
    /// Left to right, as a person asked.
    LeftToRight,
}

/// How a photo's faces are read now.
pub fn rows_by(faces: &[Face]) -> RowsBy {
    let fixed: Vec<u32> = faces
        .iter()
        .filter(|f| !f.state.is_hidden())
        .filter_map(|f| f.row_fix)
        .collect();
    if fixed.is_empty() {
        RowsBy::Rule
    } else if fixed.iter().all(|r| *r == 0) {
        RowsBy::LeftToRight
    } else {
        RowsBy::Hand
    }
}

/// The reading order a person's fix gives, or `None` when the photo has none.
pub(super) fn fixed_order(visible: &[&Face]) -> Option<Vec<Placed>> {
    let fixed: Vec<(&Face, u32)> = visible
        .iter()
        .filter_map(|f| f.row_fix.map(|r| (*f, r)))
        .collect();
    if fixed.is_empty() {
        return None;
    }
    let left_to_right = fixed.iter().all(|(_, r)| *r == 0);
    let mut rows: Vec<(u32, f64, i64)> = visible
        .iter()
        .map(|f| {
            let row = if left_to_right {
                0
            } else {
                f.row_fix
                    .filter(|r| *r > 0)
                    .unwrap_or_else(|| nearest_row(f, &fixed))
            };
            (row, f.x + f.w / 2.0, f.id)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut distinct: Vec<u32> = rows.iter().map(|r| r.0).collect();
    distinct.dedup();
    let with_rows = distinct.len() > 1;
    Some(
        rows.into_iter()
            .map(|(row, _, face_id)| Placed {
                face_id,
                row: with_rows
                    .then(|| distinct.iter().position(|d| *d == row).unwrap_or(0) as u32 + 1),
            })
            .collect(),
    )
}

/// The row of the fixed face nearest to `face` (in face heights, centre to centre).
fn nearest_row(face: &Face, fixed: &[(&Face, u32)]) -> u32 {
    let (cx, cy) = (face.x + face.w / 2.0, face.y + face.h / 2.0);
    fixed
        .iter()
        .filter(|(_, r)| *r > 0)
        .min_by(|(a, _), (b, _)| {
            let d = |f: &Face| (f.x + f.w / 2.0 - cx).hypot(f.y + f.h / 2.0 - cy);
            d(a).total_cmp(&d(b))
        })
        .map_or(1, |(_, r)| *r)
}

/// The hand-set row every visible face of the photo gets from `change`, given its faces and
/// their reading order as they are.
pub fn rows_after(faces: &[Face], order: &[Placed], change: RowChange) -> Vec<HandRow> {
    let visible = faces.iter().filter(|f| !f.state.is_hidden());
    let all = |row: Option<u32>| {
        visible
            .clone()
            .map(|f| HandRow { face: f.id, row })
            .collect()
    };
    let (face, up) = match change {
        RowChange::LeftToRight => return all(Some(0)),
        RowChange::ByRule => return all(None),
        RowChange::Up(face) => (face, true),
        RowChange::Down(face) => (face, false),
    };
    let now: Vec<(i64, u32)> = order
        .iter()
        .map(|p| (p.face_id, p.row.unwrap_or(1)))
        .collect();
    if !now.iter().any(|(id, _)| *id == face) {
        return Vec::new();
    }
    // Room for a new row: every row shifts down by one, the moved face goes to row 1 (above
    // all) or to the row after the last.
    let moved = |(id, r): (i64, u32)| -> (i64, u32) {
        let r = r + 1;
        if id != face {
            (id, r)
        } else if up {
            (id, r - 1)
        } else {
            (id, r + 1)
        }
    };
    let shifted: Vec<(i64, u32)> = now.into_iter().map(moved).collect();
    // Rows numbered 1.. again, without the empty ones.
    let mut used: Vec<u32> = shifted.iter().map(|(_, r)| *r).collect();
    used.sort_unstable();
    used.dedup();
    shifted
        .into_iter()
        .map(|(id, r)| HandRow {
            face: id,
            row: Some(used.iter().position(|u| *u == r).unwrap_or(0) as u32 + 1),
        })
        .collect()
}

/// A hand-set row as it travels to teammates: the face's centre (normalized) and its row.
pub type PlacedRow = [f64; 3];

/// The fix of a photo as teammates receive it: each fixed visible face's centre and row.
pub fn rows_for_team(faces: &[Face]) -> Vec<PlacedRow> {
    faces
        .iter()
        .filter(|f| !f.state.is_hidden())
        .filter_map(|f| {
            let r = f.row_fix?;
            Some([f.x + f.w / 2.0, f.y + f.h / 2.0, f64::from(r)])
        })
        .collect()
}

/// The hand-set rows a teammate's fix gives the faces here: each visible face takes the row of
/// the fixed centre inside it (detectors put a face's box a few pixels apart); the others are
/// the rule's (an empty fix gives every face back to the rule).
pub fn rows_from_team(faces: &[Face], fix: &[PlacedRow]) -> Vec<HandRow> {
    faces
        .iter()
        .filter(|f| !f.state.is_hidden())
        .map(|f| {
            let region = f.region();
            let row = fix
                .iter()
                .filter(|[x, y, _]| inside(&region, *x, *y))
                .min_by(|a, b| {
                    let d = |p: &PlacedRow| {
                        (p[0] - (region.x + region.w / 2.0))
                            .hypot(p[1] - (region.y + region.h / 2.0))
                    };
                    d(a).total_cmp(&d(b))
                })
                .map(|p| p[2] as u32);
            HandRow { face: f.id, row }
        })
        .collect()
}

fn inside(r: &Region, x: f64, y: f64) -> bool {
    x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{FaceSource, FaceState};
    use crate::faces::reading_order;

    fn rows_after(faces: &[Face], change: RowChange) -> Vec<HandRow> {
        super::rows_after(faces, &reading_order(faces), change)
    }

    fn face(id: i64, x: f64, y: f64, row_fix: Option<u32>) -> Face {
        Face {
            id,
            x,
            y,
            w: 0.05,
            h: 0.08,
            crop: String::new(),
            score: Some(0.9),
            source: FaceSource::Auto,
            login: None,
            name: None,
            state: FaceState::Unreviewed,
            suggestion: None,
            group: None,
            by: None,
            decided_at: None,
            conflict: None,
            claim: None,
            asked: None,
            row_fix,
        }
    }

    /// Two clean rows of four: ids 1–4 behind, 5–8 in front.
    fn two_rows() -> Vec<Face> {
        (0..8)
            .map(|i| {
                let back = i < 4;
                face(
                    i + 1,
                    0.1 + 0.2 * (i % 4) as f64 + if back { 0.0 } else { 0.05 },
                    if back { 0.2 } else { 0.4 },
                    None,
                )
            })
            .collect()
    }

    fn with(faces: &[Face], rows: &[HandRow]) -> Vec<Face> {
        faces
            .iter()
            .map(|f| {
                let mut f = f.clone();
                if let Some(h) = rows.iter().find(|h| h.face == f.id) {
                    f.row_fix = h.row;
                }
                f
            })
            .collect()
    }

    fn rows_of(faces: &[Face]) -> Vec<(i64, Option<u32>)> {
        reading_order(faces)
            .iter()
            .map(|p| (p.face_id, p.row))
            .collect()
    }

    #[test]
    fn a_face_moved_up_and_down_and_the_photo_read_left_to_right() {
        let faces = two_rows();
        assert_eq!(rows_by(&faces), RowsBy::Rule);
        assert_eq!(rows_of(&faces)[4], (5, Some(2)));
        // Face 5 goes to the back row: it is read there, left to right among them.
        let up = with(&faces, &rows_after(&faces, RowChange::Up(5)));
        assert_eq!(rows_by(&up), RowsBy::Hand);
        let order = rows_of(&up);
        assert_eq!(order[..5].iter().filter(|(_, r)| *r == Some(1)).count(), 5);
        assert!(order[..5].contains(&(5, Some(1))));
        // Up again from the back row: a row of its own above all.
        let top = with(&up, &rows_after(&up, RowChange::Up(5)));
        assert_eq!(rows_of(&top)[0], (5, Some(1)));
        assert_eq!(rows_of(&top)[1].1, Some(2));
        // Down from the front row: a new front row.
        let down = with(&faces, &rows_after(&faces, RowChange::Down(8)));
        assert_eq!(rows_of(&down).last(), Some(&(8, Some(3))));
        // Left to right: one run, no rows.
        let plain = with(&faces, &rows_after(&faces, RowChange::LeftToRight));
        assert_eq!(rows_by(&plain), RowsBy::LeftToRight);
        assert!(rows_of(&plain).iter().all(|(_, r)| r.is_none()));
        // By the rule again.
        let again = with(&plain, &rows_after(&plain, RowChange::ByRule));
        assert_eq!(rows_of(&again), rows_of(&faces));
    }

    #[test]
    fn a_face_found_after_the_fix_joins_the_nearest_row() {
        let faces = two_rows();
        let mut up = with(&faces, &rows_after(&faces, RowChange::Up(5)));
        up.push(face(9, 0.92, 0.41, None));
        let order = rows_of(&up);
        assert_eq!(order.last(), Some(&(9, Some(2))));
    }

    #[test]
    fn a_teammates_fix_lands_on_the_faces_here_a_few_pixels_apart() {
        let faces = two_rows();
        let up = with(&faces, &rows_after(&faces, RowChange::Up(5)));
        let sent = rows_for_team(&up);
        let here: Vec<Face> = faces
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.x += 0.004;
                f.y -= 0.003;
                f.id += 100;
                f
            })
            .collect();
        let got = with(&here, &rows_from_team(&here, &sent));
        let order: Vec<(i64, Option<u32>)> = rows_of(&got)
            .into_iter()
            .map(|(id, r)| (id - 100, r))
            .collect();
        assert_eq!(order, rows_of(&up));
        assert!(rows_from_team(&here, &[]).iter().all(|h| h.row.is_none()));
    }
}
