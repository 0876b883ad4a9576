import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, heatmapPng } from './png.ts';

/** Minimal PNG reader for the tests: checks the signature and CRCs, returns size and RGBA rows. */
function decode(png: Uint8Array): {
  width: number;
  height: number;
  pixel: (x: number, y: number) => number[];
} {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const pixel = (x: number, y: number) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4).subarray(0, 4)];
  return { width, height, pixel };
}

describe('PNG', () => {
  it('encodes RGBA pixels that decode back to the same values', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 1, 2, 3, 4]);
    const { width, height, pixel } = decode(encodePng(2, 2, rgba));
    expect([width, height]).toEqual([2, 2]);
    expect(pixel(1, 0)).toEqual([0, 255, 0, 255]);
    expect(pixel(1, 1)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a buffer of the wrong size, saying what is expected', () => {
    expect(() => encodePng(2, 2, new Uint8Array(3))).toThrow(/need 16; pass 4 bytes \(RGBA\) per pixel/);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/positive integers/);
  });

  it('draws a heatmap: light for the smallest value, dark for the largest, with a grid', () => {
    const { width, height, pixel } = decode(
      heatmapPng(
        [
          [60, 4],
          [3, 53],
        ],
        { cellSize: 20, showValues: false },
      ),
    );
    expect([width, height]).toEqual([41, 41]);
    expect(pixel(0, 0)).toEqual([204, 204, 204, 255]);
    expect(pixel(5, 5)).toEqual([8, 81, 156, 255]);
    expect(pixel(25, 25)[0]).toBeLessThan(40);
    expect(pixel(25, 5)[0]).toBeGreaterThan(240);
  });

  it('writes the values in the cells and rejects ragged matrices', () => {
    const plain = heatmapPng([[1, 2]], { cellSize: 32, showValues: false });
    const labelled = heatmapPng([[1, 2]], { cellSize: 32 });
    expect(Buffer.compare(Buffer.from(plain), Buffer.from(labelled))).not.toBe(0);
    expect(() => heatmapPng([[1, 2], [3]])).toThrow(/equal length/);
    expect(() => heatmapPng([])).toThrow(/non-empty/);
  });
});
