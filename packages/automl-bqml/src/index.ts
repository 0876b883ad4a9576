/**
 * @packageDocumentation
 * terra-vertex AutoML and BigQuery ML baselines. So far: labelled image datasets for tests and demos,
 * generated locally with no download (geometric shapes; scikit-learn's handwritten digits) and uploaded
 * with their Vertex import CSV.
 */
export { DIGIT_LABELS, type DigitsDatasetOptions, writeDigitsDataset } from './data/digits.ts';
export {
  INDEX_FILE,
  type LocalImage,
  type LocalImageDataset,
  type MlUse,
  readLocalImageDataset,
} from './data/local-dataset.ts';
export { dataPython, PYTHON_DIR } from './data/python.ts';
export {
  generateShapesDataset,
  SHAPE_CLASSES,
  type ShapeClass,
  type ShapesDatasetOptions,
} from './data/shapes.ts';
export { type UploadImageDatasetOptions, uploadImageDataset } from './data/upload.ts';
