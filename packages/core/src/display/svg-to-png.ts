/**
 * SVG to PNG with resvg (`@resvg/resvg-js`, prebuilt native binaries, no install script), e.g. to save a
 * chart as an image file or show it where SVG is not rendered. The library loads on first use, so the rest
 * of the package works on platforms without a binary.
 */
import { createRequire } from 'node:module';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { TvxError, ValidationError } from '../errors.ts';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Width of the image in pixels, the height scaled to match (default: the SVG's own width). */
  width?: number;
  /**
   * Font for text in `sans-serif` or an unavailable family (default `DejaVu Sans` on Linux, `Arial`
   * elsewhere). Text needs an installed font: on Debian/Ubuntu, the `fonts-dejavu-core` package.
   */
  fontFamily?: string;
  /** Font files to load in addition to the system fonts (`.ttf`, `.otf`). */
  fontFiles?: string[];
  /** Background colour (CSS) under transparent parts (default: transparent). */
  background?: string;
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined;

function loadResvg(): ResvgModule {
  if (resvg) return resvg;
  try {
    resvg = createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
    return resvg;
  } catch (err) {
    throw new TvxError(
      `svgToPng needs @resvg/resvg-js with its native binary for ${process.platform}-${process.arch}, which did not load: ${
        err instanceof Error ? err.message : String(err)
      }\nReinstall the dependencies (npm install) without --no-optional, or show the SVG itself with showSvg.`,
    );
  }
}

/**
 * Renders an SVG document (e.g. from {@link lineChartSvg} or {@link scatterChartSvg}) to PNG bytes. Show
 * them with {@link showPng} or write them to a `.png` file.
 *
 * @example
 * writeFileSync('trials.png', svgToPng(trialMetricChartSvg(job.trials(), metric), { width: 1120 }));
 * @throws ValidationError when `width` is not a positive integer or the SVG cannot be parsed.
 */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Uint8Array {
  if (typeof svg !== 'string' || !svg.includes('<svg')) {
    throw new ValidationError('svg', 'is not an SVG document', 'Pass the string of an <svg> element.');
  }
  const { width } = options;
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > 16384)) {
    throw new ValidationError(
      'options.width',
      `must be a whole number of pixels from 1 to 16384, got ${width}`,
      'Leave it out to keep the SVG size.',
    );
  }
  const family = options.fontFamily ?? (process.platform === 'linux' ? 'DejaVu Sans' : 'Arial');
  const renderOptions: ResvgRenderOptions = {
    font: {
      loadSystemFonts: true,
      fontFiles: options.fontFiles,
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
    fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
    logLevel: 'off',
  };
  if (options.background) renderOptions.background = options.background;
  const { Resvg } = loadResvg();
  let png: Buffer;
  try {
    png = new Resvg(svg, renderOptions).render().asPng();
  } catch (err) {
    throw new ValidationError(
      'svg',
      `could not be rendered: ${err instanceof Error ? err.message : String(err)}`,
      'Pass a complete, well-formed SVG document with width and height (or a viewBox).',
    );
  }
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
