/**
 * The binary columnar frame files that carry rows between DuckDB and the Python engine (`tvx_bqml`).
 *
 * Layout: `TVXF`, a uint32 LE header length, the header JSON (`{rows, columns: [{name, type, kind, offset,
 * length}]}`), then each column 8-byte aligned: `f64` columns as raw float64 little-endian (NULL → NaN), `json`
 * columns as a UTF-8 JSON array of strings or nulls. Numbers never go through JSON: Python maps them with
 * `numpy.frombuffer`, and TypeScript copies DuckDB's DOUBLE vectors (`Float64Array`s) straight into the file.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDoubleType,
  type DuckDBDoubleVector,
  DuckDBVarCharType,
} from '@duckdb/node-api';
import { invalidQuery } from '../errors.ts';
import { fieldOf, quoteIdent } from '../warehouse.ts';

/**
 * DuckDB's C API as `@duckdb/node-api` itself loads it (resolved from node-api, whose dependency it is): reading a
 * DOUBLE vector's bytes and validity mask directly is 4× faster than building node-api's vector objects.
 */
const raw = createRequire(import.meta.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_get_data(vector: unknown, bytes: number): Uint8Array;
  vector_get_validity(vector: unknown, bytes: number): Uint8Array | null;
};

/** A column of a frame: numbers (`f64`) or strings/nulls (`json`); `type` is the BigQuery type of the source. */
export interface FrameColumn {
  name: string;
  type: string;
  kind: 'f64' | 'json';
  values: Float64Array | (string | null)[];
}

/** A frame in memory. */
export interface Frame {
  rows: number;
  columns: FrameColumn[];
}

/** Name and BigQuery type of a query's column. */
export interface ColumnInfo {
  name: string;
  /** BigQuery type (`INTEGER`, `FLOAT`, `STRING`, `BOOLEAN`, …; `RECORD`/REPEATED are refused as features). */
  type: string;
  repeated: boolean;
}

/** Whether a BigQuery type travels as float64. */
export function isNumericType(type: string): boolean {
  return ['INTEGER', 'FLOAT', 'NUMERIC', 'BIGNUMERIC'].includes(type);
}

/** Columns (names and BigQuery types) of a query, without running it to the end. */
export async function describeQuery(conn: DuckDBConnection, sql: string): Promise<ColumnInfo[]> {
  const r = await conn.run(`SELECT * FROM (${sql}) AS __tvx_q LIMIT 0`);
  return r.columnNames().map((name, i) => {
    const f = fieldOf(name, r.columnType(i));
    return { name, type: f.type, repeated: f.mode === 'REPEATED' };
  });
}

/**
 * Runs `SELECT <columns> FROM (sql)` and writes the rows to a frame file: numeric columns as float64,
 * everything else cast to VARCHAR. Numeric columns come first and back to back (Python then maps them as one
 * matrix without copying), the columns named in `last` (label, split column) after the rest. `extra` adds
 * computed float64 columns (`name` → SQL expression).
 * @returns the number of rows written.
 */
export async function writeQueryFrame(
  conn: DuckDBConnection,
  sql: string,
  columns: ColumnInfo[],
  path: string,
  extra: Record<string, string> = {},
  last: string[] = [],
): Promise<number> {
  const exprs: string[] = [];
  const layout: { name: string; type: string; kind: 'f64' | 'json' }[] = [];
  const rank = (c: ColumnInfo) => (last.includes(c.name) ? 2 : isNumericType(c.type) ? 0 : 1);
  const ordered = [...columns].sort((a, b) => rank(a) - rank(b));
  for (const c of ordered) {
    if (c.repeated || c.type === 'RECORD')
      throw invalidQuery(
        `Column ${c.name} is ${c.repeated ? 'an ARRAY' : 'a STRUCT'}; the local BigQuery ML takes scalar columns only. Select scalar fields instead.`,
      );
    const q = quoteIdent(c.name);
    if (isNumericType(c.type)) {
      exprs.push(`CAST(${q} AS DOUBLE)`);
      layout.push({ name: c.name, type: c.type, kind: 'f64' });
    } else {
      exprs.push(`CAST(${q} AS VARCHAR)`);
      layout.push({ name: c.name, type: c.type, kind: 'json' });
    }
  }
  for (const [name, expr] of Object.entries(extra)) {
    exprs.push(`CAST(${expr} AS DOUBLE)`);
    layout.push({ name, type: 'FLOAT', kind: 'f64' });
  }
  const result = await conn.run(
    `SELECT ${exprs.map((e, i) => `${e} AS c${i}`).join(', ')} FROM (${sql}) AS __tvx_q`,
  );
  const chunks = await result.fetchAllChunks();
  const rows = chunks.reduce((n, c) => n + c.rowCount, 0);
  const values = layout.map((l) =>
    l.kind === 'f64' ? new Float64Array(rows) : new Array<string | null>(rows),
  );
  let at = 0;
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    layout.forEach((l, ci) => {
      if (l.kind === 'f64') {
        const vector = raw.data_chunk_get_vector(chunk.chunk, ci);
        const bytes = raw.vector_get_data(vector, n * 8);
        const out = values[ci] as Float64Array;
        out.set(new Float64Array(bytes.buffer, bytes.byteOffset, n), at);
        // NULL → NaN: bit r of the validity mask (uint64 words, little-endian) is 0 for a NULL row.
        const validity = raw.vector_get_validity(vector, Math.ceil(n / 64) * 8);
        if (validity?.length)
          for (let b = 0; b < (n + 7) >> 3; b++) {
            const bits = validity[b]!;
            if (bits === 0xff) continue;
            for (let r = b << 3; r < Math.min(n, (b + 1) << 3); r++)
              if (!(bits & (1 << (r & 7)))) out[at + r] = Number.NaN;
          }
      } else {
        const vector = chunk.getColumnVector(ci);
        const out = values[ci] as (string | null)[];
        for (let r = 0; r < n; r++) out[at + r] = vector.getItem(r) as string | null;
      }
    });
    at += n;
  }
  writeFrame(path, {
    rows,
    columns: layout.map((l, i) => ({ ...l, values: values[i]! })),
  });
  return rows;
}

