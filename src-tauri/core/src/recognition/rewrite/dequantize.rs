//! The SFace file as shipped stores its weights block-quantized: int8 values with one scale and
//! zero point per 64 of them, expanded by `DequantizeLinear` nodes with a `block_size`, which
//! tract does not run. Those nodes only ever read constants, so each is replaced by the fp32
//! tensor it would compute, once, when the model is loaded; and the weights, which the file also
//! declares as graph inputs, stop being inputs (only the image is).

use std::collections::{HashMap, HashSet};

use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{ModelProto, NodeProto, TensorProto};

use super::{floats, RewriteError};

/// Replaces every blocked `DequantizeLinear` by its result; returns how many were replaced.
pub fn fold_blocked_dequantize(model: &mut ModelProto) -> Result<usize, RewriteError> {
    let graph = model.graph.as_mut().ok_or(RewriteError::NoGraph)?;
    let constants: HashMap<String, usize> = graph
        .initializer
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut folded = Vec::new();
    let mut kept = Vec::with_capacity(graph.node.len());
    for node in std::mem::take(&mut graph.node) {
        if node.op_type == "DequantizeLinear" && block_size(&node) > 0 {
            let tensor = expand(&node, |name| {
                constants.get(name).map(|&i| &graph.initializer[i])
            })?;
            folded.push(tensor);
        } else {
            kept.push(node);
        }
    }
    graph.node = kept;
    let count = folded.len();
    // The quantized tensors are read by nothing now; dropping them halves what tract parses.
    let still_read: HashSet<&str> = graph
        .node
        .iter()
        .flat_map(|n| n.input.iter().map(String::as_str))
        .collect();
    graph
        .initializer
        .retain(|t| still_read.contains(t.name.as_str()));
    graph.initializer.extend(folded);
    // Left as inputs, the weights (and the fp32 originals the quantizer replaced, which no node
    // reads) would each have to be fed: only what a node reads and the file does not hold stays.
    let constant_names: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    graph.input.retain(|i| {
        still_read.contains(i.name.as_str()) && !constant_names.contains(i.name.as_str())
    });
    Ok(count)
}

fn attribute(node: &NodeProto, name: &str) -> Option<i64> {
    node.attribute.iter().find(|a| a.name == name).map(|a| a.i)
}

fn block_size(node: &NodeProto) -> i64 {
    attribute(node, "block_size").unwrap_or(0)
}

/// `y = (x - zero_point[block]) * scale[block]`, where an element's block is its index along
/// `axis` divided by `block_size` (the other indices unchanged).
fn expand<'a>(
    node: &NodeProto,
    constant: impl Fn(&str) -> Option<&'a TensorProto>,
) -> Result<TensorProto, RewriteError> {
    let malformed = |detail: &str| RewriteError::Malformed {
        node: node.name.clone(),
        detail: detail.to_string(),
    };
    let input = |i: usize| -> Result<Option<&'a TensorProto>, RewriteError> {
        match node.input.get(i).filter(|n| !n.is_empty()) {
            None => Ok(None),
            Some(name) => constant(name)
                .map(Some)
                .ok_or_else(|| RewriteError::NotConstant {
                    node: node.name.clone(),
                    input: name.clone(),
                }),
        }
    };
    let x = input(0)?.ok_or_else(|| malformed("no input"))?;
    let scale = input(1)?.ok_or_else(|| malformed("no scale"))?;
    let zero_point = input(2)?;
    let output = node.output.first().ok_or_else(|| malformed("no output"))?;

    let dims: Vec<usize> = x.dims.iter().map(|&d| d.max(0) as usize).collect();
    let rank = dims.len() as i64;
    let axis = attribute(node, "axis").unwrap_or(1);
    let axis = if axis < 0 { axis + rank } else { axis };
    if !(0..rank).contains(&axis) {
        return Err(malformed("axis outside the tensor"));
    }
    let axis = axis as usize;
    let block = block_size(node) as usize;
    let values = integers(x).ok_or_else(|| malformed("quantized values are not 8-bit integers"))?;
    let scales = floats(scale).ok_or_else(|| malformed("scales are not fp32"))?;
    let zeros = match zero_point {
        Some(z) => integers(z).ok_or_else(|| malformed("zero points are not 8-bit integers"))?,
        None => vec![0; scales.len()],
    };
    let total: usize = dims.iter().product();
    let blocks_on_axis = dims[axis].div_ceil(block);
    let mut scale_dims = dims.clone();
    scale_dims[axis] = blocks_on_axis;
    if values.len() != total
        || scales.len() != scale_dims.iter().product::<usize>()
        || zeros.len() != scales.len()
    {
        return Err(malformed("tensor sizes do not match their shapes"));
    }
    // Row-major strides: `inner` elements per step along the axis, `outer` blocks of the axis.
    let inner: usize = dims[axis + 1..].iter().product();
    let mut out = Vec::with_capacity(total * 4);
    for (i, &v) in values.iter().enumerate() {
        let outer = i / (inner * dims[axis]);
        let along = (i / inner) % dims[axis];
        let rest = i % inner;
        let s = (outer * blocks_on_axis + along / block) * inner + rest;
        let y = (v - zeros[s]) as f32 * scales[s];
        out.extend_from_slice(&y.to_le_bytes());
    }
    Ok(TensorProto {
        name: output.clone(),
        dims: x.dims.clone(),
        data_type: DataType::Float as i32,
        raw_data: out,
        ..TensorProto::default()
    })
}

