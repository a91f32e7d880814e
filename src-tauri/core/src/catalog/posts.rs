//! Queries on `post` and `post_photos`: the recap post kept in the library, so it survives a
//! restart. What the post says by default is the export's business; this keeps what the
//! organizer wrote.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Result;

/// The post as the organizer left it; empty texts mean "prefilled".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeptPost {
    pub title: String,
    /// `YYYY-MM-DD`, or empty.
    pub date: String,
    pub slug: String,
    pub description: String,
    pub authors: Vec<String>,
    /// In the post's order.
    pub photos: Vec<PostPhoto>,
}

/// A photo of the post, with the texts written for it (`None`: prefilled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PostPhoto {
    pub photo_id: i64,
    pub caption: Option<String>,
    pub alt: Option<String>,
}

pub(super) fn get(conn: &Connection) -> Result<KeptPost> {
    let head = conn
        .query_row(
            "SELECT title, date, slug, description, authors FROM post WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let mut stmt = conn.prepare_cached(
        "SELECT pp.photo_id, pp.caption, pp.alt FROM post_photos pp
         JOIN photos p ON p.id = pp.photo_id ORDER BY pp.position, pp.photo_id",
    )?;
    let photos = stmt
        .query_map([], |r| {
            Ok(PostPhoto {
                photo_id: r.get(0)?,
                caption: r.get(1)?,
                alt: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let Some((title, date, slug, description, authors)) = head else {
        return Ok(KeptPost {
            photos,
            ..KeptPost::default()
        });
    };
    Ok(KeptPost {
        title,
        date,
        slug,
        description,
        // Written by `set` only; a damaged list reads as no authors rather than no post.
        authors: serde_json::from_str(&authors).unwrap_or_default(),
        photos,
    })
}

/// Replaces the kept post with `post` (photos that are not in the library are left out).
pub(super) fn set(conn: &Connection, post: &KeptPost) -> Result<()> {
    let authors = serde_json::to_string(&post.authors).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO post (id, title, date, slug, description, authors) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, date = excluded.date,
           slug = excluded.slug, description = excluded.description, authors = excluded.authors",
        params![post.title, post.date, post.slug, post.description, authors],
    )?;
    conn.execute("DELETE FROM post_photos", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO post_photos (photo_id, position, caption, alt)
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?1)",
    )?;
    for (position, p) in post.photos.iter().enumerate() {
        insert.execute(params![p.photo_id, position as i64, p.caption, p.alt])?;
    }
    Ok(())
}

/// Appends photos to the kept post, in order; those already in it (or not in the library) are
/// left where they are.
pub(super) fn add(conn: &Connection, photo_ids: &[i64]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO post_photos (photo_id, position)
         SELECT ?1, COALESCE((SELECT MAX(position) + 1 FROM post_photos), 0)
         WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?1)",
    )?;
    for id in photo_ids {
        insert.execute([id])?;
    }
    Ok(())
}
