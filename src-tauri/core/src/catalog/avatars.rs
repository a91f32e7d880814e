//! Queries on `avatars`: one picture per attendee, from GitHub or a folder, with the face found
//! in it. The picture itself is a JPEG in the library's `avatars/` folder; the row says where,
//! what it showed, and (for exactly one face) that face's embedding.

use rusqlite::{params, OptionalExtension};

use super::{Reader, Result, Writer};
use crate::region::Region;

/// Where an avatar came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum AvatarSource {
    Github,
    Folder,
}

/// What the face search saw in an avatar: only `One` makes it a reference face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum AvatarFace {
    One,
    /// A logo, a cartoon, a landscape: listed as "no face in avatar", never used.
    None,
    /// A group picture: whose face it is cannot be told, so it is not used either.
    Many,
}

impl AvatarSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Github => "github",
            Self::Folder => "folder",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "folder" {
            Self::Folder
        } else {
            Self::Github
        }
    }
}

impl AvatarFace {
    fn as_str(self) -> &'static str {
        match self {
            Self::One => "one",
            Self::None => "none",
            Self::Many => "many",
        }
    }

    pub(super) fn parse(s: &str) -> Self {
        match s {
            "one" => Self::One,
            "many" => Self::Many,
            _ => Self::None,
        }
    }
}

/// An avatar to store, as the avatars module made it.
#[derive(Debug, Clone)]
pub struct AvatarRecord {
    pub person_id: i64,
    pub source: AvatarSource,
    /// File name under the library's `avatars/` folder.
    pub file: String,
    pub hash: String,
    pub face: AvatarFace,
    /// The face, normalized to the avatar, for `One`.
    pub region: Option<Region>,
    /// Model version and embedding bytes, for `One`.
    pub embedding: Option<(String, Vec<u8>)>,
}

/// An attendee's avatar as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoredAvatar {
    pub person_id: i64,
    pub login: String,
    pub source: AvatarSource,
    pub file: String,
    pub face: AvatarFace,
}

impl Reader {
    /// Every attendee's avatar, by login.
    pub fn avatars(&self) -> Result<Vec<StoredAvatar>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT a.person_id, p.login, a.source, a.file, a.face FROM avatars a
             JOIN people p ON p.id = a.person_id ORDER BY p.login COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredAvatar {
                person_id: r.get(0)?,
                login: r.get(1)?,
                source: AvatarSource::parse(&r.get::<_, String>(2)?),
                file: r.get(3)?,
                face: AvatarFace::parse(&r.get::<_, String>(4)?),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The content hash recorded for a person's avatar.
    pub fn avatar_hash(&self, person_id: i64) -> Result<Option<String>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT hash FROM avatars WHERE person_id = ?1")?
            .query_row([person_id], |r| r.get(0))
            .optional()?)
    }

    /// `(file name under the library's avatars/, hash)` of this person's avatar.
    pub fn avatar_kept(&self, person_id: i64) -> Result<Option<(String, String)>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached("SELECT file, hash FROM avatars WHERE person_id = ?1")?
            .query_row([person_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// `(person, embedding)` of every avatar with exactly one face, under this model version.
    pub fn avatar_embeddings(&self, model: &str) -> Result<Vec<(i64, Vec<u8>)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached(
            "SELECT person_id, vector FROM avatars WHERE face = 'one' AND model = ?1
             AND vector IS NOT NULL",
        )?;
        let rows = stmt.query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Keeps an attendee's avatar, replacing the one they had.
    pub fn store_avatar(&self, a: &AvatarRecord) -> Result<()> {
        let conn = &self.conn;
        let r = a.region.as_ref();
        let (model, vector) = match &a.embedding {
            Some((m, v)) => (Some(m.as_str()), Some(v.as_slice())),
            None => (None, None),
        };
        conn.prepare_cached(
            "INSERT OR REPLACE INTO avatars (person_id, source, file, hash, face, x, y, w, h, model,
             vector) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            a.person_id,
            a.source.as_str(),
            a.file,
            a.hash,
            a.face.as_str(),
            r.map(|r| r.x),
            r.map(|r| r.y),
            r.map(|r| r.w),
            r.map(|r| r.h),
            model,
            vector
        ])?;
        Ok(())
    }
}
