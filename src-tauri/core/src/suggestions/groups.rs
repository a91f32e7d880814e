//! Groups of untagged faces that look alike, so a person nobody has named yet is named once for
//! all their faces. Average linkage: a face joins the group it is closest to on average (not to
//! its closest member, which would chain strangers together through look-alikes), or pairs up
//! with the closest face in no group. Only new faces are placed; groups already formed are kept,
//! so adding photos never re-clusters the library.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{dot, Matrix};
use crate::catalog::{Catalog, CatalogError, GroupedFace, Writer};

/// Average cosine similarity from which a face joins a group. Calibrated on the identity
/// photos with `examples/bench_recognition.rs` (README).
pub const GROUP_AT: f32 = 0.40;

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
            .map(|(g, rows)| {
                let mean = rows
                    .iter()
                    .map(|&m| dot(untagged.row(n), untagged.row(m)))
                    .sum::<f32>()
                    / rows.len() as f32;
                (*g, mean)
            })
            .filter(|(_, mean)| *mean >= GROUP_AT)
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
