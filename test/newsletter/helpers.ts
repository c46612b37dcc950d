import { expect } from 'vitest';

/** Every href of an HTML document. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

/** The email-safety rules every HTML issue must keep. */
export function expectEmailSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(img|link|iframe|object|embed|video|audio|form)\b/i);
  expect(html).not.toMatch(/@import|url\(|\bsrc\s*=/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).toContain('<meta name="color-scheme" content="light dark">');
  expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
  const links = hrefs(html);
  expect(links.length).toBeGreaterThan(0);
  for (const h of links) expect(h, h).toMatch(/^https?:\/\/[^\s/]+\//);
}
