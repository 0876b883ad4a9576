import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../jobs/job-state.ts';
import { elapsedSeconds, ProgressLog, progressHtml, progressLine } from './progress.ts';

const NAME = 'projects/p/locations/us-central1/customJobs/1';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const EVENTS: ProgressEvent[] = [
  { type: 'created', resourceName: NAME, displayName: 'iris' },
  { type: 'state', resourceName: NAME, state: 'JOB_STATE_PENDING', at: at(0) },
  { type: 'state', resourceName: NAME, state: 'JOB_STATE_RUNNING', previous: 'JOB_STATE_PENDING', at: at(2) },
  ...[1, 2, 3].map(
    (i): ProgressEvent => ({
      type: 'log',
      resourceName: NAME,
      task: 'workerpool0-0',
      line: `epoch ${i} <ok>`,
      timestamp: at(2 + i).toISOString(),
      severity: 'INFO',
    }),
  ),
  { type: 'notice', resourceName: NAME, message: 'logs are late' },
  { type: 'state', resourceName: NAME, state: 'JOB_STATE_SUCCEEDED', at: at(7) },
];

describe('ProgressLog', () => {
  it('keeps the state trail, the last lines and notices, and knows when the job is done', () => {
    const log = new ProgressLog({ title: 'iris', maxLines: 2 });
    for (const e of EVENTS.slice(0, -1)) log.add(e);
    expect(log.done).toBe(false);
    log.add(EVENTS.at(-1)!);
    expect(log.done).toBe(true);
    const s = log.snapshot;
    expect(s.resourceName).toBe(NAME);
    expect(s.states.map((x) => x.state)).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_SUCCEEDED',
    ]);
    expect(s.lines.map((l) => l.line)).toEqual(['epoch 2 <ok>', 'epoch 3 <ok>']);
    expect(s.lineCount).toBe(3);
    expect(s.notices).toEqual(['logs are late']);
    expect(elapsedSeconds(s)).toBe(7);
  });

  it('renders HTML with a coloured state badge, the trail and escaped log lines', () => {
    const log = new ProgressLog({ title: 'iris', maxLines: 2 });
    for (const e of EVENTS) log.add(e);
    const html = progressHtml(log.snapshot);
    expect(html).toContain('>SUCCEEDED</span>');
    expect(html).toContain('#2e7d32');
    expect(html).toContain('PENDING → RUNNING → SUCCEEDED');
    expect(html).toContain('[workerpool0-0] epoch 3 &lt;ok&gt;');
    expect(html).toContain('last 2 of 3 log lines');
    expect(html).toContain('7.0 s');
    expect(progressHtml(new ProgressLog().snapshot)).toContain('>PENDING</span>');
  });

  it('renders one text line per event for the appended log', () => {
    expect(EVENTS.map((e) => progressLine('iris', e))).toEqual([
      `[iris] created ${NAME}`,
      '[iris] state → PENDING',
      '[iris] state → RUNNING',
      '[iris] [workerpool0-0] epoch 1 <ok>',
      '[iris] [workerpool0-0] epoch 2 <ok>',
      '[iris] [workerpool0-0] epoch 3 <ok>',
      '[iris] note: logs are late',
      '[iris] state → SUCCEEDED',
    ]);
  });
});
