/**
 * Browser script of the charts: every `<div class="chart" data-chart="{…}">` becomes a uPlot chart. The spec
 * is `{ x, y, kind: 'line'|'step'|'points', series: [{ label, points: [[x, y], …] }], xNames? }` (see
 * chart-spec.ts); with `data-src` the chart refetches its spec every 2 s (live TensorBoard scalars).
 */
export const CHARTS_JS = `'use strict';
(() => {
  const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#1b7c83', '#bf3989', '#4d2d00'];
  // uPlot wants one ascending x array shared by all series: take the union, null where a series has no point.
  const align = (spec) => {
    const xs = new Set();
    const maps = spec.series.map((s) => {
      const m = new Map();
      const seen = new Map();
      for (const [x0, y] of s.points) {
        const n = seen.get(x0) || 0;
        seen.set(x0, n + 1);
        const x = n ? x0 + n * 1e-9 * (Math.abs(x0) || 1) : x0; // repeated x (points): keep every point
        m.set(x, y);
        xs.add(x);
      }
      return m;
    });
    const x = [...xs].sort((a, b) => a - b);
    return [x, ...maps.map((m) => x.map((v) => (m.has(v) ? m.get(v) : null)))];
  };
  const options = (spec, width) => {
    const n = spec.series.reduce((a, s) => Math.max(a, s.points.length), 0);
    const x = { label: spec.x };
    if (spec.xNames) {
      x.values = (u, splits) => splits.map((v) => (Number.isInteger(v) ? spec.xNames[v] ?? '' : ''));
      x.splits = () => spec.xNames.map((_, i) => i);
    }
    return {
      width,
      height: 240,
      scales: {
        x: {
          time: false,
          ...(spec.xNames ? { range: [-0.5, spec.xNames.length - 0.5] } : {}),
          ...(spec.xRange ? { range: spec.xRange } : {}),
          ...(spec.xLog ? { distr: 3 } : {}),
        },
        ...(spec.yRange ? { y: { range: spec.yRange } } : {}),
      },
      axes: [x, { label: spec.y }],
      series: [
        { label: spec.x },
        ...spec.series.map((s, i) => {
          const kind = s.kind || spec.kind;
          return {
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: kind === 'points' ? 0 : 1.5,
          spanGaps: true,
          points: { show: kind === 'points' || (kind === 'line' && n < 40), size: kind === 'points' ? 7 : 5, fill: COLORS[i % COLORS.length] },
          ...(kind === 'points' ? { paths: () => null } : {}),
          ...(kind === 'step' ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
          };
        }),
      ],
    };
  };
  for (const el of document.querySelectorAll('.chart[data-chart]')) {
    const spec = JSON.parse(el.dataset.chart);
    const width = Math.max(280, Math.min(460, el.parentElement.clientWidth - 40));
    let plot = new uPlot(options(spec, width), align(spec), el.querySelector('.plot') || el);
    el.dataset.ready = 'true';
    if (!el.dataset.src) continue;
    let last = el.dataset.chart;
    const refresh = async () => {
      try {
        const res = await fetch(el.dataset.src);
        if (res.ok) {
          const text = await res.text();
          if (text !== last) {
            last = text;
            const next = JSON.parse(text);
            if (next.series.length === plot.series.length - 1) plot.setData(align(next));
            else {
              plot.destroy();
              plot = new uPlot(options(next, width), align(next), el.querySelector('.plot') || el);
            }
            el.dataset.points = String(next.series.reduce((a, s) => a + s.points.length, 0));
          }
        }
      } finally {
        setTimeout(refresh, 2000);
      }
    };
    setTimeout(refresh, 2000);
  }
})();
`;
