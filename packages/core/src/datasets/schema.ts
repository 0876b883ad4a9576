/** Schema URIs of Vertex AI image datasets, as the Python SDK's `aiplatform.schema.dataset` has them. */
const BASE = 'gs://google-cloud-aiplatform/schema/dataset';

/**
 * Image dataset schema URIs: `metadata` is the dataset's `metadataSchemaUri`; the `*Import` URIs are the
 * `importSchemaUri` of `ImageDataset.create` / `importData`; `classificationAnnotation` is the payload
 * schema of the labels an import creates.
 */
export const IMAGE_SCHEMA = {
  metadata: `${BASE}/metadata/image_1.0.0.yaml`,
  /** CSV `[ML_USE],GCS_FILE_PATH,[LABEL]` or JSON Lines with `classificationAnnotation`. */
  singleLabelImport: `${BASE}/ioformat/image_classification_single_label_io_format_1.0.0.yaml`,
  /** CSV `[ML_USE],GCS_FILE_PATH,[LABEL1,…,LABELn]` or JSON Lines with `classificationAnnotations`. */
  multiLabelImport: `${BASE}/ioformat/image_classification_multi_label_io_format_1.0.0.yaml`,
  /** Vertex AI only (the emulator imports classification data). */
  boundingBoxImport: `${BASE}/ioformat/image_bounding_box_io_format_1.0.0.yaml`,
  /** Vertex AI only (the emulator imports classification data). */
  segmentationImport: `${BASE}/ioformat/image_segmentation_io_format_1.0.0.yaml`,
  classificationAnnotation: `${BASE}/annotation/image_classification_1.0.0.yaml`,
} as const;

/** The data item label holding an image's split (`training`, `validation` or `test`). */
export const ML_USE_LABEL = 'aiplatform.googleapis.com/ml_use';
