import type { NewsletterBlindSpot, NewsletterEvent, NewsletterModel } from './newsletter-model.js';
import { formatUtc } from './newsletter-period.js';

// Plain text (the text/plain part of the email): wrapped at 72 columns, URLs on their own lines so
// mail clients make them clickable and never break them.

const WIDTH = 72;

/** Greedy word wrap; a word longer than the line (a URL) gets a line of its own. */
export function wrap(text: string, indent = '', width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

function event(e: NewsletterEvent): string[] {
  const out: string[] = [];
  out.push(...wrap(`${e.position}. ${e.headline}`, '').map((l, i) => (i === 0 ? l : `   ${l}`)));
  const meta = [`First reported by ${e.firstReport.outlet} at ${formatUtc(e.firstReport.at)}`, `${e.outletCount} outlet${e.outletCount === 1 ? '' : 's'}`];
  if (e.languages.includes('en') && e.languages.includes('es')) meta.push('English + Español');
  if (e.officialSources.length) meta.push(`Official: ${e.officialSources.join(', ')}`);
  out.push(...wrap(meta.join(' · '), '   '));
  if (e.press) out.push(...wrap(e.press.line, '   '));
  if (e.url) out.push(`   ${e.url}`);
  if (e.summary) {
    out.push('');
    out.push(...wrap(`${e.summary}${e.summaryOutlet ? ` (${e.summaryOutlet})` : ''}`, '   '));
  }
  for (const g of e.coverage) {
    out.push('', `   ${g.label}:`);
    for (const l of g.items) {
      out.push(...wrap(`- ${l.outlet}: ${l.title}`, '     ').map((x) => x.replace(/^ {5}- /, '   - ')));
      if (l.url) out.push(`     ${l.url}`);
    }
    if (g.more) out.push(`   + ${g.more} more`);
  }
  if (e.related?.length) {
    out.push('');
    for (const r of e.related) out.push(...wrap(`Related: ${r.headline}`, '   '), `     ${r.storyUrl}`);
  }
  out.push('', `   All coverage: ${e.storyUrl}`);
  return out;
}

/** A press's name from the issue's beat ("Mexican press"); issues stored before the model carried it name the side by its code. */
export function pressName(m: Pick<NewsletterModel, 'beat'>, side: 'us' | 'mx'): string {
  return m.beat?.press[side] ?? `${side.toUpperCase()} press`;
}

/** "only the Mexican press, 2 outlets". */
export function blindCoverage(b: NewsletterBlindSpot, m: Pick<NewsletterModel, 'beat'>): string {
  return `only the ${pressName(m, b.missing === 'us' ? 'mx' : 'us')}, ${b.outlets} outlet${b.outlets === 1 ? '' : 's'}`;
}

export function renderNewsletterText(m: NewsletterModel): string {
  const out: string[] = [];
  const f = m.figures;
  out.push(...wrap(m.title.toUpperCase()));
  out.push(`${m.period.label} (UTC)`);
  out.push('');
  out.push(`${f.events} event${f.events === 1 ? '' : 's'} · ${f.articles} article${f.articles === 1 ? '' : 's'} · ${f.outlets} outlet${f.outlets === 1 ? '' : 's'}`);
  out.push(`${f.englishArticles} in English · ${f.spanishArticles} en español`);
  out.push('='.repeat(WIDTH));
  if (m.sections.length === 0) out.push('', 'No on-beat events were reported in this period.');
  else {
    out.push('', 'IN THIS ISSUE');
    for (const s of m.sections) out.push(`- ${s.name} (${s.events.length})`);
  }
  for (const s of m.sections) {
    out.push('', '', s.name.toUpperCase(), '-'.repeat(Math.min(WIDTH, s.name.length)));
    for (const e of s.events) out.push('', ...event(e));
  }
  if (m.alsoNoted.length) {
    out.push('', '', 'ALSO NOTED', '-'.repeat(10));
    for (const n of m.alsoNoted) {
      out.push('', ...wrap(`- ${n.headline} (${n.outlet}${n.outletCount > 1 ? ` and ${n.outletCount - 1} other outlet${n.outletCount > 2 ? 's' : ''}` : ''})`, '  ').map((x) => x.replace(/^ {2}- /, '- ')));
      if (n.url) out.push(`  ${n.url}`);
    }
  }
  if (m.blindSpots?.length) {
    out.push('', '', 'BLIND SPOTS', '-'.repeat(11));
    out.push(...wrap('Events of the period one press covered and the other did not.'));
    for (const side of ['us', 'mx'] as const) {
      const list = m.blindSpots.filter((b) => b.missing === side);
      if (!list.length) continue;
      out.push('', `Missed by the ${pressName(m, side)}:`);
      for (const b of list) {
        out.push(...wrap(`- ${b.headline} (${blindCoverage(b, m)})`, '  ').map((x) => x.replace(/^ {2}- /, '- ')));
        out.push(`  ${b.storyUrl}`);
      }
    }
  }
  out.push('', '', '-- ');
  out.push(
    ...wrap(
      'Events are ranked by how widely they were covered: outlets, coverage in both English and Spanish, official sources, then recency. Summaries quote the outlets\' own words. Times are UTC.',
    ),
  );
  out.push(`Stories feed: ${m.links.storiesFeed}`, `Newsletter feed: ${m.links.issuesFeed}`, `Past issues: ${m.links.api}`);
  out.push(`Generated ${formatUtc(m.generatedAt)}`);
  return `${out.join('\n')}\n`;
}
