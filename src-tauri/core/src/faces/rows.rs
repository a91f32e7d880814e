//! Rows as people see them: the reading order of a photo's faces (rows top to bottom, left to
//! right within a row), found from every visible face, named or not, so that naming a face never
//! renumbers the others.
//!
//! In a posed group photo a row is ragged: people closer to the camera have lower and larger
//! heads, and a back row stands in the gaps of the row before it. So rows are found in three
//! steps on boxes alone:
//! 1. faces sorted by their centre plus [`DEPTH`] face heights (where the shoulders are, which
//!    grows with both height on the photo and size) fall into rows at gaps wider than
//!    [`ROW_GAP`] typical faces;
//! 2. a row that still holds two rows standing in each other's gaps (heads at nearly one height,
//!    the front one's faces a tenth larger) is split where that measure jumps, when both parts have at least
//!    three people and the smaller part stands inside the larger one's width;
//! 3. a lone face joins the row nearest to it, and two rows side by side (one wholly left of the
//!    other) are one tilted row.
//!
//! A photo where faces differ a lot in size (an audience, a talk) has no rows: it is read left
//! to right, as is a photo of fewer than [`MIN_FACES_FOR_ROWS`] faces or with a single row.
//! The rule was fitted on hand-annotated fixtures (`core/tests/fixtures/rows/`).

use crate::catalog::Face;

/// Shoulder depth, in face heights, used to order faces front to back.
const DEPTH: f64 = 2.0;
/// A gap in that order wider than this many typical face heights starts a new row.
const ROW_GAP: f64 = 0.6;
/// The deeper measure that separates two interleaved rows.
const INTERLEAVED_DEPTH: f64 = 3.0;
/// The jump, in typical face heights, that splits two interleaved rows.
const INTERLEAVED_GAP: f64 = 0.35;
/// The front one of two interleaved rows has faces this much larger on average: a row of people
/// of different heights has no such split.
const FRONT_SIZE: f64 = 1.1;
/// Faces of a photo with rows differ in size by less than this (90th against 10th percentile).
const MAX_SIZE_SPREAD: f64 = 2.0;
const MIN_FACES_FOR_ROWS: usize = 4;
/// Each of two interleaved rows holds at least this many people.
const MIN_INTERLEAVED_ROW: usize = 3;
/// A row this long may hold a loose back row standing between and above the front one.
const MIN_LOOSE_ROWS: usize = 8;
/// How far to each side (in typical face widths) a back face looks for the front faces it
/// stands between.
const BETWEEN: f64 = 2.5;
/// How much lower (in typical face heights, by the shoulder depth) those front faces are.
const ABOVE: f64 = 0.05;
/// A face this close (in typical face widths) above a lower one stands behind it.
const OVER: f64 = 0.8;

/// A visible face's place in the reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub face_id: i64,
    /// 1-based from the top; `None` on a photo read left to right without rows.
    pub row: Option<u32>,
}

/// The visible faces `shown` of a photo, in the rule's reading order.
pub(super) fn by_rule(shown: &[&Face]) -> Vec<Placed> {
    let visible: Vec<Spot> = shown.iter().map(|f| Spot::of(f)).collect();
    match rows(&visible) {
        Some(rows) => rows
            .into_iter()
            .enumerate()
            .flat_map(|(r, row)| {
                sorted_left_to_right(row).into_iter().map(move |s| Placed {
                    face_id: s.id,
                    row: Some(r as u32 + 1),
                })
            })
            .collect(),
        None => sorted_left_to_right(visible)
            .into_iter()
            .map(|s| Placed {
                face_id: s.id,
                row: None,
            })
            .collect(),
    }
}

