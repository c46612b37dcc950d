// npm run eval:relevance [-- --labels FILE] [--verbose]
// Scores the beat classifier (and a naive keyword baseline) on hand-labelled items; ends with one JSON line.
import { createClassifier, explainClassification, loadRules } from '../src/beat/index.js';
import { findSharedDir, SHARED_MISSING_MESSAGE } from './shared-dir.js';
import {
  baselinePredictor, Corpus, defaultLabelsFile, evaluate, figures, joinLabels, readLabels,
  type BinaryMetrics, type EvalReport,
} from './eval-relevance-lib.js';
import { isHeldOut, leaveOneOutletOut } from './eval-relevance-splits.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(name + '='))?.slice(name.length + 1);
}
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');

const shared = findSharedDir();
if (!shared) {
  console.log(SHARED_MISSING_MESSAGE);
  console.log(JSON.stringify({ eval: 'relevance', skipped: true }));
  process.exit(0);
}
const labelsFile = arg('--labels') ?? defaultLabelsFile(shared);
const rules = loadRules(arg('--rules') ?? process.env.BEAT_RULES_FILE);
const classify = createClassifier(rules);

const labels = readLabels(labelsFile);
const { items, failures } = joinLabels(labels, new Corpus(shared));
console.log(`labels: ${labelsFile} (${labels.length}); joined ${items.length}; join failures ${failures.length}; rules ${rules.rulesVersion}`);
for (const f of failures) console.log(`  JOIN FAILURE ${f.key}: ${f.reason}`);

const model = evaluate(items, (x) => classify(x));
const baseline = evaluate(items, baselinePredictor);

const f = (x: number | null) => (x === null ? '  n/a' : x.toFixed(3));
const line = (name: string, m: BinaryMetrics, b: BinaryMetrics) =>
  `${name.padEnd(10)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  (tp ${m.tp} fp ${m.fp} fn ${m.fn})` +
  `   | baseline P ${f(b.precision)}  R ${f(b.recall)}  F1 ${f(b.f1)}  (tp ${b.tp} fp ${b.fp} fn ${b.fn})`;

console.log('\non_beat vs off_beat            model                                          | naive baseline (Mexico/cartel/border)');
console.log(line('overall', model.overall, baseline.overall));
for (const lang of Object.keys(model.byLang)) console.log(line(`  ${lang}`, model.byLang[lang], baseline.byLang[lang]));
console.log(`adjacent   ${model.adjacent.n} items: model lets ${model.adjacent.leakedOnBeat} into on_beat (${model.adjacent.predictedAdjacent} called adjacent); baseline lets ${baseline.adjacent.leakedOnBeat}`);
console.log(`topics     micro-F1 model ${f(model.topics.microF1)} (tp ${model.topics.tp} fp ${model.topics.fp} fn ${model.topics.fn}); baseline ${f(baseline.topics.microF1)} (no topics)`);

// Generalisation: the rules on the split their authors did not read, and the learned layer leave-one-outlet-out.
const heldItems = items.filter((i) => isHeldOut(i.label.key));
const tuneItems = items.filter((i) => !isHeldOut(i.label.key));
const rulesTune = evaluate(tuneItems, (x) => classify(x));
const rulesHeld = evaluate(heldItems, (x) => classify(x));
const skipLearned = process.argv.includes('--no-learned');
const loooPred = skipLearned ? null : leaveOneOutletOut(items, rules);
const looo = loooPred ? evaluate(items, (x) => loooPred.get(x.key)!) : null;
const loooHeld = loooPred ? evaluate(heldItems, (x) => loooPred.get(x.key)!) : null;

const short = (name: string, r: EvalReport) => {
  const parts = Object.entries(r.byLang).map(([l, m]) => `${l} P ${f(m.precision)} R ${f(m.recall)} (tp ${m.tp} fp ${m.fp} fn ${m.fn})`);
  return `${name.padEnd(34)} ${parts.join('  ')}  adjacent leaked ${r.adjacent.leakedOnBeat}/${r.adjacent.n}`;
};
console.log('\ngeneralisation (per language; on_beat vs off_beat); the held-out split\'s figures before its errors were read: docs/beat-evaluation.md');
console.log(short('rules, tune split', rulesTune));
console.log(short('rules, held-out split', rulesHeld));
if (looo && loooHeld) {
  console.log(short('rules+learned, leave-one-outlet-out', looo));
  console.log(short('  … of which held-out split', loooHeld));
}

if (verbose) printErrors(model);
else console.log(`(${model.errors.length} errors; --verbose lists them)`);

function printErrors(r: EvalReport) {
  console.log('\nerrors (gold → predicted):');
  const byKey = new Map(items.map((i) => [i.label.key, i]));
  for (const e of r.errors) {
    const it = byKey.get(e.key)!;
    const c = classify({ title: it.title, text: it.text, lang: it.label.lang });
    console.log(`- ${e.key} ${e.gold}[${e.goldTopics.join(',')}] → ${e.predicted}[${e.predictedTopics.join(',')}]  "${e.title}"`);
    console.log(`    ${explainClassification(c)}`);
  }
}

console.log(JSON.stringify({
  eval: 'relevance', labels: labelsFile, n: model.n, join_failures: failures.length, rules_version: rules.rulesVersion,
  model: figures(model), rules_tune_split: figures(rulesTune), rules_held_out_split: figures(rulesHeld),
  learned_leave_one_outlet_out: looo ? figures(looo) : null, learned_looo_held_out_split: loooHeld ? figures(loooHeld) : null,
  baseline: figures(baseline),
}));
