// Public API of the beat classifier.
export { createClassifier, explainClassification, type Classifier, type ClassifyInput } from './classify.js';
export { fitBeatModel, parseBeatModel, type BeatModel, type TrainingExample } from './learned.js';
export { trainBeatModel } from './train.js';
export { createEntityExtractor } from './entities.js';
export { Matcher, inflections, PatternError, type MatchHit, type PatternOptions } from './matcher.js';
export { foldText, tokenize, type Token } from './normalize-text.js';
export {
  computeRulesVersion,
  defaultBeatRules,
  DEFAULT_RULES_FILE,
  loadRules,
  parseRules,
  rulesSchema,
  RulesError,
  type PatternSpec,
  type Rules,
  type RulesData,
} from './rules.js';
import { defaultBeatRules } from './rules.js';

/**
 * Version stamp of the shipped rules: `<rules.version>+<8 hex of sha256(file)>`. Every Classification carries
 * the stamp of the rules that produced it (`rulesVersion`); the reclassify job compares the two.
 */
export const RULES_VERSION: string = defaultBeatRules().rulesVersion;
