/**
 * BigQuery ML benchmark (issue 8): the local BigQuery's `CREATE MODEL` (LOGISTIC_REG) on 100,000 × 20 rows
 * against scikit-learn alone on the same rows — StandardScaler + LogisticRegression(lbfgs), the solver and
 * settings the engine uses — side by side in one run and reported as a ratio; then `ML.PREDICT` over 100,000
 * rows against `predict_proba` alone. The local BigQuery is driven through BqmlService on a Warehouse (what the
 * query path calls), its engine process warm; the first (cold) CREATE MODEL is reported separately.
 * Usage: node tools/bench/bqml-bench.ts [--quick] [--rows 100000] [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { BqmlService } from '../../packages/emulator/src/bigquery/bqml/bqml-service.ts';
import { describeQuery, writeQueryFrame } from '../../packages/emulator/src/bigquery/bqml/frames.ts';
import { Warehouse } from '../../packages/emulator/src/bigquery/warehouse.ts';
import { startEmulator } from '../../packages/emulator/src/index.ts';
import { ms, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('--rows', quick ? 20_000 : 100_000);
const RUNS = arg('--runs', quick ? 2 : 5);
const FEATURES = 20;
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';

/** scikit-learn alone: same rows (read from the same frame file, not timed), same preprocessing and solver. */
const SKLEARN = `
import json, sys, time, numpy as np
sys.path.insert(0, sys.argv[3])
from tvx_bqml.frames import read_frame
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
f = read_frame(sys.argv[1]); runs = int(sys.argv[2])
X = np.column_stack([f.get('x%d' % i) for i in range(${FEATURES})]); y = f.get('label').astype(int)
fit, pred = [], []
for _ in range(runs):
    t = time.perf_counter()
    sc = StandardScaler().fit(X); Z = sc.transform(X)
    clf = LogisticRegression(penalty=None, solver='lbfgs', max_iter=100).fit(Z, y)
    fit.append(time.perf_counter() - t)
    t = time.perf_counter()
    clf.predict_proba(sc.transform(X))
    pred.append(time.perf_counter() - t)
print(json.dumps({'fit': fit, 'predict': pred}))
`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bqml-bench-'));
  const wh = await Warehouse.open(dir);
  const conn = await wh.connect();
  const bq = new BqmlService({ warehouse: wh, python: PY, dataDir: dir });
  try {
    await conn.run('CREATE SCHEMA "bench.ds"');
    const xs = Array.from(
      { length: FEATURES },
      (_, i) => `(hash(i, ${i}) % 1000000) / 1000000.0 - 0.5 AS x${i}`,
    );
    const z = Array.from({ length: FEATURES }, (_, i) => `${((i % 7) - 3) / 2} * x${i}`).join(' + ');
    await conn.run(
      `CREATE TABLE "bench.ds".t AS SELECT *, CAST(${z} + ((hash(i, 99) % 1000) / 1000.0 - 0.5) > 0 AS BIGINT) AS label FROM (SELECT i, ${xs.join(', ')} FROM range(${ROWS}) r(i))`,
    );
    await conn.run('ALTER TABLE "bench.ds".t DROP COLUMN i');
    const query = 'SELECT * FROM "bench.ds".t';
    const framePath = join(dir, 'sk.frame');
    await writeQueryFrame(conn, query, await describeQuery(conn, query), framePath);
    const pyDir = new URL('../../packages/emulator/python', import.meta.url).pathname;
    const sk = JSON.parse(
      execFileSync(PY, ['-c', SKLEARN, framePath, String(RUNS), pyDir], { encoding: 'utf8' }),
    ) as {
      fit: number[];
      predict: number[];
    };

    const create = async (split: string) => {
      const t0 = performance.now();
      await bq.createModel(conn, {
        model: { projectId: 'bench', datasetId: 'ds', modelId: 'm' },
        mode: 'CREATE_OR_REPLACE',
        options: { model_type: 'LOGISTIC_REG', input_label_cols: ['label'], data_split_method: split },
        query,
      });
      return performance.now() - t0;
    };
    const cold = await create('NO_SPLIT');
    const noSplit: number[] = [];
    const auto: number[] = [];
    for (let r = 0; r < RUNS; r++) noSplit.push(await create('NO_SPLIT'));
    for (let r = 0; r < RUNS; r++) auto.push(await create('AUTO_SPLIT'));
    await create('NO_SPLIT');
    const predict: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const table = await bq.runFunction(conn, {
        name: 'PREDICT',
        model: { projectId: 'bench', datasetId: 'ds', modelId: 'm' },
        input: { sql: query },
        settings: {},
      });
      // As a query does: the rows land in a table.
      await conn.run(`CREATE OR REPLACE TEMP TABLE predicted AS SELECT * FROM "${table}"`);
      predict.push(performance.now() - t0);
      await conn.run(`DROP VIEW "${table}"`);
    }
    const med = (v: number[]) => summarize(v).median;
    const skFit = med(sk.fit) * 1000;
    const skPred = med(sk.predict) * 1000;
    console.log(
      `\n### BigQuery ML: LOGISTIC_REG on ${ROWS.toLocaleString('en')} × ${FEATURES} rows (median of ${RUNS})\n`,
    );
    console.log('| path | time | ratio to scikit-learn alone |');
    console.log('|---|---|---|');
    console.log(
      `| scikit-learn alone: StandardScaler + LogisticRegression(lbfgs) fit | ${ms(skFit)} | 1.00 |`,
    );
    console.log(
      `| CREATE MODEL, DATA_SPLIT_METHOD='NO_SPLIT' (same rows) | ${ms(med(noSplit))} | ${(med(noSplit) / skFit).toFixed(2)} |`,
    );
    console.log(
      `| CREATE MODEL, default AUTO_SPLIT (90% train + eval metrics) | ${ms(med(auto))} | ${(med(auto) / skFit).toFixed(2)} |`,
    );
    console.log(
      `| CREATE MODEL, first call (engine process cold) | ${ms(cold)} | ${(cold / skFit).toFixed(2)} |`,
    );
    console.log(
      `| scikit-learn alone: predict_proba over ${ROWS.toLocaleString('en')} rows | ${ms(skPred)} | 1.00 |`,
    );
    console.log(
      `| ML.PREDICT over ${ROWS.toLocaleString('en')} rows into a table with every input column | ${ms(med(predict))} | ${(med(predict) / skPred).toFixed(2)} |`,
    );
    await bq.close();
    conn.closeSync();
    wh.close();
    await endToEnd(dir, skFit);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same statements end to end: the emulator opens the same warehouse (so the same rows), and the official
 * BigQuery client sends them as query jobs over REST (SQL translation and job bookkeeping included).
 */
