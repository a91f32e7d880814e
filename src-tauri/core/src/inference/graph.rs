//! Edits of an ONNX file's graph, made in memory when a model is loaded (the file on disk stays
//! the one its sha256 names). The file is edited at the protobuf wire level: every field this
//! module does not edit is copied byte for byte, so nothing of the model is lost or re-encoded,
//! whatever version of the ONNX schema wrote it.
//!
//! Field numbers are those of `onnx.proto` (ModelProto.graph = 7; GraphProto.node = 1,
//! initializer = 5, input = 11, output = 12, value_info = 13; NodeProto.input = 1;
//! TensorProto.name = 8; ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1;
//! TypeProto.Tensor.shape = 2; TensorShapeProto.dim = 1; Dimension.dim_value = 1,
//! dim_param = 2).

use std::collections::HashSet;

use prost::encoding::{decode_key, decode_varint, encode_key, encode_varint, WireType};

/// Why a file could not be read as an ONNX model.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("not an ONNX model: {0}")]
    Wire(#[from] prost::DecodeError),
    #[error("not an ONNX model: {0}")]
    Malformed(&'static str),
    #[error("the model has no graph")]
    NoGraph,
}

mod field {
    pub const MODEL_GRAPH: u32 = 7;
    pub const GRAPH_NODE: u32 = 1;
    pub const GRAPH_INITIALIZER: u32 = 5;
    pub const GRAPH_INPUT: u32 = 11;
    pub const GRAPH_OUTPUT: u32 = 12;
    pub const GRAPH_VALUE_INFO: u32 = 13;
    pub const NODE_INPUT: u32 = 1;
    pub const TENSOR_NAME: u32 = 8;
    pub const VALUE_INFO_NAME: u32 = 1;
    pub const VALUE_INFO_TYPE: u32 = 2;
    pub const TYPE_TENSOR: u32 = 1;
    pub const TENSOR_TYPE_SHAPE: u32 = 2;
    pub const SHAPE_DIM: u32 = 1;
    pub const DIM_VALUE: u32 = 1;
    pub const DIM_PARAM: u32 = 2;
}

/// One field of a message as it lies in the file.
#[derive(Clone, Copy)]
struct Field<'a> {
    number: u32,
    value: Value<'a>,
}

#[derive(Clone, Copy)]
enum Value<'a> {
    Varint(u64),
    Fixed64(&'a [u8]),
    Bytes(&'a [u8]),
    Fixed32(&'a [u8]),
}

/// The fields of one message, in file order.
fn fields(mut message: &[u8]) -> Result<Vec<Field<'_>>, GraphError> {
    let mut found = Vec::new();
    while !message.is_empty() {
        let (number, wire) = decode_key(&mut message)?;
        let value = match wire {
            WireType::Varint => Value::Varint(decode_varint(&mut message)?),
            WireType::SixtyFourBit => Value::Fixed64(take(&mut message, 8)?),
            WireType::ThirtyTwoBit => Value::Fixed32(take(&mut message, 4)?),
            WireType::LengthDelimited => {
                let len = usize::try_from(decode_varint(&mut message)?)
                    .map_err(|_| GraphError::Malformed("a field longer than memory"))?;
                Value::Bytes(take(&mut message, len)?)
            }
            WireType::StartGroup | WireType::EndGroup => {
                return Err(GraphError::Malformed("groups are not used by ONNX"))
            }
        };
        found.push(Field { number, value });
    }
    Ok(found)
}

fn take<'a>(message: &mut &'a [u8], len: usize) -> Result<&'a [u8], GraphError> {
    if message.len() < len {
        return Err(GraphError::Malformed(
            "a field runs past the end of its message",
        ));
    }
    let (taken, rest) = message.split_at(len);
    *message = rest;
    Ok(taken)
}

fn write(out: &mut Vec<u8>, field: &Field<'_>) {
    match field.value {
        Value::Varint(v) => {
            encode_key(field.number, WireType::Varint, out);
            encode_varint(v, out);
        }
        Value::Fixed64(b) => {
            encode_key(field.number, WireType::SixtyFourBit, out);
            out.extend_from_slice(b);
        }
        Value::Fixed32(b) => {
            encode_key(field.number, WireType::ThirtyTwoBit, out);
            out.extend_from_slice(b);
        }
        Value::Bytes(b) => write_bytes(out, field.number, b),
    }
}

