import { describe, expect, it } from 'vitest';
import type { Json } from '../vertex/protos.ts';
import { parseFilter } from './filter.ts';
import { checkFilter, type FilterRelations, matches, type NodeKind } from './filter-eval.ts';

const EXP = 'projects/p/locations/us-central1/metadataStores/default/contexts/exp-1';
const rel: FilterRelations = {
  parents: (n) => (n.endsWith('/exp-1-run-1') ? [EXP] : []),
  children: (n) => (n === EXP ? [`${EXP}-run-1`] : []),
  inContext: (m, c) => c === EXP && m.endsWith('/ok'),
};
const run: Json = {
  name: `${EXP}-run-1`,
  displayName: 'run-1',
  schemaTitle: 'system.ExperimentRun',
  createTime: '2024-05-01T10:00:00.000Z',
  labels: { team: 'a' },
  metadata: { _state: 'RUNNING', lr: 0.1, 'a:b': true },
};

function test(filter: string, resource: Json = run, kind: NodeKind = 'context'): boolean {
  const tree = parseFilter(filter);
  checkFilter(tree, kind);
  return matches(tree, resource, kind, rel);
}

describe('AIP-160 metadata filters', () => {
  it('evaluates the filters the Python SDK sends for experiments', () => {
    expect(test(`schema_title="system.ExperimentRun" AND parent_contexts:"${EXP}"`)).toBe(true);
    expect(test(`schema_title="system.ExperimentRun" AND parent_contexts:"${EXP}-other"`)).toBe(false);
    expect(
      test(
        `(schema_title="system.ExperimentRun" OR schema_title="system.PipelineRun") AND parent_contexts:"${EXP}"`,
      ),
    ).toBe(true);
    const execution = {
      name: 'projects/p/locations/l/metadataStores/default/executions/ok',
      schemaTitle: 'system.Run',
    };
    expect(test(`schema_title="system.Run" AND in_context("${EXP}")`, execution, 'execution')).toBe(true);
    expect(test(`in_context("${EXP}-x")`, execution, 'execution')).toBe(false);
  });

  it('compares times, metadata values, labels and negations', () => {
    expect(test('create_time>"2024-05-01T09:00:00Z"')).toBe(true);
    expect(test('create_time <= 2024-05-01T06:00:00-04:00')).toBe(true);
    expect(test('create_time < 2024-05-01T06:00:00-04:00')).toBe(false);
    expect(test('metadata._state.string_value = "RUNNING"')).toBe(true);
    expect(test('metadata.lr.number_value >= 0.1 AND metadata.lr.number_value < 1')).toBe(true);
    expect(test('metadata."a:b".bool_value = true')).toBe(true);
    expect(test('labels.team = "a" AND labels:team')).toBe(true);
    expect(test('NOT display_name = "run-1"')).toBe(false);
    expect(test('-display_name = "run-2" display_name="run-1"')).toBe(true);
    expect(test(`child_contexts:"${EXP}-run-1"`, { name: EXP })).toBe(true);
  });

  it('names the unsupported field and the position of a syntax error', () => {
    expect(() => test('uri = "gs://x"')).toThrow(
      /field uri is not supported when listing contexts; supported: name/,
    );
    expect(() => test(`in_context("${EXP}")`)).toThrow(
      /in_context\(…\) is not supported when listing contexts/,
    );
    expect(() => test('metadata.lr = 1')).toThrow(/metadata\.<field>\.string_value/);
    expect(() => test('display_name = "x')).toThrow(/character 16: this string is not closed/);
    expect(() => test('display_name "x"')).toThrow(/expected an operator/);
    expect(() => test('((((((display_name="x"))))))')).toThrow(/nested at most 5 deep/);
    expect(() => test('parent_contexts="x"')).toThrow(/use the has operator/);
  });
});
