// Generic helpers with no domain meaning, shared by any layer.
/** Groups `xs` by `key`, groups and their members in first-seen order. */
export function groupBy<K, T>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = out.get(k);
    if (g) g.push(x);
    else out.set(k, [x]);
  }
  return out;
}
