// The layers of docs/architecture.md, checked by `npm run check:deps` (part of `npm test`). Paths are relative to
// the repository root. Each rule's comment is what its violator reads: what to do instead.
//
//   api/  jobs/  src/cli/        entry points: HTTP, schedules, terminal            (top)
//   src/deps.ts                  the one composition root (opens the database, builds the services' inputs)
//   src/services/                orchestration: owns transactions, calls repositories, runtime and pure code
//   db/repositories/  src/runtime/   SQL / threads, pools and limiters
//   src/<everything else>        pure domain: reader, beat, cluster, dedup, render, model, press, … (bottom)

/** Pure domain: every folder of src/ but the orchestration, runtime and entry ones, and the composition root. */
const PURE = '^src/';
const NOT_PURE = ['^src/services/', '^src/runtime/', '^src/cli/', '^src/deps\\.ts$'];
const TOP = '^(api|jobs|src/cli)/';
// (^|/): a package may resolve from a node_modules above the working directory.
const DB_DRIVERS = '(^|/)node_modules/(kysely|pg|@electric-sql/pglite)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import circle. Break it where the two modules share something: move the shared types or helpers into a ' +
        'third module both import (e.g. src/reader/raw-feed.ts, jobs/job.ts), or pass a function in as a parameter.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-domain-stays-pure',
      severity: 'error',
      comment:
        'Pure domain code (src/reader, src/beat, src/cluster, src/render, …) must not reach the database, HTTP, jobs, ' +
        'services or threads. Take what you need as a parameter (plain data, or a function such as a store interface ' +
        'declared here) and let a service in src/services call this code with it.',
      from: { path: PURE, pathNot: NOT_PURE },
      to: { path: ['^(db|api|jobs)/', ...NOT_PURE] },
    },
    {
      name: 'pure-domain-no-frameworks',
      severity: 'error',
      comment:
        'Pure domain code must not import hono, kysely, pg, PGlite or node-cron. Keep HTTP in api/, SQL in ' +
        'db/repositories, schedules in jobs/; return plain data from here.',
      from: { path: PURE, pathNot: NOT_PURE },
      to: { path: '(^|/)node_modules/(hono|@hono/[^/]+|kysely|pg|@electric-sql/pglite|node-cron)/' },
    },
    {
      name: 'runtime-only-pure',
      severity: 'error',
      comment:
        'src/runtime (threads, pools, limiters) knows nothing of the database or of services: it may import pure ' +
        'domain only. Take the work in as a function or plain data; a service combines runtime with repositories.',
      from: { path: '^src/runtime/' },
      to: { path: ['^(db|api|jobs)/', '^src/services/', '^src/cli/', '^src/deps\\.ts$'] },
    },
    {
      name: 'db-drivers-only-in-db',
      severity: 'error',
      comment:
        'Kysely, pg and PGlite (the sql`` template included) are imported in db/ only. Write the query as a ' +
        'function in db/repositories/<table>.repository.ts that returns domain types, and call it from a service. ' +
        'A service that needs the handle type imports Db from db/client.ts.',
      from: { pathNot: '^db/' },
      to: { path: DB_DRIVERS },
    },
    {
      name: 'repositories-are-sql-only',
      severity: 'error',
      comment:
        'A repository is SQL in, domain types out: it may import db/client.ts, db/schema.ts, other repositories and ' +
        'pure domain (types, row-to-model helpers). Locks across calls, several repositories in one transaction and ' +
        'business rules belong in a service in src/services that calls this repository.',
      from: { path: '^db/repositories/' },
      to: { path: ['^(api|jobs)/', '^src/(services|runtime|cli)/', '^src/deps\\.ts$', '^db/(migrations/|migrator\\.ts|migrate\\.ts)'] },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment:
        'A migration is frozen once merged, so it must not import application code that changes later (schema ' +
        'types, repositories, src/). Inline what it needs and type the database as Kysely<any>.',
      from: { path: '^db/migrations/' },
      to: { path: ['^(src|api|jobs)/', '^db/(?!migrations/)'] },
    },
    {
      name: 'db-below-services',
      severity: 'error',
      comment:
        'db/ is below src/services: the database layer must not import services, runtime, the composition root or the ' +
        'entry points. Return data to the service that calls you; let it decide what happens next.',
      from: { path: '^db/' },
      to: { path: ['^(api|jobs)/', '^src/(services|runtime|cli)/', '^src/deps\\.ts$'] },
    },
    {
      name: 'services-below-entry-points',
      severity: 'error',
      comment:
        'Services are called by api/, jobs/ and the CLI, never the other way, and do not import the composition ' +
        'root. Declare what the service needs as a parameter type here (like RefreshDeps) and let the caller pass it.',
      from: { path: '^src/services/' },
      to: { path: ['^(api|jobs)/', '^src/cli/', '^src/deps\\.ts$'] },
    },
    {
      name: 'entry-points-through-services',
      severity: 'error',
      comment:
        'api/, jobs/ and the CLI reach the database through a service: call (or add) a function in ' +
        'src/services/<area>.ts that calls the repository and owns the transaction. The database handle comes from ' +
        "the composition root: type it Deps['db'] (src/deps.ts). Threads and pools (src/runtime) are built there " +
        'too and handed to the services that use them.',
      from: { path: TOP },
      to: { path: ['^db/', '^src/runtime/'] },
    },
    {
      name: 'entry-points-apart',
      severity: 'error',
      comment:
        'The entry points do not import each other: code that the API, a job and the CLI share belongs in a service ' +
        '(or in pure domain). Only jobs/main.ts (`npm start`: scheduler and API in one process) starts the API.',
      // $1 is the importer's own entry point: imports within one folder are free.
      from: { path: TOP, pathNot: '^jobs/main\\.ts$' },
      to: { path: TOP, pathNot: '^$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import resolves to no file: a rule cannot check what it cannot see. Fix the path (or install the package).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  required: [
    {
      name: 'services-reach-the-database',
      severity: 'error',
      comment:
        'src/services holds orchestration over the database, and this file imports no repository. Pure code moves ' +
        'next to its domain (src/beat, src/sources, src/reader, src/lib, …); threads, pools, limiters and timers that ' +
        'know nothing of the database move to src/runtime.',
      module: { path: '^src/services/' },
      to: { path: '^db/repositories/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type import is still a dependency on the layer that defines it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
