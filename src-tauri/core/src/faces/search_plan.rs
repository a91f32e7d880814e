//! How a photo is searched for faces: at which scales, over which part, in which tiles, and
//! which face sizes each look is trusted with. Chosen per photo: first from its size (a look at
//! about 1920 px for the faces of a group, one at 640 px for the large faces), then from what that
//! found: where it found many faces near the smallest the model sees, that part is searched
//! again enlarged, because a crowd's faces are smaller still there.
//!
//! Why these numbers (measured on `../shared/data`, see the README's face figures):
//! - CenterFace finds faces of about 16 to 300 searched pixels well. Faces several hundred
//!   pixels tall come out cut (eyes to mouth) at 1920 px but whole at 640 px, so large faces
//!   are taken from the coarse look only.
//! - A web-size crowd (faces 8-15 px) gives a third of its faces at 1x and nearly all at 2x.
//! - A photo with no small face found is not enlarged: enlarging a photo of dogs at 2x makes a
//!   dog's face a "face".

use crate::region::Region;

/// Long side of the first look; at this size the faces of a 4000 px group photo are 30-60 px.
pub const SURVEY_LONG_SIDE: u32 = 1920;
/// Long side of the look for large faces.
const COARSE_LONG_SIDE: u32 = 640;
/// Tiles are at most this many searched pixels on a side: bounded memory per model run, and
/// both cores busy on one photo.
const TILE_MAX: u32 = 768;
/// Neighbouring tiles share this many searched pixels. A tiled look is trusted only with faces
/// smaller than that, so each of its faces lies whole inside the tile that keeps it.
const TILE_OVERLAP: u32 = 96;
/// The coarse look is trusted with faces from this height (in the survey's pixels) up: below
/// the tiles' limit, so a face whose height the two looks measure on either side of that limit
/// is kept (once: the merge drops the other).
const COARSE_FROM: f64 = TILE_OVERLAP as f64 * 0.75;
/// A face found shorter than this (searched pixels) is near what the model can see: others,
/// smaller still, were probably missed beside it. The model finds nearly every face from
/// about 18 px up (a crowd shrunk to faces of 12, 9.6 and 7.9 px: all found once enlarged to
/// 18-20 px and more).
pub const SMALL_FACE: f64 = 20.0;
/// How many small faces (or hints of them) make a look again worth it: fewer than that is a
/// face in the background, not a crowd.
const SMALL_FACES_FOR_A_CLOSER_LOOK: usize = 5;
/// The closer look enlarges so the median small face found reaches this height: the ones
/// missed are smaller than those found.
const CLOSER_FACE: f64 = 32.0;
const CLOSER_MIN_ZOOM: f64 = 1.5;
const CLOSER_MAX_ZOOM: f64 = 4.0;
/// Ceiling on the searched pixels of the closer look (the zoom is lowered to fit).
const CLOSER_MAX_PIXELS: f64 = 8.0e6;

/// A rectangle of an image, in its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl Area {
    pub fn whole(w: u32, h: u32) -> Self {
        Self { x: 0, y: 0, w, h }
    }

    /// Whether the centre of `r` lies inside.
    pub fn holds_centre_of(&self, r: &crate::region::Region) -> bool {
        let (cx, cy) = r.centre();
        cx >= self.x as f64
            && cx < (self.x + self.w) as f64
            && cy >= self.y as f64
            && cy < (self.y + self.h) as f64
    }
}

/// One look at (a part of) an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    /// Searched pixels per image pixel; above 1 the image is enlarged.
    pub scale: f64,
    pub area: Area,
    /// The faces this look is trusted with: heights in searched pixels, from..until.
    pub heights: (f64, f64),
    /// In tiles of at most `TILE_MAX` (then trusted only with faces smaller than the overlap),
    /// or in one piece.
    pub tiled: bool,
    /// Where in the area this look is wanted; a tile whose core is not near any of it is not
    /// searched. `None`: the whole area.
    pub focus: Option<Focus>,
}

/// The places a closer look is for (the centres of the small faces and hints the survey found)
/// and how far around each of them faces may have been missed, in the image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub points: Vec<(f64, f64)>,
    pub reach: f64,
}

impl Focus {
    /// Whether any point lies within `reach` of the rectangle (x0, y0)-(x1, y1).
    fn near(&self, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
        self.points.iter().any(|&(x, y)| {
            x >= x0 - self.reach
                && x < x1 + self.reach
                && y >= y0 - self.reach
                && y < y1 + self.reach
        })
    }
}

impl Pass {
    /// The searched size of the area.
    pub fn searched_size(&self) -> (u32, u32) {
        (
            ((self.area.w as f64 * self.scale).round() as u32).max(1),
            ((self.area.h as f64 * self.scale).round() as u32).max(1),
        )
    }

