// What the classifier reads of an item, and the one way an item is classified: at ingest (on a reader thread
// or the main one), on reclassification after a rules or model change, on an editor's correction and as a
// correction's training example. A stored article holds these fields as ingest read them from the item, so
// an article classified again with the same classifier gets what ingest gave it.
import type { Classification } from '../model/types.js';
import type { Classifier, ClassifyInput } from './classify.js';

/** The fields of a feed item (NormalizedItem) or a stored article (ArticleText) the classifier reads. */
export interface ClassifiedText {
  title: string;
  summaryText: string;
  categories: readonly string[];
  lang: string | null;
}

/** The classifier's input: the title, and the summary and the categories as the body. */
export function classifierInput(a: ClassifiedText): ClassifyInput {
  return { title: a.title, text: [a.summaryText, a.categories.join(' ')].filter(Boolean).join('\n'), lang: a.lang };
}

export function classifyItem(classify: Classifier, a: ClassifiedText): Classification {
  return classify(classifierInput(a));
}
