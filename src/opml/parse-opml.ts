import xml2js from 'xml2js';
import { AppError } from '../errors.js';

export interface OpmlFeed {
  url: string;
  title: string | null;
  siteUrl: string | null;
  lang: string | null;
  /** `frontera:country` (ISO 3166-1 alpha-2; other readers ignore the namespaced attribute), as written. */
  country: string | null;
  /** Folder path (nested outlines), e.g. ["News", "Mexico"]. */
  categories: string[];
}

interface Outline {
  $?: Record<string, string>;
  outline?: Outline[];
}

/** Every feed outline (xmlUrl) in an OPML 1.0/2.0 document, nested folders flattened. */
export async function parseOpml(text: string): Promise<OpmlFeed[]> {
  let doc: { opml?: { body?: Array<{ outline?: Outline[] }> } };
  try {
    // No external entities or DTDs are resolved by xml2js (sax), so XXE cannot reach files.
    doc = await xml2js.parseStringPromise(text, { explicitArray: true, strict: true });
  } catch (e) {
    throw new AppError('parse_failed', `Not a valid OPML document: ${(e as Error).message.split('\n')[0]}`);
  }
  const body = doc?.opml?.body?.[0];
  if (!body) throw new AppError('parse_not_a_feed', 'Not an OPML document: no <opml><body>');
  const out: OpmlFeed[] = [];
  const walk = (outlines: Outline[] | undefined, path: string[]) => {
    for (const o of outlines ?? []) {
      const a = o.$ ?? {};
      const title = a.title ?? a.text ?? null;
      if (a.xmlUrl) {
        out.push({ url: a.xmlUrl.trim(), title, siteUrl: a.htmlUrl ?? null, lang: a.language ?? null, country: a['frontera:country'] ?? null, categories: path });
      }
      if (o.outline) walk(o.outline, title && !a.xmlUrl ? [...path, title] : path);
    }
  };
  walk(body.outline, []);
  return out;
}
