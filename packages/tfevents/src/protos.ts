import protobuf from 'protobufjs';

/**
 * The part of TensorFlow's event protos that scalars need, with TensorFlow's field numbers:
 * - `Event`: tensorflow/core/util/event.proto (wall_time 1, step 2, file_version 3, summary 5);
 * - `Summary`, `Summary.Value`, `SummaryMetadata`: tensorflow/core/framework/summary.proto
 *   (value 1; tag 1, simple_value 2, tensor 8, metadata 9; plugin_data 1 → plugin_name 1, content 2;
 *   data_class 4);
 * - `TensorProto`: tensorflow/core/framework/tensor.proto (dtype 1, tensor_shape 2, tensor_content 4,
 *   float_val 5, double_val 6, int_val 7, int64_val 10, half_val 13), `TensorShapeProto`:
 *   tensor_shape.proto (dim 2 → size 1).
 * Fields left out (graphs, images, histograms …) are skipped as unknown fields when decoding.
 * `dtype` is TensorFlow's `DataType` enum (types.proto), kept as its number.
 */
const definitions = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'tensor'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                tensor: { type: 'TensorProto', id: 8 },
                metadata: { type: 'SummaryMetadata', id: 9 },
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: { type: 'PluginData', id: 1 },
            displayName: { type: 'string', id: 2 },
            summaryDescription: { type: 'string', id: 3 },
            dataClass: { type: 'int32', id: 4 },
          },
          nested: {
            PluginData: {
              fields: { pluginName: { type: 'string', id: 1 }, content: { type: 'bytes', id: 2 } },
            },
          },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'int32', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            tensorContent: { type: 'bytes', id: 4 },
            floatVal: { rule: 'repeated', type: 'float', id: 5 },
            doubleVal: { rule: 'repeated', type: 'double', id: 6 },
            intVal: { rule: 'repeated', type: 'int32', id: 7 },
            int64Val: { rule: 'repeated', type: 'int64', id: 10 },
            halfVal: { rule: 'repeated', type: 'int32', id: 13 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dim', id: 2 } },
          nested: { Dim: { fields: { size: { type: 'int64', id: 1 } } } },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(definitions);
/** `tensorflow.Event`. */
export const EventType = root.lookupType('tensorflow.Event');

/** TensorFlow `DataType` numbers the scalar reader understands (types.proto). */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, UINT8: 4, INT16: 5, INT8: 6, INT64: 9, HALF: 19 } as const;

/** A decoded `tensorflow.TensorProto` (only the fields scalars use; `dtype` is a TensorFlow `DataType` number). */
export interface TensorProto {
  dtype?: number;
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: (number | protobuf.Long)[];
  halfVal?: number[];
}

/** A decoded `tensorflow.Summary.Value`: a tag and its simple value or tensor, with the plugin that wrote it. */
export interface SummaryValue {
  tag?: string;
  simpleValue?: number;
  tensor?: TensorProto;
  metadata?: { pluginData?: { pluginName?: string } };
}

/** A decoded `tensorflow.Event` (only the fields the reader uses). */
export interface EventMessage {
  wallTime?: number;
  step?: number | protobuf.Long;
  fileVersion?: string;
  summary?: { value?: SummaryValue[] };
}