    /// Whether a face of `height` image pixels is this look's to keep.
    pub fn trusts(&self, height: f64) -> bool {
        let searched = height * self.scale;
        searched >= self.heights.0 && searched < self.heights.1
    }

    /// The tiles, in searched pixels of the area: equal in size (one optimized model run for
    /// all), overlapping by at least `TILE_OVERLAP`, each with the core it keeps faces from.
    /// The cores tile the area exactly, so a face is kept once.
    pub fn tiles(&self) -> Vec<Tile> {
        let (sw, sh) = self.searched_size();
        if !self.tiled {
            let all = (
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::INFINITY,
            );
            return vec![Tile {
                x: 0,
                y: 0,
                w: sw,
                h: sh,
                core: all,
            }];
        }
        let xs = spans(sw);
        let ys = spans(sh);
        ys.iter()
            .flat_map(|&(y, h, cy0, cy1)| {
                xs.iter().map(move |&(x, w, cx0, cx1)| Tile {
                    x,
                    y,
                    w,
                    h,
                    core: (cx0, cy0, cx1, cy1),
                })
            })
            .filter(|tile| match &self.focus {
                Some(focus) => focus.near(self.core_on_image(tile)),
                None => true,
            })
            .collect()
    }

    /// A tile's core in the image's pixels (an open side ends at the tile's edge).
    fn core_on_image(&self, tile: &Tile) -> (f64, f64, f64, f64) {
        let (x0, y0, x1, y1) = tile.core;
        let on_image = |searched: f64, origin: u32| origin as f64 + searched / self.scale;
        (
            on_image(x0.max(tile.x as f64), self.area.x),
            on_image(y0.max(tile.y as f64), self.area.y),
            on_image(x1.min((tile.x + tile.w) as f64), self.area.x),
            on_image(y1.min((tile.y + tile.h) as f64), self.area.y),
        )
    }

    /// The same look on the image decoded `ratio` times larger (`size` pixels): the same part
    /// of the photo at the same searched size.
    pub fn on_larger(&self, ratio: f64, (w, h): (u32, u32)) -> Pass {
        let x = ((self.area.x as f64 * ratio).floor() as u32).min(w.saturating_sub(1));
        let y = ((self.area.y as f64 * ratio).floor() as u32).min(h.saturating_sub(1));
        let area = Area {
            x,
            y,
            w: (((self.area.x + self.area.w) as f64 * ratio).ceil() as u32).clamp(x + 1, w) - x,
            h: (((self.area.y + self.area.h) as f64 * ratio).ceil() as u32).clamp(y + 1, h) - y,
        };
        Pass {
            scale: self.scale / ratio,
            area,
            heights: self.heights,
            tiled: self.tiled,
            focus: self.focus.as_ref().map(|f| Focus {
                points: f
                    .points
                    .iter()
                    .map(|&(x, y)| (x * ratio, y * ratio))
                    .collect(),
                reach: f.reach * ratio,
            }),
        }
    }

    /// A single untiled look at the whole image, at most `long_side` searched pixels long and
    /// never enlarged: for a crop around one face (an avatar, a drawn box), and the reference
    /// the benchmark compares the plan with.
    pub fn single(w: u32, h: u32, long_side: u32) -> Self {
        Self {
            scale: (long_side as f64 / w.max(h).max(1) as f64).min(1.0),
            area: Area::whole(w, h),
            heights: (0.0, f64::INFINITY),
            tiled: false,
            focus: None,
        }
    }
}

/// A tile of a pass, in searched pixels of its area; `core` = (x0, y0, x1, y1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tile {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub core: (f64, f64, f64, f64),
}

/// Splits a length into equal overlapping spans: (start, length, core start, core end).
fn spans(length: u32) -> Vec<(u32, u32, f64, f64)> {
    if length <= TILE_MAX {
        return vec![(0, length, f64::NEG_INFINITY, f64::INFINITY)];
    }
    let n = (length - TILE_OVERLAP).div_ceil(TILE_MAX - TILE_OVERLAP);
    let side = (length - TILE_OVERLAP).div_ceil(n) + TILE_OVERLAP;
    let starts: Vec<u32> = (0..n)
        .map(|i| {
            if i + 1 == n {
                length - side
            } else {
                i * (side - TILE_OVERLAP)
            }
        })
        .collect();
    (0..n as usize)
        .map(|i| {
            let start = starts[i];
            // Cores meet in the middle of each overlap.
            let core0 = if i == 0 {
                f64::NEG_INFINITY
            } else {
                (start as f64 + (starts[i - 1] + side) as f64) / 2.0
            };
            let core1 = if i + 1 == n as usize {
                f64::INFINITY
            } else {
                (starts[i + 1] as f64 + (start + side) as f64) / 2.0
            };
            (start, side, core0, core1)
        })
        .collect()
}

