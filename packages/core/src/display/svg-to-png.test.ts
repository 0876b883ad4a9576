import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { lineChartSvg } from './svg-chart.ts';
import { svgToPng } from './svg-to-png.ts';

/** Reads an 8-bit RGBA PNG (any row filter): size and the pixels, 4 bytes each. */
function decode(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  expect([buf[24], buf[25]]).toEqual([8, 6]); // 8 bits, RGBA
  const idat: Buffer[] = [];
  for (let offset = 8; offset < buf.length; ) {
    const length = buf.readUInt32BE(offset);
    if (buf.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      idat.push(buf.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      rgba[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 255;
    }
  }
  return { width, height, rgba };
}

/** Pixels darker than mid-grey in a region. */
function darkPixels(
  image: ReturnType<typeof decode>,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      if (image.rgba[i + 3]! > 128 && image.rgba[i]! < 128) n++;
    }
  return n;
}

describe('svgToPng', () => {
  it('renders a chart with text to a PNG of the SVG size, or of the width asked for', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'loss',
          points: [
            [1, 0.7],
            [2, 0.4],
          ],
        },
      ],
      { title: 'Loss', xLabel: 'epoch' },
    );
    const original = decode(svgToPng(svg));
    expect([original.width, original.height]).toEqual([480, 280]);
    const wide = decode(svgToPng(svg, { width: 960 }));
    expect([wide.width, wide.height]).toEqual([960, 560]);
  });

  it('draws text with an installed font', () => {
    const svg = (content: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><rect width="160" height="40" fill="#fff"/><text x="8" y="28" font-family="sans-serif" font-size="20" fill="#000">${content}</text></svg>`;
    const image = decode(svgToPng(svg('Trial 12')));
    expect(darkPixels(image, 0, 0, 160, 40)).toBeGreaterThan(50);
    expect(darkPixels(decode(svgToPng(svg(''))), 0, 0, 160, 40)).toBe(0);
  });

  it('rejects a bad width or an unreadable SVG, naming the field', () => {
    expect(() =>
      svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', { width: 0 }),
    ).toThrow(/options\.width: must be a whole number/);
    expect(() => svgToPng('not svg')).toThrow(ValidationError);
    expect(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect')).toThrow(
      /svg: could not be rendered/,
    );
  });
});
