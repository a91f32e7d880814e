//! `thumb://localhost/{grid|preview}/{photo id}`, `thumb://localhost/face/{face id}` and
//! `thumb://localhost/avatar/{person id}`: serves cached renditions, face crops and the
//! avatars kept in the library, by id. The webview can name a photo or a face, never a file
//! path, so nothing outside the cache is reachable.

use std::sync::Arc;

use tauri::http::{header, Request, Response, StatusCode};
use tauri::UriSchemeResponder;
use whoiswho_core::avatars;
use whoiswho_core::imaging::ThumbnailSize;
use whoiswho_core::Library;

pub fn serve(library: Arc<Library>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let Some((what, id)) = parse(request.uri().path()) else {
        responder.respond(plain(StatusCode::BAD_REQUEST, "bad thumbnail address"));
        return;
    };
    // Decoding a missing rendition can take a while: keep it off the webview's thread, on the
    // runtime's pool of blocking threads rather than a new thread per request.
    tauri::async_runtime::spawn_blocking(move || {
        // A photo's renditions never change under its id; a face's crop follows its box.
        let cache = match what {
            Rendition::Photo(_) => "max-age=31536000, immutable",
            Rendition::Face | Rendition::Avatar => "no-cache",
        };
        let image = match what {
            Rendition::Photo(size) => library.thumbnail(id, size).map_err(|e| e.to_string()),
            Rendition::Face => library.face_crop(id).map_err(|e| e.to_string()),
            Rendition::Avatar => match avatars::picture(&library, id) {
                Ok(Some(bytes)) => Ok(bytes),
                Ok(None) => Err("no avatar".to_string()),
                Err(e) => Err(e.to_string()),
            },
        };
        let response = match image {
            Ok(bytes) => Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "image/jpeg")
                .header(header::CACHE_CONTROL, cache)
                .body(bytes)
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response")),
            Err(e) => plain(StatusCode::NOT_FOUND, &e),
        };
        responder.respond(response);
    });
}

#[derive(Debug, PartialEq, Eq)]
enum Rendition {
    Photo(ThumbnailSize),
    Face,
    Avatar,
}

/// Accepts `/grid/12` and its percent-encoded form `/grid%2F12` (what `convertFileSrc` makes).
/// A face address may carry a version after the id (`/face/7/ab12`) so a moved box is
/// fetched again; the server ignores it.
fn parse(path: &str) -> Option<(Rendition, i64)> {
    let decoded = path
        .trim_start_matches('/')
        .replace("%2F", "/")
        .replace("%2f", "/");
    let (kind, rest) = decoded.split_once('/')?;
    let (what, id) = match kind {
        "face" => (Rendition::Face, rest.split('/').next()?),
        "avatar" => (Rendition::Avatar, rest.split('/').next()?),
        other => (Rendition::Photo(ThumbnailSize::parse(other)?), rest),
    };
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((what, id.parse().ok()?))
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(text.as_bytes().to_vec());
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_size_and_numeric_id_are_accepted() {
        let grid = Rendition::Photo(ThumbnailSize::Grid);
        assert_eq!(parse("/grid/12"), Some((grid, 12)));
        let preview = Rendition::Photo(ThumbnailSize::Preview);
        assert_eq!(parse("/preview%2F7"), Some((preview, 7)));
        assert_eq!(parse("/face%2F9%2Fab12"), Some((Rendition::Face, 9)));
        for bad in [
            "/grid/../../etc/passwd",
            "/grid/1/2",
            "/other/1",
            "/grid/",
            "/grid/-1",
            "/grid/99999999999999999999",
            "/face/../1",
            "/face/x",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
