// npm run eval:parse [-- --verbose]: parser conformance on the shared corpus. Last line is one JSON object.
import { corpusDir, CORPUS_MISSING_MESSAGE } from '../test/helpers/corpus.js';
import { evaluateParse } from './eval-parse-lib.js';

const verbose = process.argv.includes('--verbose');
const dir = corpusDir();
if (!dir) {
  console.error(CORPUS_MISSING_MESSAGE);
  console.log(JSON.stringify({ eval: 'parse', skipped: true, suites: {} }));
  process.exit(0);
}
const started = performance.now();
const result = await evaluateParse(dir);
const ms = Math.round(performance.now() - started);

if (verbose) {
  for (const f of result.failures) console.log(`FAIL ${f.suite} ${f.file}\n     ${f.detail}`);
  console.log('');
}
console.log('suite                      pass  total   rate   n/a');
for (const [name, s] of Object.entries(result.suites)) {
  console.log(`${name.padEnd(24)} ${String(s.pass).padStart(6)} ${String(s.total).padStart(6)} ${(s.rate * 100).toFixed(1).padStart(5)}% ${String(s.notApplicable).padStart(5)}`);
}
console.log(`(${ms} ms; --verbose lists failures)`);
const suites = Object.fromEntries(
  Object.entries(result.suites).map(([k, s]) => [k, { pass: s.pass, total: s.total, rate: s.rate, notApplicable: s.notApplicable }]),
);
console.log(JSON.stringify({ eval: 'parse', suites }));
