/**
 * Parser for `multipart/related` upload bodies (`uploadType=multipart`): a JSON metadata part, then the
 * media part, each with its own headers.
 */
import { invalid } from './errors.ts';

/** One part of a multipart body. */
export interface BodyPart {
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The `boundary` parameter of a `multipart/related` content type. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /^\s*multipart\/related\s*;(?:.*;)?\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(
    contentType ?? '',
  );
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) {
    throw invalid(
      `uploadType=multipart needs a 'Content-Type: multipart/related; boundary=…' header, got ${JSON.stringify(contentType ?? '')}. ` +
        'Send the JSON metadata part and the media part as multipart/related, or use uploadType=media.',
    );
  }
  return boundary;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart body into its parts. Throws a 400 when the body does not follow the format. */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  const malformed = (what: string) =>
    invalid(
      `Malformed multipart/related body: ${what}. Each part must start with '--${boundary}' and headers, and the body must end with '--${boundary}--'.`,
    );
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw malformed('the boundary does not occur');
  const parts: BodyPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing '--'
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) throw malformed('a boundary line does not end');
    const start = lineEnd + 2;
    const end = body.indexOf(next, start);
    if (end < 0) throw malformed('the closing boundary is missing');
    const part = body.subarray(start, end);
    const split = part.subarray(0, 2).toString() === '\r\n' ? 0 : part.indexOf('\r\n\r\n');
    if (split < 0) throw malformed('a part has no blank line after its headers');
    parts.push({
      headers: parseHeaders(part.subarray(0, split).toString('utf8')),
      body: part.subarray(split === 0 ? 2 : split + 4),
    });
    pos = end + 2;
  }
}
