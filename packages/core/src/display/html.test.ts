import { describe, expect, it } from 'vitest';
import { escapeHtml, formatValue, htmlTable, keyValueTable, rawHtml } from './html.ts';

describe('HTML helpers', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('formats numbers, dates, arrays and objects for cells', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(0.941666666)).toBe('0.9417');
    expect(formatValue(1234.5678)).toBe('1235');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(formatValue(['a', 1])).toBe('a, 1');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
  });

  it('renders rows with escaped values, columns in first-seen order and numbers right-aligned', () => {
    const html = htmlTable(
      [
        { name: '<b>', n: 2 },
        { extra: true, name: 'x' },
      ],
      { caption: 'Jobs & models' },
    );
    expect(html).toMatch(/^<table/);
    expect(html).toContain('<caption');
    expect(html).toContain('Jobs &amp; models');
    expect(html.indexOf('>name<')).toBeLessThan(html.indexOf('>n<'));
    expect(html.indexOf('>n<')).toBeLessThan(html.indexOf('>extra<'));
    expect(html).toContain('&lt;b&gt;');
    expect(html).toMatch(/text-align:right">2</);
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('keeps raw HTML, chosen columns and headers, and notes dropped rows', () => {
    const rows = [1, 2, 3].map((i) => ({ i, badge: rawHtml('<b>ok</b>'), hidden: 'no' }));
    const html = htmlTable(rows, { columns: ['i', 'badge'], headers: { i: '#' }, maxRows: 2 });
    expect(html).toContain('<b>ok</b>');
    expect(html).not.toContain('hidden');
    expect(html).toContain('>#<');
    expect(html).toContain('… 1 more row(s)');
    expect(html).toContain('colspan="2"');
  });

  it('renders a record as a two-column table without undefined entries', () => {
    const html = keyValueTable({ project: 'p', bucket: undefined }, { caption: 'Setup' });
    expect(html).toContain('>project<');
    expect(html).not.toContain('bucket');
    expect(html).toContain('>setting<');
    const blank = keyValueTable({ a: 1, b: 2 }, { headers: ['', ''] });
    expect(blank).toContain('>a<');
    expect(blank).toMatch(/text-align:right">2</);
  });
});