fn integers(t: &TensorProto) -> Option<Vec<i32>> {
    let from_raw = !t.raw_data.is_empty();
    match DataType::try_from(t.data_type).ok()? {
        DataType::Int8 if from_raw => Some(t.raw_data.iter().map(|&b| b as i8 as i32).collect()),
        DataType::Uint8 if from_raw => Some(t.raw_data.iter().map(|&b| b as i32).collect()),
        DataType::Int8 | DataType::Uint8 => Some(t.int32_data.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::{AttributeProto, GraphProto, ValueInfoProto};

    fn tensor(name: &str, dims: &[i64], data_type: DataType, raw: Vec<u8>) -> TensorProto {
        TensorProto {
            name: name.into(),
            dims: dims.to_vec(),
            data_type: data_type as i32,
            raw_data: raw,
            ..TensorProto::default()
        }
    }

    fn int_attribute(name: &str, i: i64) -> AttributeProto {
        AttributeProto {
            name: name.into(),
            i,
            ..AttributeProto::default()
        }
    }

    #[test]
    fn blocks_along_either_axis_expand_to_the_right_values() {
        // 2×4 weights, blocks of 2 along axis 1: scales and zero points are 2×2.
        let x: Vec<u8> = [1i8, 2, 3, 4, -1, -2, -3, -4]
            .iter()
            .map(|&v| v as u8)
            .collect();
        let scales: Vec<u8> = [0.5f32, 2.0, 1.0, 0.25]
            .iter()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        let zeros: Vec<u8> = [1i8, 0, 0, -4].iter().map(|&v| v as u8).collect();
        let mut model = ModelProto {
            graph: Some(GraphProto {
                node: vec![
                    NodeProto {
                        name: "use".into(),
                        op_type: "MatMul".into(),
                        input: vec!["data".into(), "w".into()],
                        output: vec!["y".into()],
                        ..NodeProto::default()
                    },
                    NodeProto {
                        name: "dq".into(),
                        op_type: "DequantizeLinear".into(),
                        input: vec!["w_q".into(), "w_s".into(), "w_z".into()],
                        output: vec!["w".into()],
                        attribute: vec![int_attribute("axis", 1), int_attribute("block_size", 2)],
                        ..NodeProto::default()
                    },
                ],
                initializer: vec![
                    tensor("w_q", &[2, 4], DataType::Int8, x),
                    tensor("w_s", &[2, 2], DataType::Float, scales),
                    tensor("w_z", &[2, 2], DataType::Int8, zeros),
                ],
                input: vec![
                    ValueInfoProto {
                        name: "data".into(),
                        ..ValueInfoProto::default()
                    },
                    ValueInfoProto {
                        name: "w_q".into(),
                        ..ValueInfoProto::default()
                    },
                    // The fp32 original the quantizer replaced: declared, read by nothing.
                    ValueInfoProto {
                        name: "w_fp32".into(),
                        ..ValueInfoProto::default()
                    },
                ],
                ..GraphProto::default()
            }),
            ..ModelProto::default()
        };
        assert_eq!(fold_blocked_dequantize(&mut model).unwrap(), 1);
        let graph = model.graph.unwrap();
        assert_eq!(graph.node.len(), 1);
        assert_eq!(
            graph
                .input
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>(),
            ["data"]
        );
        assert_eq!(graph.initializer.len(), 1);
        let w = floats(&graph.initializer[0]).unwrap();
        // Row 0: (1-1)*0.5, (2-1)*0.5, (3-0)*2, (4-0)*2; row 1: -1*1, -2*1, (-3+4)*0.25, 0.
        assert_eq!(w, [0.0, 0.5, 6.0, 8.0, -1.0, -2.0, 0.25, 0.0]);
        assert_eq!(graph.initializer[0].name, "w");
    }
}