/// The looks at an image of `w`×`h` pixels, which is the photo decoded at no more than
/// `SURVEY_LONG_SIDE`.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPlan {
    pub passes: Vec<Pass>,
}

impl SearchPlan {
    /// The first looks, from the image's size alone: the whole image at its own size (in tiles
    /// when large), and, when that is much larger than `COARSE_LONG_SIDE`, a look at that size
    /// which alone is trusted with the large faces.
    pub fn survey(w: u32, h: u32) -> Self {
        let long = w.max(h).max(1) as f64;
        let whole = Area::whole(w, h);
        if long <= COARSE_LONG_SIDE as f64 * 1.5 {
            return Self {
                passes: vec![Pass {
                    scale: 1.0,
                    area: whole,
                    heights: (0.0, f64::INFINITY),
                    tiled: false,
                    focus: None,
                }],
            };
        }
        let coarse = COARSE_LONG_SIDE as f64 / long;
        Self {
            passes: vec![
                Pass {
                    scale: 1.0,
                    area: whole,
                    heights: (0.0, TILE_OVERLAP as f64),
                    tiled: true,
                    focus: None,
                },
                Pass {
                    scale: coarse,
                    area: whole,
                    heights: (COARSE_FROM * coarse, f64::INFINITY),
                    tiled: false,
                    focus: None,
                },
            ],
        }
    }

    /// A single look (see `Pass::single`).
    pub fn single(w: u32, h: u32, long_side: u32) -> Self {
        Self {
            passes: vec![Pass::single(w, h, long_side)],
        }
    }

