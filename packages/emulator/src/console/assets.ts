import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { CHARTS_JS } from './client/charts.ts';
import { EXPLAIN_JS } from './client/explain.ts';
import { LIVE_JS } from './client/live.ts';
import { LOGS_JS } from './client/logs.ts';
import { CONSOLE_CSS } from './client/style.ts';

const require = createRequire(import.meta.url);

/** Static files of the console: its stylesheet and scripts, and uPlot from node_modules. */
export function registerAssets(http: FastifyInstance): void {
  const files = new Map<string, [type: string, body: () => string]>([
    ['console.css', ['text/css', () => CONSOLE_CSS]],
    ['logs.js', ['text/javascript', () => LOGS_JS]],
    ['charts.js', ['text/javascript', () => CHARTS_JS]],
    ['explain.js', ['text/javascript', () => EXPLAIN_JS]],
    ['live.js', ['text/javascript', () => LIVE_JS]],
    [
      'uplot.iife.min.js',
      ['text/javascript', once(() => readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'))],
    ],
    [
      'uplot.min.css',
      ['text/css', once(() => readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'))],
    ],
  ]);
  http.get<{ Params: { file: string } }>('/console/assets/:file', async (req, reply) => {
    const file = files.get(req.params.file);
    if (!file) return reply.code(404).type('text/plain').send(`No console asset ${req.params.file}`);
    return reply.type(`${file[0]}; charset=utf-8`).header('cache-control', 'no-cache').send(file[1]());
  });
}

function once(read: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= read());
}
