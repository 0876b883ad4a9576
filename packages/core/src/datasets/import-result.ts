/**
 * The outcome of ImportData, read from the operation's `genericMetadata.partialFailures`: the emulator puts
 * a summary first (its counts in a `google.protobuf.Struct` detail) and then one status per failed row
 * (`row N (file F): problem — fix`, the parts in a Struct detail). Vertex AI lists failures without a
 * summary; the counts are then derived from the dataset's data item count.
 */
import type { protos } from '@google-cloud/aiplatform';
import { ApiError } from '../errors.ts';
import { fromProtoValue, type JsonValue, type ProtoValue } from '../value.ts';

type IStatus = protos.google.rpc.IStatus;
type IAny = protos.google.protobuf.IAny & { typeUrl?: string | null };

/** One row (or, with `row` 0, one import file) that was not imported. */
export interface ImportRowError {
  /** 1-based line in its file; 0 for a problem with the whole file. */
  row: number;
  /** gs:// URI of the import file. */
  file: string;
  problem: string;
  fix: string;
  /** As the service wrote it: `row N (file F): problem — fix`. */
  message: string;
}

/** What an ImportData did. */
export interface ImportResult {
  /** The import operation's name. */
  operation: string;
  /** Non-blank rows read. */
  rows: number;
  /** Rows that added an image or a label. */
  imported: number;
  /** Rows that repeated an image with nothing new (skipped). */
  duplicates: number;
  /** Rows that were not imported. */
  failed: number;
  /** Data items in the dataset after the import. */
  dataItemCount: number;
  /** The failed rows the service listed (at most 19 of `failed`; Vertex keeps 20 entries). */
  errors: ImportRowError[];
}

/** ImportData failed as a whole (every row was bad, or the files could not be read). */
export class DatasetImportError extends ApiError {
  override name = 'DatasetImportError';
  /** The dataset, which exists (empty or as before the import). */
  readonly resourceName: string;
  /** The failures listed in the operation's metadata, when it had any. */
  readonly errors: ImportRowError[];

  constructor(code: number, serverMessage: string, resourceName: string, errors: ImportRowError[]) {
    super(code, serverMessage, `Importing data into dataset ${resourceName}`);
    this.resourceName = resourceName;
    this.errors = errors;
  }
}

const ROW = /^row (\d+) \(file (.+?)\): (.*) — (.*)$/s;
const FILE = /^file (.+?): (.*) — (.*)$/s;

type StructType = { decode(b: Uint8Array): unknown; toObject(m: unknown, o: object): unknown };
let structType: Promise<StructType> | undefined;

/** A `google.protobuf.Struct` packed in an Any, as plain JSON; undefined for other types. */
async function structOf(any: IAny): Promise<Record<string, JsonValue> | undefined> {
  const url = any.type_url ?? any.typeUrl ?? '';
  if (!url.endsWith('/google.protobuf.Struct') || !any.value) return undefined;
  structType ??= import('google-gax').then(({ protobuf }) =>
    protobuf.Root.fromJSON(protobuf.common.get('google/protobuf/struct.proto')!).lookupType(
      'google.protobuf.Struct',
    ),
  );
  const type = await structType;
  const fields = type.toObject(type.decode(any.value as Uint8Array), { oneofs: true });
  return fromProtoValue({ structValue: fields } as ProtoValue) as Record<string, JsonValue>;
}

/** A failure status as an {@link ImportRowError} (parsed from its message when it has no Struct detail). */
async function rowError(status: IStatus): Promise<ImportRowError> {
  const message = status.message ?? '';
  for (const detail of status.details ?? []) {
    const s = await structOf(detail as IAny);
    if (s && typeof s.row === 'number')
      return { row: s.row, file: String(s.file), problem: String(s.problem), fix: String(s.fix), message };
  }
  const m = ROW.exec(message);
  if (m) return { row: Number(m[1]), file: m[2]!, problem: m[3]!, fix: m[4]!, message };
  const f = FILE.exec(message);
  if (f) return { row: 0, file: f[1]!, problem: f[2]!, fix: f[3]!, message };
  return { row: 0, file: '', problem: message, fix: '', message };
}

/** Reads the failures and the summary out of `genericMetadata.partialFailures`. */
export async function readPartialFailures(
  statuses: IStatus[] | null | undefined,
): Promise<{ errors: ImportRowError[]; counts?: Record<string, JsonValue> }> {
  const errors: ImportRowError[] = [];
  let counts: Record<string, JsonValue> | undefined;
  for (const status of statuses ?? []) {
    if (!status.code) {
      for (const detail of status.details ?? []) counts ??= await structOf(detail as IAny);
      continue;
    }
    errors.push(await rowError(status));
  }
  return { errors, counts };
}

/** The {@link ImportResult} of a finished import. */
export async function toImportResult(
  operation: string,
  statuses: IStatus[] | null | undefined,
  dataItemCount: { before: number; after: number },
): Promise<ImportResult> {
  const { errors, counts } = await readPartialFailures(statuses);
  const n = (k: string, fallback: number) =>
    typeof counts?.[k] === 'number' ? (counts[k] as number) : fallback;
  const imported = n('imported', Math.max(0, dataItemCount.after - dataItemCount.before));
  const failed = n('failed', errors.length);
  const duplicates = n('duplicates', 0);
  return {
    operation,
    rows: n('rows', imported + failed + duplicates),
    imported,
    duplicates,
    failed,
    dataItemCount: dataItemCount.after,
    errors,
  };
}