async function endToEnd(dir: string, skFit: number): Promise<void> {
  const emu = await startEmulator({ dataDir: dir });
  const bigquery = new BigQuery({
    apiEndpoint: emu.httpAddress,
    projectId: 'bench',
    authClient: new PassThroughClient() as never,
  });
  const run = async (query: string) => {
    const t0 = performance.now();
    const [job] = await bigquery.createQueryJob({ query });
    await job.getQueryResults();
    return performance.now() - t0;
  };
  try {
    const create =
      "CREATE OR REPLACE MODEL ds.m2 OPTIONS(model_type = 'LOGISTIC_REG', input_label_cols = ['label'], data_split_method = 'NO_SPLIT') AS SELECT * FROM ds.t";
    const cold = await run(create);
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) times.push(await run(create));
    const predict: number[] = [];
    for (let r = 0; r < RUNS; r++)
      predict.push(
        await run('CREATE OR REPLACE TABLE ds.p AS SELECT * FROM ML.PREDICT(MODEL ds.m2, TABLE ds.t)'),
      );
    const med = (v: number[]) => summarize(v).median;
    console.log(
      `\n### The same through the official BigQuery client and the emulator's REST API (median of ${RUNS})\n`,
    );
    console.log('| path | time | ratio to scikit-learn alone |');
    console.log('|---|---|---|');
    console.log(
      `| createQueryJob(CREATE MODEL …, NO_SPLIT) → getQueryResults | ${ms(med(times))} | ${(med(times) / skFit).toFixed(2)} |`,
    );
    console.log(
      `| the same, first call (engine process cold) | ${ms(cold)} | ${(cold / skFit).toFixed(2)} |`,
    );
    console.log(
      `| CREATE TABLE … AS SELECT * FROM ML.PREDICT(MODEL …, TABLE …), ${ROWS.toLocaleString('en')} rows | ${ms(med(predict))} | – |`,
    );
  } finally {
    await emu.stop();
  }
}

await main();
