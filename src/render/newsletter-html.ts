import type { NewsletterEvent, NewsletterModel } from './newsletter-model.js';
import { formatUtc } from './newsletter-period.js';
import { blindCoverage, pressName } from './newsletter-text.js';
import { escapeHtml as h, safeUrl } from './xml.js';

// Email-safe HTML: nested tables (Outlook's Word engine ignores most CSS layout), every style inline,
// no <script>, no images or web fonts, no external resources, every href absolute http(s).
// Dark mode: color-scheme metas tell Apple Mail / iOS / Outlook.com that the message supports both
// schemes; the <style> block's prefers-color-scheme rules (with !important, to beat the inline light
// colors) repaint it where <style> is honoured. Clients that strip <style> and invert on their own
// (Gmail apps, Outlook) get explicit bgcolor + color on every block, which they invert consistently.
// Gmail clips messages over 102 KB: the model's limits keep an issue far below that.

const FONT = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`;
const SERIF = `Georgia,'Times New Roman',Times,serif`;

const C = {
  page: '#eef1f4',
  card: '#ffffff',
  text: '#1b1f24',
  muted: '#57606a',
  rule: '#d8dee4',
  accent: '#0b5e6b',
  link: '#0a58ca',
  band: '#f6f8fa',
  badge: '#e6f2f3',
};

const DARK_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .fr-page { background-color: #0d1117 !important; }
  .fr-card { background-color: #161b22 !important; border-color: #30363d !important; }
  .fr-band { background-color: #1c2330 !important; }
  .fr-text { color: #e6edf3 !important; }
  .fr-muted { color: #9ba7b4 !important; }
  .fr-accent { color: #5cc8d7 !important; border-color: #5cc8d7 !important; }
  .fr-rule { border-color: #30363d !important; }
  .fr-link { color: #79b8ff !important; }
  .fr-head { color: #e6edf3 !important; }
  .fr-badge { background-color: #12353b !important; color: #8fe0ea !important; }
}
@media only screen and (max-width: 640px) {
  .fr-card { width: 100% !important; }
  .fr-pad { padding-left: 18px !important; padding-right: 18px !important; }
}`;

function a(url: string | null, text: string, opts: { cls?: string; color?: string } = {}): string {
  const href = safeUrl(url);
  if (!href) return text;
  return `<a class="${opts.cls ?? 'fr-link'}" href="${h(href)}" style="color:${opts.color ?? C.link};text-decoration:none;">${text}</a>`;
}

const langAttr = (lang: string | null) => (lang && /^[a-z]{2}$/.test(lang.slice(0, 2)) ? ` lang="${h(lang.slice(0, 2))}"` : '');

function figuresRow(m: NewsletterModel): string {
  const cell = (n: number, label: string) =>
    `<td width="33%" align="center" style="padding:10px 4px;">` +
    `<div class="fr-text" style="font-family:${FONT};font-size:24px;line-height:28px;font-weight:700;color:${C.text};">${n.toLocaleString('en-US')}</div>` +
    `<div class="fr-muted" style="font-family:${FONT};font-size:12px;line-height:16px;letter-spacing:.06em;text-transform:uppercase;color:${C.muted};">${label}</div></td>`;
  const f = m.figures;
  return (
    `<table role="presentation" class="fr-band" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${C.band}" style="background-color:${C.band};border-radius:6px;"><tr>` +
    cell(f.events, f.events === 1 ? 'event' : 'events') +
    cell(f.articles, f.articles === 1 ? 'article' : 'articles') +
    cell(f.outlets, f.outlets === 1 ? 'outlet' : 'outlets') +
    `</tr></table>` +
    `<p class="fr-muted" style="margin:8px 0 0;font-family:${FONT};font-size:13px;line-height:18px;color:${C.muted};text-align:center;">` +
    `${f.englishArticles} in English · ${f.spanishArticles} en español</p>`
  );
}

function eventMeta(e: NewsletterEvent): string {
  const parts = [
    `First reported by <strong class="fr-text" style="color:${C.text};">${h(e.firstReport.outlet)}</strong> at ${h(formatUtc(e.firstReport.at))}`,
    `${e.outletCount} outlet${e.outletCount === 1 ? '' : 's'}`,
  ];
  if (e.languages.includes('en') && e.languages.includes('es')) parts.push('English + Español');
  if (e.officialSources.length) parts.push(`Official source: ${e.officialSources.map(h).join(', ')}`);
  // Short parts never break inside ("English + Español" split over two lines reads badly).
  return parts.map((p, i) => (i === 0 ? p : `<span style="white-space:nowrap;">${p}</span>`)).join(' · ');
}

