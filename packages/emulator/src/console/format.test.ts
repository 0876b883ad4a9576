import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatDuration,
  formatNumber,
  formatTime,
  isTerminal,
  lastSegment,
  projectLocation,
  runDuration,
  stateLabel,
  stateTone,
} from './format.ts';

describe('console formatting', () => {
  it('formats durations at a readable precision', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(2 * 3600_000 + 4 * 60_000 + 7000)).toBe('2 h 4 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(formatDuration(-1)).toBe('—');
  });

  it('measures a run from start to end, or to now while it runs', () => {
    const start = '2024-05-01T12:00:00Z';
    expect(runDuration(start, '2024-05-01T12:01:30.5Z')).toBe('1 min 30 s');
    expect(runDuration(start, undefined, Date.parse('2024-05-01T12:00:09Z'))).toBe('9 s');
    expect(runDuration(undefined, undefined)).toBe('—');
  });

  it('formats times in UTC and how long ago', () => {
    expect(formatTime('2024-05-01T12:00:03.123456Z')).toBe('2024-05-01 12:00:03 UTC');
    expect(formatTime(undefined)).toBe('—');
    const now = Date.parse('2024-05-01T12:10:00Z');
    expect(formatAgo('2024-05-01T12:06:30Z', now)).toBe('3 min ago');
    expect(formatAgo('2024-05-01T12:09:58Z', now)).toBe('2 s ago');
  });

  it('labels and colours states of jobs, pipelines and trials', () => {
    expect(stateLabel('JOB_STATE_SUCCEEDED')).toBe('Succeeded');
    expect(stateLabel('PIPELINE_STATE_PARTIALLY_SUCCEEDED')).toBe('Partially succeeded');
    expect(stateLabel('ACTIVE')).toBe('Active');
    expect(stateLabel(undefined)).toBe('Unknown');
    expect(stateTone('JOB_STATE_SUCCEEDED')).toBe('ok');
    expect(stateTone('PIPELINE_STATE_FAILED')).toBe('bad');
    expect(stateTone('JOB_STATE_RUNNING')).toBe('run');
    expect(stateTone('JOB_STATE_QUEUED')).toBe('wait');
    expect(stateTone('JOB_STATE_CANCELLED')).toBe('off');
    expect(stateTone('INFEASIBLE')).toBe('bad');
    expect(isTerminal('JOB_STATE_FAILED')).toBe(true);
    expect(isTerminal('JOB_STATE_RUNNING')).toBe(false);
  });

  it('formats numbers and names', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber('17')).toBe('17');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber('adam')).toBe('adam');
    expect(formatNumber(undefined)).toBe('—');
    expect(lastSegment('projects/p/locations/l/customJobs/123')).toBe('123');
    expect(projectLocation('projects/p/locations/l/customJobs/123')).toBe('p / l');
  });
});