fn write_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    encode_key(number, WireType::LengthDelimited, out);
    encode_varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

fn bytes<'a>(field: &Field<'a>) -> Option<&'a [u8]> {
    match field.value {
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

/// The first string field `number` of `message`.
fn string_field(message: &[u8], number: u32) -> Result<Option<String>, GraphError> {
    Ok(fields(message)?
        .iter()
        .filter(|f| f.number == number)
        .find_map(bytes)
        .map(|b| String::from_utf8_lossy(b).into_owned()))
}

/// An ONNX model read for editing: its top-level fields and its graph's.
pub struct OnnxModel<'a> {
    model: Vec<Field<'a>>,
    graph: Vec<Field<'a>>,
    /// Replacements for graph fields, by position in `graph`: `None` drops the field.
    edits: Vec<Option<Option<Vec<u8>>>>,
}

impl<'a> OnnxModel<'a> {
    pub fn read(file: &'a [u8]) -> Result<Self, GraphError> {
        let model = fields(file)?;
        let graph = model
            .iter()
            .filter(|f| f.number == field::MODEL_GRAPH)
            .find_map(bytes)
            .ok_or(GraphError::NoGraph)?;
        let graph = fields(graph)?;
        let edits = vec![None; graph.len()];
        Ok(Self {
            model,
            graph,
            edits,
        })
    }

