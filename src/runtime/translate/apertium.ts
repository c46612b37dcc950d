// Machine translation for cross-language clustering: Apertium (https://apertium.org, GPL, Debian's `apertium` and
// `apertium-en-es` packages), a rule-based translator that runs offline: ≈ 3.4 ms of CPU (its ten stages summed) for
// a title and a 300-character lead.
//
// One long-lived pipeline per process, started on first use, in Apertium's null-flush mode: each request is written
// in Apertium's stream format followed by NUL, and the pipeline answers with the translation followed by NUL, in
// order. The pipeline is read from the language pair's mode file (`spa-eng.mode`) and every stage gets `-z`; the
// `apertium` wrapper script is not used because it reads /dev/stdin, which Node's socket-pair stdin cannot reopen,
// and its text deformatter does not flush on NUL.
//
// Translation is best effort: a pipeline that dies, hangs or is missing yields `null` for the texts in flight and
// placement goes on without the English reading (the cross-language anchors still apply). The next call starts a
// new pipeline.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Translator } from '../../cluster/types.js';

export const DEFAULT_APERTIUM_DIR = '/usr/share/apertium';
/** Apertium's name of each language pair this translator serves: source language → mode (into English). */
const MODES: Readonly<Record<string, string>> = { es: 'spa-eng' };
/** Longest text sent (clustering sends a title, and a lead of at most 300 characters). */
const MAX_CHARS = 2_000;
/**
 * An idle pipeline is stopped after this long: its stages hold ≈ 100 MB (PSS) of transducers, which an idle
 * worker should not keep; starting one again costs ≈ 0.1 s.
 */
const IDLE_STOP_MS = 30_000;
/** By default a batch gets this long plus 1 ms per 20 characters before the pipeline is declared hung. */
const BASE_TIMEOUT_MS = 10_000;

/** The pipeline of a mode file with every stage in null-flush mode, no unknown-word marks; null when not installed. */
export function apertiumPipeline(dataDir: string, mode: string): string | null {
  const file = path.join(dataDir, 'modes', `${mode}.mode`);
  if (!existsSync(file)) return null;
  const stages = readFileSync(file, 'utf8')
    .trim()
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean)
    // $1: the generator's unknown-word option (-n: no marks); $2: the tagger's (none).
    .map((s) => s.replace(/\$1/g, '-n').replace(/\s*\$2/g, ''))
    .map((s) => (/(^|\s)-z(\s|$)/.test(s) ? s : s.replace(/^(\S+)/, '$1 -z')));
  return stages.length ? stages.join(' | ') : null;
}

/** Between two texts of one request: a superblank, passed through untouched. */
const SEPARATOR = '[§]';
const MAX_REQUEST_CHARS = 16_000;

