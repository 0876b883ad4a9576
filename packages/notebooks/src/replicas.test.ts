import type { LogLine } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { digestsAgree, replicaDigests, replicaTimeline } from './replicas.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const line = (task: string, text: string, second: number): LogLine => ({
  task,
  text,
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
  severity: 'INFO',
  insertId: `${task}-${second}`,
});

describe('replica logs', () => {
  const lines = [
    line('service', 'Job is running.', 0),
    line('workerpool1-1', `PARAMS_SHA256 ${A}`, 9),
    line('workerpool0-0', '[trainer] start', 2),
    line('workerpool0-0', `PARAMS_SHA256 ${A}`, 8),
    line('workerpool1-0', '[trainer] start', 3),
    line('workerpool1-0', `PARAMS_SHA256 ${A}`, 10),
  ];

  it('collects PARAMS_SHA256 digests per replica, in replica order, and checks they agree', () => {
    const digests = replicaDigests(lines);
    expect(digests.map((d) => d.replica)).toEqual(['workerpool0-0', 'workerpool1-0', 'workerpool1-1']);
    expect(digestsAgree(digests, 3)).toBe(true);
    expect(digestsAgree(digests, 4)).toBe(false);
    expect(digestsAgree(replicaDigests([...lines, line('workerpool1-1', `PARAMS_SHA256 ${B}`, 11)]), 3)).toBe(
      false,
    );
  });

  it('spans each replica from its first to its last line, leaving out Vertex service lines', () => {
    const bars = replicaTimeline(lines);
    expect(bars.map((b) => b.label)).toEqual(['workerpool0-0', 'workerpool1-0', 'workerpool1-1']);
    expect((bars[0]!.end - bars[0]!.start) / 1000).toBe(6);
    expect(bars[2]!.start).toBe(bars[2]!.end);
  });
});
