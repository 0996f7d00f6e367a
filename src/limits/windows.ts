import type { LimitWindow } from "./types.ts";

/**
 * Windows are fixed and calendar-aligned in UTC: a minute starts at :00 seconds, an hour at :00,
 * a day at midnight UTC, a month on the 1st at midnight UTC; `lifetime` never resets. Fixed
 * windows have an exact reset time that every instance agrees on and that a client can be told
 * (`X-RateLimit-Reset`, the error body), and one counter per window is cheap to share across
 * instances. The price is the boundary burst of fixed windows: a client may use a whole window's
 * allowance at the end of one window and again at the start of the next.
 */
export interface WindowSpan {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive; Infinity for `lifetime`. */
  end: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIFETIME: WindowSpan = { start: 0, end: Number.POSITIVE_INFINITY };

export function windowAt(window: LimitWindow, now: number): WindowSpan {
  switch (window) {
    case "minute":
      return fixed(now, MINUTE);
    case "hour":
      return fixed(now, HOUR);
    case "day":
      return fixed(now, DAY);
    case "month": {
      const d = new Date(now);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      return { start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    }
    case "lifetime":
      return LIFETIME;
  }
}

function fixed(now: number, size: number): WindowSpan {
  const start = now - (((now % size) + size) % size);
  return { start, end: start + size };
}

/** Whole seconds until the window resets (at least 1, so a client never retries at once). */
export function secondsUntil(end: number, now: number): number {
  return Number.isFinite(end) ? Math.max(1, Math.ceil((end - now) / 1000)) : 0;
}

/** The ISO instant a window ends, or null for a lifetime window. */
export function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
