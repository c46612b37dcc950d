import type { NewsletterEvent, NewsletterModel } from './newsletter-model.js';
import { formatUtc } from './newsletter-period.js';
import { blindCoverage, pressName } from './newsletter-text.js';

// CommonMark, ready to paste into an editor (Substack, Ghost, Buttondown, a CMS). Feed text is
// escaped so a headline cannot turn into markup; link targets are percent-encoded where Markdown
// would end them early.

/** Backslash-escapes the CommonMark punctuation that could start markup (raw HTML, entities included). Used mid-line only. */
export function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

function target(u: string): string {
  return u.replace(/[()<> ]/g, (c) => encodeURIComponent(c));
}

function link(text: string, url: string | null): string {
  return url ? `[${md(text)}](${target(url)})` : md(text);
}

function event(e: NewsletterEvent): string[] {
  const out: string[] = [];
  out.push(`### ${e.position}. ${link(e.headline, e.url)}`, '');
  const meta = [`First reported by **${md(e.firstReport.outlet)}** at ${formatUtc(e.firstReport.at)}`, `${e.outletCount} outlet${e.outletCount === 1 ? '' : 's'}`];
  if (e.languages.includes('en') && e.languages.includes('es')) meta.push('English + Español');
  if (e.officialSources.length) meta.push(`Official: ${e.officialSources.map(md).join(', ')}`);
  out.push(`*${meta.join(' · ')}*`, '');
  if (e.press) out.push(`**${md(e.press.line)}**`, '');
  if (e.summary) out.push(`> ${md(e.summary)}${e.summaryOutlet ? ` — ${md(e.summaryOutlet)}` : ''}`, '');
  for (const g of e.coverage) {
    out.push(`**${g.label}**`, '');
    for (const l of g.items) out.push(`- ${md(l.outlet)}: ${link(l.title, l.url)}`);
    if (g.more) out.push(`- + ${g.more} more`);
    out.push('');
  }
  if (e.related?.length) {
    for (const r of e.related) out.push(`Related: ${link(r.headline, r.storyUrl)}  `);
    out.push('');
  }
  out.push(`[All coverage of this event](${target(e.storyUrl)})`, '');
  return out;
}

export function renderNewsletterMarkdown(m: NewsletterModel): string {
  const f = m.figures;
  const out: string[] = [];
  out.push(`# ${md(m.title)}`, '', `**${md(m.period.label)}** (UTC)`, '');
  out.push(
    `${f.events} event${f.events === 1 ? '' : 's'} · ${f.articles} article${f.articles === 1 ? '' : 's'} · ${f.outlets} outlet${f.outlets === 1 ? '' : 's'} ` +
      `(${f.englishArticles} in English · ${f.spanishArticles} en español)`,
    '',
  );
  if (m.sections.length === 0) out.push('No on-beat events were reported in this period.', '');
  else out.push(`**In this issue:** ${m.sections.map((s) => `${md(s.name)} (${s.events.length})`).join(' · ')}`, '');
  for (const s of m.sections) {
    out.push(`## ${md(s.name)}`, '');
    for (const e of s.events) out.push(...event(e));
  }
  if (m.alsoNoted.length) {
    out.push('## Also noted', '');
    for (const n of m.alsoNoted) {
      out.push(`- ${link(n.headline, n.url)} — ${md(n.outlet)}${n.outletCount > 1 ? ` and ${n.outletCount - 1} other outlet${n.outletCount > 2 ? 's' : ''}` : ''}`);
    }
    out.push('');
  }
  if (m.blindSpots?.length) {
    out.push('## Blind spots', '', 'Events of the period one press covered and the other did not.', '');
    for (const side of ['us', 'mx'] as const) {
      const list = m.blindSpots.filter((b) => b.missing === side);
      if (!list.length) continue;
      out.push(`**Missed by the ${pressName(m, side)}**`, '');
      for (const b of list) out.push(`- ${link(b.headline, b.storyUrl)} — ${md(blindCoverage(b, m))}`);
      out.push('');
    }
  }
  out.push('---', '');
  out.push(
    "*Events are ranked by how widely they were covered: outlets, coverage in both English and Spanish, official sources, then recency. Summaries quote the outlets' own words. Times are UTC.*",
    '',
  );
  out.push(
    `[Stories feed (RSS)](${target(m.links.storiesFeed)}) · [Newsletter feed (RSS)](${target(m.links.issuesFeed)}) · [Past issues (JSON)](${target(m.links.api)}) · Generated ${formatUtc(m.generatedAt)}`,
    '',
  );
  return out.join('\n');
}
