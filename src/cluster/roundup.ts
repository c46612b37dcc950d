// Roundups: articles that recap several events ("Mexico's week in review: …", "Tuesday's mañanera recapped",
// "Resumen semanal", another outlet's newsletter). Made a member of a story, a roundup shares words with every
// event it names and glues them into one story. The placer attaches it to each story it names instead.
//
// Detection is on the headline's form, not its subject: the words newsrooms use for the genre, in English and
// Spanish, matched on folded text as whole phrases. A live blog ("EN VIVO", "Live updates") follows one event
// and is not a roundup; neither is a single-event explainer ("what to know about the strike").
import { foldText } from '../dedup/fingerprint.js';

/** Phrases (folded: lower case, no accents) that mark a recap of several events. */
const ROUNDUP_PHRASES: readonly string[] = [
  // English
  'recap', 'recapped', 'recaps', 'week in review', 'year in review', 'month in review', 'weekend in review',
  'the week in', 'this week in', 'week that was', 'roundup', 'round up', 'news roundup', 'news in brief',
  'morning briefing', 'evening briefing', 'weekly briefing', 'newsletter', 'news quiz', 'quiz of the week',
  'top stories', 'top headlines', 'headlines of the day', 'things we did and didn t cover', 'what we covered',
  'stories you may have missed', 'what you missed this week', 'on the radar',
  // Spanish
  'resumen', 'resumen semanal', 'resumen informativo', 'resumen de noticias', 'recuento semanal',
  'sintesis informativa', 'noticias del dia', 'noticias de la semana', 'principales noticias', 'lo mas relevante',
  'lo mas destacado', 'las claves del dia', 'lo que paso esta semana', 'semana en resumen',
  'temas de la mananera', 'mananera en resumen', 'titulares del dia', 'primeras planas',
];

const phrases = ROUNDUP_PHRASES.map((p) => ` ${foldText(p)} `);

/**
 * True when a headline reads as a roundup of several events. Pure and cheap (one fold and a few substring
 * searches); the summary is not read: a recap's description lists events the way any article's does.
 */
export function isRoundup(title: string): boolean {
  const t = ` ${foldText(title)} `;
  for (const p of phrases) if (t.includes(p)) return true;
  return false;
}

