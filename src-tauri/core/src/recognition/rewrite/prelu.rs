//! tract expands ONNX `PRelu` into three passes that each allocate (a comparison, a multiply of
//! a copy, a select): half of SFace's time per face went there. The same function written as
//! `x + (slope - 1) · min(x, 0)` is exact for any slope (x for x > 0, slope · x otherwise, to
//! one rounding) and tract fuses it into one pass over the tensor.

use std::collections::HashMap;

use tract_onnx::pb::{ModelProto, NodeProto};

use super::{float_tensor, floats, RewriteError};

const ZERO: &str = "whoiswho.prelu.zero";

/// Replaces every `PRelu` whose slope is a constant; returns how many were replaced.
pub fn unfold_prelu(model: &mut ModelProto) -> Result<usize, RewriteError> {
    let graph = model.graph.as_mut().ok_or(RewriteError::NoGraph)?;
    let slopes: HashMap<&str, (&[i64], Vec<f32>)> = graph
        .initializer
        .iter()
        .filter_map(|t| Some((t.name.as_str(), (t.dims.as_slice(), floats(t)?))))
        .collect();
    let mut nodes = Vec::with_capacity(graph.node.len());
    let mut constants = vec![float_tensor(ZERO.into(), vec![], [0.0])];
    for node in &graph.node {
        let slope = node.input.get(1).and_then(|s| slopes.get(s.as_str()));
        let (x, output, (dims, slope)) = match (node.op_type.as_str(), slope) {
            ("PRelu", Some(slope)) => match (node.input.first(), node.output.first()) {
                (Some(x), Some(output)) => (x, output, slope),
                _ => {
                    return Err(RewriteError::Malformed {
                        node: node.name.clone(),
                        detail: "PRelu without an input or output".into(),
                    })
                }
            },
            _ => {
                nodes.push(node.clone());
                continue;
            }
        };
        let step = |op: &str, suffix: &str, inputs: [&str; 2], out: &str| NodeProto {
            name: format!("{}.{suffix}", node.name),
            op_type: op.into(),
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: vec![out.to_string()],
            ..NodeProto::default()
        };
        let below = format!("{output}.below_zero");
        let scaled = format!("{output}.scaled");
        let slope_less_one = format!("{}.slope_less_one", node.name);
        nodes.push(step("Min", "min", [x, ZERO], &below));
        nodes.push(step("Mul", "mul", [&below, &slope_less_one], &scaled));
        nodes.push(step("Add", "add", [&scaled, x], output));
        constants.push(float_tensor(
            slope_less_one,
            dims.to_vec(),
            slope.iter().map(|s| s - 1.0),
        ));
    }
    let count = constants.len() - 1;
    graph.node = nodes;
    if count > 0 {
        graph.initializer.extend(constants);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::tensor_proto::DataType;
    use tract_onnx::pb::{type_proto, GraphProto, TypeProto, ValueInfoProto};
    use tract_onnx::prelude::*;

    /// A one-node graph, `y = PRelu(x, slope)` with one slope per channel (1×3×1×2 input).
    fn prelu_model(slopes: [f32; 3]) -> ModelProto {
        ModelProto {
            graph: Some(GraphProto {
                node: vec![NodeProto {
                    name: "act".into(),
                    op_type: "PRelu".into(),
                    input: vec!["x".into(), "slope".into()],
                    output: vec!["y".into()],
                    ..NodeProto::default()
                }],
                initializer: vec![float_tensor("slope".into(), vec![3, 1, 1], slopes)],
                input: vec![ValueInfoProto {
                    name: "x".into(),
                    r#type: Some(TypeProto {
                        value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                            elem_type: DataType::Float as i32,
                            shape: None,
                        })),
                        ..TypeProto::default()
                    }),
                    ..ValueInfoProto::default()
                }],
                output: vec![ValueInfoProto {
                    name: "y".into(),
                    ..ValueInfoProto::default()
                }],
                ..GraphProto::default()
            }),
            ..ModelProto::default()
        }
    }

    fn run(model: &ModelProto, x: &[f32]) -> Vec<f32> {
        let plan = tract_onnx::onnx()
            .model_for_proto_model(model)
            .and_then(|m| m.with_input_fact(0, f32::fact([1, 3, 1, 2]).into()))
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .expect("model");
        let input = Tensor::from_shape(&[1, 3, 1, 2], x).expect("input");
        let out = plan.run(tvec!(input.into())).expect("run");
        out[0]
            .to_plain_array_view::<f32>()
            .expect("f32")
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn any_slope_gives_what_prelu_gives() {
        // Slopes above one and below zero occur in SFace; max(x, slope·x) would be wrong there.
        let slopes = [0.25, 1.12, -0.81];
        let x = [2.0, -2.0, 3.0, -3.0, 0.5, -4.0];
        let before = prelu_model(slopes);
        let mut after = before.clone();
        assert_eq!(unfold_prelu(&mut after).unwrap(), 1);
        assert!(after
            .graph
            .as_ref()
            .unwrap()
            .node
            .iter()
            .all(|n| n.op_type != "PRelu"));
        let expected = [2.0, -0.5, 3.0, -3.36, 0.5, 3.24];
        for (got, want) in run(&after, &x).iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
        for (got, want) in run(&before, &x).iter().zip(expected) {
            assert!(
                (got - want).abs() < 1e-6,
                "tract's own PRelu: {got} vs {want}"
            );
        }
    }
}
