import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Headless Debian Chromium driven by playwright-core (no browser download, no network).

export const CHROMIUM = '/usr/bin/chromium';

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ShotResult {
  /** Requests the page tried to make beyond its own document (must be none: no external resources). */
  requests: string[];
  /** Widest element's right edge, CSS px (horizontal overflow check). */
  scrollWidth: number;
}

/** Full-page PNG of an HTML document in a light or dark color scheme, at a given viewport width. */
export async function screenshotHtml(
  browser: Browser,
  html: string,
  file: string,
  opts: { colorScheme: 'light' | 'dark'; width?: number; /** Only the top of the page (px); default: the full page. */ clipHeight?: number },
): Promise<ShotResult> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 760, height: 900 },
    colorScheme: opts.colorScheme,
    javaScriptEnabled: false,
    offline: true,
  });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(html, { waitUntil: 'load' });
    const width = opts.width ?? 760;
    await page.screenshot(
      opts.clipHeight ? { path: file, fullPage: true, clip: { x: 0, y: 0, width, height: opts.clipHeight } } : { path: file, fullPage: true },
    );
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    return { requests, scrollWidth: Number(scrollWidth) };
  } finally {
    await context.close();
  }
}
