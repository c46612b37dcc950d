import { AppError } from '../errors.js';

// Newsletter periods, always in UTC, always half-open [start, end).
//
// daily  = the UTC calendar day of the date.
// weekly = the ISO 8601 week (Monday 00:00 UTC → next Monday) containing the date. Chosen over
//          "the 7 days ending at the date" because ISO weeks never overlap: every instant belongs to
//          exactly one weekly issue, and the issue key (topic, kind, period start) is the same whichever
//          day of the week the job or an editor asks for it.
// custom = explicit days, both inclusive: --from 2026-11-20 --to 2026-11-22 is [20th 00:00, 23rd 00:00).

export type PeriodKind = 'daily' | 'weekly' | 'custom';
export type StoredPeriodKind = Exclude<PeriodKind, 'custom'>;

export interface Period {
  kind: PeriodKind;
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
const MAX_CUSTOM_DAYS = 366;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A YYYY-MM-DD day as its UTC midnight; anything else (or an impossible date) is invalid. */
export function parseDay(s: string, parameter = 'date'): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== s) {
    throw new AppError('invalid_parameter', `Invalid parameter "${parameter}": expected a YYYY-MM-DD date`, { details: { parameter } });
  }
  return d;
}

export function utcMidnight(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The daily or weekly period containing the instant `date`. */
export function periodContaining(kind: StoredPeriodKind, date: Date): Period {
  const day = utcMidnight(date);
  if (kind === 'daily') return { kind, start: day, end: new Date(day.getTime() + DAY_MS) };
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  const start = new Date(day.getTime() - sinceMonday * DAY_MS);
  return { kind, start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

/** The most recent period of this kind that has fully ended at `now` (what the scheduled job publishes). */
export function lastCompletePeriod(kind: StoredPeriodKind, now: Date): Period {
  return periodContaining(kind, new Date(periodContaining(kind, now).start.getTime() - 1));
}

export function customPeriod(fromDay: Date, toDayInclusive: Date): Period {
  const start = utcMidnight(fromDay);
  const end = new Date(utcMidnight(toDayInclusive).getTime() + DAY_MS);
  if (end <= start) throw new AppError('invalid_parameter', 'Invalid parameter "to": must not be before "from"', { details: { parameter: 'to' } });
  if (end.getTime() - start.getTime() > MAX_CUSTOM_DAYS * DAY_MS) {
    throw new AppError('invalid_parameter', `Invalid parameter "to": a period spans at most ${MAX_CUSTOM_DAYS} days`, { details: { parameter: 'to' } });
  }
  return { kind: 'custom', start, end };
}

/** ISO 8601 week number and week-year of a date (the week-year of its Thursday). */
export function isoWeek(date: Date): { year: number; week: number } {
  const day = utcMidnight(date);
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return { year: thursday.getUTCFullYear(), week: 1 + Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS)) };
}

function dayMonthYear(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "23–29 November 2026", "30 November – 6 December 2026", "28 December 2026 – 3 January 2027". */
function dayRange(start: Date, lastDay: Date): string {
  if (start.getTime() === lastDay.getTime()) return dayMonthYear(start);
  if (start.getUTCFullYear() !== lastDay.getUTCFullYear()) return `${dayMonthYear(start)} – ${dayMonthYear(lastDay)}`;
  if (start.getUTCMonth() !== lastDay.getUTCMonth()) {
    return `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]} – ${dayMonthYear(lastDay)}`;
  }
  return `${start.getUTCDate()}–${dayMonthYear(lastDay)}`;
}

/** Human label of a period, e.g. "Week 48 · 23–29 November 2026" or "Tuesday 24 November 2026". */
export function periodLabel(p: Period): string {
  const lastDay = new Date(p.end.getTime() - DAY_MS);
  if (p.kind === 'daily') return `${WEEKDAYS[p.start.getUTCDay()]} ${dayMonthYear(p.start)}`;
  if (p.kind === 'weekly') return `Week ${isoWeek(p.start).week} · ${dayRange(p.start, lastDay)}`;
  return dayRange(p.start, utcMidnight(lastDay));
}

/** "Wed 25 Nov 2026, 07:00 UTC": every time in a newsletter is UTC, said so. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]!.slice(0, 3)} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}