function eventBlock(e: NewsletterEvent, firstInSection: boolean): string {
  const title = a(e.url, h(e.headline), { cls: 'fr-head', color: C.text });
  const summary = e.summary
    ? `<p class="fr-text" style="margin:0 0 12px;font-family:${FONT};font-size:15px;line-height:23px;color:${C.text};">${h(e.summary)}` +
      (e.summaryOutlet ? ` <span class="fr-muted" style="color:${C.muted};">— ${h(e.summaryOutlet)}</span>` : '') +
      `</p>`
    : '';
  const groups = e.coverage
    .map((g) => {
      const items = g.items
        .map(
          (l) =>
            `<p style="margin:0 0 6px;font-family:${FONT};font-size:14px;line-height:20px;">` +
            `<span class="fr-muted" style="color:${C.muted};">${h(l.outlet)}:</span> ` +
            `<span${langAttr(l.lang)}>${a(l.url, h(l.title))}</span></p>`,
        )
        .join('');
      const more = g.more ? `<p class="fr-muted" style="margin:0 0 6px;font-family:${FONT};font-size:13px;line-height:18px;color:${C.muted};">+ ${g.more} more</p>` : '';
      return (
        `<p class="fr-accent" style="margin:10px 0 6px;font-family:${FONT};font-size:11px;line-height:14px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:${C.accent};">${h(g.label)}</p>` +
        items +
        more
      );
    })
    .join('');
  return (
    // The rule between events is inset like the text; the section heading's rule stands in for the first.
    `<tr><td class="fr-pad" style="padding:0 32px;">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>` +
    `<td valign="top" width="34" class="fr-rule" style="padding:${firstInSection ? 14 : 20}px 0 20px;${firstInSection ? '' : `border-top:1px solid ${C.rule};`}"><span class="fr-badge" style="display:inline-block;min-width:22px;padding:2px 4px;border-radius:4px;background-color:${C.badge};color:${C.accent};font-family:${FONT};font-size:12px;line-height:16px;font-weight:700;text-align:center;">${e.position}</span></td>` +
    `<td valign="top" class="fr-rule" style="padding:${firstInSection ? 11 : 17}px 0 20px;${firstInSection ? '' : `border-top:1px solid ${C.rule};`}">` +
    `<h3 class="fr-text" style="margin:0 0 6px;font-family:${SERIF};font-size:20px;line-height:26px;font-weight:700;color:${C.text};">${title}</h3>` +
    `<p class="fr-muted" style="margin:0 0 10px;font-family:${FONT};font-size:13px;line-height:19px;color:${C.muted};">${eventMeta(e)}</p>` +
    (e.press
      ? `<p class="fr-accent fr-press" style="margin:-4px 0 10px;font-family:${FONT};font-size:13px;line-height:19px;font-weight:700;color:${C.accent};">${h(e.press.line)}</p>`
      : '') +
    summary +
    groups +
    (e.related ?? [])
      .map(
        (r) =>
          `<p class="fr-related" style="margin:6px 0 0;font-family:${FONT};font-size:13px;line-height:18px;">` +
          `<span class="fr-muted" style="color:${C.muted};">Related:</span> ${a(r.storyUrl, h(r.headline))}</p>`,
      )
      .join('') +
    `<p style="margin:8px 0 0;font-family:${FONT};font-size:13px;line-height:18px;">${a(e.storyUrl, 'All coverage of this event →')}</p>` +
    `</td></tr></table></td></tr>`
  );
}

