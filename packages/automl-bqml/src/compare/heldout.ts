/**
 * The held-out examples of a local image dataset (`writeDigitsDataset`, `generateShapesDataset`): the TEST rows
 * of its `index.csv` with ids, labels and files, and the prediction instances each kind of model takes.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { ValidationError } from '@terra-vertex/core';
import { DIGIT_LABELS } from '../data/digits.ts';
import { type MlUse, readLocalImageDataset } from '../data/local-dataset.ts';
import { runDataPython } from '../data/python.ts';

/** The held-out examples of a local image dataset, in `index.csv` order. */
export interface HeldOutSet {
  /** The dataset folder. */
  dir: string;
  /** Which rows: `test` unless asked otherwise. */
  mlUse: MlUse;
  /** Every label of the dataset (not only those among the held-out rows), in `index.csv` order. */
  classes: string[];
  /** The file stem of each example (`digit_0042`): the `id` column of `loadDigitsTable`'s table. */
  ids: string[];
  /** The true label of each example. */
  labels: string[];
  /** The absolute path of each image. */
  paths: string[];
}

/**
 * Reads the held-out rows (`ML_USE` = `test` by default) of a dataset folder written by `writeDigitsDataset` or
 * `generateShapesDataset`.
 *
 * @example
 * const heldOut = await readHeldOut('/tmp/digits');
 * const automl = await predictionsFromEndpoint(endpoint, await imageContentInstances(heldOut),
 *   { name: 'AutoML Vision', kind: 'automl', ids: heldOut.ids, output: 'automl-image' });
 */
export async function readHeldOut(dir: string, options: { mlUse?: MlUse } = {}): Promise<HeldOutSet> {
  const mlUse = options.mlUse ?? 'test';
  if (!['training', 'validation', 'test'].includes(mlUse))
    throw new ValidationError(
      'mlUse',
      `${JSON.stringify(mlUse)} is not an ML_USE`,
      'Use test, validation or training.',
    );
  const folder = resolve(dir);
  const dataset = await readLocalImageDataset(folder).catch((err: Error) => {
    throw new ValidationError(
      'heldout',
      err.message.replace(/: write the dataset first[\s\S]*$/, ''),
      'Give the folder writeDigitsDataset or generateShapesDataset wrote (it holds index.csv).',
    );
  });
  const rows = dataset.images.filter((im) => im.mlUse === mlUse);
  if (rows.length === 0)
    throw new ValidationError(
      'heldout',
      `${dataset.csvPath} has no ${mlUse} rows`,
      'Write the dataset with writeDigitsDataset (80/10/10 split) or give a folder whose index.csv has test rows.',
    );
  const ids = rows.map((im) => basename(im.path, extname(im.path)));
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id))
      throw new ValidationError(
        'heldout',
        `${rows[i]!.path}: the id ${id} (its file name without extension) is not unique`,
        'Give every image a distinct file name: ids pair the images with table rows and predictions.',
      );
    seen.add(id);
  }
  return {
    dir: folder,
    mlUse,
    classes: naturalOrder(dataset.classes),
    ids,
    labels: rows.map((im) => im.label),
    paths: rows.map((im) => join(folder, im.path)),
  };
}

/** AutoML image instances (`image_classification_1.0.0`): `{ content: <base64 file bytes> }` per example. */
export async function imageContentInstances(heldOut: HeldOutSet): Promise<{ content: string }[]> {
  return Promise.all(heldOut.paths.map(async (p) => ({ content: (await readFile(p)).toString('base64') })));
}

/** Options of {@link imageArrayInstances}. */
export interface ImageArrayOptions {
  /** Width and height the model takes (the trainer's `--image-size`); default the images' own size. */
  size?: number;
  /** 3 (RGB, default) or 1 (grey). */
  channels?: 1 | 3;
}

// The way the generated trainers read an image (trainer/images.py): Pillow, RGB, resized to size × size.
const PIXELS = `
import json, sys
from PIL import Image
args = json.loads(sys.stdin.read())
out = []
for path in args["paths"]:
    with Image.open(path) as image:
        image = image.convert("RGB" if args["channels"] == 3 else "L")
        if args["size"]:
            image = image.resize((args["size"], args["size"]))
        out.append([image.size[0], image.size[1], list(image.getdata())])
print(json.dumps(out))
`;

/**
 * Image instances as nested lists `[height][width][channels]` of floats in [0, 1] (NHWC), the format the
 * generated PyTorch and Keras image trainers' models take; decoded with Pillow exactly as the trainers read
 * their training images.
 */
export async function imageArrayInstances(
  heldOut: HeldOutSet,
  options: ImageArrayOptions = {},
): Promise<number[][][][]> {
  const { size, channels = 3 } = options;
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 1024))
    throw new ValidationError(
      'size',
      `${size} is not an image size`,
      "Give the trainer's --image-size in pixels.",
    );
  if (channels !== 1 && channels !== 3)
    throw new ValidationError(
      'channels',
      `${channels} is not 1 or 3`,
      'Use 3 for RGB models, 1 for grey ones.',
    );
  const stdout = await runDataPython(['-c', PIXELS], {
    what: 'Reading the held-out images',
    needs: 'Pillow: on Debian, apt install python3-pil',
    input: JSON.stringify({ paths: heldOut.paths, size: size ?? null, channels }),
    maxBuffer: 256 * 1024 * 1024,
  });
  const decoded = JSON.parse(stdout) as [number, number, (number | number[])[]][];
  return decoded.map(([width, height, pixels]) =>
    Array.from({ length: height }, (_, y) =>
      Array.from({ length: width }, (_, x) => {
        const p = pixels[y * width + x]!;
        return (Array.isArray(p) ? p : [p]).map((v) => v / 255);
      }),
    ),
  );
}

/** Digit labels in numeric order (`zero` … `nine`), any other labels as the dataset lists them. */
function naturalOrder(classes: readonly string[]): string[] {
  return classes.every((c) => DIGIT_LABELS.includes(c))
    ? DIGIT_LABELS.filter((d) => classes.includes(d))
    : [...classes];
}
