// Light, language-agnostic stemming shared by features (terms) and similarity (which anchors repeat a term).

/**
 * Prefix length of {@link stemLite}. Truncation is a crude but language-agnostic stemmer that also joins
 * EN/ES cognates (extradition/extradición → "extra", fentanyl/fentanilo → "fenta"); 5 beat 6 and 7 on the
 * Google News and SemEval sets.
 */
export const STEM_PREFIX = 5;

/** Light, language-agnostic stemming: drop a short plural 's', then keep the first STEM_PREFIX characters. */
export function stemLite(tok: string): string {
  let t = tok;
  if (t.length <= 7 && t.length > 3 && t.endsWith('s') && !t.endsWith('ss')) t = t.slice(0, -1);
  return t.length > STEM_PREFIX ? t.slice(0, STEM_PREFIX) : t;
}
