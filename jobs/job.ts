import type { Deps } from '../src/deps.js';

// What every job is given and what the registry holds. A module of its own: each job imports these types and the
// registry imports each job, so neither imports the other.

export interface JobContext {
  signal: AbortSignal;
  /** Progress for on-demand runs (a terminal progress bar); scheduled runs log instead. */
  progress?: (done: number, total: number) => void;
}

export interface JobDefinition {
  name: string;
  description: string;
  run(deps: Deps, ctx: JobContext): Promise<unknown>;
}
