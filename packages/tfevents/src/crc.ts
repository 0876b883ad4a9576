import { crc32c } from '@node-rs/crc32';

/** TFRecord's masked CRC-32C: rotate right by 15 bits and add a constant, so that CRCs of CRCs stay sound. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
