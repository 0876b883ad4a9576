/**
 * The BigQuery ML engine tests' fixture: scikit-learn's bundled tables (breast cancer with a fixed evaluation
 * flag, diabetes, blobs) loaded into a fresh Warehouse, scikit-learn's own metrics on the same rows, split and
 * preprocessing, and a BqmlService with helpers to create models and run ML functions on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { BqmlService } from '../src/bigquery/bqml/bqml-service.ts';
import type { MlFunctionCall, ModelRef, OptionValue } from '../src/bigquery/types.ts';
import { Warehouse } from '../src/bigquery/warehouse.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
export const P = 'proj';
export const D = 'ds';
export const BC_FEATURES = Array.from({ length: 30 }, (_, i) => `f${i}`);
export const ref = (modelId: string): ModelRef => ({ projectId: P, datasetId: D, modelId });
/** `SELECT * FROM` one of the fixture's tables. */
export const T = (t: string) => `SELECT * FROM "${P}.${D}"."${t}"`;

/** Writes the bundled scikit-learn tables as CSV: breast cancer (+ a fixed eval flag), diabetes, blobs. */
const DATA = `
import sys, numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, make_blobs
root = sys.argv[1]
def dump(path, names, X, extra):
    with open(path, 'w') as f:
        f.write(','.join(names + [e[0] for e in extra]) + '\\n')
        for i, row in enumerate(X):
            f.write(','.join([repr(float(v)) for v in row] + [str(e[1][i]) for e in extra]) + '\\n')
bc = load_breast_cancer()
names = ['f%d' % i for i in range(bc.data.shape[1])]
flag = ['true' if i % 5 == 0 else 'false' for i in range(len(bc.target))]
dump(root + '/bc.csv', names, bc.data, [('label', bc.target.tolist()), ('is_eval', flag)])
db = load_diabetes()
dump(root + '/db.csv', ['d%d' % i for i in range(10)], db.data, [('target', db.target.tolist()), ('is_eval', ['true' if i % 4 == 0 else 'false' for i in range(len(db.target))])])
X, _ = make_blobs(n_samples=400, centers=4, n_features=5, random_state=3)
dump(root + '/blobs.csv', ['b%d' % i for i in range(5)], X, [])
`;

/** scikit-learn alone on the same rows, split and preprocessing. */
const SKLEARN = `
import json, sys, numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression, LinearRegression
from sklearn.cluster import KMeans
from sklearn import metrics as m
bc = load_breast_cancer(); X, y = bc.data, bc.target
ev = np.arange(len(y)) % 5 == 0
sc = StandardScaler().fit(X[~ev])
clf = LogisticRegression(C=1 / (2 * 1.0), max_iter=100).fit(sc.transform(X[~ev]), y[~ev])
p = clf.predict_proba(sc.transform(X[ev]))[:, 1]; pred = (p >= 0.5).astype(int)
out = {'logistic': {'precision': m.precision_score(y[ev], pred), 'recall': m.recall_score(y[ev], pred),
  'accuracy': m.accuracy_score(y[ev], pred), 'f1_score': m.f1_score(y[ev], pred),
  'log_loss': m.log_loss(y[ev], p), 'roc_auc': m.roc_auc_score(y[ev], p)}}
db = load_diabetes(); X, y = db.data, db.target
ev = np.arange(len(y)) % 4 == 0
sc = StandardScaler().fit(X[~ev])
reg = LinearRegression().fit(sc.transform(X[~ev]), y[~ev]); q = reg.predict(sc.transform(X[ev]))
out['linear'] = {'mean_absolute_error': m.mean_absolute_error(y[ev], q), 'mean_squared_error': m.mean_squared_error(y[ev], q),
  'mean_squared_log_error': m.mean_squared_log_error(y[ev], q), 'median_absolute_error': m.median_absolute_error(y[ev], q),
  'r2_score': m.r2_score(y[ev], q), 'explained_variance': m.explained_variance_score(y[ev], q)}
B = np.loadtxt(sys.argv[1] + '/blobs.csv', delimiter=',', skiprows=1)
Z = StandardScaler().fit_transform(B)
km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(Z)
out['kmeans'] = {'mean_squared_distance': km.inertia_ / len(Z)}
print(json.dumps(out))
`;

/** The fixture's state, filled in `beforeAll`. */
export interface BqmlFixture {
  dir: string;
  wh: Warehouse;
  conn: DuckDBConnection;
  bq: BqmlService;
  /** scikit-learn's metrics: `logistic`, `linear`, `kmeans`. */
  sk: Record<string, Record<string, number>>;
  create(
    modelId: string,
    options: Record<string, OptionValue>,
    query: string,
    mode?: 'CREATE' | 'CREATE_OR_REPLACE' | 'CREATE_IF_NOT_EXISTS',
  ): ReturnType<BqmlService['createModel']>;
  ml(
    name: MlFunctionCall['name'],
    modelId: string,
    input?: string,
    settings?: Record<string, OptionValue>,
    thresholds?: number[],
  ): Promise<{ columns: string[]; rows: Record<string, unknown>[] }>;
  /** Closes the service and opens a new one on the same folder, as an emulator restart does. */
  restart(): Promise<void>;
}

/** Registers the set-up and tear-down hooks of the calling test file and returns the fixture. */
export function bqmlFixture(): BqmlFixture {
  const f = {
    create: (modelId, options, query, mode = 'CREATE') =>
      f.bq.createModel(f.conn, { model: ref(modelId), mode, options, query }),
    ml: async (name, modelId, input, settings = {}, thresholds) => {
      const table = await f.bq.runFunction(f.conn, {
        name,
        model: ref(modelId),
        input: input ? { sql: input } : undefined,
        settings,
        thresholds,
      });
      const r = await f.conn.runAndReadAll(`SELECT * FROM "${table}"`);
      return { columns: r.columnNames(), rows: r.getRowObjectsJS() as Record<string, unknown>[] };
    },
    restart: async () => {
      await f.bq.close();
      f.bq = new BqmlService({ warehouse: f.wh, python: PY, dataDir: f.dir });
    },
  } as BqmlFixture;

  beforeAll(async () => {
    f.dir = mkdtempSync(join(tmpdir(), 'bqml-e2e-'));
    execFileSync(PY, ['-c', DATA, f.dir]);
    f.sk = JSON.parse(execFileSync(PY, ['-c', SKLEARN, f.dir], { encoding: 'utf8' }));
    f.wh = await Warehouse.open(f.dir);
    f.conn = await f.wh.connect();
    await f.conn.run(`CREATE SCHEMA "${P}.${D}"`);
    for (const t of ['bc', 'db', 'blobs'])
      await f.conn.run(
        `CREATE TABLE "${P}.${D}"."${t}" AS SELECT * FROM read_csv('${f.dir}/${t}.csv', header = true)`,
      );
    await f.conn.run(
      `CREATE TABLE "${P}.${D}".mixed AS SELECT f0, f1, CASE WHEN f2 > 90 THEN 'big' ELSE 'small' END AS size, label FROM "${P}.${D}".bc`,
    );
    f.bq = new BqmlService({ warehouse: f.wh, python: PY, dataDir: f.dir });
  });

  afterAll(async () => {
    await f.bq?.close();
    f.conn?.closeSync();
    f.wh?.close();
    rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}
