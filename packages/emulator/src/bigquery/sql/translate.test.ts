import { beforeAll, describe, expect, it } from 'vitest';
import { BigQueryError } from '../errors.ts';
import { initTranslator } from './polyglot.ts';
import { translate } from './translate.ts';

beforeAll(() => initTranslator());

const names = { projectId: 'p' };
const sqlOf = (q: string, params: Record<string, number | string> = {}) => {
  const st = translate(q, names, params);
  if (st.kind !== 'sql') throw new Error(`expected SQL, got ${st.kind}`);
  return st;
};

describe('translate (BigQuery → DuckDB)', () => {
  it('qualifies backtick and dotted names as the warehouse schema "project.dataset"', () => {
    expect(sqlOf('SELECT a FROM `p2.d.t` JOIN d.u USING (a)').duckSql).toBe(
      'SELECT a FROM "p2.d"."t" JOIN "p.d"."u" USING (a)',
    );
  });

  it('leaves CTE names alone and resolves one-part names through the default dataset', () => {
    expect(sqlOf('WITH x AS (SELECT 1 a) SELECT * FROM x').duckSql).toBe(
      'WITH x AS (SELECT 1 AS a) SELECT * FROM x',
    );
    const st = translate('SELECT * FROM t', { projectId: 'p', defaultDataset: { datasetId: 'd' } }, {});
    expect(st.kind === 'sql' && st.duckSql).toBe('SELECT * FROM "p.d"."t"');
    expect(() => sqlOf('SELECT * FROM t')).toThrow(/missing dataset while no default dataset/);
  });

  it('translates the forms users write', () => {
    expect(sqlOf('SELECT * EXCEPT (a) FROM d.t').duckSql).toBe('SELECT * EXCLUDE (a) FROM "p.d"."t"');
    expect(sqlOf('SELECT SAFE_CAST(s AS INT64) FROM d.t').duckSql).toBe(
      'SELECT TRY_CAST(s AS BIGINT) AS f0_ FROM "p.d"."t"',
    );
    expect(sqlOf("SELECT REGEXP_CONTAINS(s, r'a.b') FROM d.t").duckSql).toBe(
      `SELECT REGEXP_MATCHES(s, 'a.b') AS f0_ FROM "p.d"."t"`,
    );
    expect(sqlOf('SELECT COUNTIF(x > 1), CAST(x AS NUMERIC) FROM d.t').duckSql).toBe(
      'SELECT COUNT_IF(x > 1) AS f0_, CAST(x AS DECIMAL(38, 9)) AS f1_ FROM "p.d"."t"',
    );
  });

  it('binds @parameters instead of splicing them', () => {
    const st = sqlOf('SELECT a FROM d.t WHERE s = @name AND a > @Lo', { name: "x' OR '1'='1", lo: 1 });
    expect(st.duckSql).toBe('SELECT a FROM "p.d"."t" WHERE s = $name AND a > $lo');
    expect(st.usesParams).toBe(true);
    expect(() => sqlOf('SELECT @missing')).toThrow("Query parameter 'missing' not found");
  });

  it('gives statement types and DDL targets', () => {
    const cases: [string, string][] = [
      ['INSERT INTO d.t (a) VALUES (1)', 'INSERT'],
      ['UPDATE d.t SET a = 2 WHERE TRUE', 'UPDATE'],
      ['DELETE FROM d.t WHERE a = 1', 'DELETE'],
      ['CREATE TABLE d.t2 (x INT64, y STRING)', 'CREATE_TABLE'],
      ['CREATE OR REPLACE TABLE d.t3 AS SELECT 1 AS x', 'CREATE_TABLE_AS_SELECT'],
      ['DROP TABLE IF EXISTS d.t3', 'DROP_TABLE'],
      ['CREATE VIEW d.v AS SELECT 1 AS x', 'CREATE_VIEW'],
      ['SELECT 1 UNION ALL SELECT 2', 'SELECT'],
    ];
    for (const [q, type] of cases) expect(sqlOf(q).statementType, q).toBe(type);
    expect(sqlOf('CREATE TABLE d.t2 (x INT64)').target).toEqual({
      projectId: 'p',
      datasetId: 'd',
      tableId: 't2',
    });
    expect(sqlOf('CREATE SCHEMA IF NOT EXISTS d2').duckSql).toBe('CREATE SCHEMA IF NOT EXISTS "p.d2"');
  });

  it('turns ML functions into views filled first, with their input, settings and thresholds', () => {
    const st = sqlOf(
      'SELECT predicted_y FROM ML.PREDICT(MODEL `d.m`, (SELECT * FROM d.t WHERE a > @lo), STRUCT(0.7 AS threshold))',
      { lo: 2 },
    );
    expect(st.duckSql).toBe('SELECT predicted_y FROM "__tvx_ml_1"');
    expect(st.mlCalls).toEqual([
      {
        alias: '__tvx_ml_1',
        call: {
          name: 'PREDICT',
          model: { projectId: 'p', datasetId: 'd', modelId: 'm' },
          settings: { threshold: 0.7 },
        },
        input: { sql: 'SELECT * FROM "p.d"."t" WHERE a > $lo', usesParams: true },
      },
    ]);
    const roc = sqlOf('SELECT * FROM ML.ROC_CURVE(MODEL d.m, TABLE d.t, GENERATE_ARRAY(0, 1, 0.5))');
    expect(roc.mlCalls[0]?.call.thresholds).toEqual([0, 0.5, 1]);
    expect(roc.mlCalls[0]?.input?.sql).toBe('SELECT * FROM "p.d"."t"');
    expect(sqlOf('SELECT * FROM ML.TRAINING_INFO(MODEL d.m)').mlCalls[0]?.input).toBeUndefined();
  });

  it('parses CREATE MODEL options and DROP MODEL', () => {
    const st = translate(
      "CREATE OR REPLACE MODEL `p.d.m` OPTIONS(model_type='LOGISTIC_REG', input_label_cols=['y'], l2_reg=0.5, hidden_units=[4, 2], enable_global_explain=TRUE) AS SELECT * FROM d.t",
      names,
      {},
    );
    expect(st).toMatchObject({
      kind: 'createModel',
      mode: 'CREATE_OR_REPLACE',
      model: { projectId: 'p', datasetId: 'd', modelId: 'm' },
      options: {
        model_type: 'LOGISTIC_REG',
        input_label_cols: ['y'],
        l2_reg: 0.5,
        hidden_units: [4, 2],
        enable_global_explain: true,
      },
      query: { duckSql: 'SELECT * FROM "p.d"."t"' },
    });
    expect(translate('DROP MODEL IF EXISTS d.m', names, {})).toMatchObject({
      kind: 'dropModel',
      ifExists: true,
    });
  });

  it('fails clearly on what it does not support', () => {
    const msg = (q: string) => {
      try {
        translate(q, names, {});
      } catch (err) {
        expect(err).toBeInstanceOf(BigQueryError);
        return (err as Error).message;
      }
      throw new Error(`no error for ${q}`);
    };
    expect(msg('SELECT 1; SELECT 2')).toMatch(/multi-statement scripts are not supported/);
    expect(msg('CREATE MODEL d.m TRANSFORM(x) OPTIONS(model_type="linear_reg") AS SELECT 1')).toMatch(
      /TRANSFORM/,
    );
    expect(msg("CREATE MODEL d.m OPTIONS(model_type='linear_reg')")).toMatch(/without AS query/);
    expect(msg('SELECT * FROM ML.FORECAST(MODEL d.m)')).toMatch(/ML.FORECAST is not supported/);
    expect(msg('SELECT * FROM d.INFORMATION_SCHEMA.TABLES')).toMatch(/INFORMATION_SCHEMA/);
    expect(msg('SELEC 1')).toMatch(/Syntax error|not support/);
  });
});

