/**
 * The import files of image classification datasets, parsed row by row the way Vertex documents them
 * (AutoML Vision "prepare data"): CSV `[ML_USE],GCS_FILE_PATH,[LABEL…]` or JSON Lines
 * `{imageGcsUri, classificationAnnotation(s), dataItemResourceLabels}`. A bad row becomes a
 * {@link RowError} naming the row and what to do; the other rows still import.
 */
import { type LabelMode, ML_USE_LABEL } from './schemas.ts';

/** How a data item is used in training: the `aiplatform.googleapis.com/ml_use` label. */
export type MlUse = 'training' | 'validation' | 'test';

/** One row of an import file that passed the checks that need no image. */
export interface ImportRow {
  /** 1-based line number in its file. */
  row: number;
  /** gs:// URI of the import file. */
  file: string;
  /** gs:// URI of the image. */
  uri: string;
  mlUse?: MlUse;
  /** Label display names (one at most for single-label imports). */
  labels: string[];
  /** Data item labels of a JSON Lines row (`dataItemResourceLabels`, without ml_use). */
  itemLabels: Record<string, string>;
  /** Annotation labels per label (`annotationResourceLabels`). */
  annotationLabels: Record<string, Record<string, string>>;
}

/** A row (or, with row 0, a whole file) that could not be imported. */
export interface RowError {
  row: number;
  file: string;
  problem: string;
  fix: string;
}

/** `row N (file F): problem — fix`, or `file F: problem — fix` for a file-level error. */
export function formatRowError(e: RowError): string {
  return `${e.row > 0 ? `row ${e.row} (file ${e.file})` : `file ${e.file}`}: ${e.problem} — ${e.fix}`;
}

const ML_USES: readonly string[] = ['training', 'validation', 'test'];
const LABEL = /^[A-Za-z][A-Za-z0-9_]*$/;
const OBJECT_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]*\/.+$/;

type Checked<T> = T | { problem: string; fix: string };
const failed = <T>(c: Checked<T>): c is { problem: string; fix: string } =>
  typeof c === 'object' && c !== null && 'problem' in c;

/** Parses one import file; CSV or JSON Lines is told by its first non-blank character. */
export function parseImportFile(
  text: string,
  file: string,
  mode: LabelMode,
): { rows: ImportRow[]; errors: RowError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const json = text.trimStart().startsWith('{');
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = json ? jsonRow(line, mode) : csvRow(line, mode, i === 0);
    if (failed(parsed)) errors.push({ row: i + 1, file, ...parsed });
    else rows.push({ row: i + 1, file, ...parsed });
  });
  return { rows, errors };
}

type RowFields = Omit<ImportRow, 'row' | 'file'>;

function csvRow(line: string, mode: LabelMode, first: boolean): Checked<RowFields> {
  const fields = splitCsv(line);
  if (failed(fields)) return fields;
  const pathLike = (s: string) => /[/.:]/.test(s);
  const hasMlUse = fields.length >= 2 && !pathLike(fields[0]!);
  const [mlUseField, uri, labels] = hasMlUse
    ? [fields[0]!, fields[1]!, fields.slice(2)]
    : [undefined, fields[0]!, fields.slice(1)];
  if (first && !pathLike(uri) && /path|uri|file|image/i.test(uri))
    return {
      problem: `${JSON.stringify(line)} looks like a header row`,
      fix: 'Vertex import files have no header: delete this line',
    };
  const mlUse = checkMlUse(mlUseField);
  if (failed(mlUse)) return mlUse;
  const gcs = checkUri(uri);
  if (failed(gcs)) return gcs;
  const checked = checkLabels(labels, mode, 'label column');
  if (failed(checked)) return checked;
  return { uri, mlUse, labels: checked, itemLabels: {}, annotationLabels: {} };
}

/** Splits one CSV line (RFC 4180 quoting); fields are trimmed. */
export function splitCsv(line: string): Checked<string[]> {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && !field.trim()) {
      field = '';
      quoted = true;
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) return { problem: 'a quoted field is not closed', fix: 'close the quote with "' };
  fields.push(field.trim());
  return fields;
}

