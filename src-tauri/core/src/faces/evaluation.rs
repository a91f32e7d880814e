//! Measuring detection against hand-drawn boxes (dlib imglab XML: `<image file=..><box top left
//! width height/>`), for the tests and the benchmark.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::region::Region;

/// Hand-drawn face boxes per image file name, in pixels.
pub type GroundTruth = HashMap<String, Vec<Region>>;

#[derive(Debug, thiserror::Error)]
pub enum GroundTruthError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {detail}")]
    Malformed { path: String, detail: String },
}

/// Reads an imglab file; boxes marked `ignore='1'` are left out.
pub fn read_imglab(path: &Path) -> Result<GroundTruth, GroundTruthError> {
    let text = std::fs::read_to_string(path).map_err(|source| GroundTruthError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let malformed = |detail: String| GroundTruthError::Malformed {
        path: path.display().to_string(),
        detail,
    };
    let mut reader = Reader::from_str(&text);
    let mut truth = GroundTruth::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().map_err(|e| malformed(e.to_string()))? {
            Event::Start(e) | Event::Empty(e) => {
                let mut attrs = HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| malformed(e.to_string()))?;
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    let value = a
                        .unescape_value()
                        .map_err(|e| malformed(e.to_string()))?
                        .into_owned();
                    attrs.insert(key, value);
                }
                match e.name().as_ref() {
                    b"image" => {
                        let file = attrs
                            .remove("file")
                            .ok_or_else(|| malformed("image without file".into()))?;
                        truth.entry(file.clone()).or_default();
                        current = Some(file);
                    }
                    b"box" if attrs.get("ignore").map(String::as_str) != Some("1") => {
                        let num = |k: &str| -> Result<f64, GroundTruthError> {
                            attrs
                                .get(k)
                                .and_then(|v| v.parse().ok())
                                .ok_or_else(|| malformed(format!("box without a numeric {k}")))
                        };
                        let region = Region {
                            x: num("left")?,
                            y: num("top")?,
                            w: num("width")?,
                            h: num("height")?,
                        };
                        if let Some(file) = &current {
                            truth.entry(file.clone()).or_default().push(region);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(truth)
}

/// Matches of one image's detections against its ground truth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub truth: usize,
    pub found: usize,
    pub detections: usize,
}

impl std::ops::Add for Score {
    type Output = Score;
    fn add(self, other: Score) -> Score {
        Score {
            truth: self.truth + other.truth,
            found: self.found + other.found,
            detections: self.detections + other.detections,
        }
    }
}

impl Score {
    /// Greedy one-to-one matching, best overlap first, at `min_iou`.
    pub fn of(truth: &[Region], detections: &[Region], min_iou: f64) -> Score {
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (t, tr) in truth.iter().enumerate() {
            for (d, dr) in detections.iter().enumerate() {
                let iou = tr.iou(dr);
                if iou >= min_iou {
                    pairs.push((iou, t, d));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (mut used_t, mut used_d) = (vec![false; truth.len()], vec![false; detections.len()]);
        let mut found = 0;
        for (_, t, d) in pairs {
            if !used_t[t] && !used_d[d] {
                used_t[t] = true;
                used_d[d] = true;
                found += 1;
            }
        }
        Score {
            truth: truth.len(),
            found,
            detections: detections.len(),
        }
    }

    pub fn recall(&self) -> f64 {
        if self.truth == 0 {
            1.0
        } else {
            self.found as f64 / self.truth as f64
        }
    }

    pub fn precision(&self) -> f64 {
        if self.detections == 0 {
            1.0
        } else {
            self.found as f64 / self.detections as f64
        }
    }

    pub fn false_boxes(&self) -> usize {
        self.detections - self.found
    }
}
