//! The last few previews decoded for face crops. The triage queue asks for the crops of dozens
//! of faces at once, largest first, and many stand on the same photo (a group photo holds 44):
//! decoding its preview once for all of them, instead of once per face, is what made the first
//! opening of the queue take half a second of CPU on a 2-core machine.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use image::RgbImage;

/// Previews kept decoded: a full-size one is about 5 MB.
const KEPT: usize = 4;

struct Decoded {
    /// The photo's content hash (its previews are named by it).
    hash: String,
    /// The long side asked for when it was decoded.
    asked: u32,
    image: Arc<RgbImage>,
}

impl Decoded {
    /// Whether it has the pixels a crop needing `side` on the long side asks for: it is at
    /// least that large, or it is the whole preview (a decode could give no more).
    fn serves(&self, hash: &str, side: u32) -> bool {
        let long = self.image.width().max(self.image.height());
        self.hash == hash && (long >= side || long < self.asked)
    }
}

#[derive(Default)]
pub(super) struct DecodedPreviews {
    recent: Mutex<VecDeque<Decoded>>,
}

impl DecodedPreviews {
    /// The preview of the photo with content `hash`, decoded with at least `side` pixels on its
    /// long side: a kept one if it serves, else `decode(side)`, kept for the next faces.
    pub(super) fn get<E>(
        &self,
        hash: &str,
        side: u32,
        decode: impl FnOnce(u32) -> Result<RgbImage, E>,
    ) -> Result<Arc<RgbImage>, E> {
        if let Some(image) = self.lock().iter().find(|d| d.serves(hash, side)) {
            return Ok(image.image.clone());
        }
        let image = Arc::new(decode(side)?);
        let mut recent = self.lock();
        recent.retain(|d| d.hash != hash);
        recent.push_front(Decoded {
            hash: hash.to_string(),
            asked: side,
            image: image.clone(),
        });
        recent.truncate(KEPT);
        Ok(image)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Decoded>> {
        // A panic elsewhere leaves the list as it was: still a valid cache.
        self.recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(long: u32) -> impl FnOnce(u32) -> Result<RgbImage, ()> {
        move |_| Ok(RgbImage::new(long, long * 2 / 3))
    }

    #[test]
    fn a_preview_is_decoded_once_for_the_faces_it_serves() {
        let kept = DecodedPreviews::default();
        let first = kept.get("a", 800, decode(800)).unwrap();
        // A smaller face on the same photo reuses it; nothing is decoded.
        let again = kept
            .get("a", 400, |_| Err::<RgbImage, ()>(()))
            .expect("kept");
        assert!(Arc::ptr_eq(&first, &again));
        // A larger face needs a finer decode.
        let finer = kept.get("a", 1600, decode(1600)).unwrap();
        assert_eq!(finer.width(), 1600);
        // Another photo is decoded for itself.
        assert_eq!(kept.get("b", 200, decode(200)).unwrap().width(), 200);
    }

    #[test]
    fn the_whole_preview_serves_any_face_and_only_a_few_are_kept() {
        let kept = DecodedPreviews::default();
        // Asked 3000, the preview had only 1600: nothing larger exists.
        kept.get("a", 3000, decode(1600)).unwrap();
        assert!(kept.get("a", 2500, |_| Err::<RgbImage, ()>(())).is_ok());
        for hash in ["b", "c", "d", "e"] {
            kept.get(hash, 100, decode(100)).unwrap();
        }
        assert!(kept.get("a", 100, |_| Err::<RgbImage, ()>(())).is_err());
    }
}
