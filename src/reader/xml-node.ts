// Accessors for the xml2js tree rss-parser builds (explicitArray: true, attributes under "$", text under "_"
// when the element also has attributes or children, else the element is the bare string).
export type XNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };

export function children(node: XNode | undefined, name: string): XNode[] {
  if (node === undefined || typeof node === 'string') return [];
  const v = node[name];
  return Array.isArray(v) ? (v as XNode[]) : [];
}

export function first(node: XNode | undefined, name: string): XNode | undefined {
  return children(node, name)[0];
}

export function attr(node: XNode | undefined, name: string): string | null {
  if (node === undefined || typeof node === 'string' || !node.$) return null;
  const v = node.$[name];
  return typeof v === 'string' ? v : null;
}

/** Text content of an element; null when absent or when it has no text at all. */
export function textOf(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  if (typeof node === 'string') return node;
  return typeof node._ === 'string' ? node._ : null;
}

const WRAPPER = /^<((?:[\w-]+:)?div)\b[^>]*>([\s\S]*)<\/\1\s*>$/;

/** Atom type="xhtml": the content is one XHTML div whose children are the value (RFC 4287 §3.1.1.3). */
export function xhtmlInner(markup: string): string {
  const t = markup.trim();
  const m = WRAPPER.exec(t);
  const inner = m ? m[2] : t;
  // Namespace prefixes (<xhtml:b>) mean nothing to an HTML consumer.
  return inner.replace(/<(\/?)[A-Za-z][\w-]*:(?=[A-Za-z])/g, '<$1');
}