    /// The enlarged look at the part of an image of `w`×`h` where `found` (the boxes of the
    /// survey's faces and hints of faces, in its pixels) has many near the smallest the model
    /// sees; `None`
    /// when there are few. It is trusted with the small faces of its area, and searches only
    /// the tiles near them (a crowd's sky, lawn or stage is not enlarged).
    pub fn closer_look(w: u32, h: u32, found: &[Region]) -> Option<Pass> {
        let mut small: Vec<&Region> = found.iter().filter(|r| r.h < SMALL_FACE).collect();
        if small.len() < SMALL_FACES_FOR_A_CLOSER_LOOK {
            return None;
        }
        small.sort_by(|a, b| a.h.total_cmp(&b.h));
        let median = small[small.len() / 2].h.max(1.0);
        // Around the small faces, as far again as a few of them: the missed ones sit among and
        // just beyond those found (a crowd's back rows).
        let margin = (median * 4.0).max(w.max(h) as f64 * 0.03);
        let x0 = small.iter().map(|r| r.x).fold(f64::INFINITY, f64::min) - margin;
        let y0 = small.iter().map(|r| r.y).fold(f64::INFINITY, f64::min) - margin;
        let x1 = small.iter().map(|r| r.x + r.w).fold(0.0, f64::max) + margin;
        let y1 = small.iter().map(|r| r.y + r.h).fold(0.0, f64::max) + margin;
        let area = {
            let x = x0.clamp(0.0, w as f64 - 1.0).floor() as u32;
            let y = y0.clamp(0.0, h as f64 - 1.0).floor() as u32;
            Area {
                x,
                y,
                w: (x1.clamp(x as f64 + 1.0, w as f64).ceil() as u32) - x,
                h: (y1.clamp(y as f64 + 1.0, h as f64).ceil() as u32) - y,
            }
        };
        let fits = (CLOSER_MAX_PIXELS / (area.w as f64 * area.h as f64)).sqrt();
        let zoom = (CLOSER_FACE / median)
            .clamp(CLOSER_MIN_ZOOM, CLOSER_MAX_ZOOM)
            .min(fits);
        let points = small.iter().map(|r| r.centre()).collect();
        (zoom >= CLOSER_MIN_ZOOM * 0.9).then_some(Pass {
            scale: zoom,
            area,
            heights: (0.0, TILE_OVERLAP as f64),
            tiled: true,
            focus: Some(Focus {
                points,
                reach: margin,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(x: f64, y: f64, h: f64) -> Region {
        Region {
            x,
            y,
            w: h * 0.8,
            h,
        }
    }

    #[test]
    fn tiles_are_equal_overlap_and_their_cores_cover_the_length_once() {
        for length in [1280, 1281, 1920, 2668, 3000, 5000] {
            let s = spans(length);
            let side = s[0].1;
            assert!(s.iter().all(|t| t.1 == side), "{length}: {s:?}");
            assert!(side <= TILE_MAX, "{length}: {side}");
            assert_eq!(s[0].0, 0);
            assert_eq!(s.last().map(|t| t.0 + t.1), Some(length));
            for pair in s.windows(2) {
                assert!(pair[0].0 + pair[0].1 >= pair[1].0 + TILE_OVERLAP, "{s:?}");
                assert_eq!(pair[0].3, pair[1].2, "cores meet: {s:?}");
                // A face wholly inside the overlap's half kept by a tile lies inside that tile.
                assert!(pair[0].3 - pair[1].0 as f64 >= TILE_OVERLAP as f64 / 2.0 - 0.5);
            }
        }
        assert_eq!(spans(TILE_MAX).len(), 1);
    }

    #[test]
    fn a_large_photo_is_surveyed_in_tiles_and_its_large_faces_are_the_coarse_looks() {
        let plan = SearchPlan::survey(1920, 1280);
        assert_eq!(plan.passes.len(), 2);
        let (fine, coarse) = (&plan.passes[0], &plan.passes[1]);
        assert_eq!(fine.tiles().len(), 6, "3 across, 2 down");
        assert_eq!(coarse.tiles().len(), 1);
        assert!(fine.trusts(60.0) && !coarse.trusts(60.0));
        assert!(!fine.trusts(400.0) && coarse.trusts(400.0));
        // Around the tiles' limit both are, so a face measured on either side of it is kept.
        let near_limit = TILE_OVERLAP as f64 * 0.9;
        assert!(fine.trusts(near_limit) && coarse.trusts(near_limit));
        // A small photo: one look, trusted with everything.
        let small = SearchPlan::survey(720, 478);
        assert_eq!(small.passes.len(), 1);
        assert!(small.passes[0].trusts(3.0) && small.passes[0].trusts(470.0));
    }

    #[test]
    fn only_many_small_faces_ask_for_a_closer_look_and_only_around_them() {
        let few = [face(10.0, 10.0, 12.0), face(50.0, 10.0, 40.0)];
        assert_eq!(SearchPlan::closer_look(1000, 600, &few), None);
        let crowd: Vec<Region> = (0..10)
            .map(|i| face(400.0 + 20.0 * i as f64, 300.0, 12.0))
            .collect();
        let pass = SearchPlan::closer_look(1000, 600, &crowd).expect("a closer look");
        assert!((pass.scale - 32.0 / 12.0).abs() < 1e-9, "{pass:?}");
        assert!(
            pass.area.x > 300 && pass.area.x + pass.area.w < 700,
            "{pass:?}"
        );
        assert!(
            pass.area.y > 200 && pass.area.y + pass.area.h < 400,
            "{pass:?}"
        );
        // A whole photo full of them is enlarged less, to stay within the pixel budget.
        let everywhere: Vec<Region> = (0..40)
            .map(|i| {
                face(
                    50.0 * (i % 20) as f64,
                    if i < 20 { 5.0 } else { 1900.0 },
                    10.0,
                )
            })
            .collect();
        let pass = SearchPlan::closer_look(1000, 2000, &everywhere).expect("a closer look");
        let (sw, sh) = pass.searched_size();
        assert!((sw as f64 * sh as f64) <= CLOSER_MAX_PIXELS * 1.01);
    }

    #[test]
    fn a_closer_look_searches_only_the_tiles_near_its_small_faces() {
        // Two crowds in opposite corners of a wide photo: one closer look spans both, and the
        // empty middle is not searched.
        let mut crowd: Vec<Region> = (0..8)
            .map(|i| face(20.0 + 14.0 * i as f64, 20.0, 12.0))
            .collect();
        crowd.extend((0..8).map(|i| face(1800.0 + 14.0 * i as f64, 1100.0, 12.0)));
        let pass = SearchPlan::closer_look(1920, 1280, &crowd).expect("a closer look");
        let every = Pass {
            focus: None,
            ..pass.clone()
        };
        let (kept, all) = (pass.tiles(), every.tiles());
        assert!(
            kept.len() * 4 <= all.len(),
            "{} of {}",
            kept.len(),
            all.len()
        );
        // Each small face lies in the core of a searched tile, so it is looked at again.
        for d in &crowd {
            let (cx, cy) = d.centre();
            assert!(
                kept.iter().any(|t| {
                    let (x0, y0, x1, y1) = pass.core_on_image(t);
                    cx >= x0 && cx < x1 && cy >= y0 && cy < y1
                }),
                "{cx},{cy}"
            );
        }
        // On an image decoded twice as large, the same tiles are searched.
        let larger = pass.on_larger(2.0, (3840, 2560));
        assert_eq!(larger.searched_size(), pass.searched_size());
        assert_eq!(larger.tiles().len(), kept.len());
    }
}
