//! Queries on `photos`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{CatalogError, Reader, Result, Writer};
use crate::login::login_key;

/// Everything indexing learns about one file.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoRecord {
    pub path: String,
    pub size: i64,
    pub mtime_ns: i64,
    pub hash: String,
    pub format: String,
    pub stored_width: u32,
    pub stored_height: u32,
    /// The part of the stored image that is shown, x, y, w, h in stored pixels, when not all
    /// of it (a HEIF's clean aperture).
    pub crop: Option<[u32; 4]>,
    /// Displayed size, after the crop and the orientation.
    pub width: u32,
    pub height: u32,
    /// How the stored pixels are turned to be shown (EXIF's, or a HEIF's irot and imir).
    pub orientation: u8,
    /// ISO-8601, with the offset when the camera recorded one.
    pub taken_at: Option<String>,
    /// Capture time, else file time: what the grid sorts and groups by.
    pub sort_time: String,
    pub camera: Option<String>,
    pub lens: Option<String>,
    pub gps: Option<(f64, f64)>,
    /// Set when the file decoded but its metadata did not parse.
    pub metadata_warning: Option<String>,
}

/// One row of the grid, and one element of `whoiswho photos --json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoSummary {
    pub id: i64,
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
    pub taken_at: Option<String>,
    pub camera: Option<String>,
    pub faces: u32,
    /// The file is gone from disk; the photo and all that is attached to it are kept.
    pub missing: bool,
    /// `YYYY-MM-DD` of the capture (or file) time, for grouping by day.
    pub day: String,
}

/// What the grid needs of a photo, and no more: the grid loads every photo of the library at
/// once, so each byte here is paid 5,000 times.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GridPhoto {
    pub id: i64,
    /// File name, for titles and alt text.
    pub name: String,
    /// `YYYY-MM-DD` of the capture (or file) time, for grouping by day.
    pub day: String,
    pub missing: bool,
}

/// What the viewer's info panel shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoDetails {
    pub id: i64,
    pub path: String,
    pub file_name: String,
    pub size: i64,
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub stored_width: u32,
    pub stored_height: u32,
    /// See [`PhotoRecord::crop`].
    #[serde(skip)]
    pub crop: Option<[u32; 4]>,
    pub orientation: u8,
    pub taken_at: Option<String>,
    pub camera: Option<String>,
    pub lens: Option<String>,
    /// Coordinates stay in the library; only their presence is shown.
    pub has_gps: bool,
    pub metadata_warning: Option<String>,
    pub missing: bool,
}

/// The part of a row the indexer compares with the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFile {
    pub id: i64,
    pub path: String,
    pub size: i64,
    pub mtime_ns: i64,
    pub missing: bool,
}

impl Reader {
    /// Every photo, as the `photos` command lists them.
    pub fn photo_summaries(&self) -> Result<Vec<PhotoSummary>> {
        self.filtered_photo_summaries(&PhotoFilter::default())
    }

    pub fn photo_details(&self, id: i64) -> Result<PhotoDetails> {
        details(&self.conn, id)?.ok_or(CatalogError::NoSuchPhoto(id))
    }

    /// Fails with [`CatalogError::NoSuchPhoto`] unless the photo is in the library.
    pub fn photo_exists(&self, id: i64) -> Result<()> {
        self.photo_details(id).map(|_| ())
    }

