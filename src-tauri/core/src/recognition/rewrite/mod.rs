//! The SFace file is rewritten in memory when it is loaded, deterministically and before tract
//! reads it: into a graph tract can run (blocked quantization expanded) and runs fast (PReLU as
//! one fused pass). The file on disk, checked by its sha256, is never changed.

mod dequantize;
mod prelu;

use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{ModelProto, TensorProto};

/// Why the shipped graph could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    #[error("the model has no graph")]
    NoGraph,
    #[error("{node}: input {input} is not a constant of the file")]
    NotConstant { node: String, input: String },
    #[error("{node}: {detail}")]
    Malformed { node: String, detail: String },
}

/// The rewrites, in the order they depend on each other (the PReLU slopes are plain constants,
/// but the quantized weights must stop being graph inputs first). Without `fuse_prelu`, only
/// what tract needs to run the file: the benchmark's reference.
pub fn prepare(model: &mut ModelProto, fuse_prelu: bool) -> Result<(), RewriteError> {
    dequantize::fold_blocked_dequantize(model)?;
    if fuse_prelu {
        prelu::unfold_prelu(model)?;
    }
    Ok(())
}

fn floats(t: &TensorProto) -> Option<Vec<f32>> {
    if DataType::try_from(t.data_type).ok()? != DataType::Float {
        return None;
    }
    if t.raw_data.is_empty() {
        return Some(t.float_data.clone());
    }
    if !t.raw_data.len().is_multiple_of(4) {
        return None;
    }
    Some(
        t.raw_data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

fn float_tensor(
    name: String,
    dims: Vec<i64>,
    values: impl IntoIterator<Item = f32>,
) -> TensorProto {
    TensorProto {
        name,
        dims,
        data_type: DataType::Float as i32,
        raw_data: values.into_iter().flat_map(f32::to_le_bytes).collect(),
        ..TensorProto::default()
    }
}
