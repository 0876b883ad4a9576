/**
 * The thin adapter to tslab's display API: rich output when the code runs in a tslab kernel (a Jupyter
 * TypeScript notebook), nothing at all elsewhere (scripts, tests, the CLI). tslab is not a dependency:
 * its kernel exposes its own module through `globalThis.__tslab__`, which is all this file looks at.
 */
import type { ProgressListener } from '../jobs/job-state.ts';
import { type HtmlTableOptions, htmlTable } from './html.ts';
import { ProgressLog, progressHtml, progressLine } from './progress.ts';

/** The part of tslab's `display` object used here (tslab `src/public.ts`). */
export interface TslabDisplay {
  /** Shows HTML. */
  html(html: string): void;
  /** Shows an SVG image. */
  svg(svg: string): void;
  /** Shows a PNG image. */
  png(bytes: Uint8Array): void;
  /** Shows Markdown. */
  markdown(markdown: string): void;
  /** Shows plain text. */
  text(text: string): void;
}

/** The part of the `tslab` module used here. */
export interface TslabModule {
  display: TslabDisplay;
  /** A display that later calls overwrite in place (`update_display_data`). */
  newDisplay(): TslabDisplay;
}

/** tslab's module when running in a tslab kernel, else undefined. */
export function tslabModule(): TslabModule | undefined {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (typeof hook?.require !== 'function') return undefined;
  try {
    const mod = hook.require('tslab') as Partial<TslabModule> | undefined;
    return mod?.display && typeof mod.newDisplay === 'function' ? (mod as TslabModule) : undefined;
  } catch {
    // A kernel without a resolvable tslab module cannot display anything: behave as outside a notebook.
    return undefined;
  }
}

/** Whether rich output goes anywhere (the code runs in a tslab kernel). */
export function inNotebook(): boolean {
  return tslabModule() !== undefined;
}

/** Shows HTML in the notebook; returns false (and does nothing) outside tslab. */
export function showHtml(html: string): boolean {
  const t = tslabModule();
  t?.display.html(html);
  return t !== undefined;
}

/** Shows an SVG image in the notebook; a no-op outside tslab. */
export function showSvg(svg: string): boolean {
  const t = tslabModule();
  t?.display.svg(svg);
  return t !== undefined;
}

/** Shows PNG bytes in the notebook; a no-op outside tslab. */
export function showPng(png: Uint8Array): boolean {
  const t = tslabModule();
  t?.display.png(png);
  return t !== undefined;
}

/** Shows {@link htmlTable} of the rows in the notebook; a no-op outside tslab. */
export function showTable(rows: readonly object[], options: HtmlTableOptions = {}): boolean {
  return showHtml(htmlTable(rows, options));
}

/** A progress listener that also exposes what it collected. */
export type LiveProgress = ProgressListener & {
  /** The events so far. */
  readonly log: ProgressLog;
  /** Renders now (pending throttled updates included). */
  flush(): void;
};

/** Options of {@link showProgress}. */
export interface ShowProgressOptions {
  /** Shown in bold, and in front of every line in `log` mode. */
  title?: string;
  /** Log lines kept in the live display (default 12). */
  maxLines?: number;
  /**
   * `live` (default): one display updated in place (tslab only; nothing outside a notebook).
   * `log`: one `console.log` line per event, anywhere.
   */
  mode?: 'live' | 'log';
  /** Least time between two live updates, in ms (default 250); state changes render at once. */
  intervalMs?: number;
}

/**
 * A progress listener for `run({ onProgress })` / `wait({ onProgress })` that shows the job's state and
 * latest log lines in one notebook output, updated in place, or as appended log lines.
 *
 * @example
 * const progress = showProgress({ title: 'iris script' });
 * await job.run({ onProgress: progress });
 */
export function showProgress(options: ShowProgressOptions = {}): LiveProgress {
  const log = new ProgressLog({ title: options.title, maxLines: options.maxLines });
  const mode = options.mode ?? 'live';
  const interval = options.intervalMs ?? 250;
  let target: TslabDisplay | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (mode !== 'live') return;
    target ??= tslabModule()?.newDisplay();
    target?.html(progressHtml(log.snapshot));
  };
  const listener = ((event) => {
    log.add(event);
    if (mode === 'log') {
      console.log(progressLine(log.title, event));
      return;
    }
    // Lines after the final state render at once, so the display is complete when `wait()` returns.
    if (event.type !== 'log' || log.done) render();
    else if (!timer) {
      timer = setTimeout(render, interval);
      timer.unref?.();
    }
  }) as LiveProgress;
  Object.defineProperty(listener, 'log', { value: log });
  listener.flush = render;
  return listener;
}
