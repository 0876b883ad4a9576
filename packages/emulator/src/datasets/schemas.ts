/** Schema URIs of Vertex AI image datasets (python-aiplatform `schema.py`; AutoML Vision docs). */
const BASE = 'gs://google-cloud-aiplatform/schema/dataset';

/** `Dataset.metadataSchemaUri` of an image dataset. */
export const IMAGE_METADATA_SCHEMA = `${BASE}/metadata/image_1.0.0.yaml`;
/** `Dataset.metadata.dataItemSchemaUri` Vertex reports for image datasets. */
export const IMAGE_DATA_ITEM_SCHEMA = `${BASE}/dataitem/image_1.0.0.yaml`;
/** Import schema: one label per image. */
export const SINGLE_LABEL_SCHEMA = `${BASE}/ioformat/image_classification_single_label_io_format_1.0.0.yaml`;
/** Import schema: any number of labels per image. */
export const MULTI_LABEL_SCHEMA = `${BASE}/ioformat/image_classification_multi_label_io_format_1.0.0.yaml`;
/** `Annotation.payloadSchemaUri` of a classification label. */
export const CLASSIFICATION_ANNOTATION_SCHEMA = `${BASE}/annotation/image_classification_1.0.0.yaml`;
/** Image import schemas Vertex has and the emulator does not import. */
export const OTHER_IMAGE_SCHEMAS = [
  `${BASE}/ioformat/image_bounding_box_io_format_1.0.0.yaml`,
  `${BASE}/ioformat/image_segmentation_io_format_1.0.0.yaml`,
];

/** The reserved data item label that holds a row's ML_USE. */
export const ML_USE_LABEL = 'aiplatform.googleapis.com/ml_use';

/** Single- or multi-label classification, chosen by the import schema URI. */
export type LabelMode = 'single' | 'multi';

/** The label mode of an import schema URI (the https:// form Vertex prints is accepted too). */
export function labelModeOf(importSchemaUri: string): LabelMode | undefined {
  const uri = importSchemaUri.replace('https://storage.googleapis.com/', 'gs://');
  if (uri === SINGLE_LABEL_SCHEMA) return 'single';
  if (uri === MULTI_LABEL_SCHEMA) return 'multi';
  return undefined;
}
