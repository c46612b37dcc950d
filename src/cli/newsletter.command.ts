import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { customPeriod, parseDay, periodContaining, type Period } from '../render/newsletter-period.js';
import { buildNewsletter, renderNewsletter, type NewsletterFormat } from '../services/newsletter.js';

export const NEWSLETTER_USAGE = `  newsletter [--topic SLUG|all] [--period daily|weekly] [--date YYYY-MM-DD]
             [--from YYYY-MM-DD --to YYYY-MM-DD] [--format html|text|md|json] [--out FILE]
                                       a digest of the beat (UTC periods; weekly = the ISO week
                                       containing --date, default today); stdout without --out`;

const FORMATS = ['html', 'text', 'md', 'json'] as const;

function bad(message: string, parameter: string): AppError {
  return new AppError('invalid_parameter', message, { details: { parameter } });
}

/** `npm run cli -- newsletter …`: renders a digest from the database now (nothing is stored or sent). */
export async function newsletterCommand(args: string[], withDeps: <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      topic: { type: 'string', default: 'all' },
      period: { type: 'string' },
      date: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'html' },
      out: { type: 'string' },
    },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw bad(`--format must be one of ${FORMATS.join(', ')}`, 'format');
  const custom = values.from !== undefined || values.to !== undefined || values.period === 'custom';
  if (custom && (!values.from || !values.to)) throw bad('--from and --to go together (both days inclusive)', 'from');
  if (custom && values.date) throw bad('--date does not apply to --from/--to', 'date');
  const kind = values.period ?? (custom ? 'custom' : 'weekly');
  if (!['daily', 'weekly', 'custom'].includes(kind)) throw bad('--period must be daily or weekly (or give --from/--to)', 'period');

  // Bad dates fail before the database is opened.
  const fixed: Period | null = custom
    ? customPeriod(parseDay(values.from!, 'from'), parseDay(values.to!, 'to'))
    : values.date
      ? periodContaining(kind as 'daily' | 'weekly', parseDay(values.date))
      : null;

  return withDeps(async (deps) => {
    const now = deps.clock();
    const period = fixed ?? periodContaining(kind as 'daily' | 'weekly', now);
    const model = await buildNewsletter(deps.db, deps.topics, { slug: values.topic!, period, baseUrl: deps.config.publicBaseUrl, now });
    const out = format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : renderNewsletter(model, format as NewsletterFormat);
    if (values.out) {
      fs.writeFileSync(values.out, out);
      console.error(`${model.figures.events} events, ${model.figures.articles} articles (${model.period.label}) → ${values.out} (${Buffer.byteLength(out)} bytes)`);
    } else process.stdout.write(out);
    return 0;
  });
}
