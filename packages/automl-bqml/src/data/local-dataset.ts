import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How an image is used: Vertex's `ML_USE` column. */
export type MlUse = 'training' | 'validation' | 'test';

/** One image of a local dataset. */
export interface LocalImage {
  /** Path relative to the dataset folder, e.g. `circle/circle_0003.png`. */
  path: string;
  label: string;
  mlUse: MlUse;
}

/** A labelled image dataset written to a local folder. */
export interface LocalImageDataset {
  dir: string;
  /**
   * `<dir>/index.csv`: one `ML_USE,relative/path.png,label` line per image, no header — Vertex's import
   * column order, with paths relative to `dir` (see `uploadImageDataset`, which writes the gs:// version).
   */
  csvPath: string;
  /** Label names, in the generator's order. */
  classes: string[];
  images: LocalImage[];
}

/** The file name of a local dataset's index. */
export const INDEX_FILE = 'index.csv';

/** Reads `<dir>/index.csv` back into a {@link LocalImageDataset}. */
export async function readLocalImageDataset(dir: string, classes?: string[]): Promise<LocalImageDataset> {
  const csvPath = join(dir, INDEX_FILE);
  const text = await readFile(csvPath, 'utf8').catch((err: Error) => {
    throw new Error(
      `${csvPath} cannot be read (${err.message}): write the dataset first with generateShapesDataset or writeDigitsDataset.`,
    );
  });
  const images = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const [mlUse, path, label] = line.split(',');
      if (!path || !label || !['training', 'validation', 'test'].includes(mlUse ?? ''))
        throw new Error(`${csvPath} line ${i + 1} is not "ML_USE,relative/path.png,label": ${line}`);
      return { mlUse: mlUse as MlUse, path, label };
    });
  return { dir, csvPath, classes: classes ?? [...new Set(images.map((im) => im.label))], images };
}
