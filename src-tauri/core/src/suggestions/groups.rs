//! Groups of untagged faces that look alike, so a person nobody has named yet is named once for
//! all their faces. A face joins the group it is closest to on average (not to its closest
//! member, which would chain strangers together through look-alikes) provided no member looks
//! like a stranger to it (close to the average can still be far from one member: a stranger
//! who resembles most of a group), or pairs up with the closest face in no group. Only new
//! faces are placed; groups already formed are kept, so adding photos never re-clusters the
//! library.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{dot, Matrix};
use crate::catalog::{Catalog, CatalogError, GroupedFace, Writer};

/// Average cosine similarity from which a face joins a group. Calibrated on the identity
/// photos with `examples/bench_recognition.rs` (README).
pub const GROUP_AT: f32 = 0.40;

/// Cosine similarity below which two faces look like strangers: a face joins no group with a
/// member this far from it, however close it is to the group on average. Calibrated with
/// `examples/bench_recognition.rs` on the identity photos (README): strangers lie below it,
/// every same-person pair above.
pub const MEMBER_FLOOR: f32 = 0.30;

/// A group as `faces groups` lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Group {
    pub id: i64,
    pub size: u32,
    pub faces: Vec<GroupFace>,
    /// The login suggested for most of its faces, if any.
    pub suggestion: Option<String>,
}

pub type GroupFace = GroupedFace;

/// Groups of faces waiting for a name, largest first.
pub fn list(catalog: &Catalog) -> Result<Vec<Group>, CatalogError> {
    let mut groups: Vec<Group> = catalog
        .face_groups()?
        .into_iter()
        .filter(|g| g.faces.len() > 1)
        .map(|g| Group {
            id: g.id,
            size: g.faces.len() as u32,
            faces: g.faces,
            suggestion: most_common(g.suggested),
        })
        .collect();
    groups.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    Ok(groups)
}

fn most_common(logins: Vec<String>) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in logins {
        *counts.entry(l).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(l, _)| l)
}

pub(super) fn leave(w: &Writer<'_>, face: i64) -> Result<(), CatalogError> {
    w.leave_face_group(face)?;
    Ok(())
}

/// Places each of `faces` (untagged, embedded, in no group) in the group it is closest to on
/// average, or pairs it with the closest face in no group, when close enough. `untagged`: the
/// embeddings of every face waiting for a name.
pub(super) fn join(w: &Writer<'_>, untagged: &Matrix, faces: &[i64]) -> Result<(), CatalogError> {
    if faces.is_empty() {
        return Ok(());
    }
    let row: HashMap<i64, usize> = untagged
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let mut members: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut grouped: HashSet<usize> = HashSet::new();
    for (group, face) in w.group_members()? {
        if let Some(&i) = row.get(&face) {
            members.entry(group).or_default().push(i);
            grouped.insert(i);
        }
    }
    for face in faces {
        let Some(&n) = row.get(face) else { continue };
        if grouped.contains(&n) {
            continue;
        }
        let closest_group = members
            .iter()
            .filter_map(|(g, rows)| admits(untagged, rows, n).map(|mean| (*g, mean)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((g, _)) = closest_group {
            w.set_face_group(untagged.ids[n], g)?;
            members.entry(g).or_default().push(n);
            grouped.insert(n);
            continue;
        }
        let closest_face = (0..untagged.len())
            .filter(|m| *m != n && !grouped.contains(m))
            .map(|m| (m, dot(untagged.row(n), untagged.row(m))))
            .filter(|(_, s)| *s >= GROUP_AT)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((m, _)) = closest_face {
            let g = w.next_group_id()?;
            w.set_face_group(untagged.ids[n], g)?;
            w.set_face_group(untagged.ids[m], g)?;
            members.insert(g, vec![n, m]);
            grouped.insert(n);
            grouped.insert(m);
        }
    }
    Ok(())
}

/// The average cosine of face `n` to the group of `rows`, when the group takes it: close on
/// average, and no member a stranger to it.
fn admits(untagged: &Matrix, rows: &[usize], n: usize) -> Option<f32> {
    let mut sum = 0.0;
    for &m in rows {
        let similarity = dot(untagged.row(n), untagged.row(m));
        if similarity < MEMBER_FLOOR {
            return None;
        }
        sum += similarity;
    }
    let mean = sum / rows.len().max(1) as f32;
    (mean >= GROUP_AT).then_some(mean)
}

/// Puts faces in groups (`None`: out of any group), as a person sorting them does: a crop taken
/// out of a group, two groups merged. Returns the assignment that undoes it, for every face
/// whose group changed (a group left with one face dissolves, and comes back on undo).
pub fn regroup(
    w: &Writer<'_>,
    changes: &[(i64, Option<i64>)],
) -> Result<Vec<(i64, Option<i64>)>, CatalogError> {
    let before: HashMap<i64, i64> = w
        .group_members()?
        .into_iter()
        .map(|(g, f)| (f, g))
        .collect();
    for (face, group) in changes {
        w.leave_face_group(*face)?;
        if let Some(g) = group {
            w.set_face_group(*face, *g)?;
        }
    }
    let after: HashMap<i64, i64> = w
        .group_members()?
        .into_iter()
        .map(|(g, f)| (f, g))
        .collect();
    let mut undo: Vec<(i64, Option<i64>)> = before
        .iter()
        .filter(|(f, g)| after.get(f) != Some(g))
        .map(|(f, g)| (*f, Some(*g)))
        .collect();
    undo.extend(
        after
            .keys()
            .filter(|f| !before.contains_key(f))
            .map(|f| (*f, None)),
    );
    undo.sort();
    Ok(undo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognition::EMBEDDING_LEN;

    fn vector(first: &[f32]) -> Vec<u8> {
        let mut v = vec![0f32; EMBEDDING_LEN];
        v[..first.len()].copy_from_slice(first);
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn a_face_close_to_the_average_but_a_stranger_to_one_member_stays_out() {
        let mut m = Matrix::with_capacity(5);
        // A group of three, and two faces that are close to it on average.
        for (id, v) in [
            (1, [1.0, 0.0, 0.0]),
            (2, [0.0, 1.0, 0.0]),
            (3, [0.0, 0.0, 1.0]),
            (4, [0.9, 0.9, 0.1]),
            (5, [0.9, 0.9, 0.5]),
        ] {
            m.push(id, id, None, &vector(&v));
        }
        let group = [0, 1, 2];
        // Face 4: cosine 0.70, 0.70 and 0.08 (mean 0.50): a stranger to the third member.
        assert_eq!(admits(&m, &group, 3), None);
        // Face 5: 0.66, 0.66 and 0.37 (mean 0.56): close to every member.
        let mean = admits(&m, &group, 4).expect("admitted");
        assert!((mean - 0.56).abs() < 0.01, "{mean}");
    }
}