function jsonRow(line: string, mode: LabelMode): Checked<RowFields> {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return {
      problem: `is not valid JSON (${(err as Error).message})`,
      fix: 'write one JSON object per line',
    };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    return { problem: 'is not a JSON object', fix: 'write one {"imageGcsUri": …} object per line' };
  const o = obj as Record<string, unknown>;
  if (typeof o.imageGcsUri !== 'string' || !o.imageGcsUri)
    return { problem: 'has no imageGcsUri', fix: 'give the image as "imageGcsUri": "gs://bucket/image.png"' };
  const itemLabels = stringMap(o.dataItemResourceLabels);
  if (failed(itemLabels)) return itemLabels;
  const mlUse = checkMlUse(itemLabels[ML_USE_LABEL]);
  if (failed(mlUse)) return mlUse;
  delete itemLabels[ML_USE_LABEL];
  const gcs = checkUri(o.imageGcsUri);
  if (failed(gcs)) return gcs;
  const [key, other] =
    mode === 'single'
      ? ['classificationAnnotation', 'classificationAnnotations']
      : ['classificationAnnotations', 'classificationAnnotation'];
  if (o[other] !== undefined)
    return {
      problem: `has ${other}, which the ${mode}-label import schema does not read`,
      fix: `write ${key}, or import with the ${mode === 'single' ? 'multi' : 'single'}-label schema`,
    };
  const given = o[key];
  const annotations = given === undefined ? [] : mode === 'single' ? [given] : given;
  if (!Array.isArray(annotations) || annotations.some((a) => !a || typeof a !== 'object'))
    return {
      problem: `${key} is not ${mode === 'single' ? 'an object' : 'a list of objects'}`,
      fix: `write ${key}: ${mode === 'single' ? '{"displayName": "cat"}' : '[{"displayName": "cat"}]'}`,
    };
  const names = (annotations as Record<string, unknown>[]).map((a) =>
    typeof a.displayName === 'string' ? a.displayName : '',
  );
  const labels = checkLabels(names, mode, 'displayName');
  if (failed(labels)) return labels;
  const annotationLabels: Record<string, Record<string, string>> = {};
  for (const [i, a] of (annotations as Record<string, unknown>[]).entries()) {
    const l = stringMap(a.annotationResourceLabels);
    if (failed(l)) return l;
    if (Object.keys(l).length) annotationLabels[labels[i]!] = l;
  }
  return { uri: gcs, mlUse, labels, itemLabels, annotationLabels };
}

function stringMap(v: unknown): Checked<Record<string, string>> {
  if (v === undefined) return {};
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))
    return { problem: 'has resource labels that are not a string map', fix: 'write {"key": "value", …}' };
  return { ...(v as Record<string, string>) };
}

function checkMlUse(value: string | undefined): Checked<MlUse | undefined> {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase();
  if (ML_USES.includes(v)) return v as MlUse;
  return {
    problem: `unknown ML_USE ${JSON.stringify(value)}`,
    fix: 'use training, validation or test (any case), or leave it empty to let Vertex split',
  };
}

function checkUri(uri: string): Checked<string> {
  if (OBJECT_URI.test(uri)) return uri;
  if (/^gs:\/\/[^/]*\/?$/.test(uri))
    return {
      problem: `${uri} names a bucket, not an image`,
      fix: 'give the image as gs://bucket/path/image.png',
    };
  return {
    problem: `${JSON.stringify(uri)} is not a Cloud Storage URI`,
    fix: 'upload the image to a bucket and give it as gs://bucket/path/image.png',
  };
}

function checkLabels(labels: string[], mode: LabelMode, column: string): Checked<string[]> {
  if (mode === 'single' && labels.length > 1)
    return {
      problem: `has ${labels.length} labels (${labels.join(', ')}) but the single-label schema takes one`,
      fix: 'keep one label, or import with the multi-label schema',
    };
  for (const label of labels) {
    if (!label)
      return {
        problem: `the ${column} is empty`,
        fix: 'write a label, or leave the column out to import the image unlabeled',
      };
    if (!LABEL.test(label))
      return {
        problem: `label ${JSON.stringify(label)} is not valid`,
        fix: 'labels start with a letter and contain only letters, digits and underscores (e.g. digit_7)',
      };
  }
  return [...new Set(labels)];
}
