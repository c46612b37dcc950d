// Where the shared read-only data lives: $CORPUS_DIR/.. when CORPUS_DIR is set, else ../shared next to the repo.
// Moved to src/shared-dir.ts (the retrain job needs it too); re-exported here under the same names.
export { findSharedDir, repoRoot, sharedDir, SHARED_MISSING_MESSAGE } from '../src/shared-dir.js';
