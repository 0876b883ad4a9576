/**
 * PNG images for notebooks, without native dependencies: an encoder (8-bit RGBA, `node:zlib`) and a
 * heatmap (e.g. a confusion matrix) with the cell values drawn in a built-in digit font. Show the bytes
 * with `tslab.display.png(…)` or {@link showPng}.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
  return out;
}

/**
 * Encodes `width × height` pixels, 4 bytes each (red, green, blue, alpha; rows top to bottom), as a PNG.
 *
 * @throws RangeError when `rgba` does not hold exactly `width * height * 4` bytes.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodePng: width and height must be positive integers, got ${width} × ${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(
      `encodePng: rgba holds ${rgba.length} bytes but ${width} × ${height} pixels need ${width * height * 4}; pass 4 bytes (RGBA) per pixel`,
    );
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter, no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** 3 × 5 bitmaps of the characters a number needs, one string of 15 bits per glyph (rows top to bottom). */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001001001001',
  '8': '111101111101111',
  '9': '111101111001111',
  '.': '000000000000010',
  '-': '000000111000000',
};

type Rgb = readonly [number, number, number];

class Canvas {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 4).fill(255);
  }

  fill(x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) {
        this.pixels.set([r, g, b, 255], (yy * this.width + xx) * 4);
      }
    }
  }

  /** Draws `label` centred on (cx, cy) with glyph pixels `scale` wide. */
  label(label: string, cx: number, cy: number, scale: number, colour: Rgb): void {
    const chars = [...label].filter((c) => GLYPHS[c]);
    const width = chars.length * 4 * scale - scale;
    let x = Math.round(cx - width / 2);
    const y = Math.round(cy - (5 * scale) / 2);
    for (const c of chars) {
      const bits = GLYPHS[c]!;
      for (let i = 0; i < 15; i++) {
        if (bits[i] === '1')
          this.fill(x + (i % 3) * scale, y + Math.floor(i / 3) * scale, scale, scale, colour);
      }
      x += 4 * scale;
    }
  }
}

/** Options of {@link heatmapPng}. */
export interface HeatmapOptions {
  /** Side of a cell in pixels (default 64). */
  cellSize?: number;
  /** Draw each cell's value (default true; integers, or 2 decimals). */
  showValues?: boolean;
}

/**
 * A heatmap PNG of a numeric matrix (rows top to bottom), white for the smallest value to dark blue for
 * the largest: e.g. a confusion matrix with true classes as rows.
 *
 * @throws RangeError when the matrix is empty or ragged.
 */
export function heatmapPng(matrix: readonly (readonly number[])[], options: HeatmapOptions = {}): Uint8Array {
  const rows = matrix.length;
  const cols = matrix[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || matrix.some((r) => r.length !== cols)) {
    throw new RangeError('heatmapPng: matrix must be a non-empty list of rows of equal length');
  }
  const size = options.cellSize ?? 64;
  const values = matrix.flat().filter(Number.isFinite);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const canvas = new Canvas(cols * size + 1, rows * size + 1);
  const scale = Math.max(1, Math.floor(size / 16));
  canvas.fill(0, 0, canvas.width, canvas.height, [204, 204, 204]); // grid lines show through
  matrix.forEach((row, r) => {
    row.forEach((value, c) => {
      const t = hi > lo && Number.isFinite(value) ? (value - lo) / (hi - lo) : 0;
      const colour: Rgb = [
        Math.round(247 - t * (247 - 8)),
        Math.round(251 - t * (251 - 81)),
        Math.round(255 - t * (255 - 156)),
      ];
      canvas.fill(c * size + 1, r * size + 1, size - 1, size - 1, colour);
      if (options.showValues ?? true) {
        const label = Number.isInteger(value) ? String(value) : value.toFixed(2);
        const ink: Rgb = t > 0.5 ? [255, 255, 255] : [33, 33, 33];
        canvas.label(label, c * size + size / 2 + 0.5, r * size + size / 2 + 0.5, scale, ink);
      }
    });
  });
  return encodePng(canvas.width, canvas.height, canvas.pixels);
}
