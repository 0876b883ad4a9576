import { encodePng } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { imageFromTensor, imageOverlayPng, overlayRgba, resizeMap } from './overlay.ts';
import { decodePng } from './png.ts';

/** 4×4 map with one strong pixel at (1, 2) and a weak one at (3, 3); the rest 0. */
const MAP = {
  width: 4,
  height: 4,
  values: Float32Array.from({ length: 16 }, (_, i) => (i === 9 ? 5 : i === 15 ? 1 : 0)),
};
const IMAGE = imageFromTensor(Array.from({ length: 4 }, () => [0.2, 0.4, 0.6, 0.8]));
const at = (img: { width: number; rgba: Uint8Array }, x: number, y: number) =>
  Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
const PIXELS = { type: 'pixels', clipPercentLowerbound: 95, clipPercentUpperbound: 99 } as const;

describe('image overlays', () => {
  it('pixels on black: only the strongest attributions light up, in green', () => {
    const out = overlayRgba(undefined, MAP, PIXELS);
    expect(at(out, 1, 2)).toEqual([0, 255, 0]);
    expect(at(out, 0, 0)).toEqual([0, 0, 0]);
    expect(at(out, 3, 3)).toEqual([0, 0, 0]); // below the 95th percentile (2)
  });

  it('overlay types: original, grayscale and mask_black keep the image where nothing is highlighted', () => {
    expect(at(overlayRgba(IMAGE, MAP, { ...PIXELS, overlayType: 'original' }), 0, 0)).toEqual([51, 51, 51]);
    expect(at(overlayRgba(IMAGE, MAP, { ...PIXELS, overlayType: 'original' }), 1, 2)).toEqual([0, 255, 0]);
    const colour = {
      width: 4,
      height: 4,
      rgba: new Uint8Array(64).fill(255).map((v, i) => (i % 4 === 0 ? 200 : i % 4 === 1 ? 100 : v)),
    };
    expect(at(overlayRgba(colour, MAP, { ...PIXELS, overlayType: 'grayscale' }), 0, 0)).toEqual([
      148, 148, 148,
    ]);
    const masked = overlayRgba(IMAGE, MAP, { ...PIXELS, overlayType: 'mask_black' });
    expect(at(masked, 1, 2)).toEqual([102, 102, 102]);
    expect(at(masked, 0, 0)).toEqual([0, 0, 0]);
  });

  it('negative polarity and both with the red-green map', () => {
    const signed = { width: 2, height: 1, values: Float32Array.from([3, -3]) };
    const both = overlayRgba(undefined, signed, {
      type: 'pixels',
      polarity: 'both',
      colorMap: 'red_green',
      clipPercentLowerbound: 0,
    });
    expect([at(both, 0, 0), at(both, 1, 0)]).toEqual([
      [0, 255, 0],
      [255, 0, 0],
    ]);
    const negative = overlayRgba(undefined, signed, {
      type: 'pixels',
      polarity: 'negative',
      colorMap: 'pink_green',
      clipPercentLowerbound: 0,
    });
    expect([at(negative, 0, 0), at(negative, 1, 0)]).toEqual([
      [0, 0, 0],
      [255, 0, 255],
    ]);
  });

  it('the map is resampled to a larger image given as PNG, and the result is a PNG', () => {
    const big = encodePng(8, 8, new Uint8Array(256).fill(128));
    const png = imageOverlayPng(big, MAP, { ...PIXELS, overlayType: 'original' });
    const out = decodePng(png);
    expect([out.width, out.height]).toEqual([8, 8]);
    expect(at(out, 0, 0)).toEqual([128, 128, 128]);
    expect(at(out, 2, 5)[1]).toBeGreaterThan(200); // near the strong pixel, scaled up
    expect(resizeMap(Float32Array.from([0, 1]), 2, 1, 4, 1)).toEqual(Float32Array.from([0, 0.25, 0.75, 1]));
  });

  it('refuses a result without per-pixel values, saying what to show instead', () => {
    expect(() => imageOverlayPng(undefined, { width: 0, height: 0, values: new Float32Array() })).toThrow(
      /b64_jpeg/,
    );
  });

  it('imageFromTensor reads H×W and C×H×W tensors in [0, 1]', () => {
    expect(at(imageFromTensor([[[0, 1]], [[1, 0]], [[0.5, 0.5]]]), 0, 0)).toEqual([0, 255, 128]);
    expect(imageFromTensor([[0, 2]]).rgba.subarray(4, 8)).toEqual(Uint8Array.from([255, 255, 255, 255]));
  });
});
