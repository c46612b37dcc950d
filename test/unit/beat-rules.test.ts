import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeRulesVersion, DEFAULT_RULES_FILE, defaultBeatRules, loadRules, RulesError } from '../../src/beat/index.js';

const RULES_VERSION = defaultBeatRules().rulesVersion;

const BEAT_TOPICS = [
  'us-military-action', 'cartel-designations', 'fentanyl-trafficking', 'cartel-violence',
  'extradition-justice', 'diplomacy-sovereignty', 'border-security', 'arms-trafficking',
];

describe('rules loading', () => {
  it('ships the 8 topics of beat.md with a versioned stamp', () => {
    const r = loadRules();
    expect(r.topics.map((t) => t.slug)).toEqual(BEAT_TOPICS);
    expect(r.rulesVersion).toBe(RULES_VERSION);
    expect(RULES_VERSION.startsWith(r.version + '+')).toBe(true);
  });

  it('any change to the file changes rulesVersion', async () => {
    const { readFileSync } = await import('node:fs');
    const content = readFileSync(DEFAULT_RULES_FILE, 'utf8');
    expect(computeRulesVersion('v', content)).not.toBe(computeRulesVersion('v', content + ' '));
  });

  it('reports schema problems with their paths', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'beat-rules-'));
    const bad = JSON.parse(JSON.stringify(loadRules()));
    delete bad.rulesVersion;
    bad.topics[0].slug = 'Not A Slug';
    bad.scoring.onBeatThreshold = -1;
    bad.traps[0].suppressGroups = ['no-such-group'];
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadRules(file)).toThrow(RulesError);
    try {
      loadRules(file);
    } catch (e) {
      expect((e as Error).message).toMatch(/topics\.0\.slug/);
      expect((e as Error).message).toMatch(/scoring\.onBeatThreshold/);
    }
  });

  it('reports bad patterns and semantic errors at load time', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'beat-rules-'));
    const bad = JSON.parse(JSON.stringify(loadRules()));
    delete bad.rulesVersion;
    bad.topics[0].groups[0].en.push('x*');
    bad.traps[0].suppressGroups = ['no-such-group'];
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadRules(file)).toThrow(/wildcard prefix "x\*"[\s\S]*no-such-group|no-such-group[\s\S]*wildcard/);
  });

  it('reports unreadable and non-JSON files clearly', () => {
    expect(() => loadRules('/nonexistent/rules.json')).toThrow(/cannot read file/);
    const dir = mkdtempSync(path.join(tmpdir(), 'beat-rules-'));
    writeFileSync(path.join(dir, 'x.json'), '{ nope');
    expect(() => loadRules(path.join(dir, 'x.json'))).toThrow(/not valid JSON/);
  });
});
