import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.ts';

describe('html', () => {
  it('escapes interpolated text, in content and in attributes', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&apos;x&apos;)&quot;&gt;&amp;">' +
        '&lt;img src=x onerror=&quot;alert(&apos;x&apos;)&quot;&gt;&amp;</p>',
    );
  });

  it('keeps nested html and raw markup, joins arrays, drops null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${raw('<hr>')}</ul>`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li><hr></ul>',
    );
  });

  it('renders numbers and zero, and objects as escaped JSON', () => {
    expect(html`${0} ${1.5}`.value).toBe('0 1.5');
    expect(html`<div data-x="${{ a: '"</script>' }}"></div>`.value).toBe(
      '<div data-x="{&quot;a&quot;:&quot;\\&quot;&lt;/script&gt;&quot;}"></div>',
    );
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('plain text 123')).toBe('plain text 123');
  });
});
