/**
 * Bucket and object name rules. Buckets follow Cloud Storage's naming rules; object names follow
 * Cloud Storage's rules plus what it takes to store each object as a file under its bucket folder
 * (as Vertex AI's /gcs/ FUSE mount shows them): a relative path without empty, `.` or `..` segments.
 */
import { invalid } from './errors.ts';

const BUCKET_CHARS = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const GOOGLE_LOOKALIKE = /g[o0]{2}g[l1]e/;

/** Maximum object name length in bytes of UTF-8, as in Cloud Storage. */
export const MAX_OBJECT_NAME_BYTES = 1024;
/** Longest path segment most file systems accept (NAME_MAX). */
const MAX_SEGMENT_BYTES = 255;

const BUCKET_FIX =
  "Use 3-63 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit, e.g. 'my-staging-bucket'.";

/** Checks a bucket name against Cloud Storage's rules; throws a 400 naming the broken rule. */
export function validateBucketName(bucket: unknown): string {
  if (typeof bucket !== 'string' || bucket === '') {
    throw invalid(`Bucket name is missing. ${BUCKET_FIX}`);
  }
  const shown = JSON.stringify(bucket);
  const fail = (problem: string): never => {
    throw invalid(`Invalid bucket name ${shown}: ${problem}. ${BUCKET_FIX}`);
  };
  if (!BUCKET_CHARS.test(bucket)) {
    fail(
      "only lowercase letters, digits, '-', '_' and '.' are allowed, and it must start and end with a letter or digit",
    );
  }
  if (bucket.length < 3) fail('it is shorter than 3 characters');
  if (bucket.includes('.')) {
    if (bucket.length > 222) fail('names with dots are limited to 222 characters');
    if (bucket.split('.').some((part) => part.length === 0 || part.length > 63)) {
      fail('each dot-separated part must have 1 to 63 characters');
    }
    if (IPV4.test(bucket)) fail('it must not look like an IP address');
  } else if (bucket.length > 63) {
    fail('it is longer than 63 characters');
  }
  if (bucket.startsWith('goog')) fail("it must not start with 'goog'");
  if (GOOGLE_LOOKALIKE.test(bucket)) fail("it must not contain 'google' or a look-alike");
  return bucket;
}

/**
 * Checks an object name and returns its path segments. Throws a 400 that says what is wrong and how to
 * name the object instead.
 */
export function objectNameSegments(name: unknown): string[] {
  if (typeof name !== 'string' || name === '') {
    throw invalid(
      "Object name is missing. Give the object a name such as 'data/train.csv' (query parameter 'name' or the 'name' field of the metadata).",
    );
  }
  const shown = JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
  const fail = (problem: string, fix: string): never => {
    throw invalid(`Invalid object name ${shown}: ${problem}. ${fix}`);
  };
  const asFiles =
    'The emulator stores each object as a file under <data dir>/gcs/<bucket>/, so the name must be a relative file path';
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJECT_NAME_BYTES) {
    fail(`it is longer than ${MAX_OBJECT_NAME_BYTES} bytes of UTF-8`, 'Use a shorter name.');
  }
  if (name.includes('\0')) fail('it contains a NUL character', 'Remove the NUL character.');
  if (/[\r\n]/.test(name)) {
    fail('it contains a carriage return or line feed', 'Cloud Storage does not allow these; remove them.');
  }
  if (name.startsWith('/')) fail("it starts with '/'", `${asFiles}; drop the leading '/'.`);
  if (name.endsWith('/')) {
    fail(
      "it ends with '/' (a folder placeholder)",
      `${asFiles}; folders exist implicitly, so write objects inside the folder instead.`,
    );
  }
  if (name.startsWith('.well-known/acme-challenge/')) {
    fail("names under '.well-known/acme-challenge/' are reserved", 'Choose another prefix.');
  }
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '') fail("it has an empty path segment ('//')", `${asFiles}; collapse the repeated '/'.`);
    if (segment === '.' || segment === '..') {
      fail(
        `it has a '${segment}' path segment`,
        `${asFiles} that stays inside the bucket; remove the '${segment}' segment.`,
      );
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      fail(
        `one path segment is longer than ${MAX_SEGMENT_BYTES} bytes`,
        "Split the name with '/' into shorter segments.",
      );
    }
  }
  return segments;
}
