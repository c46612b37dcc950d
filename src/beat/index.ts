// Public API of the beat classifier.
export { createClassifier, explainClassification, type Classifier, type ClassifyInput } from './classify.js';
export { fitBeatModel, parseBeatModel, type BeatModel, type TrainingExample } from './learned.js';
export { trainBeatModel } from './train.js';
export { createEntityExtractor } from './entities.js';
export { Matcher, inflections, PatternError, type MatchHit, type PatternOptions } from './matcher.js';
export { foldText, tokenize, type Token } from './normalize-text.js';
export { completeBeatSection, type BeatSection, type PressSideNames } from './beat-section.js';
export { type LexiconEntry } from './lexicon-data.js';
export {
  computeRulesVersion,
  defaultBeatRules,
  defaultLexiconEntries,
  DEFAULT_RULES_FILE,
  gazetteerEntrySchema,
  loadRules,
  parseRules,
  rulesSchema,
  RulesError,
  type PatternSpec,
  type Rules,
  type RulesData,
} from './rules.js';
