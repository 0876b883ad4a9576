/** Small file-system helpers: atomic writes, moving files into place, pruning empty folders. */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { isFsError } from './errors.ts';

/** Writes a file atomically: to a temporary file in `tmpDir`, then renamed into place. */
export async function writeFileAtomic(path: string, data: string, tmpDir: string): Promise<void> {
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${randomUUID()}.json`);
  await writeFile(tmp, data);
  try {
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Removes `dir` and its parents while they are empty, stopping before `stopAt`. */
export async function pruneEmptyFolders(dir: string, stopAt: string): Promise<void> {
  const stop = resolve(stopAt);
  for (let current = resolve(dir); current.startsWith(stop + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): stop pruning
    }
  }
}

/**
 * Moves a finished temporary file to `path`, creating its folder. Answers `'clash'` when a file stands
 * where a folder is needed or a folder where the file goes (objects `a` and `a/b` cannot both be files).
 */
export async function moveIntoPlace(tmp: string, path: string): Promise<'moved' | 'clash'> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dirname(path), { recursive: true });
      await rename(tmp, path);
      return 'moved';
    } catch (err) {
      if (isFsError(err, 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY')) return 'clash';
      if (isFsError(err, 'EXDEV')) {
        await copyFile(tmp, path);
        return 'moved';
      }
      // ENOENT: a concurrent delete pruned the folder between mkdir and rename; try again.
      if (!isFsError(err, 'ENOENT') || attempt >= 3) throw err;
    }
  }
}
