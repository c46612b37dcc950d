// The process's translator for clustering: configured once at start (TRANSLATOR), used by every placement path
// (ingest, recluster, reclassification, the evaluation) unless a caller passes its own (ClusterOptions.translator).
import type { ClusterOptions, Translator } from '../../cluster/types.js';
import { AppError } from '../../errors.js';
import { apertiumTranslator, DEFAULT_APERTIUM_DIR, type ApertiumTranslator } from './apertium.js';

export type TranslatorSetting = 'auto' | 'apertium' | 'off';

let current: ApertiumTranslator | null | undefined;

/**
 * auto: Apertium when its Spanish→English data is installed, else none; apertium: required (a clear error at
 * start when missing); off: none. Returns the translator in use.
 */
export function configureTranslation(setting: TranslatorSetting, opts: { dataDir?: string; onError?: (message: string) => void } = {}): Translator | null {
  current?.close();
  if (setting === 'off') return (current = null);
  const t = apertiumTranslator({ dataDir: opts.dataDir, onError: opts.onError });
  if (!t && setting === 'apertium') {
    throw new AppError(
      'config_invalid',
      `TRANSLATOR=apertium but no Apertium language pair into English is installed under ${opts.dataDir ?? DEFAULT_APERTIUM_DIR} (Debian: apt-get install apertium apertium-en-es), or set TRANSLATOR=auto`,
    );
  }
  return (current = t);
}

/** The configured translator; unconfigured, the automatic choice. */
export function processTranslator(): Translator | null {
  if (current === undefined) configureTranslation('auto');
  return current ?? null;
}

/** Stops the translator's process (it restarts on next use). */
export function closeTranslation(): void {
  current?.close();
}

/** Placement options with the process's translator, unless the caller chose one (or none: null). */
export function withProcessTranslator(opts: ClusterOptions): ClusterOptions {
  return opts.translator === undefined ? { ...opts, translator: processTranslator() } : opts;
}
