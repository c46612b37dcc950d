export interface OpmlEntry {
  url: string;
  title: string | null;
  siteUrl: string | null;
  lang: string | null;
  /** Written as `frontera:country` (namespace declared on <opml>; other readers ignore it). */
  country?: string | null;
}

/** The namespace of Frontera's own OPML attributes. */
export const FRONTERA_OPML_NS = 'https://frontera.news/ns/opml';

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Control characters are not allowed in XML 1.0.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

/** OPML 2.0 subscription list, as every feed reader imports it. */
export function renderOpml(title: string, entries: OpmlEntry[], now: Date): string {
  const lines = entries.map((e) => {
    const t = esc(e.title ?? e.url);
    const attrs = [`type="rss"`, `text="${t}"`, `title="${t}"`, `xmlUrl="${esc(e.url)}"`];
    if (e.siteUrl) attrs.push(`htmlUrl="${esc(e.siteUrl)}"`);
    if (e.lang) attrs.push(`language="${esc(e.lang)}"`);
    if (e.country) attrs.push(`frontera:country="${esc(e.country)}"`);
    return `    <outline ${attrs.join(' ')}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:frontera="${FRONTERA_OPML_NS}">`,
    '  <head>',
    `    <title>${esc(title)}</title>`,
    `    <dateCreated>${now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
