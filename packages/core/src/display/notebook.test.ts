import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../jobs/job-state.ts';
import { inNotebook, showHtml, showPng, showProgress, showSvg, showTable, tslabModule } from './notebook.ts';

type Call = { id: string; mime: string; value: unknown };

/** A stand-in for the tslab kernel's hook: records what would be displayed, by display id. */
function fakeTslab(): Call[] {
  const calls: Call[] = [];
  let next = 0;
  const display = (id: string) => ({
    html: (value: string) => calls.push({ id, mime: 'text/html', value }),
    svg: (value: string) => calls.push({ id, mime: 'image/svg+xml', value }),
    png: (value: Uint8Array) => calls.push({ id, mime: 'image/png', value }),
    markdown: (value: string) => calls.push({ id, mime: 'text/markdown', value }),
    text: (value: string) => calls.push({ id, mime: 'text/plain', value }),
  });
  const tslab = { display: display('plain'), newDisplay: () => display(`d${next++}`) };
  (globalThis as Record<string, unknown>).__tslab__ = {
    require: (id: string) => (id === 'tslab' ? tslab : undefined),
  };
  return calls;
}

const NAME = 'projects/p/locations/us-central1/customJobs/1';
const state = (s: string): ProgressEvent => ({
  type: 'state',
  resourceName: NAME,
  state: s as 'JOB_STATE_RUNNING',
  at: new Date(),
});
const line = (text: string): ProgressEvent => ({
  type: 'log',
  resourceName: NAME,
  task: 'workerpool0-0',
  line: text,
  timestamp: new Date().toISOString(),
  severity: 'INFO',
});

afterEach(() => {
  delete (globalThis as Record<string, unknown>).__tslab__;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('tslab adapter', () => {
  it('is a no-op outside a tslab kernel', () => {
    expect(tslabModule()).toBeUndefined();
    expect(inNotebook()).toBe(false);
    expect(showHtml('<b>x</b>')).toBe(false);
    expect(showSvg('<svg/>')).toBe(false);
    expect(showPng(new Uint8Array(1))).toBe(false);
    const progress = showProgress();
    progress(state('JOB_STATE_RUNNING'));
    progress.flush();
    expect(progress.log.snapshot.state).toBe('JOB_STATE_RUNNING');
  });

  it('displays HTML, SVG, PNG and tables through the kernel', () => {
    const calls = fakeTslab();
    expect(inNotebook()).toBe(true);
    showHtml('<b>x</b>');
    showSvg('<svg/>');
    showPng(new Uint8Array([1]));
    showTable([{ a: 1 }]);
    expect(calls.map((c) => c.mime)).toEqual(['text/html', 'image/svg+xml', 'image/png', 'text/html']);
    expect(String(calls[3]!.value)).toMatch(/^<table/);
  });

  it('updates one display in place, throttling log lines but not state changes', () => {
    vi.useFakeTimers();
    const calls = fakeTslab();
    const progress = showProgress({ title: 'iris', intervalMs: 100 });
    progress(state('JOB_STATE_RUNNING'));
    expect(calls).toHaveLength(1);
    progress(line('a'));
    progress(line('b'));
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(calls).toHaveLength(2);
    expect(String(calls[1]!.value)).toContain('[workerpool0-0] b');
    progress(state('JOB_STATE_SUCCEEDED'));
    progress(line('after the end'));
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set(['d0']));
    expect(String(calls[3]!.value)).toContain('after the end');
  });

  it('prints one line per event in log mode, inside or outside a notebook', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const progress = showProgress({ title: 'iris', mode: 'log' });
    progress(state('JOB_STATE_RUNNING'));
    progress(line('hello'));
    expect(spy.mock.calls.map((c) => c[0])).toEqual([
      '[iris] state → RUNNING',
      '[iris] [workerpool0-0] hello',
    ]);
  });
});