/// What a reader calls row `row` (1-based from the back) of `rows`: "back row", "front row",
/// "middle row" (of three), "second row from the back"; the one wording of the legend, the
/// post's caption and an attendee's question.
pub fn row_words(row: u32, rows: u32) -> String {
    const ORDINALS: [&str; 9] = [
        "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    ];
    match (row, rows) {
        (1, _) => "back row".into(),
        (r, n) if r >= n => "front row".into(),
        (2, 3) => "middle row".into(),
        (r, _) => {
            ORDINALS
                .get(r as usize - 2)
                .map_or_else(|| format!("row {r}"), |o| format!("{o} row"))
                + " from the back"
        }
    }
}

/// A face reduced to what the rule reads.
#[derive(Debug, Clone, Copy)]
struct Spot {
    id: i64,
    cx: f64,
    cy: f64,
    w: f64,
    h: f64,
}

impl Spot {
    fn of(f: &Face) -> Self {
        Self {
            id: f.id,
            cx: f.x + f.w / 2.0,
            cy: f.y + f.h / 2.0,
            w: f.w,
            h: f.h,
        }
    }

    fn depth(&self, k: f64) -> f64 {
        self.cy + k * self.h
    }
}

fn sorted_left_to_right(mut row: Vec<Spot>) -> Vec<Spot> {
    row.sort_by(|a, b| a.cx.total_cmp(&b.cx).then(a.id.cmp(&b.id)));
    row
}

/// Whether the visible faces `shown` look like people standing or sitting together for the
/// photo: enough of them, of about one size (a group photo, in rows or in one line), not an
/// audience, a meeting or a talk, where faces near and far differ a lot in size.
pub fn looks_posed(shown: &[&Face]) -> bool {
    let spots: Vec<Spot> = shown.iter().map(|f| Spot::of(f)).collect();
    typical_height(&spots).is_some()
}

/// The median face height, when the faces are enough and of about one size.
fn typical_height(spots: &[Spot]) -> Option<f64> {
    if spots.len() < MIN_FACES_FOR_ROWS {
        return None;
    }
    let mut heights: Vec<f64> = spots.iter().map(|s| s.h).collect();
    heights.sort_by(f64::total_cmp);
    let percentile = |p: f64| heights[((heights.len() - 1) as f64 * p).round() as usize];
    (percentile(0.1) > 0.0 && percentile(0.9) / percentile(0.1) <= MAX_SIZE_SPREAD)
        .then(|| percentile(0.5))
}

/// The rows, top to bottom (unordered within), or `None` when the photo has none.
fn rows(spots: &[Spot]) -> Option<Vec<Vec<Spot>>> {
    let typical = typical_height(spots)?;
    let mut rows: Vec<Vec<Spot>> = by_depth_gaps(spots, typical)
        .into_iter()
        .flat_map(|row| split_interleaved(row, typical))
        .flat_map(split_loose)
        .collect();
    join_lone_faces(&mut rows);
    rows.sort_by(|a, b| mean_depth(a).total_cmp(&mean_depth(b)));
    join_rows_side_by_side(&mut rows);
    (rows.len() > 1).then_some(rows)
}

/// Step 1: rows at wide gaps of the shoulder depth.
fn by_depth_gaps(spots: &[Spot], typical: f64) -> Vec<Vec<Spot>> {
    let mut sorted = spots.to_vec();
    sorted.sort_by(|a, b| a.depth(DEPTH).total_cmp(&b.depth(DEPTH)));
    let mut rows: Vec<Vec<Spot>> = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for s in sorted {
        let d = s.depth(DEPTH);
        if rows.is_empty() || d - last > ROW_GAP * typical {
            rows.push(Vec::new());
        }
        if let Some(row) = rows.last_mut() {
            row.push(s);
        }
        last = d;
    }
    rows
}

/// Step 2: a row holding two interleaved rows, split (recursively).
fn split_interleaved(row: Vec<Spot>, typical: f64) -> Vec<Vec<Spot>> {
    if row.len() < 2 * MIN_INTERLEAVED_ROW {
        return vec![row];
    }
    let mut sorted = row.clone();
    sorted.sort_by(|a, b| {
        a.depth(INTERLEAVED_DEPTH)
            .total_cmp(&b.depth(INTERLEAVED_DEPTH))
    });
    let jump =
        |i: usize| sorted[i].depth(INTERLEAVED_DEPTH) - sorted[i - 1].depth(INTERLEAVED_DEPTH);
    // The widest jump of all must be the one between the rows, and leave a real row each side.
    let Some(at) = (2..=sorted.len() - 2).max_by(|&a, &b| jump(a).total_cmp(&jump(b))) else {
        return vec![row];
    };
    let too_short = at < MIN_INTERLEAVED_ROW || sorted.len() - at < MIN_INTERLEAVED_ROW;
    if too_short || jump(at) < INTERLEAVED_GAP * typical {
        return vec![row];
    }
    let (back, front) = sorted.split_at(at);
    let mean_h = |p: &[Spot]| p.iter().map(|s| s.h).sum::<f64>() / p.len() as f64;
    if mean_h(front) < FRONT_SIZE * mean_h(back) || !stands_in_gaps(back, front) {
        return vec![row];
    }
    let mut parts = split_interleaved(back.to_vec(), typical);
    parts.extend(split_interleaved(front.to_vec(), typical));
    parts
}

/// Step 2b: a long row of faces of one size that holds a loose back row: people standing
/// between two of the front row and above them (a face with a lower face at each side within
/// [`BETWEEN`] face widths), or right behind one (a lower face within [`OVER`] widths). Split
/// when each part has at least [`MIN_INTERLEAVED_ROW`] people. Fitted on `kcs04` (43
/// contributors in a hall, 93% of faces in the row a person sees; only bodies tell the rest).
fn split_loose(row: Vec<Spot>) -> Vec<Vec<Spot>> {
    if row.len() < MIN_LOOSE_ROWS {
        return vec![row];
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let width = median(row.iter().map(|s| s.w).collect());
    let height = median(row.iter().map(|s| s.h).collect());
    let lower = |a: &Spot, b: &Spot| b.depth(DEPTH) > a.depth(DEPTH) + ABOVE * height;
    let stands_between = |s: &Spot| {
        let near = |t: &&Spot| t.id != s.id && (t.cx - s.cx).abs() <= BETWEEN * width;
        let (mut left, mut right, mut over) = (false, false, false);
        for t in row.iter().filter(near).filter(|t| lower(s, t)) {
            left |= t.cx < s.cx;
            right |= t.cx > s.cx;
            over |= (t.cx - s.cx).abs() < OVER * width;
        }
        (left && right) || over
    };
    let (back, front): (Vec<Spot>, Vec<Spot>) = row.iter().partition(|s| stands_between(s));
    if back.len() < MIN_INTERLEAVED_ROW || front.len() < MIN_INTERLEAVED_ROW {
        return vec![row];
    }
    vec![back, front]
}

/// Whether the smaller of two parts stands within the larger one's width (at least three in
/// four of its faces), as a row behind another does; two halves of one row side by side do not.
fn stands_in_gaps(a: &[Spot], b: &[Spot]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let left = large.iter().map(|s| s.cx).fold(f64::INFINITY, f64::min);
    let right = large.iter().map(|s| s.cx).fold(f64::NEG_INFINITY, f64::max);
    let inside = small.iter().filter(|s| s.cx > left && s.cx < right).count();
    inside as f64 >= 0.75 * small.len() as f64
}

fn mean_depth(row: &[Spot]) -> f64 {
    row.iter().map(|s| s.depth(DEPTH)).sum::<f64>() / row.len().max(1) as f64
}

/// Step 3a: a row of one face is no row; it joins the row whose depth is nearest.
fn join_lone_faces(rows: &mut Vec<Vec<Spot>>) {
    while rows.len() > 1 {
        let Some(at) = rows.iter().position(|r| r.len() == 1) else {
            return;
        };
        let lone = rows.remove(at);
        let d = mean_depth(&lone);
        if let Some(nearest) = rows.iter_mut().min_by(|a, b| {
            (mean_depth(a) - d)
                .abs()
                .total_cmp(&(mean_depth(b) - d).abs())
        }) {
            nearest.extend(lone);
        }
    }
}

/// Step 3b: neighbouring rows that do not overlap in width are one tilted row.
fn join_rows_side_by_side(rows: &mut Vec<Vec<Spot>>) {
    let span = |r: &[Spot]| {
        r.iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), s| {
                (l.min(s.cx), h.max(s.cx))
            })
    };
    let mut i = 0;
    while i + 1 < rows.len() {
        let (a, b) = (span(&rows[i]), span(&rows[i + 1]));
        if a.1.min(b.1) < a.0.max(b.0) {
            let next = rows.remove(i + 1);
            rows[i].extend(next);
            i = i.saturating_sub(1);
        } else {
            i += 1;
        }
    }
}