function chunks(xs: readonly string[], maxChars: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let n = 0;
  for (const x of xs) {
    if (cur.length && n + x.length > maxChars) {
      out.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(x);
    n += x.length + SEPARATOR.length + 2;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Text → Apertium stream format: one line, its reserved characters escaped, no NUL. */
export function toStream(text: string): string {
  const t = text.replace(/\0/g, '').replace(/\s+/g, ' ').trim().slice(0, MAX_CHARS);
  return t.replace(/[\\[\]^$/<>@*{}#]/g, '\\$&');
}

/** Apertium's output → text: escapes undone, marks of words it could not translate or generate dropped. */
export function fromStream(out: string): string {
  return out
    .replace(/[#@*](?=[\p{L}\p{N}])/gu, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Pending {
  resolve: (s: string | null) => void;
}

export interface ApertiumOptions {
  dataDir?: string;
  /** How long a batch may take before the pipeline is declared hung: this plus 1 ms per 20 characters. */
  timeoutMs?: number;
  /** An idle pipeline is stopped after this long (default 30 s). */
  idleStopMs?: number;
  /** Called when the pipeline fails (it is restarted on the next call). */
  onError?: (message: string) => void;
}

export interface ApertiumTranslator extends Translator {
  /** Pipelines running now (one per source language in use; none once idle). */
  running(): number;
  close(): void;
}

/** An Apertium translator into English, or null when no language pair is installed. */
export function apertiumTranslator(opts: ApertiumOptions = {}): ApertiumTranslator | null {
  const dataDir = opts.dataDir ?? DEFAULT_APERTIUM_DIR;
  const pipelines = new Map<string, string>();
  for (const [lang, mode] of Object.entries(MODES)) {
    const p = apertiumPipeline(dataDir, mode);
    if (p) pipelines.set(lang, p);
  }
  if (pipelines.size === 0) return null;
  const running = new Map<string, Pipeline>();
  return {
    name: 'apertium',
    languages: [...pipelines.keys()],
    async translate(lang, texts) {
      const command = pipelines.get(lang);
      if (!command || texts.length === 0) return texts.map(() => null);
      let p = running.get(lang);
      if (!p || p.dead) {
        p = new Pipeline(command, opts.timeoutMs ?? BASE_TIMEOUT_MS, opts.idleStopMs ?? IDLE_STOP_MS, (m) => opts.onError?.(`apertium ${MODES[lang]}: ${m}`));
        running.set(lang, p);
      }
      return p.translate(texts);
    },
    running: () => [...running.values()].filter((p) => !p.dead).length,
    close() {
      for (const p of running.values()) p.close();
      running.clear();
    },
  };
}

class Pipeline {
  dead = false;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buf = '';
  private stderr = '';
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    command: string,
    private readonly timeoutMs: number,
    private readonly idleStopMs: number,
    private readonly onError: (message: string) => void,
  ) {
    // Its own process group, so that a hung stage can be killed with the shell that started it.
    this.child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => this.onData(d));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2_000)));
    this.child.on('error', (e) => this.fail(e.message));
    this.child.on('exit', (code, signal) => this.fail(`exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
    this.child.stdin.on('error', (e) => this.fail(e.message));
    this.idle();
  }

  /**
   * Texts go through the pipeline together, one request per ~16 KB, each text separated from the next by a
   * superblank (`[§]`, which Apertium passes through untouched): a flush costs every stage a round trip, and one
   * per text took 1.8× the wall time (3.8 against 2.1 ms per article). An answer whose separators do not match its
   * request (never seen) is reported and its texts get no translation.
   */
  async translate(texts: readonly string[]): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (const group of chunks(texts.map(toStream), MAX_REQUEST_CHARS)) {
      const parts = (await this.request(group.join(` ${SEPARATOR} `)))?.split(SEPARATOR);
      if (parts && parts.length !== group.length) this.onError(`${parts.length} answers to ${group.length} texts`);
      out.push(...group.map((_, i) => (parts && parts.length === group.length ? fromStream(parts[i]!) : null)));
    }
    return out;
  }

  /** One stream-format request in, its answer (stream format) out; null when the pipeline fails. */
  private request(stream: string): Promise<string | null> {
    if (this.dead) return Promise.resolve(null);
    this.busy();
    const answer = new Promise<string | null>((resolve) => this.queue.push({ resolve }));
    this.child.stdin.write(`${stream}\n\0`);
    this.armTimer(this.timeoutMs + stream.length / 20);
    return answer;
  }

  close(): void {
    this.fail(null);
  }

  private onData(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\0')) >= 0) {
      const out = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      // Stages also flush a bare NUL when their input ends; nothing is pending then.
      this.queue.shift()?.resolve(out);
    }
    if (this.queue.length === 0) this.idle();
  }

  private armTimer(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(`no answer within ${Math.round(ms)} ms`), ms);
  }

  /** While texts are in flight the pipeline keeps the process alive; idle, it does not. */
  private busy(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.child.ref();
    (this.child.stdout as unknown as { ref?: () => void }).ref?.();
  }

  private idle(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dead && !this.idleTimer) {
      this.idleTimer = setTimeout(() => this.fail(null), this.idleStopMs);
      this.idleTimer.unref();
    }
    this.child.unref();
    (this.child.stdout as unknown as { unref?: () => void }).unref?.();
    (this.child.stderr as unknown as { unref?: () => void }).unref?.();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
  }

  private fail(message: string | null): void {
    if (this.dead) return;
    this.dead = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = this.idleTimer = null;
    if (message !== null && this.queue.length) this.onError(message);
    for (const p of this.queue.splice(0)) p.resolve(null);
    this.child.stdin.destroy();
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.idle();
  }
}
