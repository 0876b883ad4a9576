/**
 * Image attributions drawn as Vertex AI's visualization settings describe them, to PNG: pixels or outlines,
 * polarity, colour map, clipping and overlay (see {@link VisualizationOptions}).
 */
import { encodePng } from '@terra-vertex/core';
import type { ImageAttributionMap, ImageAttributionResult } from './attributions.ts';
import { colourOf } from './colormaps.ts';
import { decodePng, type RgbaImage } from './png.ts';
import { highlight, resolveVisualization, type VisualizationOptions } from './visualization.ts';

/** An image to draw over: PNG bytes, or RGBA pixels with their size. */
export type ImageSource = Uint8Array | RgbaImage;

/** A per-pixel map (a result, one of its outputs' maps, or any values with a size). */
export type AttributionSource =
  | ImageAttributionResult
  | Pick<ImageAttributionMap, 'width' | 'height' | 'values'>;

function toRgba(image: ImageSource): RgbaImage {
  return image instanceof Uint8Array ? decodePng(image) : image;
}

/** `values` (width × height) resampled bilinearly to `w × h`. */
export function resizeMap(
  values: Float32Array,
  width: number,
  height: number,
  w: number,
  h: number,
): Float32Array {
  if (width === w && height === h) return values;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / h - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / w - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const at = (xx: number, yy: number) => values[yy * width + xx]!;
      const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * (sx - x0);
      const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * (sx - x0);
      out[y * w + x] = top + (bottom - top) * (sy - y0);
    }
  }
  return out;
}

/**
 * The overlay as RGBA pixels, at the image's size (the attribution map is resampled to it), or at the map's
 * size when there is no image (then `original`, `grayscale` and `mask_black` draw over black).
 */
export function overlayRgba(
  image: ImageSource | undefined,
  attribution: AttributionSource,
  visualization: VisualizationOptions = {},
): RgbaImage {
  const map = 'map' in attribution ? attribution.map : attribution;
  if (map.values.length === 0 || map.width * map.height !== map.values.length)
    throw new RangeError(
      'imageOverlayPng: the attribution has no per-pixel values (a server that sends only b64_jpeg); show its visualization bytes instead',
    );
  const base = image ? toRgba(image) : undefined;
  const width = base?.width ?? map.width;
  const height = base?.height ?? map.height;
  const v = resolveVisualization(visualization);
  const values = resizeMap(map.values, map.width, map.height, width, height);
  const t = highlight(values, width, height, v);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const o = i * 4;
    let r = base?.rgba[o] ?? 0;
    let g = base?.rgba[o + 1] ?? 0;
    let b = base?.rgba[o + 2] ?? 0;
    if (v.overlayType === 'mask_black') {
      rgba.set([Math.round(r * t[i]!), Math.round(g * t[i]!), Math.round(b * t[i]!), 255], o);
      continue;
    }
    if (v.overlayType === 'grayscale') r = g = b = 0.299 * r + 0.587 * g + 0.114 * b;
    else if (v.overlayType !== 'original') r = g = b = 0;
    const { rgb, alpha } = colourOf(t[i]!, values[i]! >= 0, v.colorMap);
    rgba.set(
      [
        Math.round(r * (1 - alpha) + rgb[0] * alpha),
        Math.round(g * (1 - alpha) + rgb[1] * alpha),
        Math.round(b * (1 - alpha) + rgb[2] * alpha),
        255,
      ],
      o,
    );
  }
  return { width, height, rgba };
}

/**
 * Renders image attributions over the image as a PNG (Vertex's visualization settings; defaults as Vertex:
 * outlines in pink/green for integrated gradients, pixels in viridis with `method: 'xrai'`, clipping at the
 * 62nd and 99.9th percentiles, no overlay).
 *
 * @param image the explained image (PNG bytes or RGBA), or undefined to draw on black at the map's size.
 * @example
 * showPng(imageOverlayPng(png, result, { type: 'pixels', overlayType: 'grayscale' }));
 */
export function imageOverlayPng(
  image: ImageSource | undefined,
  attribution: AttributionSource,
  visualization: VisualizationOptions = {},
): Uint8Array {
  const { width, height, rgba } = overlayRgba(image, attribution, visualization);
  return encodePng(width, height, rgba);
}

/**
 * An image given as numbers — H×W grey or C×H×W (1 or 3 channels), in [0, 1] like the tensors PyTorch
 * models take — as RGBA, to draw attributions over.
 */
export function imageFromTensor(
  tensor: readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[],
): RgbaImage {
  const planes = (
    Array.isArray(tensor[0]?.[0]) ? tensor : [tensor]
  ) as readonly (readonly (readonly number[])[])[];
  const height = planes[0]?.length ?? 0;
  const width = planes[0]?.[0]?.length ?? 0;
  const rgba = new Uint8Array(width * height * 4);
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const c = (k: number) => byte(planes[Math.min(k, planes.length - 1)]![y]![x]!);
      rgba.set([c(0), c(1), c(2), 255], (y * width + x) * 4);
    }
  return { width, height, rgba };
}
