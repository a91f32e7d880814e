//! Queries on `post` and `post_photos`: the recap post kept in the library, so it survives a
//! restart. What the post says by default is the export's business; this keeps what the
//! organizer wrote.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Reader, Result, Writer};

/// The post as the organizer left it; empty texts mean "prefilled".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The organizer's Markdown before the first figure.
    #[serde(default)]
    pub intro: String,
    /// The organizer's Markdown at the end of the post.
    #[serde(default)]
    pub closing: String,
    /// Whether captions start "Figure 1." (and "Who was there" lists figure numbers).
    #[serde(default = "numbered")]
    pub numbered: bool,
    #[serde(default)]
    pub byline: Byline,
}

fn numbered() -> bool {
    true
}

impl Default for KeptPost {
    fn default() -> Self {
        Self {
            title: String::new(),
            date: String::new(),
            slug: String::new(),
            description: String::new(),
            authors: Vec::new(),
            photos: Vec::new(),
            intro: String::new(),
            closing: String::new(),
            numbered: true,
            byline: Byline::default(),
        }
    }
}

/// Where the post names its authors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Byline {
    /// `author:` in the front matter, one string, which Docsy's blog byline shows.
    #[default]
    FrontMatter,
    /// Also "**Author:** …" as the body's first line, for themes that show no byline.
    Body,
}

impl Byline {
    fn as_str(self) -> &'static str {
        match self {
            Self::FrontMatter => "front_matter",
            Self::Body => "body",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "body" {
            Self::Body
        } else {
            Self::FrontMatter
        }
    }
}

/// A photo of the post, with the texts written for it (`None`: prefilled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PostPhoto {
    pub photo_id: i64,
    pub caption: Option<String>,
    pub alt: Option<String>,
    /// The organizer's Markdown after this figure (a section up to the next one).
    #[serde(default)]
    pub text: String,
}

impl PostPhoto {
    pub fn new(photo_id: i64) -> Self {
        Self {
            photo_id,
            caption: None,
            alt: None,
            text: String::new(),
        }
    }
}

impl Reader {
    /// The recap post kept in the library (an empty one before any was written).
    pub fn post(&self) -> Result<KeptPost> {
        let conn = &self.conn;
        let head = conn
            .query_row(
                "SELECT title, date, slug, description, authors, intro, closing, numbered, byline
                 FROM post WHERE id = 1",
                [],
                |r| {
                    Ok(KeptPost {
                        title: r.get(0)?,
                        date: r.get(1)?,
                        slug: r.get(2)?,
                        description: r.get(3)?,
                        // Written by `set` only; a damaged list reads as no authors rather than no
                        // post.
                        authors: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                        photos: Vec::new(),
                        intro: r.get(5)?,
                        closing: r.get(6)?,
                        numbered: r.get(7)?,
                        byline: Byline::parse(&r.get::<_, String>(8)?),
                    })
                },
            )
            .optional()?;
        let mut stmt = conn.prepare_cached(
            "SELECT pp.photo_id, pp.caption, pp.alt, pp.text FROM post_photos pp
             JOIN photos p ON p.id = pp.photo_id ORDER BY pp.position, pp.photo_id",
        )?;
        let photos = stmt
            .query_map([], |r| {
                Ok(PostPhoto {
                    photo_id: r.get(0)?,
                    caption: r.get(1)?,
                    alt: r.get(2)?,
                    text: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(KeptPost {
            photos,
            ..head.unwrap_or_default()
        })
    }
}

impl Writer<'_> {
    /// Keeps `post` as the library's recap post, replacing the one kept.
    pub fn set_post(&self, post: &KeptPost) -> Result<()> {
        let conn = &self.conn;
        let authors = serde_json::to_string(&post.authors).unwrap_or_else(|_| "[]".into());
        conn.execute(
            "INSERT INTO post (id, title, date, slug, description, authors, intro, closing, numbered, byline)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET title = excluded.title, date = excluded.date,
               slug = excluded.slug, description = excluded.description, authors = excluded.authors,
               intro = excluded.intro, closing = excluded.closing, numbered = excluded.numbered,
               byline = excluded.byline",
            params![
                post.title,
                post.date,
                post.slug,
                post.description,
                authors,
                post.intro,
                post.closing,
                post.numbered,
                post.byline.as_str()
            ],
        )?;
        conn.execute("DELETE FROM post_photos", [])?;
        let mut insert = conn.prepare_cached(
            "INSERT OR IGNORE INTO post_photos (photo_id, position, caption, alt, text)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?1)",
        )?;
        for (position, p) in post.photos.iter().enumerate() {
            insert.execute(params![
                p.photo_id,
                position as i64,
                p.caption,
                p.alt,
                p.text
            ])?;
        }
        Ok(())
    }

    /// Appends photos to the kept post (those already in it stay where they are).
    pub fn add_to_post(&self, photo_ids: &[i64]) -> Result<()> {
        let conn = &self.conn;
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
}
