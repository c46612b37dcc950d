import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, htmlToText, sanitizeFeedHtml } from '../../src/reader/sanitize.js';

describe('sanitizeFeedHtml', () => {
  it('drops scripts, event handlers, styles and unsafe URLs', () => {
    const out = sanitizeFeedHtml(
      '<p onclick="x()" style="color:red">Hi<script>alert(1)</script><a href="javascript:alert(1)">a</a>' +
        '<img src="data:image/svg+xml;base64,AAA" onerror="x()"><iframe src="https://e.vil"></iframe></p>',
      'https://example.com/',
    );
    expect(out).toBe('<p>Hi<a>a</a><img /></p>');
  });
  it('makes relative URLs absolute against the base', () => {
    expect(sanitizeFeedHtml('<a href="/x">x</a><img src="i.png">', 'https://example.com/dir/page')).toBe(
      '<a href="https://example.com/x">x</a><img src="https://example.com/dir/i.png" />',
    );
  });
  it('handles obfuscated javascript: URLs', () => {
    expect(sanitizeFeedHtml('<a href="jav&#x09;ascript:alert(1)">x</a>', 'https://e.com/')).not.toMatch(/script/i);
  });
});

describe('htmlToText', () => {
  it('strips tags, decodes entities once, separates blocks and collapses spaces', () => {
    expect(htmlToText('<p>One&nbsp;&amp;&#8217;</p><p>Two <b>bold</b></p><script>x<y</script>')).toBe('One &’ Two bold');
  });
  it('ignores ">" inside attribute values and literal "<"', () => {
    expect(htmlToText('<img alt="a>b">x < y')).toBe('x < y');
  });
  it('is linear on hostile input', () => {
    const started = performance.now();
    htmlToText('<'.repeat(200_000) + '<script' + 'a'.repeat(200_000));
    decodeHtmlEntities('&'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
