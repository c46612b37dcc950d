// Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled), for the tests that import it.
export function newestSourceMtime(root: string): number;
export function staleReason(root: string): string | null;
export function copyAssets(root: string, outDir: string): number;
export function build(root: string): { ms: number; assets: number };
