/** Attributions in a tslab notebook: image overlays as PNG, tabular attributions as bar charts. */
import { escapeHtml, showHtml, showPng, showSvg } from '@terra-vertex/core';
import type { AttributionResult } from './attributions.ts';
import { type ImageSource, imageOverlayPng } from './overlay.ts';
import { type TabularChartOptions, tabularAttributionsSvg } from './tabular-chart.ts';
import type { VisualizationOptions } from './visualization.ts';

/** Options of {@link showAttributions}. */
export interface ShowAttributionsOptions {
  /** The explained images, one per result (or one for all), to draw image attributions over. */
  images?: ImageSource | (ImageSource | undefined)[];
  visualization?: VisualizationOptions;
  chart?: TabularChartOptions;
}

/**
 * Shows each result in the notebook: a caption (label, output against baseline, approximation error), then
 * the overlay PNG of an image result or the bar chart of a tabular one. Does nothing outside tslab.
 * @returns whether anything was shown (false outside a tslab kernel).
 */
export function showAttributions(
  results: AttributionResult | readonly AttributionResult[],
  options: ShowAttributionsOptions = {},
): boolean {
  const list = Array.isArray(results) ? results : [results as AttributionResult];
  let shown = false;
  list.forEach((result, i) => {
    const images = options.images;
    const image = Array.isArray(images) ? images[i] : images;
    const caption = `instance ${result.instance}${result.label ? ` — ${result.label}` : ''}: output ${result.instanceOutputValue.toPrecision(4)} vs baseline ${result.baselineOutputValue.toPrecision(4)}, approximation error ${result.approximationError.toPrecision(2)}`;
    shown =
      showHtml(`<div style="font-family:sans-serif;font-size:12px">${escapeHtml(caption)}</div>`) || shown;
    if (result.kind === 'image') {
      if (result.map.values.length)
        showPng(imageOverlayPng(image as ImageSource | undefined, result, options.visualization));
    } else showSvg(tabularAttributionsSvg(result, options.chart));
  });
  return shown;
}
