import { describe, expect, it } from 'vitest';
import { outletDomainOfFeed, registrableDomain } from '../../src/reader/outlet.js';

describe('registrableDomain', () => {
  it('strips feed and www hosts down to the registrable domain', () => {
    expect(registrableDomain('www.eluniversal.com.mx')).toBe('eluniversal.com.mx');
    expect(registrableDomain('feeds.bbci.co.uk')).toBe('bbci.co.uk');
    expect(registrableDomain('rss.nytimes.com')).toBe('nytimes.com');
    expect(registrableDomain('WWW.CBP.GOV.')).toBe('cbp.gov');
    expect(registrableDomain('www.gob.mx')).toBe('www.gob.mx');
    expect(registrableDomain('www.sspc.gob.mx')).toBe('sspc.gob.mx');
    expect(registrableDomain('news.com.au')).toBe('news.com.au');
    expect(registrableDomain('www.abc.net.au')).toBe('abc.net.au');
    expect(registrableDomain('milenio.com')).toBe('milenio.com');
  });

  it('leaves addresses, localhost and single labels as they are', () => {
    expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
    expect(registrableDomain('10.1.2.3')).toBe('10.1.2.3');
    expect(registrableDomain('[::1]')).toBe('[::1]');
    expect(registrableDomain('::1')).toBe('::1');
    expect(registrableDomain('localhost')).toBe('localhost');
  });
});

describe('outletDomainOfFeed', () => {
  it('section feeds of one outlet share it', () => {
    expect(outletDomainOfFeed('https://www.eluniversal.com.mx/rss/nacion.xml')).toBe('eluniversal.com.mx');
    expect(outletDomainOfFeed('https://feeds.eluniversal.com.mx/rss/mundo.xml')).toBe('eluniversal.com.mx');
  });

  it("a Google News site: search stands for that site's outlet", () => {
    expect(outletDomainOfFeed('https://news.google.com/rss/search?q=site:www.cbp.gov+fentanyl&hl=en-US')).toBe('cbp.gov');
    expect(outletDomainOfFeed('https://news.google.com/rss/search?q=fentanyl%20site%3Asspc.gob.mx&hl=es-419')).toBe('sspc.gob.mx');
    // A search without site: gathers many outlets: the source is its own.
    expect(outletDomainOfFeed('https://news.google.com/rss/search?q=fentanyl')).toBeNull();
  });

  it('feed proxies serve many outlets (each source its own); blog platforms give each outlet a subdomain', () => {
    expect(outletDomainOfFeed('https://feeds.feedburner.com/SomeOutlet')).toBeNull();
    expect(outletDomainOfFeed('http://feedproxy.google.com/~r/other/rss')).toBeNull();
    expect(outletDomainOfFeed('https://borderland.substack.com/feed')).toBe('borderland.substack.com');
    expect(outletDomainOfFeed('https://other.substack.com/feed')).toBe('other.substack.com');
    expect(outletDomainOfFeed('https://www.blog.blogspot.com/feeds/posts/default')).toBe('blog.blogspot.com');
  });

  it('a feed on an address or localhost is its own outlet', () => {
    expect(outletDomainOfFeed('http://127.0.0.1:8080/feed')).toBeNull();
    expect(outletDomainOfFeed('http://localhost:3000/feed')).toBeNull();
    expect(outletDomainOfFeed('http://[::1]:3000/feed')).toBeNull();
    expect(outletDomainOfFeed('not a url')).toBeNull();
  });
});
