// The CLI's usage text, per-command help, and "did you mean" for a mistyped command.

export const USAGE = `usage: npm run cli -- <command> [options]      (npm run cli -- <command> --help for one command)

  sources list                         every source with its health
  sources add URL [--name N] [--lang L] [--country XX] [--no-check]
                                       add a feed (fetched once first: a page or an error is refused)
  sources filter ID [--link-includes X]... [--link-excludes X]... [--categories X]... | --clear
                                       keep only a feed's items that match (shown without options)
  sources outlet ID [NAME | --clear]   the outlet a source belongs to (default: its feed's domain)
  sources check --all | ID...          probe sources now (status, type, items, newest item age); exit 1 if any failed
  sources remove ID
  sources import FILE.opml             add exactly the feeds of an OPML file
  sources export [--out FILE]          OPML 2.0 of every source (stdout by default)
  fetch [--all | --source ID]          refresh the sources that are due (or all, or one), with progress
  classify FILE|URL...                 classify feed items without storing them (JSON lines)
  newsletter --topic all --period weekly --date YYYY-MM-DD --format html|text|md [--out FILE]
                                       a digest of the beat
  label ID on|adjacent|off [--topics a,b] [--note TEXT] [--by NAME]
                                       an editor's correction of an article, applied at once
  label ID --clear                     remove it (the classifier decides again)
  labels export [--out FILE]           every correction as labels (JSONL, the format of ../shared/labels)
`;

/** One entry per command: its usage line(s) and what it does, shown by `<command> --help`. */
const HELP: Record<string, string> = {
  'sources list': `usage: npm run cli -- sources list

Every source with its status, language, health (last HTTP status or error code × count), next check,
items stored, name and URL; the count on stderr.`,
  'sources add': `usage: npm run cli -- sources add URL [--name NAME] [--lang LANG] [--country XX] [--no-check] [--outlet NAME]
                     [--filter-link-includes X]... [--filter-link-excludes X]... [--filter-categories X]...

Adds a feed. The URL is fetched once first, as the scheduler would (same limits, same guard against
private addresses): an HTML page, an HTTP error or a blocked address is refused with the reason, and an
HTML page's advertised feeds (<link rel="alternate">) are offered instead. Without --name, the feed's
title is the source's name.
  --name NAME   display name
  --lang LANG   language of the feed (en, es, …)
  --country XX  country of publication (ISO 3166-1 alpha-2: US, MX, …); without it, inferred from the
                feed's domain (.mx → MX, .us → US, well-known outlets) and marked inferred
  --no-check    store the URL without fetching it
  --outlet NAME the outlet it belongs to (two section feeds of one newspaper: one outlet)
  --filter-link-includes X, --filter-link-excludes X, --filter-categories X
                keep only matching items (see sources filter --help)`,
  'sources check': `usage: npm run cli -- sources check --all | ID...

Probes each source now, as the scheduler would fetch it, without storing any item: prints per source the
result (ok, empty, html, failed), HTTP status, content type, item count, the newest item's age and the time
taken; for an HTML page, the feed URLs it advertises. Stores the result (the Sources page's "Last verified",
/v1/sources lastVerified) and flags a source stale when its newest item is older than STALE_AFTER_DAYS.
Exits 1 when any source failed or is an HTML page.
  --all         every active source
  ID...         these sources (any status)`,
  'sources filter': `usage: npm run cli -- sources filter ID [--link-includes X]... [--link-excludes X]... [--categories X]... | --clear

Sets the source's item filter (each option may repeat), clears it, or shows it with no option. Items are
filtered right after the feed is read: a dropped item is neither classified nor stored, and the count the
last fetch dropped is part of the source's health. Matching is by case-insensitive substring of the item's
link (never a regular expression) or by exact category.
  --link-includes X   keep an item only if its link contains one of these
  --link-excludes X   drop an item whose link contains one of these
  --categories X      keep an item only if one of its categories is one of these
  --clear             keep every item`,
  'sources outlet': `usage: npm run cli -- sources outlet ID [NAME | --clear]

Names the outlet a source belongs to, so that two section feeds of one newspaper count as one outlet in
a story's coverage. Without a name the feed's registrable domain stands for the outlet (a Google News
site: search, the site's); shown with no argument.`,
  'sources remove': `usage: npm run cli -- sources remove ID

Removes a source (its articles stay).`,
  'sources import': `usage: npm run cli -- sources import FILE.opml

Adds exactly the feeds (outlines with xmlUrl) of an OPML file, nothing else; reports how many were added,
already present and skipped, with the reason for each skipped one. Nothing is fetched.`,
  'sources export': `usage: npm run cli -- sources export [--out FILE]

OPML 2.0 of every source that is not retired, on stdout or into FILE.`,
  fetch: `usage: npm run cli -- fetch [--all | --source ID]

Refreshes the sources that are due now (their next check has come), with a progress bar; ends with the
counts "N ok / M failed" and exits 1 when any source failed.
  --all         refresh every active source, due or not
  --source ID   refresh this one source now`,
  classify: `usage: npm run cli -- classify FILE|URL...

Reads feeds (files, or URLs fetched as the scheduler would) and prints one JSON line per item with the
beat's decision, topics, entities and evidence; nothing is stored. Exits 1 when any input failed.`,
  newsletter: `usage: npm run cli -- newsletter [options]

Renders a digest of the beat from the database now (nothing is stored or sent).`,
  label: `usage: npm run cli -- label ID on|adjacent|off [--topics a,b] [--note TEXT] [--by NAME]
       npm run cli -- label ID --clear

An editor's correction of one article, applied at once; --clear removes it.`,
  'labels export': `usage: npm run cli -- labels export [--out FILE]

Every correction as labels (JSONL, the format of ../shared/labels).`,
};

export const COMMANDS = Object.keys(HELP);
const GROUPS = new Set(COMMANDS.filter((c) => c.includes(' ')).map((c) => c.split(' ')[0]!));

export function isHelpFlag(arg: string | undefined): boolean {
  return arg === '--help' || arg === '-h';
}

/** The command named by argv (one word, or a group and its subcommand), if it is one. */
export function commandOf(argv: string[]): string | null {
  const [cmd, sub] = argv;
  if (cmd && sub && HELP[`${cmd} ${sub}`]) return `${cmd} ${sub}`;
  if (cmd && HELP[cmd]) return cmd;
  return null;
}

/** Help for a command, or for a group ("sources": its subcommands), else null. */
export function helpFor(argv: string[]): string | null {
  const cmd = commandOf(argv);
  if (cmd) return HELP[cmd]!;
  const group = argv[0];
  if (group && GROUPS.has(group)) {
    return `usage: npm run cli -- ${group} <subcommand>\n\n${COMMANDS.filter((c) => c.startsWith(`${group} `))
      .map((c) => HELP[c]!.split('\n')[0]!.replace('usage: npm run cli -- ', '  '))
      .join('\n')}`;
  }
  return null;
}

/** Levenshtein distance (insertions, deletions, substitutions), for short command names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The known command nearest to what was typed: within a group ("sources lsit" → "sources list") when the
 * group is right, else among all commands, comparing as many words as the command has.
 */
export function nearestCommand(argv: string[]): string {
  const [cmd = '', sub = ''] = argv;
  const candidates = GROUPS.has(cmd) ? COMMANDS.filter((c) => c.startsWith(`${cmd} `)) : COMMANDS;
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const typed = c.includes(' ') ? `${cmd} ${sub}`.trim() : cmd;
    const d = editDistance(typed.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
