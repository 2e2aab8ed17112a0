// The subset of TensorBoard's protobuf schema (tensorboard/compat/proto/*.proto, package
// `tensorboard`) that event files need. Kept as .proto text inside a TS module so that `tsc` ships
// it with the build; protobufjs parses it once at import. Field numbers are TensorBoard's.
import protobuf from 'protobufjs';

const TENSORBOARD_PROTO = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
  SourceMetadata source_metadata = 10;
}

message SourceMetadata {
  string writer = 1;
}

message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Value {
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      Image image = 4;
      HistogramProto histo = 5;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

enum DataClass {
  DATA_CLASS_UNKNOWN = 0;
  DATA_CLASS_SCALAR = 1;
  DATA_CLASS_TENSOR = 2;
  DATA_CLASS_BLOB_SEQUENCE = 3;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  DataClass data_class = 4;
}

enum DataType {
  DT_INVALID = 0;
  DT_FLOAT = 1;
  DT_DOUBLE = 2;
  DT_STRING = 7;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated bytes string_val = 8;
}
`;

const root = protobuf.parse(TENSORBOARD_PROTO).root;

/** protobufjs reflection type of `tensorboard.Event`; field names are camelCase (`wallTime`). */
const EventType = root.lookupType('tensorboard.Event');

export const DataType = { DT_FLOAT: 1, DT_DOUBLE: 2, DT_STRING: 7 } as const;
export const DataClass = { SCALAR: 1, TENSOR: 2, BLOB_SEQUENCE: 3 } as const;

// Plain-object views of the messages above, as written by the encoders and as read back.
export interface TensorMessage {
  dtype: number;
  tensorShape?: { dim?: Array<{ size: number }> };
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  stringVal?: Uint8Array[];
}

export interface SummaryMetadataMessage {
  pluginData: { pluginName: string; content?: Uint8Array };
  dataClass?: number;
}

export interface SummaryValueMessage {
  tag: string;
  metadata?: SummaryMetadataMessage;
  simpleValue?: number;
  tensor?: TensorMessage;
}

export interface EventMessage {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: SummaryValueMessage[] };
  sourceMetadata?: { writer: string };
}

export function encodeEvent(event: EventMessage): Uint8Array {
  return EventType.encode(event).finish();
}

export function decodeEvent(payload: Uint8Array): EventMessage {
  const plain = EventType.toObject(EventType.decode(payload), { longs: Number }) as EventMessage;
  // proto3 leaves zero-valued fields off the wire; step 0 is the one a reader needs spelled out.
  return { ...plain, step: plain.step ?? 0 };
}
