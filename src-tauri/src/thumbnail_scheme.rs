//! `thumb://localhost/{grid|preview}/{photo id}`, `thumb://localhost/face/{face id}/{crop}` and
//! `thumb://localhost/avatar/{person id}/{picture hash}`: serves cached renditions, face crops
//! and the avatars kept in the library, by id. The webview can name a photo or a face, never a
//! file path, so nothing outside the cache is reachable.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use tauri::http::{header, Request, Response, StatusCode};
use tauri::UriSchemeResponder;
use whoiswho_core::avatars;
use whoiswho_core::imaging::ThumbnailSize;
use whoiswho_core::Library;

/// Serves the `thumb:` scheme for one library.
pub struct Renditions {
    library: Arc<Library>,
    /// Face crops waiting to be made, in the order asked, with the crop name the address gave.
    crops: Sender<(i64, Option<String>, UriSchemeResponder)>,
}

impl Renditions {
    /// Starts the threads that make face crops: half the cores, at least one. The triage queue
    /// asks for 96 crops at once; made all together they took every core from the window for
    /// half a second, while in turn, in the order asked (what is on screen first), the window
    /// keeps a core and the first crops show at once.
    pub fn start(library: Arc<Library>) -> Self {
        let (crops, queue) = mpsc::channel();
        let queue = Arc::new(Mutex::new(queue));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..(cores / 2).max(1) {
            let (library, queue) = (library.clone(), queue.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("face-crops-{n}"))
                .spawn(move || make_crops(&library, &queue));
            if let Err(e) = spawned {
                eprintln!("whoiswho: cannot start a thread for face crops: {e}");
            }
        }
        Self { library, crops }
    }

    pub fn serve(&self, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
        let Some((what, id)) = parse(request.uri().path()) else {
            responder.respond(plain(StatusCode::BAD_REQUEST, "bad thumbnail address"));
            return;
        };
        let library = self.library.clone();
        match what {
            Rendition::Face(asked) => {
                if let Err(mpsc::SendError((_, _, responder))) =
                    self.crops.send((id, asked, responder))
                {
                    responder.respond(plain(StatusCode::SERVICE_UNAVAILABLE, "no crop thread"));
                }
            }
            // Decoding a missing rendition can take a while: keep it off the webview's thread,
            // on the runtime's pool of blocking threads rather than a new thread per request.
            Rendition::Photo(size) => {
                tauri::async_runtime::spawn_blocking(move || {
                    let image = library.thumbnail(id, size).map_err(|e| e.to_string());
                    // A photo's renditions never change under its id.
                    responder.respond(jpeg(image, KEPT));
                });
            }
            Rendition::Avatar(asked) => {
                tauri::async_runtime::spawn_blocking(move || {
                    let (image, current) = match avatars::picture(&library, id) {
                        // An address naming the picture kept now shows it for good.
                        Ok(Some(p)) => {
                            let current = asked.as_deref() == Some(p.hash.as_str());
                            (Ok(p.jpeg), current)
                        }
                        Ok(None) => (Err("no avatar".to_string()), false),
                        Err(e) => (Err(e.to_string()), false),
                    };
                    responder.respond(jpeg(image, cache_for(current)));
                });
            }
        }
    }
}

type CropRequest = (i64, Option<String>, UriSchemeResponder);

fn make_crops(library: &Library, queue: &Mutex<Receiver<CropRequest>>) {
    loop {
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((face, asked, responder)) = next else {
            return;
        };
        let made = library.face_crop_and_key(face).map_err(|e| e.to_string());
        // An address naming the crop of the box as it is now shows that crop for good (a moved
        // box has another name); any other address is asked again next time.
        let current = matches!((&made, &asked), (Ok((_, key)), Some(a)) if key == a);
        responder.respond(jpeg(made.map(|(bytes, _)| bytes), cache_for(current)));
    }
}

/// How long the webview keeps what an address names for good (what it shows never changes).
const KEPT: &str = "max-age=31536000, immutable";

/// `KEPT` for an address that names the crop or picture as it is now; any other is asked for
/// again next time.
fn cache_for(current: bool) -> &'static str {
    if current {
        KEPT
    } else {
        "no-cache"
    }
}

fn jpeg(image: Result<Vec<u8>, String>, cache: &str) -> Response<Vec<u8>> {
    match image {
        Ok(bytes) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "image/jpeg")
            .header(header::CACHE_CONTROL, cache)
            .body(bytes)
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response")),
        Err(e) => plain(StatusCode::NOT_FOUND, &e),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Rendition {
    Photo(ThumbnailSize),
    /// With the crop name the address gave, if any.
    Face(Option<String>),
    /// With the picture's hash the address gave, if any.
    Avatar(Option<String>),
}

/// Accepts `/grid/12` and its percent-encoded form `/grid%2F12` (what `convertFileSrc` makes).
/// A face address may carry its crop's name after the id (`/face/7/3f2a…`): a moved box has
/// another address, and the crop of the box as it is now is kept for good.
fn parse(path: &str) -> Option<(Rendition, i64)> {
    let decoded = path
        .trim_start_matches('/')
        .replace("%2F", "/")
        .replace("%2f", "/");
    let (kind, rest) = decoded.split_once('/')?;
    let (what, id) = match kind {
        "face" => {
            let (id, name) = id_and_name(rest, 32);
            (Rendition::Face(name), id)
        }
        "avatar" => {
            let (id, name) = id_and_name(rest, 64);
            (Rendition::Avatar(name), id)
        }
        other => (Rendition::Photo(ThumbnailSize::parse(other)?), rest),
    };
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((what, id.parse().ok()?))
}

/// `7/3f2a…`: the id, and the name after it when it is a plausible one (at most `longest`
/// letters and digits).
fn id_and_name(rest: &str, longest: usize) -> (&str, Option<String>) {
    let mut parts = rest.split('/');
    let id = parts.next().unwrap_or_default();
    let name = parts
        .next()
        .filter(|n| n.len() <= longest && n.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(str::to_string);
    (id, name)
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
        let crop = Rendition::Face(Some("ab12".into()));
        assert_eq!(parse("/face%2F9%2Fab12"), Some((crop, 9)));
        assert_eq!(parse("/face/9"), Some((Rendition::Face(None), 9)));
        let avatar = Rendition::Avatar(Some("0a1b".into()));
        assert_eq!(parse("/avatar/3/0a1b"), Some((avatar, 3)));
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
