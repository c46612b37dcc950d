import { z } from 'zod';
import type { NormalizedItem } from '../model/types.js';

// A per-source filter for feeds that mix what we follow with what we don't (CBP's media-releases feed
// carries local releases beside the national ones). Plain case-insensitive substrings, never regular
// expressions: the patterns are matched against untrusted feed text, and a user's regex could backtrack.

const Needle = z.string().trim().min(1).max(200);
const Needles = z.array(Needle).min(1).max(50);

export const ItemFilterSchema = z
  .object({
    /** Keep an item only if its link contains one of these. */
    linkIncludes: Needles.optional(),
    /** Drop an item whose link contains one of these. */
    linkExcludes: Needles.optional(),
    /** Keep an item only if one of its categories equals one of these (case-insensitive). */
    categoriesAny: Needles.optional(),
  })
  .strict()
  .refine((f) => f.linkIncludes || f.linkExcludes || f.categoriesAny, 'an item filter needs linkIncludes, linkExcludes or categoriesAny');

export type ItemFilter = z.infer<typeof ItemFilterSchema>;

/** The validated filter, or throws a readable error naming what is wrong. */
export function parseItemFilter(raw: unknown): ItemFilter {
  const r = ItemFilterSchema.safeParse(raw);
  if (!r.success) throw new Error(`invalid item filter: ${r.error.issues.map((i) => `${i.path.join('.') || 'filter'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function itemPasses(item: NormalizedItem, f: ItemFilter): boolean {
  const link = (item.url ?? item.canonicalUrl ?? '').toLowerCase();
  if (f.linkIncludes && !f.linkIncludes.some((n) => link.includes(n.toLowerCase()))) return false;
  if (f.linkExcludes && f.linkExcludes.some((n) => link.includes(n.toLowerCase()))) return false;
  if (f.categoriesAny) {
    const cats = new Set(item.categories.map((c) => c.trim().toLowerCase()));
    if (!f.categoriesAny.some((n) => cats.has(n.toLowerCase()))) return false;
  }
  return true;
}

/** The items the filter keeps, and how many it dropped. No filter keeps everything. */
export function applyItemFilter(items: NormalizedItem[], f: ItemFilter | null | undefined): { items: NormalizedItem[]; filtered: number } {
  if (!f) return { items, filtered: 0 };
  const kept = items.filter((it) => itemPasses(it, f));
  return { items: kept, filtered: items.length - kept.length };
}
