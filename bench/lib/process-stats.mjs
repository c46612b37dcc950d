// Preload (`node --import ./bench/lib/process-stats.mjs dist/api/main.js`): what a measured process did during
// a bench window, written as JSON to $BENCH_STATS_FILE when it exits. Plain JavaScript so that it preloads into
// the compiled entry points without tsx.
//   - CPU time (user + system), peak RSS;
//   - event-loop delay (perf_hooks.monitorEventLoopDelay): how long a ready callback waited, the stalls that
//     make a closed-loop client's tail; the seconds whose worst delay passed 100 ms are counted;
//   - garbage collection: pauses, their total and the longest, by kind;
//   - on Linux, the main thread's time runnable but waiting for a CPU (/proc/thread-self/schedstat): the part of
//     the event-loop delay that is the machine's other processes, not this one's work;
//   - with BENCH_ROUTE_TIMES=1, per request URL the time from its headers parsed to its response finished
//     (diagnostics_channel http.server.*), which does not include the wait before the loop reads the request,
//     and how the response cache answered (its X-Cache header: hit, stale, shared, miss; none when not cached).
// SIGUSR2 starts the window again (the bench sends it when the load starts, so start-up is left out).
import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHistogram, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_STATS_FILE;
if (file) {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  /** [on CPU, waiting on a run queue] of the main thread, ns; null where /proc has no schedstat. */
  const sched = () => {
    try {
      const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
      return [run, wait];
    } catch {
      return null;
    }
  };
  let sched0 = sched();
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  // perf_hooks gc entry kinds (constants.NODE_PERFORMANCE_GC_*): 1 minor (scavenge), 4 major (mark-compact), 8 incremental marking, 16 weak callbacks.
  const GC_KINDS = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' };
  const freshGc = () => ({ count: 0, total_ms: 0, max_ms: 0, by_kind: {} });
  let gc = freshGc();
  let stallSeconds = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.total_ms += e.duration;
      gc.max_ms = Math.max(gc.max_ms, e.duration);
      const kind = GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind);
      const k = (gc.by_kind[kind] ??= { count: 0, total_ms: 0, max_ms: 0 });
      k.count++;
      k.total_ms += e.duration;
      k.max_ms = Math.max(k.max_ms, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  // A second histogram per second: the whole-window one cannot say how many separate stalls there were.
  const perSecond = monitorEventLoopDelay({ resolution: 10 });
  perSecond.enable();
  setInterval(() => {
    if (perSecond.max > 100e6) stallSeconds++;
    perSecond.reset();
  }, 1000).unref();

  const routes = new Map();
  if (process.env.BENCH_ROUTE_TIMES === '1') {
    const started = new WeakMap();
    diagnosticsChannel.subscribe('http.server.request.start', ({ request }) => started.set(request, performance.now()));
    diagnosticsChannel.subscribe('http.server.response.finish', ({ request, response }) => {
      const t = started.get(request);
      if (t === undefined) return;
      let r = routes.get(request.url);
      if (!r) {
        if (routes.size >= 64) return;
        routes.set(request.url, (r = { h: createHistogram(), cache: {} }));
      }
      r.h.record(Math.max(1, Math.round((performance.now() - t) * 1000)));
      // writeHead(status, headers) leaves nothing for getHeader(): read the head Node wrote.
      const how = /\r\nx-cache: *([\w-]+)/i.exec(response._header ?? '')?.[1]?.toLowerCase() ?? 'none';
      r.cache[how] = (r.cache[how] ?? 0) + 1;
    });
  }

  process.on('SIGUSR2', () => {
    loop.reset();
    perSecond.reset();
    cpu0 = process.cpuUsage();
    sched0 = sched();
    t0 = performance.now();
    gc = freshGc();
    stallSeconds = 0;
    for (const r of routes.values()) {
      r.h.reset();
      r.cache = {};
    }
  });

  process.once('exit', () => {
    const cpu = process.cpuUsage(cpu0);
    const us = (n) => Math.round(n / 10) / 100;
    const s1 = sched();
    const out = {
      pid: process.pid,
      window_s: Math.round(performance.now() - t0) / 1000,
      cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      main_thread_ms: s1 && sched0 ? { on_cpu: Math.round((s1[0] - sched0[0]) / 1e6), waiting_for_cpu: Math.round((s1[1] - sched0[1]) / 1e6) } : null,
      max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      loop_delay_ms: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
      stall_seconds_over_100ms: stallSeconds,
      gc: {
        count: gc.count,
        total_ms: Math.round(gc.total_ms),
        max_ms: Math.round(gc.max_ms),
        by_kind: Object.fromEntries(Object.entries(gc.by_kind).map(([k, v]) => [k, { count: v.count, total_ms: Math.round(v.total_ms), max_ms: Math.round(v.max_ms) }])),
      },
      routes_ms: Object.fromEntries(
        [...routes].map(([url, { h, cache }]) => [url, { n: h.count, p50: us(h.percentile(50)), p99: us(h.percentile(99)), max: us(h.max), cache }]),
      ),
    };
    try {
      writeFileSync(file, JSON.stringify(out));
    } catch {}
  });
}
