// The beat's clustering lexicon as data: surface forms in either language → one shared id, so that an English
// and a Spanish article about one event share evidence (src/cluster/lexicon.ts matches it). Held by the rules
// (`lexicon`, or the file `lexiconFile` names) and validated with them (format: docs/rules-format.md).
import { z } from 'zod';
import { foldText } from '../dedup/fingerprint.js';

/** Longest form, in words: the matcher tries phrases of at most this many words. */
export const MAX_LEXICON_PHRASE_WORDS = 4;

const KIND_PREFIX = { concept: 'c', place: 'p', org: 'o' } as const;

export const lexiconEntrySchema = z.strictObject({
  /** `c:<concept>`, `p:<place>`, `o:<organisation>`: the anchor every form of the entry becomes. */
  id: z.string().regex(/^[cpo]:[a-z0-9-]+$/, 'id must be "c:", "p:" or "o:" and a kebab-case name'),
  kind: z.enum(['concept', 'place', 'org']),
  /** Folded forms (lower case, no accents, punctuation → space), one to four words. */
  forms: z.array(z.string().min(1)).min(1),
});

export type LexiconEntry = z.infer<typeof lexiconEntrySchema>;

/** A lexicon file named by the rules (`lexiconFile`): `{ "entries": [...] }`, other keys (a description) ignored. */
export const lexiconFileSchema = z.object({ entries: z.array(lexiconEntrySchema) }).passthrough();

/** Problems a schema cannot see: duplicate ids, an id whose prefix is not its kind, forms the matcher never meets. */
export function lexiconProblems(entries: readonly LexiconEntry[], where = 'lexicon'): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) problems.push(`${where}: duplicate id "${e.id}"`);
    ids.add(e.id);
    if (!e.id.startsWith(`${KIND_PREFIX[e.kind]}:`)) problems.push(`${where}.${e.id}: a ${e.kind} id starts with "${KIND_PREFIX[e.kind]}:"`);
    for (const f of e.forms) {
      // Articles are folded before matching: a form with capitals, accents or punctuation would never match.
      if (foldText(f) !== f) problems.push(`${where}.${e.id}: form "${f}" is not folded (write "${foldText(f)}")`);
      else if (f.split(' ').length > MAX_LEXICON_PHRASE_WORDS) problems.push(`${where}.${e.id}: form "${f}" is longer than ${MAX_LEXICON_PHRASE_WORDS} words`);
    }
  }
  return problems;
}