    /// A missing photo whose content reappeared, or a photo at a path that vanished this run.
    pub fn photo_ids_with_hash(&self, hash: &str) -> Result<Vec<(i64, bool)>> {
        let conn = &self.conn;
        let mut stmt = conn.prepare_cached("SELECT id, missing FROM photos WHERE hash = ?1")?;
        let rows = stmt.query_map([hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The photo whose content hash starts with `prefix`, if this library has it.
    pub fn photo_by_hash_prefix(&self, prefix: &str) -> Result<Option<i64>> {
        let conn = &self.conn;
        Ok(conn
            .prepare_cached(
                "SELECT id FROM photos WHERE hash >= ?1 AND hash < ?1 || 'g'
                 ORDER BY missing, id LIMIT 1",
            )?
            .query_row([prefix], |r| r.get(0))
            .optional()?)
    }

    pub fn known_files(&self) -> Result<Vec<KnownFile>> {
        let conn = &self.conn;
        let mut stmt =
            conn.prepare_cached("SELECT id, path, size, mtime_ns, missing FROM photos")?;
        let rows = stmt.query_map([], |r| {
            Ok(KnownFile {
                id: r.get(0)?,
                path: r.get(1)?,
                size: r.get(2)?,
                mtime_ns: r.get(3)?,
                missing: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn present_photo_count(&self) -> Result<u64> {
        let conn = &self.conn;
        Ok(
            conn.query_row("SELECT COUNT(*) FROM photos WHERE missing = 0", [], |r| {
                r.get(0)
            })?,
        )
    }

    pub fn photo_id_by_path(&self, path: &str) -> Result<Option<i64>> {
        let conn = &self.conn;
        Ok(conn
            .query_row("SELECT id FROM photos WHERE path = ?1", [path], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Content hash of a photo, which names its cached thumbnails.
    pub fn photo_hash(&self, id: i64) -> Result<Option<String>> {
        let conn = &self.conn;
        Ok(conn
            .query_row("SELECT hash FROM photos WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    pub fn filtered_photo_summaries(&self, filter: &PhotoFilter) -> Result<Vec<PhotoSummary>> {
        let conn = &self.conn;
        let (sql, keys) = filtered(SUMMARY_COLUMNS, filter);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(keys.iter()), summary)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The grid's view of the photos `filter` lets through.
    pub fn grid_photos(&self, filter: &PhotoFilter) -> Result<Vec<GridPhoto>> {
        let conn = &self.conn;
        let (sql, keys) = filtered("id, path, substr(sort_time, 1, 10), missing", filter);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(keys.iter()), |r| {
            let path: String = r.get(1)?;
            let name = match path.rfind(['/', '\\']) {
                Some(i) => path[i + 1..].to_string(),
                None => path,
            };
            Ok(GridPhoto {
                id: r.get(0)?,
                name,
                day: r.get(2)?,
                missing: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Inserts a new photo, or replaces what is known of the photo with `existing` id.
    pub fn upsert_photo(&self, existing: Option<i64>, p: &PhotoRecord) -> Result<i64> {
        let conn = &self.conn;
        let (lat, lon) = p.gps.unzip();
        let crop = |i: usize| p.crop.map(|c| c[i]);
        let (crop_x, crop_y, crop_w, crop_h) = (crop(0), crop(1), crop(2), crop(3));
        let values = params![
            p.path,
            p.size,
            p.mtime_ns,
            p.hash,
            p.format,
            p.stored_width,
            p.stored_height,
            p.width,
            p.height,
            p.orientation,
            p.taken_at,
            p.sort_time,
            p.camera,
            p.lens,
            lat,
            lon,
            p.metadata_warning,
            crop_x,
            crop_y,
            crop_w,
            crop_h,
        ];
        match existing {
            Some(id) => {
                let mut stmt = conn.prepare_cached(
                    "UPDATE photos SET path = ?1, size = ?2, mtime_ns = ?3, hash = ?4, format = ?5,
                       stored_width = ?6, stored_height = ?7, width = ?8, height = ?9,
                       orientation = ?10, taken_at = ?11, sort_time = ?12, camera = ?13, lens = ?14,
                       gps_lat = ?15, gps_lon = ?16, metadata_warning = ?17, crop_x = ?18,
                       crop_y = ?19, crop_w = ?20, crop_h = ?21, missing = 0,
                       indexed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     WHERE id = ?22",
                )?;
                let mut all: Vec<&dyn rusqlite::ToSql> = values.to_vec();
                all.push(&id);
                stmt.execute(all.as_slice())?;
                Ok(id)
            }
            None => {
                let mut stmt = conn.prepare_cached(
                    "INSERT INTO photos (path, size, mtime_ns, hash, format, stored_width,
                       stored_height, width, height, orientation, taken_at, sort_time, camera, lens,
                       gps_lat, gps_lon, metadata_warning, crop_x, crop_y, crop_w, crop_h)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                       ?18, ?19, ?20, ?21)",
                )?;
                stmt.execute(values)?;
                Ok(conn.last_insert_rowid())
            }
        }
    }

    pub fn set_missing(&self, id: i64, missing: bool) -> Result<()> {
        let conn = &self.conn;
        conn.prepare_cached("UPDATE photos SET missing = ?1 WHERE id = ?2")?
            .execute(params![missing, id])?;
        Ok(())
    }
}

const SUMMARY_COLUMNS: &str = "id, path, width, height, orientation, taken_at, camera, missing,
    substr(sort_time, 1, 10),
    (SELECT COUNT(*) FROM faces f WHERE f.photo_id = photos.id
       AND f.state NOT IN ('ignored', 'not_a_face'))";

fn summary(r: &Row<'_>) -> rusqlite::Result<PhotoSummary> {
    Ok(PhotoSummary {
        id: r.get(0)?,
        path: r.get(1)?,
        width: r.get(2)?,
        height: r.get(3)?,
        orientation: r.get(4)?,
        taken_at: r.get(5)?,
        camera: r.get(6)?,
        faces: r.get(9)?,
        missing: r.get(7)?,
        day: r.get(8)?,
    })
}

/// Which photos to list: all of them by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PhotoFilter {
    /// Only photos with at least one face nobody has tagged or dismissed yet.
    pub untagged: bool,
    /// Only photos on which every one of these logins appears (compared case-insensitively).
    pub people: Vec<String>,
}

/// The query for `columns` of the photos `filter` lets through, in grid order, and the login
/// keys it binds.
fn filtered(columns: &str, filter: &PhotoFilter) -> (String, Vec<String>) {
    let mut sql = format!("SELECT {columns} FROM photos WHERE 1 = 1");
    if filter.untagged {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = photos.id
               AND f.person_id IS NULL AND f.state = 'unreviewed')",
        );
    }
    let keys: Vec<String> = filter.people.iter().map(|l| login_key(l)).collect();
    // Driven from the person's faces (indexed by person), not from every photo's faces.
    for i in 1..=keys.len() {
        sql.push_str(&format!(
            " AND id IN (SELECT f.photo_id FROM faces f
               WHERE f.person_id = (SELECT id FROM people WHERE login_key = ?{i})
               AND f.state NOT IN ('ignored', 'not_a_face'))"
        ));
    }
    sql.push_str(" ORDER BY sort_time, path, id");
    (sql, keys)
}

fn details(conn: &Connection, id: i64) -> Result<Option<PhotoDetails>> {
    Ok(conn
        .query_row(
            "SELECT id, path, size, format, width, height, stored_width, stored_height,
               orientation, taken_at, camera, lens, gps_lat IS NOT NULL, metadata_warning, missing,
               crop_x, crop_y, crop_w, crop_h
             FROM photos WHERE id = ?1",
            [id],
            |r| {
                let path: String = r.get(1)?;
                let file_name = std::path::Path::new(&path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.clone());
                Ok(PhotoDetails {
                    id: r.get(0)?,
                    path,
                    file_name,
                    size: r.get(2)?,
                    format: r.get(3)?,
                    width: r.get(4)?,
                    height: r.get(5)?,
                    stored_width: r.get(6)?,
                    stored_height: r.get(7)?,
                    orientation: r.get(8)?,
                    taken_at: r.get(9)?,
                    camera: r.get(10)?,
                    lens: r.get(11)?,
                    has_gps: r.get(12)?,
                    metadata_warning: r.get(13)?,
                    missing: r.get(14)?,
                    crop: match (r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?) {
                        (Some(x), Some(y), Some(w), Some(h)) => Some([x, y, w, h]),
                        _ => None,
                    },
                })
            },
        )
        .optional()?)
}
