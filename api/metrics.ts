// A small Prometheus registry (text exposition format 0.0.4), shared by the API and, if they wish,
// the jobs (import { metrics } and increment). No dependency: counters, gauges, histograms with labels.

type Labels = Record<string, string | number>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelKey(names: readonly string[], labels: Labels): string {
  return names.map((n) => `${n}="${escapeLabel(String(labels[n] ?? ''))}"`).join(',');
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
}

interface Metric {
  render(): string;
}

abstract class Base implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: readonly string[],
  ) {}
  protected header(): string {
    return `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
  }
  protected series(suffix: string, key: string, extra = ''): string {
    const all = [key, extra].filter(Boolean).join(',');
    return `${this.name}${suffix}${all ? `{${all}}` : ''}`;
  }
  abstract render(): string;
}

export class Counter extends Base {
  private values = new Map<string, number>();
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'counter', labelNames);
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(this.labelNames, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    let out = this.header();
    for (const [k, v] of this.values) out += `${this.series('', k)} ${fmt(v)}\n`;
    return out;
  }
}

export class Gauge extends Base {
  private values = new Map<string, number>();
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'gauge', labelNames);
  }
  set(labels: Labels, value: number): void {
    this.values.set(labelKey(this.labelNames, labels), value);
  }
  render(): string {
    let out = this.header();
    for (const [k, v] of this.values) out += `${this.series('', k)} ${fmt(v)}\n`;
    return out;
  }
}

export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Base {
  private data = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    readonly buckets: readonly number[] = DEFAULT_LATENCY_BUCKETS,
  ) {
    super(name, help, 'histogram', labelNames);
  }
  observe(labels: Labels, value: number): void {
    const k = labelKey(this.labelNames, labels);
    let d = this.data.get(k);
    if (!d) this.data.set(k, (d = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    // Per-bucket (non-cumulative) counts; cumulated at render time.
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) d.counts[i]!++;
    d.sum += value;
    d.count++;
  }
  render(): string {
    let out = this.header();
    for (const [k, d] of this.data) {
      let cum = 0;
      this.buckets.forEach((b, i) => {
        cum += d.counts[i]!;
        out += `${this.series('_bucket', k, `le="${fmt(b)}"`)} ${cum}\n`;
      });
      out += `${this.series('_bucket', k, 'le="+Inf"')} ${d.count}\n`;
      out += `${this.series('_sum', k)} ${fmt(d.sum)}\n`;
      out += `${this.series('_count', k)} ${d.count}\n`;
    }
    return out;
  }
}

export class MetricsRegistry {
  private metrics = new Map<string, Metric>();

  private add<M extends Base>(m: M): M {
    const existing = this.metrics.get(m.name);
    if (existing) {
      if (existing.constructor !== m.constructor) throw new Error(`metric ${m.name} registered with another type`);
      return existing as M;
    }
    this.metrics.set(m.name, m);
    return m;
  }
  /** Get-or-create: registering the same name twice returns the first metric. */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }
  render(): string {
    return [...this.metrics.values()].map((m) => m.render()).join('');
  }
}

/** The process-wide registry: the API's request metrics live here; jobs may add theirs. */
export const metrics = new MetricsRegistry();

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
