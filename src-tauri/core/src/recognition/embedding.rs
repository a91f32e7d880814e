//! What SFace makes of a face: 128 numbers of unit length, stored as little-endian f32s.

pub const EMBEDDING_LEN: usize = 128;

/// A face as the model sees it: unit length, so the dot product of two is their cosine.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// Scales `raw` to unit length; `None` for a vector of the wrong size or with no direction.
    pub fn normalized(raw: &[f32]) -> Option<Self> {
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        (raw.len() == EMBEDDING_LEN && norm.is_finite() && norm > 1e-6)
            .then(|| Self(raw.iter().map(|v| v / norm).collect()))
    }

    /// Cosine similarity: 1 for the same direction, around 0 for strangers.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }

    pub fn values(&self) -> &[f32] {
        &self.0
    }

    /// Little-endian f32s, as the catalog stores them.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Appends the unit-length vector stored in `bytes` to `out`, as [`Self::from_bytes`] reads
    /// it but with no allocation (a refresh reads tens of thousands); false when unreadable.
    pub fn append_from_bytes(bytes: &[u8], out: &mut Vec<f32>) -> bool {
        if bytes.len() != EMBEDDING_LEN * 4 {
            return false;
        }
        let mut raw = [0f32; EMBEDDING_LEN];
        for (v, c) in raw.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !(norm.is_finite() && norm > 1e-6) {
            return false;
        }
        out.extend(raw.iter().map(|v| v / norm));
        true
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != EMBEDDING_LEN * 4 {
            return None;
        }
        let raw: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Self::normalized(&raw)
    }
}