/** The issue's body (one table), without the document around it: what an RSS item carries. */
export function renderNewsletterHtmlBody(m: NewsletterModel): string {
  const toc = m.sections
    .map((s) => `<span style="white-space:nowrap;">${h(s.name)} <span class="fr-muted" style="color:${C.muted};">(${s.events.length})</span></span>`)
    .join(' &nbsp;·&nbsp; ');
  const sections = m.sections
    .map(
      (s) =>
        `<tr><td class="fr-pad" style="padding:26px 32px 0;">` +
        `<h2 class="fr-accent" style="margin:0;padding:0 0 6px;border-bottom:2px solid ${C.accent};font-family:${FONT};font-size:13px;line-height:18px;font-weight:700;letter-spacing:.1em;text-transform:uppercase;color:${C.accent};">${h(s.name)}</h2>` +
        `</td></tr>` +
        s.events.map((e, i) => eventBlock(e, i === 0)).join(''),
    )
    .join('');
  const empty = m.sections.length
    ? ''
    : `<tr><td class="fr-pad fr-text" style="padding:24px 32px;font-family:${FONT};font-size:15px;line-height:22px;color:${C.text};">No on-beat events were reported in this period.</td></tr>`;
  const noted = m.alsoNoted.length
    ? `<tr><td class="fr-pad" style="padding:26px 32px 18px;">` +
      `<h2 class="fr-accent" style="margin:0 0 10px;padding:0 0 6px;border-bottom:2px solid ${C.accent};font-family:${FONT};font-size:13px;line-height:18px;font-weight:700;letter-spacing:.1em;text-transform:uppercase;color:${C.accent};">Also noted</h2>` +
      m.alsoNoted
        .map(
          (n) =>
            `<p style="margin:0 0 8px;font-family:${FONT};font-size:14px;line-height:20px;">${a(n.url, h(n.headline))} ` +
            `<span class="fr-muted" style="color:${C.muted};">— ${h(n.outlet)}${n.outletCount > 1 ? ` and ${n.outletCount - 1} other outlet${n.outletCount > 2 ? 's' : ''}` : ''}</span></p>`,
        )
        .join('') +
      `</td></tr>`
    : '';
  const blind = m.blindSpots?.length
    ? `<tr><td class="fr-pad" style="padding:26px 32px 18px;">` +
      `<h2 class="fr-accent" style="margin:0 0 10px;padding:0 0 6px;border-bottom:2px solid ${C.accent};font-family:${FONT};font-size:13px;line-height:18px;font-weight:700;letter-spacing:.1em;text-transform:uppercase;color:${C.accent};">Blind spots</h2>` +
      `<p class="fr-muted" style="margin:0 0 10px;font-family:${FONT};font-size:13px;line-height:18px;color:${C.muted};">Events of the period one press covered and the other did not.</p>` +
      (['us', 'mx'] as const)
        .map((side) => {
          const list = m.blindSpots!.filter((b) => b.missing === side);
          if (!list.length) return '';
          return (
            `<p class="fr-text" style="margin:12px 0 6px;font-family:${FONT};font-size:14px;line-height:20px;font-weight:700;color:${C.text};">Missed by the ${h(pressName(m, side))}</p>` +
            list
              .map(
                (b) =>
                  `<p class="fr-blindspot" style="margin:0 0 8px;font-family:${FONT};font-size:14px;line-height:20px;">${a(b.storyUrl, h(b.headline))} ` +
                  `<span class="fr-muted" style="color:${C.muted};">— ${h(blindCoverage(b, m))}</span></p>`,
              )
              .join('')
          );
        })
        .join('') +
      `</td></tr>`
    : '';
  return (
    `<table role="presentation" class="fr-card" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="${C.card}" ` +
    `style="width:640px;max-width:640px;background-color:${C.card};border:1px solid ${C.rule};border-radius:8px;">` +
    `<tr><td class="fr-pad" style="padding:28px 32px 8px;">` +
    `<p class="fr-accent" style="margin:0 0 12px;font-family:${FONT};font-size:12px;line-height:16px;font-weight:700;letter-spacing:.18em;text-transform:uppercase;color:${C.accent};">${h(m.beat?.kicker ?? 'Frontera')}</p>` +
    `<h1 class="fr-text" style="margin:0 0 6px;font-family:${SERIF};font-size:28px;line-height:34px;font-weight:700;color:${C.text};">${h(m.title)}</h1>` +
    `<p class="fr-muted" style="margin:0 0 18px;font-family:${FONT};font-size:15px;line-height:22px;color:${C.muted};">${h(m.period.label)} (UTC)</p>` +
    figuresRow(m) +
    (toc
      ? `<p class="fr-text" style="margin:16px 0 0;font-family:${FONT};font-size:13px;line-height:20px;color:${C.text};"><strong>In this issue:</strong> ${toc}</p>`
      : '') +
    `</td></tr>` +
    sections +
    empty +
    noted +
    blind +
    `<tr><td class="fr-pad fr-band fr-rule" bgcolor="${C.band}" style="padding:20px 32px 24px;background-color:${C.band};border-top:1px solid ${C.rule};border-radius:0 0 8px 8px;">` +
    `<p class="fr-muted" style="margin:0 0 8px;font-family:${FONT};font-size:12px;line-height:18px;color:${C.muted};">` +
    `Events are ranked by how widely they were covered: outlets, coverage in both English and Spanish, official sources, then recency. ` +
    `Summaries quote the outlets' own words. Times are UTC.</p>` +
    `<p class="fr-muted" style="margin:0;font-family:${FONT};font-size:12px;line-height:18px;color:${C.muted};">` +
    `${a(m.links.storiesFeed, 'Stories feed (RSS)')} · ${a(m.links.issuesFeed, 'Newsletter feed (RSS)')} · ${a(m.links.api, 'Past issues (JSON)')}` +
    ` · Generated ${h(formatUtc(m.generatedAt))}</p>` +
    `</td></tr></table>`
  );
}

/** A complete email-safe HTML document. */
export function renderNewsletterHtml(m: NewsletterModel): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
    `<title>${h(m.title)} — ${h(m.period.label)}</title>`,
    `<style>${DARK_CSS}\n</style>`,
    '</head>',
    `<body class="fr-page" style="margin:0;padding:0;background-color:${C.page};-webkit-text-size-adjust:100%;">`,
    // Inbox preview text, then filler so the client does not pull body text into the preview.
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:${C.page};">${h(m.preheader)}${'&#8199;&#65279;&#847; '.repeat(12)}</div>`,
    `<table role="presentation" class="fr-page" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${C.page}" style="background-color:${C.page};">`,
    `<tr><td align="center" style="padding:24px 8px;">`,
    renderNewsletterHtmlBody(m),
    `</td></tr></table>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
