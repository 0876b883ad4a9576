import { type LocalImageDataset, readLocalImageDataset } from './local-dataset.ts';
import { runImageDataScript } from './python.ts';

/** Shapes {@link generateShapesDataset} can draw (the labels of the dataset). */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'stripes', 'cross'] as const;
/** One of the shape classes the generated image dataset draws ({@link SHAPE_CLASSES}). */
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Options of {@link generateShapesDataset}. */
export interface ShapesDatasetOptions {
  /** Folder to write to (created if needed). */
  dir: string;
  /** Images per class. */
  perClass: number;
  /** Width and height in pixels (default 24). */
  size?: number;
  /** Same seed, same bytes (default 0). */
  seed?: number;
  /** Default `circle`, `square`, `triangle`. */
  classes?: ShapeClass[];
}

/**
 * Writes a deterministic labelled image dataset: `size`×`size` RGB PNGs of geometric shapes with random
 * colours, size, position and angle plus Gaussian noise (drawn by Pillow in `python/tvx_image_data.py`),
 * and `index.csv` with a stratified 80/10/10 split. Image `i` of a class does not depend on `perClass`.
 *
 * @example
 * const local = await generateShapesDataset({ dir: '/tmp/shapes', perClass: 30, seed: 1 });
 * const csv = await uploadImageDataset(local.dir, 'gs://my-bucket/shapes');
 */
export async function generateShapesDataset(options: ShapesDatasetOptions): Promise<LocalImageDataset> {
  const { dir, perClass, size = 24, seed = 0 } = options;
  const classes = options.classes ?? ['circle', 'square', 'triangle'];
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new RangeError(
      `perClass: ${perClass} is not a positive integer; give the number of images per class.`,
    );
  if (!Number.isInteger(size) || size < 8 || size > 512)
    throw new RangeError(`size: ${size} is not an integer from 8 to 512; give the image width in pixels.`);
  const unknown = classes.filter((c) => !SHAPE_CLASSES.includes(c));
  if (unknown.length || !classes.length)
    throw new RangeError(
      `classes: ${JSON.stringify(unknown)} are not shapes; use some of ${SHAPE_CLASSES.join(', ')}.`,
    );
  await runImageDataScript('shapes', { dir, perClass, size, seed, classes });
  return readLocalImageDataset(dir, [...classes]);
}
