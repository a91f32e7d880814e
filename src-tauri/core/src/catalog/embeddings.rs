//! Queries on `face_embeddings`: which faces need one, and the current ones.
//!
//! An embedding is current while its box stays where it was and its photo's content is the
//! same: triggers (migration 6) drop it the moment either changes, so a stored embedding is a
//! current one. The vector is stored as little-endian f32s, which only `recognition` reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection};

use super::{Reader, Result, Writer};
use crate::region::Region;

/// A face that has no current embedding, with what is needed to make one.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceToEmbed {
    pub face_id: i64,
    pub photo_id: i64,
    pub path: String,
    pub hash: String,
    pub orientation: u8,
    pub region: Region,
    /// Five (x, y) pairs normalized to the displayed photo, when the detector gave them.
    pub landmarks: Option<Vec<f64>>,
}

/// How a face was brought to the model's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignedBy {
    /// The detector's five landmarks found with the box.
    Landmarks,
    /// Landmarks from the detector run again around a drawn, imported or moved box.
    Detector,
    /// No landmarks found: the box itself placed on the template.
    Box,
}

impl AlignedBy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Landmarks => "landmarks",
            Self::Detector => "detector",
            Self::Box => "box",
        }
    }
}

/// What embedding one face gave: a vector, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingRecord<'a> {
    pub face: &'a FaceToEmbed,
    pub aligned_by: AlignedBy,
    pub outcome: std::result::Result<Vec<u8>, String>,
}

/// A current embedding of a face that is tagged (a person's reference) or waits for a name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEmbedding {
    pub face_id: i64,
    pub photo_id: i64,
    /// The person tagged on the face; `None` for a face waiting for a name.
    pub person_id: Option<i64>,
    /// Shared with the catalog's in-memory copy, so reading 20,000 of them copies nothing.
    pub vector: Arc<[u8]>,
}

/// Faces that matter for recognition: tagged ones, and those waiting for a name.
const WANTED: &str = "((f.person_id IS NOT NULL AND f.state = 'confirmed')
    OR (f.person_id IS NULL AND f.state = 'unreviewed'))";

