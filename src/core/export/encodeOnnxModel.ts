import type { OnnxAttributeValue, OnnxGraph, OnnxInitializer, OnnxModel, OnnxNode, OnnxValueInfo } from './onnxModel';
import { ONNX_FLOAT, ONNX_INT64 } from './onnxModel';
import { ProtobufWriter } from './protobufWriter';

/** Field numbers from onnx.proto (ModelProto, GraphProto, ...), named where they are used. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

/** Serialises a model as an ONNX ModelProto (the bytes of a .onnx file). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const out = new ProtobufWriter();
  out.varintField(1, model.irVersion); // ir_version
  out.stringField(2, model.producerName);
  out.stringField(3, model.producerVersion);
  out.stringField(6, model.docString);
  out.messageField(7, (graph) => writeGraph(graph, model.graph));
  out.messageField(8, (opset) => opset.stringField(1, '').varintField(2, model.opsetVersion)); // the default ai.onnx domain
  for (const [key, value] of Object.entries(model.metadata)) {
    out.messageField(14, (entry) => entry.stringField(1, key).stringField(2, value)); // metadata_props
  }
  return out.finish();
}

function writeGraph(out: ProtobufWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) out.messageField(1, (w) => writeNode(w, node));
  out.stringField(2, graph.name);
  for (const initializer of graph.initializers) out.messageField(5, (w) => writeTensor(w, initializer));
  for (const input of graph.inputs) out.messageField(11, (w) => writeValueInfo(w, input));
  for (const output of graph.outputs) out.messageField(12, (w) => writeValueInfo(w, output));
}

function writeNode(out: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) out.stringField(1, input);
  for (const output of node.outputs) out.stringField(2, output);
  out.stringField(3, node.name);
  out.stringField(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    out.messageField(5, (w) => writeAttribute(w, name, value));
  }
}

function writeAttribute(out: ProtobufWriter, name: string, attribute: OnnxAttributeValue): void {
  out.stringField(1, name);
  out.varintField(20, ATTRIBUTE_TYPE[attribute.kind]);
  switch (attribute.kind) {
    case 'float': out.floatField(2, attribute.value); break;
    case 'int': out.varintField(3, attribute.value); break;
    case 'string': out.stringField(4, attribute.value); break;
    case 'ints': for (const value of attribute.value) out.varintField(8, value); break; // proto2: unpacked
    default: {
      const unknown: never = attribute;
      throw new Error(`Unknown ONNX attribute kind ${String(unknown)}`);
    }
  }
}

function writeTensor(out: ProtobufWriter, tensor: OnnxInitializer): void {
  for (const dim of tensor.dims) out.varintField(1, dim);
  out.varintField(2, tensor.data instanceof Float32Array ? ONNX_FLOAT : ONNX_INT64);
  out.stringField(8, tensor.name);
  out.bytesField(9, littleEndianBytes(tensor.data)); // raw_data
}

function writeValueInfo(out: ProtobufWriter, value: OnnxValueInfo): void {
  out.stringField(1, value.name);
  out.messageField(2, (type) => type.messageField(1, (tensorType) => { // TypeProto.tensor_type
    tensorType.varintField(1, ONNX_FLOAT); // elem_type
    tensorType.messageField(2, (shape) => {
      for (const dim of value.dims) {
        shape.messageField(1, (d) => (typeof dim === 'number' ? d.varintField(1, dim) : d.stringField(2, dim)));
      }
    });
  }));
}

/** raw_data is little-endian whatever the host; copied so a view into a larger buffer writes only itself. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return bytes;
}
