#!/usr/bin/env bash
# Runs every eval:* and bench:* script once and collects the JSON line each one ends with, so that two
# checkouts measured one after the other on the same machine can be compared line by line.
#   scripts/measure-all.sh OUT.jsonl [name…]      (default: all; names such as eval:clusters bench:api)
# Knobs keep one pass under an hour on 2 cores; override any of them in the environment.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/measure-all.sh OUT.jsonl [script…]}
shift
all=(eval:parse eval:relevance eval:clusters eval:stories bench:classify bench:cluster bench:api bench:ingest
     bench:render bench:memory bench:load bench:scale-out bench:scale)
names=("${@:-${all[@]}}")
[ $# -eq 0 ] && names=("${all[@]}")
export BENCH_SIZES=${BENCH_SIZES:-10000,100000}
export BENCH_SECONDS=${BENCH_SECONDS:-5}
export BENCH_REPEAT=${BENCH_REPEAT:-1}
export BENCH_DURATION_S=${BENCH_DURATION_S:-20}
export BENCH_WORKERS=${BENCH_WORKERS:-1,2}
export BENCH_SCALE_BATCHES=${BENCH_SCALE_BATCHES:-3}
: > "$out"
for n in "${names[@]}"; do
  log="${out%.jsonl}.${n/:/-}.log"
  t0=$(date +%s)
  if [ "$n" = bench:api ] && [ -n "${MEASURE_API_DATABASE_URL:-}" ]; then
    # bench:api keeps its filled database between runs; each checkout needs its own (its own migrations).
    DATABASE_URL=$MEASURE_API_DATABASE_URL npm run -s "$n" > "$log" 2>&1
  else
    npm run -s "$n" > "$log" 2>&1
  fi
  rc=$?
  line=$(grep -E '^\{.*\}$' "$log" | tail -n 1)
  printf '{"script":"%s","rc":%d,"seconds":%d,"result":%s}\n' "$n" "$rc" "$(( $(date +%s) - t0 ))" "${line:-null}" >> "$out"
  echo "$n rc=$rc $(( $(date +%s) - t0 )) s"
done
