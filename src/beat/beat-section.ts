// The rules file's `beat` section: what readers see of the beat (its name, the 'all' feed, the site's and the
// newsletter's lines, the names of the two presses). Pages, feeds, the OpenAPI document and the newsletter
// read these strings from the loaded rules, so another rules file is another site. Every string but `id` and
// `name` may be left out: the default is derived from the name (format: docs/rules-format.md).
import { z } from 'zod';

const text = z.string().trim().min(1);

/** One of the two presses: sides are keyed by country of publication, `us` and `mx`. */
const pressSide = z.strictObject({
  /** In running text: "US press", "Mexican press". */
  name: text.optional(),
  /** Where its outlets are published, in running text: "the US", "Mexico". */
  country: text.optional(),
});

export const beatSectionSchema = z.strictObject({
  id: text,
  /** Short name, read in running text: "US–Mexico security". */
  name: text,
  /**
   * One line for readers: what the beat is, and in which languages; a noun phrase that starts a sentence and
   * follows "digests of" ("US–Mexico security news in English and Spanish").
   */
  description: text.optional(),
  /** The `all` pseudo-topic: every on-beat story. */
  all: z.strictObject({ name: text.optional(), description: text.optional() }).optional(),
  site: z
    .strictObject({
      /** Title of the front page (all topics). */
      title: text.optional(),
      /** The front page's lede (all topics). */
      lede: text.optional(),
      /** The pages' meta description. */
      tagline: text.optional(),
      /** The footer line on every page. */
      footer: text.optional(),
      /** Placeholder of the search box: a few typical queries. */
      searchHint: text.optional(),
    })
    .optional(),
  /** Labels of the classifier's evidence kinds on story cards ("Matched because …"). */
  evidence: z.strictObject({ context: text.optional(), cooccurrence: text.optional() }).optional(),
  newsletter: z.strictObject({ kicker: text.optional(), feedDescription: text.optional() }).optional(),
  /** The OpenAPI document's description: its first sentence. */
  api: z.strictObject({ description: text.optional() }).optional(),
  press: z.strictObject({ us: pressSide.optional(), mx: pressSide.optional() }).optional(),
});

export type BeatSectionInput = z.input<typeof beatSectionSchema>;

export interface PressSideNames {
  name: string;
  country: string;
}

/** The `beat` section with every string filled in: what the loaded rules carry. */
export interface BeatSection {
  id: string;
  name: string;
  description: string;
  all: { name: string; description: string };
  site: { title: string; lede: string; tagline: string; footer: string; searchHint: string };
  evidence: { context: string; cooccurrence: string };
  newsletter: { kicker: string; feedDescription: string };
  api: { description: string };
  press: { us: PressSideNames; mx: PressSideNames };
}

const EACH_EVENT_ONCE = 'each event once, with every outlet’s coverage.';

/** Fills what the file leaves out from the name (and description): a new beat needs only `id` and `name`. */
export function completeBeatSection(b: z.output<typeof beatSectionSchema>): BeatSection {
  const news = `${b.name} news`;
  const description = b.description ?? news;
  const side = (code: 'us' | 'mx') => ({
    name: b.press?.[code]?.name ?? `${code.toUpperCase()} press`,
    country: b.press?.[code]?.country ?? code.toUpperCase(),
  });
  return {
    id: b.id,
    name: b.name,
    description,
    all: { name: b.all?.name ?? `All ${news}`, description: b.all?.description ?? 'Every story on the beat, whatever its topics.' },
    site: {
      title: b.site?.title ?? `Latest ${news}`,
      lede: b.site?.lede ?? `${news}, newest activity first: ${EACH_EVENT_ONCE}`,
      tagline: b.site?.tagline ?? `${description}: ${EACH_EVENT_ONCE}`,
      footer: b.site?.footer ?? `Frontera aggregates ${news} from many outlets. Headlines link to the outlets.`,
      searchHint: b.site?.searchHint ?? `Search ${news}…`,
    },
    evidence: {
      context: b.evidence?.context ?? `${b.name} context`,
      cooccurrence: b.evidence?.cooccurrence ?? 'actors of both sides together',
    },
    newsletter: {
      kicker: b.newsletter?.kicker ?? `Frontera · ${b.name}`,
      feedDescription: b.newsletter?.feedDescription ?? `Daily and weekly digests of ${description}.`,
    },
    api: { description: b.api?.description ?? `${description}, aggregated from many outlets and clustered into stories.` },
    press: { us: side('us'), mx: side('mx') },
  };
}
