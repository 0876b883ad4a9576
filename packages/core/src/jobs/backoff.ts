import type { JobState, PipelineState, ProgressEvent } from './job-state.ts';

/** Delays for polling: starts short so local jobs feel instant, grows to `max` for long cloud jobs. */
export function* backoff(initialMs: number, maxMs: number, factor = 1.5): Generator<number> {
  let d = initialMs;
  for (;;) {
    yield d;
    d = Math.min(maxMs, d * factor);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What {@link pollStates} polls. */
export interface StatePoll<S extends string> {
  resourceName: () => string;
  /** Fetches the resource again. */
  refresh: () => Promise<unknown>;
  state: () => S;
  isDone: (state: S) => boolean;
  /** Receives a `state` event per change, the first state included. */
  emit: (event: Extract<ProgressEvent, { type: 'state' }>) => void;
  /** Short delays for the emulator, long ones for the cloud. */
  emulator: boolean;
  /** Runs after every refresh (logs to follow, trials to report …). */
  afterRefresh?: () => Promise<void> | void;
  signal?: AbortSignal;
  /** Cloud polling delays in ms (default 2 s growing to 30 s). */
  cloudDelays?: [initial: number, max: number];
}

/**
 * The poll loop every job handle shares: refresh, report a state change, stop when done, else sleep with
 * backoff (0.2 → 2 s on the emulator).
 */
export async function pollStates<S extends string>(p: StatePoll<S>): Promise<void> {
  const [initial, max] = p.emulator ? [200, 2000] : (p.cloudDelays ?? [2000, 30_000]);
  const delays = backoff(initial, max);
  let previous: S | undefined;
  for (;;) {
    await p.refresh();
    await p.afterRefresh?.();
    const state = p.state();
    if (state !== previous) {
      p.emit({
        type: 'state',
        resourceName: p.resourceName(),
        state: state as JobState | PipelineState,
        previous: previous as JobState | PipelineState | undefined,
        at: new Date(),
      });
      previous = state;
    }
    if (p.isDone(state)) return;
    await sleep(delays.next().value as number, p.signal);
  }
}
