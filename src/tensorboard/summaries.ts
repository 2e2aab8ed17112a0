// Pure encoders: each turns one checked input into a Summary.Value in TF2's tensor form, with the
// plugin metadata TensorBoard needs to route it (tensorboard/plugins/*/summary_v2.py).
import { histogramBuckets } from './histogram-buckets.js';
import { DataClass, DataType, type SummaryMetadataMessage, type SummaryValueMessage } from './schema.js';

export type SummaryKind = 'scalars' | 'histograms' | 'images' | 'text';

const DATA_CLASS: Record<SummaryKind, number> = {
  scalars: DataClass.SCALAR,
  histograms: DataClass.TENSOR,
  images: DataClass.BLOB_SEQUENCE,
  text: DataClass.TENSOR,
};

/** `<Plugin>PluginData{version: 0}` serializes to no bytes, so every plugin's content is empty. */
export function pluginMetadata(kind: SummaryKind): SummaryMetadataMessage {
  return { pluginData: { pluginName: kind, content: new Uint8Array(0) }, dataClass: DATA_CLASS[kind] };
}

const utf8 = new TextEncoder();
const shape = (...dims: number[]) => ({ dim: dims.map((size) => ({ size })) });

/** DT_FLOAT rank 0: TensorBoard's default (Rust) loader drops scalars of any other dtype. */
export function scalarValue(tag: string, value: number): SummaryValueMessage {
  return { tag, tensor: { dtype: DataType.DT_FLOAT, tensorShape: shape(), floatVal: [value] } };
}

/** DT_DOUBLE [bins, 3] of rows [left, right, count], little-endian in tensor_content. */
export function histogramValue(tag: string, values: ArrayLike<number>, bins: number): SummaryValueMessage {
  const buckets = histogramBuckets(values, bins);
  const content = new DataView(new ArrayBuffer(buckets.length * 3 * 8));
  buckets.flat().forEach((x, i) => content.setFloat64(i * 8, x, true));
  return {
    tag,
    tensor: {
      dtype: DataType.DT_DOUBLE,
      tensorShape: shape(buckets.length, 3),
      tensorContent: new Uint8Array(content.buffer),
    },
  };
}

/** DT_STRING [3]: width and height as decimal text (width first), then the PNG bytes. */
export function imageValue(tag: string, png: Uint8Array, width: number, height: number): SummaryValueMessage {
  return {
    tag,
    tensor: {
      dtype: DataType.DT_STRING,
      tensorShape: shape(3),
      stringVal: [utf8.encode(String(width)), utf8.encode(String(height)), png],
    },
  };
}

/** DT_STRING rank 0 holding the UTF-8 Markdown, as TF2's `tf.summary.text` writes one string. */
export function textValue(tag: string, markdown: string): SummaryValueMessage {
  return { tag, tensor: { dtype: DataType.DT_STRING, tensorShape: shape(), stringVal: [utf8.encode(markdown)] } };
}
