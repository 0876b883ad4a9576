import { costEstimateText, type ProgressEvent, shortState } from '@terra-vertex/core';
import ora, { type Ora } from 'ora';

/**
 * Shows a job's progress: a spinner with its state on a terminal, plain lines otherwise; log lines are
 * printed above the spinner as they arrive, and so is the cost estimate a run or deployment emits before it is
 * sent. With `--json`, events go to stderr as NDJSON.
 */
export function progressDisplay(opts: { json?: boolean; logs?: boolean }): {
  listener: (e: ProgressEvent) => void;
  stop: () => void;
} {
  if (opts.json) {
    return { listener: (e) => process.stderr.write(`${JSON.stringify(e)}\n`), stop: () => {} };
  }
  const tty = process.stderr.isTTY === true;
  const spinner: Ora | undefined = tty ? ora({ stream: process.stderr }).start('Submitting…') : undefined;
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const say = (line: string) => {
    if (spinner) spinner.clear();
    process.stderr.write(`${line}\n`);
    spinner?.render();
  };
  return {
    listener: (e) => {
      if (e.type === 'created') say(`Created ${e.resourceName}`);
      else if (e.type === 'state') {
        const text = `${shortState(e.state)} (${elapsed()})`;
        if (spinner) spinner.text = text;
        else say(`state: ${text}`);
      } else if (e.type === 'log' && opts.logs !== false) say(`[${e.task}] ${e.line}`);
      else if (e.type === 'notice') say(`note: ${e.message}`);
      else if (e.type === 'cost') say(costEstimateText(e.estimate));
    },
    stop: () => spinner?.stop(),
  };
}
