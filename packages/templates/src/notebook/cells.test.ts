import { describe, expect, it } from 'vitest';
import { parseCells } from './cells.ts';
import { NotebookTemplateError } from './errors.ts';
import { toIpynb } from './ipynb.ts';

describe('parseCells', () => {
  it('splits on markers, reads attributes and trims blank lines around each cell', () => {
    const cells = parseCells('\n%% markdown id=intro\n# Title\n\n%% code tags=a,b\n\nconst x = 1;\nx\n\n');
    expect(cells).toEqual([
      { type: 'markdown', id: 'intro', source: '# Title' },
      { type: 'code', tags: ['a', 'b'], source: 'const x = 1;\nx' },
    ]);
  });

  it('names the file and line of what is wrong', () => {
    expect(() => parseCells('text\n%% code\nx', 'a.nb.hbs')).toThrow(
      /a\.nb\.hbs:1: text before the first cell marker/,
    );
    expect(() => parseCells('%% code colour=red\nx', 'a.nb.hbs')).toThrow(NotebookTemplateError);
    expect(() => parseCells('%% code colour=red\nx', 'a.nb.hbs')).toThrow(
      /a\.nb\.hbs:1: unknown cell attribute/,
    );
    expect(() => parseCells('%% markdown\n# x\n%% code\n\n', 'a.nb.hbs')).toThrow(
      /a\.nb\.hbs:3: empty code cell/,
    );
    expect(() => parseCells('%% code id=a\nx\n%% code id=a\ny')).toThrow(/duplicate cell id a/);
  });
});

describe('toIpynb', () => {
  it('writes nbformat 4.5 for tslab the way Jupyter saves notebooks', () => {
    const text = toIpynb(parseCells('%% markdown\n# T\n%% code\nconst a = 1;\na'), {
      terra_vertex: { template: 't' },
    });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n "cells": [\n');
    const nb = JSON.parse(text);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec).toEqual({
      display_name: 'TypeScript',
      language: 'typescript',
      name: 'tslab',
    });
    expect(nb.metadata.language_info.name).toBe('typescript');
    expect(nb.metadata.terra_vertex).toEqual({ template: 't' });
    expect(nb.cells[0]).toEqual({ cell_type: 'markdown', id: 'markdown-01', metadata: {}, source: ['# T'] });
    expect(nb.cells[1]).toEqual({
      cell_type: 'code',
      execution_count: null,
      id: 'code-01',
      metadata: {},
      outputs: [],
      source: ['const a = 1;\n', 'a'],
    });
    expect(Object.keys(nb)).toEqual(['cells', 'metadata', 'nbformat', 'nbformat_minor']);
  });
});
