/**
 * Is this object an image Vertex can train on? Told by its bytes (magic numbers), with the extension used
 * only to explain a mismatch. Training images are at most 30 MB (AutoML Vision data limits).
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';

/** Training images larger than this are refused by Vertex. */
export const MAX_TRAINING_IMAGE_BYTES = 30 * 1024 * 1024;

const FORMATS: { mime: string; ext: string[]; test: (b: Buffer) => boolean }[] = [
  {
    mime: 'image/jpeg',
    ext: ['.jpg', '.jpeg'],
    test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    mime: 'image/png',
    ext: ['.png'],
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/gif', ext: ['.gif'], test: (b) => /^GIF8[79]a/.test(b.toString('latin1', 0, 6)) },
  { mime: 'image/bmp', ext: ['.bmp'], test: (b) => b.toString('latin1', 0, 2) === 'BM' },
  {
    mime: 'image/tiff',
    ext: ['.tif', '.tiff'],
    test: (b) => ['II*\0', 'MM\0*'].includes(b.toString('latin1', 0, 4)),
  },
  {
    mime: 'image/webp',
    ext: ['.webp'],
    test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
  },
  {
    mime: 'image/vnd.microsoft.icon',
    ext: ['.ico'],
    test: (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0,
  },
];

/** The MIME type of image bytes (their first 16 bytes suffice), or undefined when they are no image. */
export function sniffImage(head: Buffer): string | undefined {
  return FORMATS.find((f) => f.test(head))?.mime;
}

/** What a row's image check found: its MIME type, or the problem and the fix. */
export type ImageCheck = { mimeType: string } | { problem: string; fix: string };

/** Checks the local file that stands for `uri` in the emulator's bucket store. */
export async function checkImageFile(localPath: string, uri: string, bucketDir: string): Promise<ImageCheck> {
  const info = await stat(localPath).catch(() => undefined);
  if (!info) {
    const bucket = await stat(bucketDir).catch(() => undefined);
    if (!bucket)
      return {
        problem: `the bucket of ${uri} does not exist`,
        fix: 'create the bucket and upload the image, or fix the bucket name',
      };
    return {
      problem: `${uri} does not exist`,
      fix: 'upload the image, or fix the path (object names are case-sensitive)',
    };
  }
  if (!info.isFile())
    return { problem: `${uri} is a folder, not an image`, fix: 'give the path of one image file' };
  if (info.size > MAX_TRAINING_IMAGE_BYTES)
    return {
      problem: `${uri} is ${(info.size / 1024 / 1024).toFixed(1)} MB; training images must be at most 30 MB`,
      fix: 'downscale or recompress the image',
    };
  const head = Buffer.alloc(16);
  const file = await open(localPath, 'r');
  try {
    await file.read(head, 0, 16, 0);
  } finally {
    await file.close();
  }
  const mimeType = sniffImage(head);
  if (mimeType) return { mimeType };
  const claimed = FORMATS.find((f) => f.ext.includes(extname(localPath).toLowerCase()));
  return {
    problem: claimed
      ? `${uri} is named like a ${claimed.ext[0]!.slice(1).toUpperCase()} image but its bytes are not one`
      : `${uri} is not an image`,
    fix: 'import JPEG, PNG, GIF, BMP, TIFF, WEBP or ICO files',
  };
}
