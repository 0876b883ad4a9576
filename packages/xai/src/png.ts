/**
 * A small PNG decoder (`node:zlib` only) for the images attributions are drawn over: 8- and 16-bit grey,
 * grey + alpha, RGB, RGBA and 1–8-bit palette images, not interlaced — what PIL, browsers, cameras'
 * converters and `@terra-vertex/core`'s `encodePng` write for photos and digits. Core has an encoder but no
 * decoder, and one function does not justify a dependency.
 */
import { inflateSync } from 'node:zlib';

/** An image as 8-bit RGBA pixels, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  /** `width * height * 4` bytes: red, green, blue, alpha. */
  rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters; returns the raw scanlines without their filter bytes. */
function unfilter(data: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[at + x - bpp]! : 0;
      const up = y > 0 ? out[at - stride + x]! : 0;
      const corner = y > 0 && x >= bpp ? out[at - stride + x - bpp]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, corner)][filter];
      if (predictor === undefined) throw new Error(`decodePng: unknown filter type ${filter} in row ${y}`);
      out[at + x] = (row[x]! + predictor) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a PNG into RGBA.
 * @throws Error saying what is unsupported (interlaced images) or broken (signature, truncated data).
 */
export function decodePng(png: Uint8Array): RgbaImage {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new Error('decodePng: not a PNG file (bad signature); pass the bytes of a .png image');
  let width = 0;
  let height = 0;
  let depth = 8;
  let colour = 6;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8]!;
      colour = body[9]!;
      if (body[12] !== 0)
        throw new Error('decodePng: interlaced PNGs are not supported; save the image without interlacing');
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += length + 12;
  }
  const channels = CHANNELS[colour];
  if (!width || !height || channels === undefined || ![1, 2, 4, 8, 16].includes(depth))
    throw new Error(`decodePng: unsupported PNG (colour type ${colour}, bit depth ${depth})`);
  if (depth < 8 && colour !== 3 && colour !== 0)
    throw new Error(`decodePng: bit depth ${depth} is only valid for grey and palette images`);
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const raw = unfilter(inflateSync(Buffer.concat(idat)), height, stride, Math.max(1, bitsPerPixel >> 3));
  const rgba = new Uint8Array(width * height * 4);
  const sample = (row: number, index: number): number => {
    if (depth === 8) return raw[row * stride + index]!;
    if (depth === 16) return raw[row * stride + index * 2]!;
    const bit = index * depth;
    const value = (raw[row * stride + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    return colour === 3 ? value : Math.round((value * 255) / ((1 << depth) - 1));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = (c: number) => sample(y, x * channels + c);
      if (colour === 3) {
        const i = s(0);
        if (!palette || i * 3 + 2 >= palette.length) throw new Error('decodePng: palette index out of range');
        rgba.set([palette[i * 3]!, palette[i * 3 + 1]!, palette[i * 3 + 2]!, transparency?.[i] ?? 255], o);
      } else if (colour === 0 || colour === 4) {
        const g = s(0);
        rgba.set([g, g, g, colour === 4 ? s(1) : 255], o);
      } else rgba.set([s(0), s(1), s(2), colour === 6 ? s(3) : 255], o);
    }
  }
  return { width, height, rgba };
}
