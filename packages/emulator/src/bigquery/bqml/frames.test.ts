import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { BQML_PYTHON_DIR } from './engine.ts';
import { describeQuery, loadFrame, readFrame, writeFrame, writeQueryFrame } from './frames.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'bqml-frames-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('frame files', () => {
  it('carry DuckDB rows to numpy: numbers as float64 (NULL → NaN) back to back, everything else as strings', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const sql = `SELECT i AS n, CASE WHEN i % 3 = 0 THEN NULL ELSE CAST(i AS DOUBLE) * 0.5 END AS x, CAST(i AS DECIMAL(10,2)) AS d,
      CASE WHEN i % 2 = 0 THEN 'a' END AS s, i % 2 = 0 AS b, DATE '2024-01-01' + CAST(i AS INTEGER) AS day FROM range(5000) r(i)`;
    const cols = await describeQuery(conn, sql);
    expect(cols.map((c) => c.type)).toEqual(['INTEGER', 'FLOAT', 'NUMERIC', 'STRING', 'BOOLEAN', 'DATE']);
    const path = join(dir, 'a.frame');
    expect(await writeQueryFrame(conn, sql, cols, path, { h: 'n * 2' }, ['n'])).toBe(5000);
    const script = `
import json, sys, numpy as np
from tvx_bqml.frames import read_frame
f = read_frame(sys.argv[1])
m = f.matrix(['x', 'd'])
print(json.dumps({'order': list(f.columns), 'types': f.types, 'nan': int(np.isnan(f.get('x')).sum()), 'x1': f.get('x')[1],
  'view': not m.flags['OWNDATA'], 'm': m[4].tolist(), 's': f.get('s')[:2].tolist(), 'b': f.get('b')[:2].tolist(),
  'day': f.get('day')[1], 'h': f.get('h')[7], 'n': f.get('n')[4999]}))`;
    const out = JSON.parse(
      execFileSync(PY, ['-c', script, path], {
        env: { ...process.env, PYTHONPATH: BQML_PYTHON_DIR },
        encoding: 'utf8',
      }),
    );
    expect(out).toEqual({
      order: ['x', 'd', 's', 'b', 'day', 'n', 'h'],
      types: { x: 'FLOAT', d: 'NUMERIC', s: 'STRING', b: 'BOOLEAN', day: 'DATE', n: 'INTEGER', h: 'FLOAT' },
      nan: 1667,
      x1: 0.5,
      view: true,
      m: [2, 4],
      s: ['a', null],
      b: ['true', 'false'],
      day: '2024-01-02',
      h: 14,
      n: 4999,
    });
    conn.closeSync();
  });

  it('load into a TEMP table in chunks, and read back what Python writes', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const values = Float64Array.from({ length: 5000 }, (_, i) => i / 4);
    const path = join(dir, 'b.frame');
    writeFrame(path, {
      rows: 5000,
      columns: [
        { name: 'v', type: 'FLOAT', kind: 'f64', values },
        {
          name: 's',
          type: 'STRING',
          kind: 'json',
          values: Array.from({ length: 5000 }, (_, i) => (i % 2 ? `r${i}` : null)),
        },
      ],
    });
    const copy = join(dir, 'c.frame');
    const script = `
import sys, numpy as np
from tvx_bqml.frames import read_frame, write_frame
f = read_frame(sys.argv[1])
write_frame(sys.argv[2], f.rows, [('v2', f.get('v') * 2), ('s', f.get('s'))])`;
    execFileSync(PY, ['-c', script, path, copy], { env: { ...process.env, PYTHONPATH: BQML_PYTHON_DIR } });
    const frame = readFrame(copy);
    await loadFrame(conn, 't', frame);
    const r = await conn.runAndReadAll('SELECT count(*)::INT, sum(v2), count(s)::INT, max(s) FROM t');
    expect(r.getRowsJS()).toEqual([[5000, 2 * values.reduce((a, b) => a + b, 0), 2500, 'r999']]);
    conn.closeSync();
  });
});
