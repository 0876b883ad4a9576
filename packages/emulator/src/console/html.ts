import { encode } from 'html-entities';

/** A piece of HTML that is already safe: written by the console, or escaped. */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

/** Marks trusted markup (the console's own constants) as HTML; never pass resource data here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Escapes text for an element's content or a quoted attribute value (`& < > " '`). */
export function escapeHtml(text: string): string {
  return encode(text, { mode: 'specialChars', level: 'html5' });
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  return escapeHtml(String(value));
}

/**
 * Tagged template that escapes every interpolated value except {@link SafeHtml} (nested `html` results);
 * arrays are joined, `null`/`undefined`/`false` render nothing, objects render as escaped JSON (for
 * `data-*` attributes). Attribute values must be quoted in the template.
 *
 * @example
 * html`<a href="/console/jobs/${id}">${job.displayName}</a>`
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}