/** Writes a frame file. */
export function writeFrame(path: string, frame: Frame): void {
  const bodies: Uint8Array[] = frame.columns.map((c) =>
    c.kind === 'f64'
      ? new Uint8Array(
          (c.values as Float64Array).buffer,
          (c.values as Float64Array).byteOffset,
          frame.rows * 8,
        )
      : Buffer.from(JSON.stringify(c.values), 'utf8'),
  );
  const meta = (offsets: number[]) =>
    Buffer.from(
      JSON.stringify({
        rows: frame.rows,
        columns: frame.columns.map((c, i) => ({
          name: c.name,
          type: c.type,
          kind: c.kind,
          offset: offsets[i],
          length: bodies[i]!.byteLength,
        })),
      }),
      'utf8',
    );
  const pad = (n: number) => (8 - (n % 8)) % 8;
  // Offsets depend on the header's own length: lay out with a generous header first, then fix up.
  let headerLen = meta(bodies.map(() => 2 ** 40)).byteLength;
  let start = 8 + headerLen + pad(8 + headerLen);
  const offsets: number[] = [];
  for (const b of bodies) {
    offsets.push(start);
    start += b.byteLength + pad(b.byteLength);
  }
  const header = meta(offsets);
  headerLen = header.byteLength;
  const fd = openSync(path, 'w');
  try {
    const head = Buffer.alloc(8);
    head.write('TVXF', 0, 'latin1');
    head.writeUInt32LE(headerLen, 4);
    writeSync(fd, head);
    writeSync(fd, header);
    let pos = 8 + headerLen;
    for (let i = 0; i < bodies.length; i++) {
      const gap = offsets[i]! - pos;
      if (gap > 0) writeSync(fd, Buffer.alloc(gap));
      writeSync(fd, bodies[i]!);
      pos = offsets[i]! + bodies[i]!.byteLength;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a frame file (float64 columns are views on the file's bytes). */
export function readFrame(path: string): Frame {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'TVXF') throw new Error(`${path} is not a frame file`);
  const headerLen = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + headerLen)) as {
    rows: number;
    columns: { name: string; type: string; kind: 'f64' | 'json'; offset: number; length: number }[];
  };
  const columns = header.columns.map((c): FrameColumn => {
    if (c.kind === 'f64') {
      const copy = new Uint8Array(c.length);
      copy.set(buf.subarray(c.offset, c.offset + c.length));
      return {
        name: c.name,
        type: c.type,
        kind: 'f64',
        values: new Float64Array(copy.buffer, 0, header.rows),
      };
    }
    return {
      name: c.name,
      type: c.type,
      kind: 'json',
      values: JSON.parse(buf.toString('utf8', c.offset, c.offset + c.length)) as (string | null)[],
    };
  });
  return { rows: header.rows, columns };
}

/**
 * Loads a frame into a new TEMP table on `conn` (`f64` → DOUBLE, `json` → VARCHAR), in DuckDB data chunks
 * through an appender: a 100k-row float frame takes a few milliseconds.
 */
export async function loadFrame(conn: DuckDBConnection, table: string, frame: Frame): Promise<void> {
  const cols = frame.columns
    .map((c) => `${quoteIdent(c.name)} ${c.kind === 'f64' ? 'DOUBLE' : 'VARCHAR'}`)
    .join(', ');
  await conn.run(`CREATE TEMP TABLE ${quoteIdent(table)} (${cols})`);
  if (frame.rows === 0) return;
  const appender = await conn.createAppender(table, 'main', 'temp');
  const types = frame.columns.map((c) =>
    c.kind === 'f64' ? DuckDBDoubleType.instance : DuckDBVarCharType.instance,
  );
  const size = 2048;
  try {
    for (let start = 0; start < frame.rows; start += size) {
      const n = Math.min(size, frame.rows - start);
      const chunk = DuckDBDataChunk.create(types, n);
      frame.columns.forEach((c, ci) => {
        if (c.kind === 'f64') {
          const vector = chunk.getColumnVector(ci) as DuckDBDoubleVector;
          const items = (vector as unknown as { items: Float64Array }).items;
          items.set((c.values as Float64Array).subarray(start, start + n));
          vector.flush();
        } else {
          chunk.setColumnValues(ci, (c.values as (string | null)[]).slice(start, start + n));
        }
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
