import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveUrl } from '../../src/reader/canonical-url.js';

describe('canonicalizeUrl', () => {
  it('strips tracking parameters and sorts the rest', () => {
    expect(canonicalizeUrl('https://example.com/a?utm_source=x&b=2&fbclid=1&a=1&gclid=z&mc_cid=q&ref=tw')).toBe(
      'https://example.com/a?a=1&b=2',
    );
  });
  it('folds scheme, host case, default port, www and fragment', () => {
    expect(canonicalizeUrl('HTTP://WWW.Example.COM:80/Path#section')).toBe('https://example.com/Path');
    expect(canonicalizeUrl('https://example.com:443/x')).toBe('https://example.com/x');
    expect(canonicalizeUrl('https://example.com:8443/x')).toBe('https://example.com:8443/x');
  });
  it('folds mobile and AMP variants onto the article URL', () => {
    const want = 'https://example.com/news/story';
    expect(canonicalizeUrl('https://m.example.com/news/story')).toBe(want);
    expect(canonicalizeUrl('https://mobile.example.com/news/story/')).toBe(want);
    expect(canonicalizeUrl('https://amp.example.com/news/story')).toBe(want);
    expect(canonicalizeUrl('https://www.example.com/amp/news/story')).toBe(want);
    expect(canonicalizeUrl('https://www.example.com/news/story/amp')).toBe(want);
    expect(canonicalizeUrl('https://www.example.com/news/story?amp')).toBe(want);
    expect(canonicalizeUrl('https://www.example.com/news/story?outputType=amp')).toBe(want);
    expect(canonicalizeUrl('https://www.example.com/news/story.amp.html')).toBe('https://example.com/news/story.html');
  });
  it('folds the trailing slash but keeps other subdomains', () => {
    expect(canonicalizeUrl('https://news.example.com/a/')).toBe('https://news.example.com/a');
    expect(canonicalizeUrl('https://example.com/')).toBe('https://example.com/');
  });
  it('keeps meaningful parameters even when they look like tracking ones', () => {
    expect(canonicalizeUrl('https://example.com/a?source=home&id=3')).toBe('https://example.com/a?id=3&source=home');
  });
  it('returns null for non-http(s) or invalid URLs', () => {
    expect(canonicalizeUrl('mailto:a@b.c')).toBeNull();
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('not a url')).toBeNull();
  });
});

describe('resolveUrl', () => {
  it('resolves relative references and tolerates junk', () => {
    expect(resolveUrl('../b', 'https://x.org/a/c/')).toBe('https://x.org/a/b');
    expect(resolveUrl(' /p ', 'https://x.org/a')).toBe('https://x.org/p');
    expect(resolveUrl('http://[bad', null)).toBeNull();
  });
});
