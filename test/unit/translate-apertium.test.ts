// The Apertium translator (src/runtime/translate/apertium.ts): a real pipeline when Debian's apertium-en-es is installed,
// and fixture mode files whose pipelines die or hang, for the failure paths.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { apertiumPipeline, apertiumTranslator, fromStream, toStream } from '../../src/runtime/translate/apertium.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/apertium');
const real = apertiumTranslator();
if (!real) console.warn('translate-apertium: real-pipeline cases skipped, Apertium es→en not installed (apt-get install apertium apertium-en-es)');
afterAll(() => real?.close());

describe('Apertium stream format', () => {
  it('escapes reserved characters, flattens lines, drops NUL; reads back without escapes or unknown-word marks', () => {
    expect(toStream('a [b] ^c$ d/e <f> @g *h {i} #j \\k\nl\0m')).toBe('a \\[b\\] \\^c\\$ d\\/e \\<f\\> \\@g \\*h \\{i\\} \\#j \\\\k lm');
    expect(fromStream('They \\[AP\\] saw \\$5 @Chapito *Tapalpa #cartel to\\/b\n')).toBe('They [AP] saw $5 Chapito Tapalpa cartel to/b');
  });

  it('builds the pipeline from a mode file: every stage in null-flush mode, no unknown-word marks', () => {
    const p = apertiumPipeline(path.join(fixtures, 'hung'), 'spa-eng');
    expect(p).toBe('tail -z -f /dev/null');
    expect(apertiumPipeline(path.join(fixtures, 'none'), 'spa-eng')).toBeNull();
  });
});

describe.skipIf(!real)('Apertium es→en, the real pipeline', () => {
  it('translates in order, one answer per text, under concurrent batches', async () => {
    const [one] = await real!.translate('es', ['Estados Unidos analiza ataques con drones contra cárteles en México.']);
    expect(one).toMatch(/United States .*drones.*cartels.*Mexico/);
    const texts = Array.from({ length: 120 }, (_, i) => `El operativo número ${i} dejó ${i} detenidos en Sinaloa.`);
    const [a, b] = await Promise.all([real!.translate('es', texts.slice(0, 60)), real!.translate('es', texts.slice(60))]);
    const all = [...a, ...b];
    expect(all).toHaveLength(120);
    all.forEach((s, i) => expect(s).toContain(` ${i} `));
    expect(await real!.translate('es', ['', 'Detienen a "El Chapito" en Culiacán [AP] $5'])).toEqual(['', expect.stringContaining('Culiacán [AP] $5')]);
    // A text holding the separator itself stays one text.
    expect(await real!.translate('es', ['la frontera [§] el cártel', 'México'])).toEqual([expect.stringContaining('[§]'), 'Mexico']);
  });

  it('an idle pipeline is stopped, and the next call starts a new one', async () => {
    const t = apertiumTranslator({ idleStopMs: 200 })!;
    expect(await t.translate('es', ['la frontera'])).toEqual(['The border']);
    expect(t.running()).toBe(1);
    // Stopped once idle for 200 ms (polled: a loaded machine may fire the timer late).
    for (let waited = 0; t.running() > 0 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(t.running()).toBe(0);
    expect(await t.translate('es', ['el cártel'])).toEqual(['The cartel']);
    t.close();
    expect(t.running()).toBe(0);
  });

  it('a language it does not serve gets nulls', async () => {
    expect(await real!.translate('fr', ['Bonjour'])).toEqual([null]);
  });
});

describe('a pipeline that fails', () => {
  it('one that exits: nulls for the texts in flight, the error reported, a new pipeline on the next call', async () => {
    const errors: string[] = [];
    const t = apertiumTranslator({ dataDir: path.join(fixtures, 'dead'), onError: (m) => errors.push(m) })!;
    expect(await t.translate('es', ['uno', 'dos'])).toEqual([null, null]);
    expect(errors[0]).toMatch(/apertium spa-eng: (exited|write EPIPE)/);
    expect(await t.translate('es', ['tres'])).toEqual([null]);
    expect(errors).toHaveLength(2);
    t.close();
  });

  it('one that hangs: nulls after the timeout, and the process group is killed', async () => {
    const errors: string[] = [];
    const t = apertiumTranslator({ dataDir: path.join(fixtures, 'hung'), timeoutMs: 300, onError: (m) => errors.push(m) })!;
    const t0 = Date.now();
    expect(await t.translate('es', ['uno'])).toEqual([null]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(errors[0]).toMatch(/no answer within/);
    t.close();
  });
});
