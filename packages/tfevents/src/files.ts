import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Whether a file name is a TensorBoard event file (`events.out.tfevents.*`). */
export function isEventFileName(name: string): boolean {
  return /^events\.out\.tfevents\./.test(name);
}

/**
 * Event files under a log folder, with the run each belongs to (its folder relative to `logDir`, with `/`
 * separators; `''` for the root), sorted by run and file name. A missing folder has none.
 */
export async function findEventFiles(logDir: string): Promise<{ run: string; path: string }[]> {
  let entries: { name: string; parentPath: string; isFile(): boolean }[];
  try {
    entries = await readdir(logDir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && isEventFileName(e.name))
    .map((e) => ({
      run: relative(logDir, e.parentPath).split(sep).join('/'),
      path: join(e.parentPath, e.name),
    }))
    .sort((a, b) => a.run.localeCompare(b.run) || a.path.localeCompare(b.path));
}

/**
 * A Vertex TensorboardRun id for a folder relative to the log folder, named as Vertex's TensorBoard uploader
 * names runs (python-aiplatform `tensorboard/uploader.py` and `uploader_utils.py`): the log folder itself
 * (`''` or `.`) is the run `default` (`DEFAULT_RUN_NAME`), and `reformat_run_name` turns `/` and `_` into
 * `-`, so `train/eval_1` becomes `train-eval-1`. The uploader stops there, but a TensorboardRun id may hold
 * only `[a-z0-9-]` and 1–128 characters (`CreateTensorboardRunRequest.tensorboard_run_id`, so Vertex would
 * refuse e.g. `Train`): we also lower-case and turn any other character into `-`, and cut at 128.
 */
export function runIdFor(relativeDir: string): string {
  const dir = relativeDir
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  const name = dir === '' || dir === '.' ? 'default' : dir;
  return name
    .replace(/[/_]/g, '-')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 128);
}