describe('output column names', () => {
  it('names anonymous expressions f0_, f1_ … as BigQuery does', () => {
    expect(sqlOf('SELECT a, a + 1, COUNT(*), @x FROM d.t GROUP BY a', { x: 1 }).duckSql).toBe(
      'SELECT a, a + 1 AS f0_, COUNT(*) AS f1_, $x AS f2_ FROM "p.d"."t" GROUP BY a',
    );
    expect(sqlOf('SELECT 1 UNION ALL SELECT 2').duckSql).toBe('SELECT 1 AS f0_ UNION ALL SELECT 2');
  });
});

describe('UNNEST WITH OFFSET', () => {
  it('keeps the offset name and counts it from 0', () => {
    expect(sqlOf('SELECT v, o FROM d.t, UNNEST(t.arr) AS v WITH OFFSET AS o').duckSql).toBe(
      'SELECT v, o FROM "p.d"."t" CROSS JOIN (SELECT UNNEST(t.arr) AS "v", GENERATE_SUBSCRIPTS(t.arr, 1) - 1 AS "o")',
    );
  });
});

describe('date functions', () => {
  it('keeps DATE_ADD a DATE and counts DAYOFWEEK from Sunday = 1', () => {
    expect(
      sqlOf('SELECT DATE_ADD(d, INTERVAL 1 MONTH) AS a, EXTRACT(DAYOFWEEK FROM d) AS b FROM d.t').duckSql,
    ).toBe(
      `SELECT CAST(d + INTERVAL '1' MONTH AS DATE) AS a, (EXTRACT(DAYOFWEEK FROM d) + 1) AS b FROM "p.d"."t"`,
    );
  });
});
