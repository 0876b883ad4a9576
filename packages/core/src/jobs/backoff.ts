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
