/**
 * What the replicas of a distributed job said: the `PARAMS_SHA256 <hex>` line every rank of a generated
 * PyTorch trainer prints at the end (identical digests mean identical weights), and when each replica ran.
 */
import type { LogLine, TimelineBar } from '@terra-vertex/core';

/** A replica's final parameter digest. */
export interface ReplicaDigest {
  /** e.g. `workerpool0-0` (the chief) or `workerpool1-1`. */
  replica: string;
  digest: string;
}

/** `PARAMS_SHA256` digests by replica, in replica order (the last line of a replica wins). */
export function replicaDigests(lines: readonly LogLine[]): ReplicaDigest[] {
  const byReplica = new Map<string, string>();
  for (const l of lines) {
    const match = /^PARAMS_SHA256 ([0-9a-f]{64})\s*$/.exec(l.text);
    if (match) byReplica.set(l.task, match[1]!);
  }
  return [...byReplica.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([replica, digest]) => ({ replica, digest }));
}

/** Whether there are `expected` digests and all are equal. */
export function digestsAgree(digests: readonly ReplicaDigest[], expected: number): boolean {
  return digests.length === expected && new Set(digests.map((d) => d.digest)).size === 1;
}

/** Replica names as Vertex AI gives them: `workerpool<pool>-<index>` (other tasks, e.g. `service`, are Vertex's own). */
const REPLICA = /^workerpool\d+-\d+$/;

/** One bar per replica, from its first to its last log line (for `timelineSvg`); Vertex's own lines are left out. */
export function replicaTimeline(lines: readonly LogLine[]): TimelineBar[] {
  const spans = new Map<string, { start: number; end: number }>();
  for (const l of lines) {
    const t = Date.parse(l.timestamp);
    if (Number.isNaN(t) || !REPLICA.test(l.task)) continue;
    const span = spans.get(l.task);
    if (!span) spans.set(l.task, { start: t, end: t });
    else {
      span.start = Math.min(span.start, t);
      span.end = Math.max(span.end, t);
    }
  }
  return [...spans.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([label, span]) => ({ label, ...span }));
}