impl Reader {
    /// Faces (tagged, or waiting for a name) with no current embedding by `model`.
    pub fn awaiting_embedding(&self, model: &str) -> Result<Vec<FaceToEmbed>> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT f.id, p.id, p.path, p.hash, p.orientation, f.x, f.y, f.w, f.h, f.landmarks
             FROM faces f JOIN photos p ON p.id = f.photo_id AND p.missing = 0
             LEFT JOIN face_embeddings e ON e.face_id = f.id AND e.model = ?1
             WHERE e.face_id IS NULL AND {WANTED}
             ORDER BY p.sort_time, p.id, f.id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([model], |r| {
            let landmarks: Option<String> = r.get(9)?;
            Ok(FaceToEmbed {
                face_id: r.get(0)?,
                photo_id: r.get(1)?,
                path: r.get(2)?,
                hash: r.get(3)?,
                orientation: r.get(4)?,
                region: Region {
                    x: r.get(5)?,
                    y: r.get(6)?,
                    w: r.get(7)?,
                    h: r.get(8)?,
                },
                // Landmarks the catalog cannot read are simply not used: the box still aligns.
                landmarks: landmarks.and_then(|l| serde_json::from_str(&l).ok()),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn embeddings(&self, of: EmbeddingsOf<'_>) -> Result<Vec<StoredEmbedding>> {
        let conn = &self.conn;
        let read = |r: &rusqlite::Row<'_>| {
            Ok(StoredEmbedding {
                face_id: r.get(0)?,
                photo_id: r.get(1)?,
                person_id: r.get(2)?,
                vector: r.get::<_, Vec<u8>>(3)?.into(),
            })
        };
        let select = "SELECT f.id, f.photo_id, f.person_id, e.vector
            FROM faces f JOIN face_embeddings e ON e.face_id = f.id WHERE e.vector IS NOT NULL";
        // Each case spelled out, so SQLite walks the (person, state) index for it.
        let (filter, person) = match of {
            EmbeddingsOf::Tagged => ("f.person_id IS NOT NULL AND f.state = 'confirmed'", None),
            EmbeddingsOf::Person(p) => ("f.person_id = ?1 AND f.state = 'confirmed'", Some(p)),
            EmbeddingsOf::Untagged => return untagged(conn),
            EmbeddingsOf::Faces(ids) => {
                let sql = format!("{select} AND f.id = ?1 AND {WANTED}");
                let mut stmt = conn.prepare_cached(&sql)?;
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    for row in stmt.query_map([id], read)? {
                        out.push(row?);
                    }
                }
                return Ok(out);
            }
        };
        let mut stmt = conn.prepare_cached(&format!("{select} AND {filter}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(person), read)?;
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Faces with a current embedding, and faces that could not get one.
    pub fn embedding_counts(&self) -> Result<(u64, u64)> {
        let conn = &self.conn;
        let sql = format!(
            "SELECT COUNT(e.vector), COUNT(e.error)
             FROM faces f JOIN face_embeddings e ON e.face_id = f.id WHERE {WANTED}"
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }
}

impl Writer<'_> {
    /// Drops embeddings of other model versions and of boxes gone for good.
    pub fn forget_stale_embeddings(&self, model: &str) -> Result<usize> {
        let conn = &self.conn;
        let other = conn
            .prepare_cached("DELETE FROM face_embeddings WHERE model <> ?1")?
            .execute([model])?;
        let orphans = conn
            .prepare_cached(
                "DELETE FROM face_embeddings WHERE face_id NOT IN (SELECT id FROM faces)
                   AND face_id NOT IN (SELECT id FROM deleted_faces)",
            )?
            .execute([])?;
        Ok(other + orphans)
    }

    pub fn store_embedding(&self, model: &str, record: &EmbeddingRecord<'_>) -> Result<()> {
        let conn = &self.conn;
        let f = record.face;
        let (vector, error) = match &record.outcome {
            Ok(v) => (Some(v.as_slice()), None),
            Err(e) => (None, Some(e.as_str())),
        };
        conn.prepare_cached(
            "INSERT OR REPLACE INTO face_embeddings
               (face_id, model, hash, x, y, w, h, aligned_by, vector, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            f.face_id,
            model,
            f.hash,
            f.region.x,
            f.region.y,
            f.region.w,
            f.region.h,
            record.aligned_by.as_str(),
            vector,
            error
        ])?;
        Ok(())
    }
}

/// Which current embeddings to read.
#[derive(Debug, Clone, Copy)]
pub enum EmbeddingsOf<'a> {
    /// Faces tagged with a person and confirmed.
    Tagged,
    /// Faces tagged with this person.
    Person(i64),
    /// Faces waiting for a name.
    Untagged,
    /// These faces, whatever they are.
    Faces(&'a [i64]),
}

/// The faces waiting for a name, read on every tag (each new reference is scored against all of
/// them): their ids from the catalog, their vectors from [`VECTORS`] while no embedding has been
/// stored or dropped since it was filled.
fn untagged(conn: &Connection) -> Result<Vec<StoredEmbedding>> {
    let library = conn.path().unwrap_or_default().to_string();
    let generation: i64 = conn.query_row("SELECT n FROM embedding_generation", [], |r| r.get(0))?;
    let mut cache = VECTORS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let fresh = cache
        .as_ref()
        .is_some_and(|c| !library.is_empty() && c.library == library && c.generation == generation);
    if !fresh {
        let mut stmt = conn.prepare_cached(
            "SELECT e.face_id, f.photo_id, e.vector FROM face_embeddings e
             JOIN faces f ON f.id = e.face_id WHERE e.vector IS NOT NULL",
        )?;
        let vectors = stmt
            .query_map([], |r| {
                let vector: Arc<[u8]> = r.get::<_, Vec<u8>>(2)?.into();
                Ok((r.get::<_, i64>(0)?, (r.get(1)?, vector)))
            })?
            .collect::<Result<HashMap<_, _>, _>>()?;
        *cache = Some(Vectors {
            library,
            generation,
            vectors,
        });
    }
    let Some(cached) = cache.as_ref() else {
        return Ok(Vec::new());
    };
    let mut stmt = conn
        .prepare_cached("SELECT id FROM faces WHERE person_id IS NULL AND state = 'unreviewed'")?;
    let ids = stmt.query_map([], |r| r.get::<_, i64>(0))?;
    let mut out = Vec::new();
    for id in ids {
        let id = id?;
        if let Some((photo_id, vector)) = cached.vectors.get(&id) {
            out.push(StoredEmbedding {
                face_id: id,
                photo_id: *photo_id,
                person_id: None,
                vector: vector.clone(),
            });
        }
    }
    Ok(out)
}

/// Every stored vector of the library used last, by face id, as of an `embedding_generation`
/// (which triggers raise whenever a row of `face_embeddings` is written or dropped). One
/// library at a time: the app has one open; tests that open many just read again.
struct Vectors {
    library: String,
    generation: i64,
    vectors: HashMap<i64, (i64, Arc<[u8]>)>,
}

static VECTORS: Mutex<Option<Vectors>> = Mutex::new(None);
