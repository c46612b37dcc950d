import type { Db } from '../../db/client.js';
import { findActiveBeatModel, findActiveBeatModelVersion } from '../../db/repositories/beat-models.repository.js';
import { loadRules, parseBeatModel, type BeatModel } from '../beat/index.js';
import { createBeat, type Beat } from '../beat/beat.js';

/**
 * The beat as this process classifies with it: the configured rules plus the active learned model (the newest
 * beat_models row fitted against these rules, if any). A process that is running when another one retrains
 * calls sync() — one index probe — and rebuilds its classifier when the active model changed: workers at the
 * start of every refresh pass (src/deps.ts syncBeat), the API before it applies a correction.
 */
export class LiveBeat {
  private constructor(
    readonly rulesFile: string | undefined,
    private current: Beat,
    private currentModel: BeatModel | null,
  ) {}

  /** The rules file's beat with the active model stored for its rules. */
  static async load(db: Db, rulesFile: string | undefined): Promise<LiveBeat> {
    const rulesVersion = loadRules(rulesFile).rulesVersion;
    const stored = await findActiveBeatModel(db, rulesVersion);
    const model = stored ? parseBeatModel(stored.model) : null;
    return new LiveBeat(rulesFile, createBeat(rulesFile, model), model);
  }

  get beat(): Beat {
    return this.current;
  }

  get model(): BeatModel | null {
    return this.currentModel;
  }

  /** Rebuilds the beat when the active model is not the one in use; true when it did. */
  async sync(db: Db): Promise<boolean> {
    const active = await findActiveBeatModelVersion(db, this.current.rules.rulesVersion);
    if (active === (this.currentModel?.version ?? null)) return false;
    const stored = active === null ? null : await findActiveBeatModel(db, this.current.rules.rulesVersion);
    const model = stored ? parseBeatModel(stored.model) : null;
    this.current = createBeat(this.rulesFile, model);
    this.currentModel = model;
    return true;
  }
}
