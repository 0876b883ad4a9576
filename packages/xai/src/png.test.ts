import { crc32, deflateSync } from 'node:zlib';
import { encodePng } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { decodePng } from './png.ts';

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
  return out;
}

/** A PNG of raw scanlines (`rows`, bytes as stored), each row written with `filter` (0–4), as encoders do. */
function png(
  width: number,
  height: number,
  colour: number,
  depth: number,
  rows: number[][],
  filter: number,
  extra: Buffer[] = [],
): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([depth, colour, 0, 0, 0], 8);
  const bpp = Math.max(1, ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colour]! * depth) >> 3);
  const data: number[] = [];
  rows.forEach((row, y) => {
    data.push(filter);
    row.forEach((v, x) => {
      const left = x >= bpp ? row[x - bpp]! : 0;
      const up = y > 0 ? rows[y - 1]![x]! : 0;
      const corner = y > 0 && x >= bpp ? rows[y - 1]![x - bpp]! : 0;
      const p = left + up - corner;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
      const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : corner;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter]!;
      data.push((v - predictor) & 0xff);
    });
  });
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    ...extra,
    chunk('IDAT', deflateSync(Buffer.from(data))),
    chunk('IEND', new Uint8Array()),
  ]);
}

const pixel = (img: { width: number; rgba: Uint8Array }, x: number, y: number) =>
  Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('decodePng', () => {
  it("round-trips core's encodePng", () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    expect(decodePng(encodePng(3, 2, rgba))).toEqual({ width: 3, height: 2, rgba });
  });

  it('undoes every row filter on RGB and grey images', () => {
    const rgb = [
      [10, 20, 30, 200, 100, 50, 7, 8, 9],
      [250, 0, 3, 60, 70, 80, 255, 128, 1],
    ];
    for (const filter of [0, 1, 2, 3, 4]) {
      const img = decodePng(png(3, 2, 2, 8, rgb, filter));
      expect(pixel(img, 1, 0)).toEqual([200, 100, 50, 255]);
      expect(pixel(img, 2, 1)).toEqual([255, 128, 1, 255]);
      const grey = decodePng(
        png(
          2,
          2,
          0,
          8,
          [
            [0, 90],
            [180, 255],
          ],
          filter,
        ),
      );
      expect(pixel(grey, 1, 1)).toEqual([255, 255, 255, 255]);
      expect(pixel(grey, 1, 0)).toEqual([90, 90, 90, 255]);
    }
  });

  it('reads grey + alpha, 16-bit, 1-bit grey and palettes with transparency', () => {
    expect(pixel(decodePng(png(1, 1, 4, 8, [[77, 128]], 0)), 0, 0)).toEqual([77, 77, 77, 128]);
    expect(pixel(decodePng(png(1, 1, 2, 16, [[1, 2, 3, 4, 5, 6]], 0)), 0, 0)).toEqual([1, 3, 5, 255]);
    const bits = decodePng(png(3, 1, 0, 1, [[0b10100000]], 0));
    expect([pixel(bits, 0, 0)[0], pixel(bits, 1, 0)[0], pixel(bits, 2, 0)[0]]).toEqual([255, 0, 255]);
    const palette = [
      chunk('PLTE', Uint8Array.from([255, 0, 0, 0, 0, 255])),
      chunk('tRNS', Uint8Array.from([255, 0])),
    ];
    const img = decodePng(png(2, 1, 3, 8, [[1, 0]], 1, palette));
    expect([pixel(img, 0, 0), pixel(img, 1, 0)]).toEqual([
      [0, 0, 255, 0],
      [255, 0, 0, 255],
    ]);
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => decodePng(Uint8Array.from([1, 2, 3]))).toThrow(/not a PNG file/);
    const interlaced = Buffer.from(png(1, 1, 0, 8, [[0]], 0));
    interlaced[8 + 8 + 12] = 1; // IHDR interlace byte
    expect(() => decodePng(interlaced)).toThrow(/interlaced PNGs are not supported/);
  });
});
