/**
 * The cleanup cell is the safety net: notebook 04 runs headless against an emulator this test started, with its
 * own teardown cell (which undeploys and deletes its endpoint) taken out. What it leaves billing must be found
 * and removed by the cleanup cell alone, and the emulator, checked from here afterwards, must hold nothing that
 * costs money.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeClients, Endpoint, findBillableResources, init, resetConfig } from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailure, type NotebookRun, runNotebooks } from '../src/runner.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE = `${root}packages/notebooks/notebooks/04-deploy-and-predict.ipynb`;
const DIR = `${root}packages/notebooks/test-results/leftovers`;

type Cell = {
  id: string;
  cell_type: string;
  source: string | string[];
  outputs?: { text?: string[]; data?: Record<string, string | string[]> }[];
};

function shown(cells: Cell[], id: string): string {
  return (cells.find((c) => c.id === id)?.outputs ?? [])
    .map((o) => [o.text ?? [], o.data?.['text/html'] ?? []].flat().join(''))
    .join('\n');
}

describe('the cleanup cell removes what a notebook left behind', () => {
  let emu: RunningEmulator;
  let run: NotebookRun;
  let cells: Cell[];

  beforeAll(async () => {
    emu = await startEmulator();
    const notebook = JSON.parse(readFileSync(SOURCE, 'utf8')) as { cells: Cell[] };
    const before = notebook.cells.length;
    notebook.cells = notebook.cells.filter((c) => c.id !== 'teardown' && c.id !== 'teardown-intro');
    expect(notebook.cells).toHaveLength(before - 2);
    mkdirSync(DIR, { recursive: true });
    const copy = `${DIR}/04-without-teardown.ipynb`;
    writeFileSync(copy, JSON.stringify(notebook));
    const runs = await runNotebooks({
      notebooks: [copy],
      outDir: `${DIR}/executed`,
      jupyterDir: `${root}node_modules/.cache/terra-vertex/jupyter`,
      env: { VERTEX_AI_EMULATOR_HOST: emu.vertexAddress, STORAGE_EMULATOR_HOST: emu.httpAddress },
    });
    run = runs[0]!;
    cells = JSON.parse(readFileSync(run.executed, 'utf8')).cells;
    resetConfig();
    init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  }, 600_000);

  afterAll(async () => {
    await closeClients();
    resetConfig();
    await emu?.stop();
  });

  it('runs to the end on the running emulator (it starts none of its own)', () => {
    expect(run.ok, formatFailure(run)).toBe(true);
    expect(shown(cells, 'setup')).toContain(emu.httpAddress.replace(/^https?:\/\//, ''));
  });

  it('lists the deployed endpoint with its cost per day, then undeploys and deletes it', () => {
    const out = shown(cells, 'cleanup');
    expect(out).toMatch(/What keeps costing money in [^:]+: \$\d[\d.,]* per day/);
    expect(out).toMatch(/endpoint/i);
    expect(out).toMatch(/undeployed projects\/[^ ]+\/endpoints\/\d+/);
    expect(out).toMatch(/deleted endpoint projects\/[^ ]+\/endpoints\/\d+/);
    expect(out).toMatch(/still billing from this run: \$0\.00 per day/);
  });

  it('leaves nothing billing on the emulator', async () => {
    const found = await findBillableResources();
    expect(found.endpoints.filter((e) => e.deployedModels.length)).toEqual([]);
    expect(found.runningJobs).toEqual([]);
    expect(found.totalPerDayUsd).toBe(0);
    expect(await Endpoint.list()).toEqual([]);
  });
});