    /// Names of the graph's inputs, in order (after the edits made so far).
    pub fn inputs(&self) -> Result<Vec<String>, GraphError> {
        let mut names = Vec::new();
        for (i, f) in self.graph.iter().enumerate() {
            if f.number != field::GRAPH_INPUT || matches!(self.edits[i], Some(None)) {
                continue;
            }
            if let Some(name) = bytes(f)
                .map(|b| string_field(b, field::VALUE_INFO_NAME))
                .transpose()?
                .flatten()
            {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// Lists as graph inputs only what must be fed: an input the file also holds as a weight
    /// (an old exporter's habit, which stops ONNX Runtime from folding it as a constant) or that
    /// no node reads (quantized weights whose nodes read a dequantized copy) stops being one.
    pub fn keep_only_fed_inputs(&mut self) -> Result<&mut Self, GraphError> {
        let mut weights = HashSet::new();
        let mut read = HashSet::new();
        for f in &self.graph {
            let Some(message) = bytes(f) else { continue };
            match f.number {
                field::GRAPH_INITIALIZER => {
                    if let Some(name) = string_field(message, field::TENSOR_NAME)? {
                        weights.insert(name);
                    }
                }
                field::GRAPH_NODE => {
                    for input in fields(message)?
                        .iter()
                        .filter(|f| f.number == field::NODE_INPUT)
                    {
                        if let Some(name) = bytes(input) {
                            read.insert(String::from_utf8_lossy(name).into_owned());
                        }
                    }
                }
                _ => {}
            }
        }
        for (i, f) in self.graph.iter().enumerate() {
            if f.number != field::GRAPH_INPUT {
                continue;
            }
            let name = bytes(f)
                .map(|b| string_field(b, field::VALUE_INFO_NAME))
                .transpose()?
                .flatten()
                .unwrap_or_default();
            if weights.contains(&name) || !read.contains(&name) {
                self.edits[i] = Some(None);
            }
        }
        Ok(self)
    }

    /// Leaves the height and width of every 4-d image input and output free (named dimensions)
    /// and their batch at 1, and drops the shapes recorded for the tensors in between, which
    /// the runtime infers again for each size.
    pub fn free_image_size(&mut self) -> Result<&mut Self, GraphError> {
        for (i, f) in self.graph.iter().enumerate() {
            let names = match f.number {
                field::GRAPH_INPUT => ["height", "width"],
                field::GRAPH_OUTPUT => ["grid_height", "grid_width"],
                field::GRAPH_VALUE_INFO => {
                    self.edits[i] = Some(None);
                    continue;
                }
                _ => continue,
            };
            if matches!(self.edits[i], Some(None)) {
                continue;
            }
            if let Some(message) = bytes(f) {
                if let Some(freed) = free_value_info(message, names)? {
                    self.edits[i] = Some(Some(freed));
                }
            }
        }
        Ok(self)
    }

    /// The edited file.
    pub fn encode(&self) -> Vec<u8> {
        let mut graph = Vec::new();
        for (f, edit) in self.graph.iter().zip(&self.edits) {
            match edit {
                None => write(&mut graph, f),
                Some(None) => {}
                Some(Some(replaced)) => write_bytes(&mut graph, f.number, replaced),
            }
        }
        let mut out = Vec::with_capacity(graph.len() + 1024);
        let mut graph_written = false;
        for f in &self.model {
            if f.number == field::MODEL_GRAPH && !graph_written {
                write_bytes(&mut out, f.number, &graph);
                graph_written = true;
            } else if f.number != field::MODEL_GRAPH {
                write(&mut out, f);
            }
        }
        out
    }
}

/// A ValueInfoProto whose 4-d tensor shape gets batch 1 and free height and width; `None`
/// when it has no such shape.
fn free_value_info(message: &[u8], names: [&str; 2]) -> Result<Option<Vec<u8>>, GraphError> {
    edit_nested(message, field::VALUE_INFO_TYPE, |type_proto| {
        edit_nested(type_proto, field::TYPE_TENSOR, |tensor| {
            edit_nested(tensor, field::TENSOR_TYPE_SHAPE, |shape| {
                free_shape(shape, names)
            })
        })
    })
}

/// `message` with its first submessage field `number` replaced by what `edit` makes of it;
/// `None` when there is none or `edit` leaves it.
fn edit_nested(
    message: &[u8],
    number: u32,
    edit: impl FnOnce(&[u8]) -> Result<Option<Vec<u8>>, GraphError>,
) -> Result<Option<Vec<u8>>, GraphError> {
    let all = fields(message)?;
    let Some(at) = all
        .iter()
        .position(|f| f.number == number && bytes(f).is_some())
    else {
        return Ok(None);
    };
    let Some(inner) = bytes(&all[at]).map(edit).transpose()?.flatten() else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(message.len() + 16);
    for (i, f) in all.iter().enumerate() {
        if i == at {
            write_bytes(&mut out, number, &inner);
        } else {
            write(&mut out, f);
        }
    }
    Ok(Some(out))
}

/// A TensorShapeProto of four dimensions as (1, channels as they were, names[0], names[1]).
fn free_shape(shape: &[u8], names: [&str; 2]) -> Result<Option<Vec<u8>>, GraphError> {
    let all = fields(shape)?;
    let dims: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].number == field::SHAPE_DIM)
        .collect();
    if dims.len() != 4 {
        return Ok(None);
    }
    let batch_one = {
        let mut d = Vec::new();
        encode_key(field::DIM_VALUE, WireType::Varint, &mut d);
        encode_varint(1, &mut d);
        d
    };
    let named = |name: &str| {
        let mut d = Vec::new();
        write_bytes(&mut d, field::DIM_PARAM, name.as_bytes());
        d
    };
    let mut out = Vec::new();
    for (i, f) in all.iter().enumerate() {
        match dims.iter().position(|&d| d == i) {
            Some(0) => write_bytes(&mut out, field::SHAPE_DIM, &batch_one),
            Some(2) => write_bytes(&mut out, field::SHAPE_DIM, &named(names[0])),
            Some(3) => write_bytes(&mut out, field::SHAPE_DIM, &named(names[1])),
            _ => write(&mut out, f),
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(parts: &[(u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (number, b) in parts {
            write_bytes(&mut out, *number, b);
        }
        out
    }

    fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
        let mut shape = Vec::new();
        for d in dims {
            let mut dim = Vec::new();
            encode_key(field::DIM_VALUE, WireType::Varint, &mut dim);
            encode_varint(*d, &mut dim);
            write_bytes(&mut shape, field::SHAPE_DIM, &dim);
        }
        let tensor = message(&[(field::TENSOR_TYPE_SHAPE, &shape)]);
        let type_proto = message(&[(field::TYPE_TENSOR, &tensor)]);
        message(&[
            (field::VALUE_INFO_NAME, name.as_bytes()),
            (field::VALUE_INFO_TYPE, &type_proto),
        ])
    }

    /// A model with one node reading `data` and `w`; `w` is also a weight, `unused` is read by
    /// nothing; field 1 (ir_version) and 8 (opset) must come through untouched.
    fn model() -> Vec<u8> {
        let node = message(&[(field::NODE_INPUT, b"data"), (field::NODE_INPUT, b"w")]);
        let weight = message(&[(field::TENSOR_NAME, b"w")]);
        let graph = message(&[
            (field::GRAPH_NODE, &node),
            (field::GRAPH_INITIALIZER, &weight),
            (field::GRAPH_INPUT, &value_info("data", &[10, 3, 32, 32])),
            (field::GRAPH_INPUT, &value_info("w", &[8])),
            (field::GRAPH_INPUT, &value_info("unused", &[8])),
            (field::GRAPH_OUTPUT, &value_info("out", &[10, 1, 8, 8])),
            (
                field::GRAPH_VALUE_INFO,
                &value_info("between", &[10, 4, 16, 16]),
            ),
        ]);
        let mut out = Vec::new();
        encode_key(1, WireType::Varint, &mut out);
        encode_varint(6, &mut out);
        out.extend(message(&[(field::MODEL_GRAPH, &graph), (8, b"opset")]));
        out
    }

    #[test]
    fn only_fed_inputs_stay_inputs() {
        let file = model();
        let mut model = OnnxModel::read(&file).unwrap();
        model.keep_only_fed_inputs().unwrap();
        assert_eq!(model.inputs().unwrap(), ["data"]);
        let again = model.encode();
        assert_eq!(OnnxModel::read(&again).unwrap().inputs().unwrap(), ["data"]);
    }

    #[test]
    fn freeing_the_image_size_names_height_and_width_and_keeps_the_rest() {
        let file = model();
        let edited = OnnxModel::read(&file)
            .unwrap()
            .free_image_size()
            .unwrap()
            .encode();
        let top = fields(&edited).unwrap();
        assert!(matches!(top[0].value, Value::Varint(6)), "ir_version kept");
        assert_eq!(top[2].number, 8, "opset kept after the graph");
        let graph = fields(bytes(&top[1]).unwrap()).unwrap();
        assert!(graph.iter().all(|f| f.number != field::GRAPH_VALUE_INFO));
        let data = graph
            .iter()
            .find(|f| f.number == field::GRAPH_INPUT)
            .unwrap();
        let expected = {
            let mut shape = Vec::new();
            let mut one = Vec::new();
            encode_key(field::DIM_VALUE, WireType::Varint, &mut one);
            encode_varint(1, &mut one);
            let mut three = Vec::new();
            encode_key(field::DIM_VALUE, WireType::Varint, &mut three);
            encode_varint(3, &mut three);
            write_bytes(&mut shape, field::SHAPE_DIM, &one);
            write_bytes(&mut shape, field::SHAPE_DIM, &three);
            write_bytes(
                &mut shape,
                field::SHAPE_DIM,
                &message(&[(field::DIM_PARAM, b"height")]),
            );
            write_bytes(
                &mut shape,
                field::SHAPE_DIM,
                &message(&[(field::DIM_PARAM, b"width")]),
            );
            let tensor = message(&[(field::TENSOR_TYPE_SHAPE, &shape)]);
            let type_proto = message(&[(field::TYPE_TENSOR, &tensor)]);
            message(&[
                (field::VALUE_INFO_NAME, b"data"),
                (field::VALUE_INFO_TYPE, &type_proto),
            ])
        };
        assert_eq!(bytes(data).unwrap(), expected.as_slice());
        let w = graph
            .iter()
            .filter(|f| f.number == field::GRAPH_INPUT)
            .nth(1)
            .unwrap();
        assert_eq!(
            bytes(w).unwrap(),
            value_info("w", &[8]).as_slice(),
            "1-d left alone"
        );
    }

    #[test]
    fn a_file_that_is_not_a_model_is_refused() {
        assert!(OnnxModel::read(b"\x0a\xff\xff").is_err());
        assert!(matches!(OnnxModel::read(&[]), Err(GraphError::NoGraph)));
    }
}
