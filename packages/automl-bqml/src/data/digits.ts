import { type LocalImageDataset, readLocalImageDataset } from './local-dataset.ts';
import { runImageDataScript } from './python.ts';

/** The labels of the digits dataset, by digit. */
export const DIGIT_LABELS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Options of {@link writeDigitsDataset}. */
export interface DigitsDatasetOptions {
  dir: string;
  /** The first `limit` of the 1797 images (default all). */
  limit?: number;
  /** Width and height of the upscaled PNGs (default 32; the originals are 8×8). */
  size?: number;
  /** Seeds the split (default 0). */
  seed?: number;
}

/**
 * Writes the handwritten digits that ship inside scikit-learn (`sklearn.datasets.load_digits`: 1797
 * 8×8 images, no download) as grayscale PNGs upscaled to `size`, labelled `zero` … `nine`, with
 * `index.csv` holding a stable, stratified 80/10/10 split.
 */
export async function writeDigitsDataset(options: DigitsDatasetOptions): Promise<LocalImageDataset> {
  const { dir, limit, size = 32, seed = 0 } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new RangeError(`limit: ${limit} is not a positive integer; leave it out for all 1797 images.`);
  if (!Number.isInteger(size) || size < 8 || size > 512)
    throw new RangeError(`size: ${size} is not an integer from 8 to 512; give the image width in pixels.`);
  const result = (await runImageDataScript('digits', { dir, limit: limit ?? null, size, seed })) as {
    classes: string[];
  };
  return readLocalImageDataset(dir, result.classes);
}
