import { describe, expect, it } from 'vitest';
import { parseHyperparameterEntry, parseHyperparameters } from './parse-hyperparameters.ts';

describe('parseHyperparameters', () => {
  it('parses compact entries', () => {
    expect(parseHyperparameterEntry('lr:double:0.0001:0.1:0.01:log')).toEqual({
      name: 'lr',
      type: 'double',
      min: 0.0001,
      max: 0.1,
      default: 0.01,
      scale: 'log',
    });
    expect(parseHyperparameterEntry('lr:double:0.0001:0.1:log')).toEqual({
      name: 'lr',
      type: 'double',
      min: 0.0001,
      max: 0.1,
      scale: 'log',
    });
    expect(parseHyperparameterEntry('depth:integer:2:8')).toEqual({
      name: 'depth',
      type: 'integer',
      min: 2,
      max: 8,
    });
    expect(parseHyperparameterEntry('opt:categorical:adam|sgd:sgd')).toEqual({
      name: 'opt',
      type: 'categorical',
      values: ['adam', 'sgd'],
      default: 'sgd',
    });
    expect(parseHyperparameterEntry('units:discrete:16|32|64')).toEqual({
      name: 'units',
      type: 'discrete',
      values: [16, 32, 64],
    });
  });

  it('accepts a string of entries, a list, or JSON', () => {
    const json = '[{"name":"a","type":"integer","min":1,"max":3}]';
    expect(parseHyperparameters('a:integer:1:3, b:double:0:1')).toHaveLength(2);
    expect(parseHyperparameters(['a:integer:1:3', 'b:double:0:1,c:double:0:1'])).toHaveLength(3);
    expect(parseHyperparameters(json)).toEqual(JSON.parse(json));
    expect(parseHyperparameters(undefined)).toEqual([]);
  });

  it('explains malformed entries', () => {
    expect(() => parseHyperparameters('lr:double:x:1')).toThrow(/"x" in lr:double:x:1 is not a number/);
    expect(() => parseHyperparameters('lr:double:1')).toThrow(/is malformed\. Use name:type:min:max/);
    expect(() => parseHyperparameters('lr')).toThrow(/has no name:type/);
    expect(() => parseHyperparameters('[{')).toThrow(/invalid JSON/);
  });
});
