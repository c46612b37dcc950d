// When to look at a feed again. Pure: the clock and the random source are passed in.

export interface PollingPolicy {
  pollMinutes: number;
  minPollMinutes: number;
  maxPollMinutes: number;
  backoffBaseMinutes: number;
  backoffMaxMinutes: number;
}

export interface SuccessHints {
  /** Cache-Control max-age / Expires, seconds. */
  freshForSeconds: number | null;
  /** RSS <ttl>, minutes. */
  ttlMinutes: number | null;
  /** sy:updatePeriod / sy:updateFrequency, minutes between updates. */
  updateIntervalMinutes: number | null;
}

const MINUTE = 60_000;

/**
 * After a successful fetch (200 or 304): the regular interval, pushed later by what the
 * publisher says about freshness, clamped to [minPoll, maxPoll] so a hostile max-age cannot
 * silence a feed for a year, nor a ttl of 0 make us hammer it.
 */
export function nextCheckAfterSuccess(now: Date, hints: SuccessHints, p: PollingPolicy): Date {
  const candidates = [
    p.pollMinutes,
    hints.freshForSeconds !== null ? hints.freshForSeconds / 60 : 0,
    hints.ttlMinutes ?? 0,
    hints.updateIntervalMinutes ?? 0,
  ];
  const minutes = Math.min(p.maxPollMinutes, Math.max(p.minPollMinutes, ...candidates));
  return new Date(now.getTime() + minutes * MINUTE);
}

/**
 * After a failure: exponential backoff (base · 2^(n−1)) with ±20 % jitter so that feeds which
 * failed together do not retry together, capped; a server's Retry-After is honoured when
 * longer. A failing feed is never dropped: it keeps being retried at the cap.
 */
export function nextCheckAfterError(
  now: Date,
  errorCount: number,
  retryAfterSeconds: number | null,
  p: PollingPolicy,
  random: () => number = Math.random,
): Date {
  const exp = Math.min(p.backoffMaxMinutes, p.backoffBaseMinutes * 2 ** Math.max(0, Math.min(errorCount - 1, 30)));
  const jittered = exp * (0.8 + 0.4 * random());
  const minutes = Math.max(Math.min(jittered, p.backoffMaxMinutes), (retryAfterSeconds ?? 0) / 60);
  // Retry-After may be absurd (days): cap it at the regular maximum interval.
  return new Date(now.getTime() + Math.min(minutes, Math.max(p.backoffMaxMinutes, p.maxPollMinutes)) * MINUTE);
}
