import { html, type SafeHtml } from './html.ts';

/** The console's sections, in navigation order. */
export const SECTIONS = [
  ['jobs', 'Jobs'],
  ['pipelines', 'Pipelines'],
  ['tuning', 'Tuning'],
  ['experiments', 'Experiments'],
  ['tensorboards', 'TensorBoard'],
  ['models', 'Models'],
  ['endpoints', 'Endpoints'],
] as const;

export type Section = (typeof SECTIONS)[number][0] | 'home';

/** Client scripts a page may ask for (served under /console/assets/). */
export type Script = 'logs' | 'charts' | 'explain' | 'live';

/** A complete console page. */
export function page(options: {
  title: string;
  section: Section;
  body: SafeHtml;
  scripts?: Script[];
  /** Breadcrumb links before the title: [label, href]. */
  trail?: [string, string][];
}): string {
  const scripts = options.scripts ?? [];
  const charts = scripts.includes('charts');
  const nav = SECTIONS.map(
    ([id, label]) =>
      html`<a href="/console/${id}"${id === options.section ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  const trail = (options.trail ?? []).map(([label, href]) => html`<a href="${href}">${label}</a> / `);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · terra-vertex console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
${charts ? html`<link rel="stylesheet" href="/console/assets/uplot.min.css"><script src="/console/assets/uplot.iife.min.js" defer></script>` : ''}
${scripts.map((s) => html`<script src="/console/assets/${s}.js" defer></script>`)}
</head>
<body>
<header><a class="brand" href="/console">terra-vertex</a><nav>${nav}</nav></header>
<main>
<p class="trail">${trail}</p>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`.value;
}

/** A coloured state badge; `data-state` lets live scripts update it. */
export function badge(label: string, tone: string): SafeHtml {
  return html`<span class="state ${tone}">${label}</span>`;
}

/** What to show when a list is empty: what it holds and how to fill it. */
export function empty(what: string, how: SafeHtml | string): SafeHtml {
  return html`<div class="empty"><p>No ${what} yet.</p><p>${how}</p></div>`;
}

/** A failed read, shown in place of the section. */
export function problem(message: string): SafeHtml {
  return html`<div class="problem" role="alert">${message}</div>`;
}

/** A two-column table of facts. */
export function facts(rows: [string, SafeHtml | string | number | undefined][]): SafeHtml {
  return html`<dl class="facts">${rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}
