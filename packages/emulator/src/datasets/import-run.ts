/**
 * One ImportData run: reads each import file from the local bucket store, checks every row (the format
 * checks of import-format.ts, then the image itself), and writes data items, annotation specs and
 * annotations. Duplicates are handled like Vertex: one data item per image; a row that repeats an image
 * with nothing new is skipped; a row that contradicts an earlier one (another ML_USE, or a second label in
 * a single-label import) is an error.
 */
import { readFile } from 'node:fs/promises';
import { gcsToLocal } from '../runtime/gcs-paths.ts';
import { newId } from '../vertex/ids.ts';
import type { Json } from '../vertex/protos.ts';
import type { DatasetStore, ImportConfig, ImportOutcome } from './dataset-store.ts';
import { checkImageFile } from './image-files.ts';
import { type ImportRow, type MlUse, parseImportFile, type RowError } from './import-format.ts';
import { CLASSIFICATION_ANNOTATION_SCHEMA, ML_USE_LABEL } from './schemas.ts';

interface Known {
  item: Json;
  labels: Set<string>;
  mlUse?: MlUse;
  /** Where this import first saw the image (undefined: an earlier import). */
  origin?: string;
}

type Problem = { problem: string; fix: string };

export async function runImport(
  store: DatasetStore,
  datasetName: string,
  configs: ImportConfig[],
): Promise<ImportOutcome> {
  const out: ImportOutcome = {
    rows: 0,
    imported: 0,
    duplicates: 0,
    failed: 0,
    dataItems: 0,
    annotations: 0,
    errors: [],
  };
  const known = new Map<string, Known>();
  for (const ex of store.examples(datasetName)) {
    known.set(ex.gcsUri, {
      item: store.dataItem(ex.dataItem)!,
      labels: new Set(ex.labels),
      mlUse: ex.mlUse,
    });
  }
  const fail = (e: RowError) => {
    out.failed++;
    out.errors.push(e);
  };
  for (const config of configs) {
    for (const file of config.uris) {
      const text = await readImportFile(store.gcsRoot, file);
      if (typeof text !== 'string') {
        out.rows++;
        fail({ row: 0, file, ...text });
        continue;
      }
      const { rows, errors } = parseImportFile(text, file, config.mode);
      out.rows += rows.length + errors.length;
      const fileErrors = [...errors];
      for (const row of rows) {
        const result = await applyRow(store, datasetName, config, row, known, out);
        if (result === 'duplicate') out.duplicates++;
        else if (result === 'imported') out.imported++;
        else fileErrors.push({ row: row.row, file, ...result });
      }
      for (const e of fileErrors.sort((a, b) => a.row - b.row)) fail(e);
    }
  }
  store.touch(datasetName);
  return out;
}

async function readImportFile(gcsRoot: string, file: string): Promise<string | Problem> {
  try {
    return await readFile(gcsToLocal(gcsRoot, file), 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT')
      return { problem: 'the import file does not exist', fix: 'upload it first, or fix its gs:// URI' };
    if (code === 'EISDIR')
      return { problem: 'is a folder', fix: 'give the gs:// URI of a CSV or JSON Lines file' };
    return { problem: `cannot be read (${(err as Error).message})`, fix: 'check the gs:// URI' };
  }
}

async function applyRow(
  store: DatasetStore,
  datasetName: string,
  config: ImportConfig,
  row: ImportRow,
  known: Map<string, Known>,
  out: ImportOutcome,
): Promise<'imported' | 'duplicate' | Problem> {
  let local: string;
  let bucketDir: string;
  try {
    local = gcsToLocal(store.gcsRoot, row.uri);
    bucketDir = gcsToLocal(store.gcsRoot, row.uri.split('/').slice(0, 3).join('/'));
  } catch (err) {
    return { problem: (err as Error).message, fix: 'give the image as gs://bucket/path/image.png' };
  }
  const image = await checkImageFile(local, row.uri, bucketDir);
  if ('problem' in image) return image;
  if (!store.get(datasetName))
    return { problem: 'the dataset was deleted during the import', fix: 'create it again' };
  const given = config.dataItemLabels?.[ML_USE_LABEL]?.toLowerCase() as MlUse | undefined;
  const mlUse = row.mlUse ?? given;
  const now = new Date().toISOString();
  const seen = known.get(row.uri);
  const where = seen?.origin ? `in ${seen.origin}` : 'by an earlier import';
  if (seen && mlUse && seen.mlUse && mlUse !== seen.mlUse)
    return {
      problem: `${row.uri} was already imported as ${seen.mlUse} ${where}`,
      fix: 'give each image one ML_USE: remove or correct one of the rows',
    };
  const added = row.labels.filter((l) => !seen?.labels.has(l));
  if (seen && !added.length && (!mlUse || mlUse === seen.mlUse)) return 'duplicate';
  if (seen && config.mode === 'single' && seen.labels.size && added.length)
    return {
      problem: `${row.uri} was already imported with label ${[...seen.labels][0]} ${where}`,
      fix: 'a single-label dataset gives each image one label: remove one of the rows, or use the multi-label schema',
    };
  let entry = seen;
  if (!entry) {
    const labels = {
      ...(config.dataItemLabels ?? {}),
      ...row.itemLabels,
      ...(mlUse ? { [ML_USE_LABEL]: mlUse } : {}),
    };
    const item = store.putItem({
      name: `${datasetName}/dataItems/${store.nextId()}`,
      createTime: now,
      updateTime: now,
      ...(Object.keys(labels).length ? { labels } : {}),
      payload: { imageGcsUri: row.uri, mimeType: image.mimeType },
      etag: newId(),
    });
    entry = { item, labels: new Set(), mlUse, origin: `row ${row.row} of ${row.file}` };
    known.set(row.uri, entry);
    out.dataItems++;
  } else if (mlUse && !entry.mlUse) {
    entry.mlUse = mlUse;
    entry.item = store.putItem({
      ...entry.item,
      labels: { ...((entry.item.labels as object | undefined) ?? {}), [ML_USE_LABEL]: mlUse },
      updateTime: now,
      etag: newId(),
    });
  }
  for (const label of added) {
    const spec = store.specFor(datasetName, label);
    const labels = { ...(config.annotationLabels ?? {}), ...(row.annotationLabels[label] ?? {}) };
    store.putAnnotation({
      name: `${entry.item.name as string}/annotations/${store.nextId()}`,
      payloadSchemaUri: CLASSIFICATION_ANNOTATION_SCHEMA,
      payload: { annotationSpecId: (spec.name as string).split('/').pop(), displayName: label },
      createTime: now,
      updateTime: now,
      etag: newId(),
      ...(Object.keys(labels).length ? { labels } : {}),
    });
    entry.labels.add(label);
    out.annotations++;
  }
  return 'imported';
}
